import Foundation
import WarehouseKit

/// How a generated store's history unfolds over time.
///
/// TheLook's own rules make the last month of any load look like a jump of about +90%: 2.5% of
/// users sign up in the last 7 days, and every user's orders are spread between sign-up and
/// "now", so recent sign-ups crowd their orders into the last weeks. Fine for a table-shape
/// test, wrong on a dashboard, so a steadily growing shop is the default and TheLook's shape is
/// kept as a profile for those who want the public dataset's exact rules.
public enum StoreProfile: String, Sendable, CaseIterable, CustomStringConvertible {
    /// A shop growing by a steady rate per year: sign-ups compound, each customer orders over
    /// their own lifetime (first order soon after sign-up, repeats months apart), and the planted
    /// weekday and month multipliers (holiday peak in November–December) shape every day.
    case growing
    /// TheLook's rules: sign-ups uniform since 2019-01-01 with 2.5% in the last 7 days, each
    /// user's orders uniform between sign-up and the as-of date, appended days at one order per
    /// user-year. The last 30 days always look far above the 30 before.
    case thelook

    public var description: String { rawValue }

    /// Growth of the growing profile's order volume per year when none is given (+30%).
    public static let defaultGrowthPerYear = 0.30
    /// Growth rates a store may be given: from halving to quadrupling each year.
    public static let growthRange: ClosedRange<Double> = -0.5...3.0
}

/// The customer lifetime of the growing profile. Not planted truths (nothing tests an analysis
/// against them), but they decide what the history looks like.
enum CustomerLifetime {
    /// Mean days from sign-up to the first order: most customers buy in their first weeks.
    static let firstOrderMeanDays = 7.0
    /// Mean days between a customer's orders.
    static let repeatGapMeanDays = 120.0
    /// A user in an experiment slot is exposed only if they visit the store while it runs, with
    /// probability ½ per year since sign-up. Exposing every user who ever signed up, at 10%
    /// conversion, would make conversions in the last 30 days of a scale-1.0 store (about
    /// 3,000) outnumber its whole organic demand (about 2,900): nearly every organic order would
    /// have to give way, new customers would halve. With visits they are about a third.
    static let experimentVisitHalfLifeDays = 365.0
}

/// Calendar time stretched by the planted weekday × month multipliers: a December Saturday
/// holds more business time than a February Tuesday. A time drawn with any smooth density in
/// business time and mapped back to the calendar lands on each day in proportion to that day's
/// multiplier, so seasonality holds exactly whatever the growth curve or lifetime shape.
struct BusinessCalendar: Sendable {
    /// Midnight UTC of the first day covered (2019-01-01).
    let origin: Int64
    let dayWeights: [Double]
    /// Business days before day i; one entry more than `dayWeights`.
    let cumulative: [Double]

    /// Covers `days` days from `start`.
    init(start: CivilDate, days: Int) {
        origin = Micros.startOf(start)
        var weights: [Double] = []
        weights.reserveCapacity(days)
        var cumulative: [Double] = [0]
        cumulative.reserveCapacity(days + 1)
        var running = 0.0
        for offset in 0..<days {
            let date = start.adding(days: offset)
            let weight = PlantedTruths.weekdayMultipliers[date.isoWeekdayIndex] * PlantedTruths.monthMultipliers[date.month - 1]
            weights.append(weight)
            running += weight
            cumulative.append(running)
        }
        dayWeights = weights
        self.cumulative = cumulative
    }

    /// The business time of a calendar time inside the covered days.
    func businessTime(_ micros: Int64) -> Double {
        let offset = micros - origin
        let day = Int(offset / Micros.day)
        guard day >= 0 else { return 0 }
        guard day < dayWeights.count else { return cumulative[cumulative.count - 1] }
        return cumulative[day] + dayWeights[day] * Double(offset - Int64(day) * Micros.day) / Double(Micros.day)
    }

    /// The calendar time of a business time, or nil past the covered days (the future).
    func calendarTime(_ business: Double) -> Int64? {
        guard business < cumulative[cumulative.count - 1] else { return nil }
        if business <= 0 { return origin }
        // The last day whose start is at or before `business`.
        var low = 0, high = dayWeights.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if cumulative[mid] <= business { low = mid } else { high = mid - 1 }
        }
        let fraction = (business - cumulative[low]) / dayWeights[low]
        return origin + Int64(low) * Micros.day + min(Micros.day - 1, Int64(fraction * Double(Micros.day)))
    }
}

/// Sign-ups of the growing profile: density ∝ e^(rate · business time), so the number of new
/// users, and with them the orders, grows by the same factor every year.
struct GrowthCurve: Sendable {
    /// Continuous growth per business day (a business year is about 365.25 business days, as the
    /// multipliers average 1).
    let rate: Double

    init(perYear growth: Double) {
        rate = Foundation.log1p(growth) / 365.25
    }

    /// The business time at quantile `u` of sign-ups between business times `low` and `high`.
    func quantile(_ u: Double, low: Double, high: Double) -> Double {
        let span = high - low
        guard abs(rate * span) > 1e-12 else { return low + u * span }
        return low + Foundation.log1p(u * Foundation.expm1(rate * span)) / rate
    }

    /// Sign-ups between business times `low` and `high`, relative to those between 0 and `reference`.
    func share(low: Double, high: Double, reference: Double) -> Double {
        guard abs(rate * max(high, reference)) > 1e-12 else { return (high - low) / reference }
        return Foundation.exp(rate * low) * Foundation.expm1(rate * (high - low)) / Foundation.expm1(rate * reference)
    }
}
