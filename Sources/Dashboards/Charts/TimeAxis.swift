import WarehouseKit

/// A labelled tick on a time axis. `year` is set where the year changes (and on the first tick),
/// so `Mar 4 … Apr 1 …` carries its year once on a second line instead of on every label.
struct TimeTick: Hashable {
    var date: CivilDate
    var label: String
    var year: String?
}

/// Names and ticks for dates at a grain, in English and independent of the process locale.
enum TimeLabels {
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The period a date stands for, as a tooltip or table names it.
    static func full(_ date: CivilDate, grain: TimeGrain) -> String {
        let month = monthNames[date.month - 1]
        switch grain {
        case .day: return "\(month) \(date.day), \(date.year)"
        case .week: return "Week of \(month) \(date.day), \(date.year)"
        case .month: return "\(month) \(date.year)"
        case .quarter: return "Q\((date.month - 1) / 3 + 1) \(date.year)"
        case .year: return "\(date.year)"
        }
    }

    /// The period without its year, for an axis label whose year is shown separately.
    static func short(_ date: CivilDate, grain: TimeGrain) -> String {
        let month = monthNames[date.month - 1]
        switch grain {
        case .day, .week: return "\(month) \(date.day)"
        case .month: return month
        case .quarter: return "Q\((date.month - 1) / 3 + 1)"
        case .year: return "\(date.year)"
        }
    }

    /// The grain the spacing of `dates` suggests: the smallest gap between distinct dates.
    static func inferGrain(_ dates: [CivilDate]) -> TimeGrain {
        let days = Array(Set(dates.map(\.daysSinceEpoch))).sorted()
        guard days.count > 1 else {
            guard let only = dates.first else { return .day }
            return only.day == 1 ? (only.month == 1 ? .year : .month) : .day
        }
        let gap = zip(days, days.dropFirst()).map { $1 - $0 }.min()!
        switch gap {
        case 360...: return .year
        case 89...: return .quarter
        case 28...: return .month
        case 7...: return .week
        default: return .day
        }
    }

    /// Labels for consecutive categories that are dates: each label short, the year added where
    /// it changes, so a bar per month reads `Jan`/`2026`, `Feb`, … `Jan`/`2027`.
    static func bandLabels(_ dates: [CivilDate], grain: TimeGrain) -> [TimeTick] {
        var previousYear: Int?
        return dates.map { date in
            defer { previousYear = date.year }
            let showYear = grain != .year && previousYear != date.year
            return TimeTick(date: date, label: short(date, grain: grain), year: showYear ? String(date.year) : nil)
        }
    }

    /// At most `maxCount` ticks between `start` and `end`, no finer than `grain`, at the finest
    /// calendar interval that fits: days, weeks, months, quarters, half-years, years.
    static func ticks(from start: CivilDate, to end: CivilDate, grain: TimeGrain, maxCount: Int) -> [TimeTick] {
        let limit = max(2, maxCount)
        for interval in intervals(for: grain) {
            let dates = interval.dates(from: start, to: end)
            if dates.count <= limit, !dates.isEmpty {
                return label(dates, interval: interval, grain: grain)
            }
        }
        return label([start], interval: .years(1), grain: grain)
    }

    private static func label(_ dates: [CivilDate], interval: TickInterval, grain: TimeGrain) -> [TimeTick] {
        let tickGrain: TimeGrain
        switch interval {
        case .days: tickGrain = grain == .week ? .week : .day
        case .months(let n): tickGrain = n % 3 == 0 && grain == .quarter ? .quarter : .month
        case .years: tickGrain = .year
        }
        return bandLabels(dates, grain: tickGrain)
    }

    private enum TickInterval {
        case days(Int)
        case months(Int)
        case years(Int)

        func dates(from start: CivilDate, to end: CivilDate) -> [CivilDate] {
            var out: [CivilDate] = []
            switch self {
            case .days(let n):
                // Counted from the first date, so daily or weekly points sit exactly on ticks.
                var day = start.daysSinceEpoch
                while day <= end.daysSinceEpoch, out.count <= 400 {
                    out.append(CivilDate(daysSinceEpoch: day))
                    day += n
                }
            case .months(let n):
                var year = start.year
                var month = start.month
                if start.day != 1 { month += 1 }
                while (month - 1) % n != 0 { month += 1 }
                while true {
                    year += (month - 1) / 12
                    month = (month - 1) % 12 + 1
                    let date = CivilDate(year: year, month: month, day: 1)
                    if date > end || out.count > 400 { break }
                    out.append(date)
                    month += n
                }
            case .years(let n):
                var year = start.month == 1 && start.day == 1 ? start.year : start.year + 1
                while year % n != 0 { year += 1 }
                while CivilDate(year: year, month: 1, day: 1) <= end, out.count <= 400 {
                    out.append(CivilDate(year: year, month: 1, day: 1))
                    year += n
                }
            }
            return out
        }
    }

    private static func intervals(for grain: TimeGrain) -> [TickInterval] {
        let years: [TickInterval] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].map { .years($0) }
        switch grain {
        case .day: return [.days(1), .days(2), .days(7), .days(14), .months(1), .months(2), .months(3), .months(6)] + years
        case .week: return [.days(7), .days(14), .days(28), .months(1), .months(2), .months(3), .months(6)] + years
        case .month: return [.months(1), .months(2), .months(3), .months(6)] + years
        case .quarter: return [.months(3), .months(6)] + years
        case .year: return years
        }
    }
}
