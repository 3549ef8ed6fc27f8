import Foundation
import WarehouseKit
import XCTest
@testable import SyntheticData

/// The growing profile over time: believable month-to-month changes, the configured yearly
/// growth, the planted seasons, appends that continue the curve. Three seeds at scale 0.1, as
/// of a September day (no holiday peak in the last 60 days).
final class StoreHistoryTests: XCTestCase {
    static let asOf = CivilDate(year: 2025, month: 9, day: 30)
    static let seeds: [UInt64] = [1, 2, 3]

    /// Each seed's first load and a 30-day append, generated once for the whole class.
    actor Histories {
        static let shared = Histories()
        private var cached: [History]?
        func get() async throws -> [History] {
            if let cached { return cached }
            var histories: [History] = []
            for seed in StoreHistoryTests.seeds {
                let options = try GeneratorOptions(seed: seed, asOf: StoreHistoryTests.asOf, scale: 0.1, workers: 2)
                histories.append(try await History.generate(options, appendDays: 30))
            }
            cached = histories
            return histories
        }
    }

    func testLastThirtyDaysStayWithinAPlausibleBandOfThePreviousThirty() async throws {
        for history in try await Histories.shared.get() {
            let end = Self.asOf.daysSinceEpoch
            let last = history.revenue(days: (end - 29)...end), previous = history.revenue(days: (end - 59)...(end - 30))
            let change = last / previous - 1
            print("seed \(history.seed): last 30 days \(Int(last)) vs previous 30 \(Int(previous)): \(String(format: "%+.1f%%", change * 100))")
            XCTAssertEqual(change, 0, accuracy: 0.25, "seed \(history.seed): revenue \(last) vs \(previous)")
        }
    }

    func testYearlyRevenueGrowsByTheConfiguredRate() async throws {
        // 2019 and 2020 fill up with repeat customers (the store opens on 2019-01-01), so the
        // rate is read from the full years after them. At scale 0.1 a single year's revenue
        // scatters by about 4% (prices, order counts), so the rate is fitted over all of them.
        for history in try await Histories.shared.get() {
            let years = Array(2021..<Self.asOf.year)
            let revenue = years.map { year in
                history.revenue(days: CivilDate(year: year, month: 1, day: 1).daysSinceEpoch...CivilDate(year: year, month: 12, day: 31).daysSinceEpoch)
            }
            let growth = Foundation.exp(slope(years.map(Double.init), revenue.map { Foundation.log($0) })) - 1
            let steps = zip(revenue, revenue.dropFirst()).map { String(format: "%+.1f%%", ($1 / $0 - 1) * 100) }
            print("seed \(history.seed): yearly revenue \(years.first!)–\(years.last!) \(steps.joined(separator: " ")), fitted \(String(format: "%+.1f%%", growth * 100))")
            XCTAssertEqual(growth, StoreProfile.defaultGrowthPerYear, accuracy: 0.05, "seed \(history.seed)")
        }
    }

    func testWeekdayAndMonthSeasonalityFollowThePlantedMultipliers() async throws {
        let rate = Foundation.log1p(StoreProfile.defaultGrowthPerYear) / 365.25
        for history in try await Histories.shared.get() {
            // Mean orders per day of each weekday and month, growth divided out so late days do
            // not weigh more than early ones.
            var perWeekday = Array(repeating: 0.0, count: 7), perMonth = Array(repeating: 0.0, count: 12)
            var weekdayDays = perWeekday, monthDays = perMonth
            let start = GeneratorOptions.dataStart.daysSinceEpoch
            for day in CivilDate(year: 2021, month: 1, day: 1).daysSinceEpoch...Self.asOf.daysSinceEpoch {
                let detrended = Double(history.ordersPerDay[day] ?? 0) / Foundation.exp(rate * Double(day - start))
                let date = CivilDate(daysSinceEpoch: day)
                perWeekday[date.isoWeekdayIndex] += detrended
                weekdayDays[date.isoWeekdayIndex] += 1
                perMonth[date.month - 1] += detrended
                monthDays[date.month - 1] += 1
            }
            perWeekday = zip(perWeekday, weekdayDays).map { $0 / $1 }
            perMonth = zip(perMonth, monthDays).map { $0 / $1 }
            let weekday = correlation(perWeekday, PlantedTruths.weekdayMultipliers)
            let month = correlation(perMonth, PlantedTruths.monthMultipliers)
            print("seed \(history.seed): weekday correlation \(String(format: "%.3f", weekday)), month \(String(format: "%.3f", month))")
            XCTAssertGreaterThan(weekday, 0.8, "seed \(history.seed): orders per weekday \(perWeekday)")
            XCTAssertGreaterThan(month, 0.9, "seed \(history.seed): orders per month \(perMonth)")
            // The holiday peak: December beats every month outside November–December.
            XCTAssertEqual(perMonth.indices.max { perMonth[$0] < perMonth[$1] }, 11)
        }
    }

    func testAppendedDaysContinueTheGrowthCurve() async throws {
        for history in try await Histories.shared.get() {
            let end = Self.asOf.daysSinceEpoch
            let appended = (end + 1)...(end + 30)
            // Sign-ups keep to the curve: the appended October brings a little more than September.
            let before = history.signUps(days: (end - 29)...end), after = history.signUps(days: appended)
            XCTAssertEqual(Double(after) / Double(before), 1.08, accuracy: 0.06, "seed \(history.seed): \(before) → \(after) sign-ups")
            let change = history.revenue(days: appended) / history.revenue(days: (end - 29)...end) - 1
            print("seed \(history.seed): appended 30 days vs the load's last 30: \(String(format: "%+.1f%%", change * 100)), sign-ups \(before) → \(after)")
            XCTAssertEqual(change, 0.08, accuracy: 0.25, "seed \(history.seed)")
            XCTAssertTrue(history.appendedOrderUsers.contains { $0 <= history.firstLoadUsers }, "existing customers keep ordering")
        }
    }

    func testBusinessTimeLandsOnDaysInProportionToTheirMultipliers() {
        let start = CivilDate(year: 2020, month: 1, day: 1)
        let calendar = BusinessCalendar(start: start, days: 4 * 365 + 1)
        var rng = SeededRandom(seed: 5)
        var perWeekday = Array(repeating: 0, count: 7), perMonth = Array(repeating: 0, count: 12)
        let total = calendar.cumulative[calendar.cumulative.count - 1]
        for draw in 0..<100_000 {
            let business = rng.unit() * total
            let time = calendar.calendarTime(business)!
            let date = CivilDate(daysSinceEpoch: Int(time / Micros.day))
            perWeekday[date.isoWeekdayIndex] += 1
            perMonth[date.month - 1] += 1
            if draw % 1_000 == 0 { XCTAssertEqual(calendar.businessTime(time), business, accuracy: 1e-6, "the two clocks map back and forth") }
        }
        XCTAssertEqual(Double(perWeekday[5]) / Double(perWeekday[1]), 1.15 / 0.90, accuracy: 0.05)
        // Per day: December has 31 days, February 28 or 29 (one leap year in four).
        let december = Double(perMonth[11]) / 31, february = Double(perMonth[1]) / 28.25
        XCTAssertEqual(december / february, 1.35 / 0.80, accuracy: 0.08)
        XCTAssertNil(calendar.calendarTime(total), "business time past the covered days is the future")
    }

    private func slope(_ x: [Double], _ y: [Double]) -> Double {
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0, sxx = 0.0
        for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx) }
        return sxy / sxx
    }
}

/// What the history tests read of one generated store: net revenue and orders by the order's
/// day (as `daily_revenue` counts them), sign-ups by day.
struct History {
    var seed: UInt64
    var firstLoadUsers: Int64 = 0
    var netRevenuePerDay: [Int: Double] = [:]
    var ordersPerDay: [Int: Int] = [:]
    var signUpsPerDay: [Int: Int] = [:]
    var appendedOrderUsers: [Int64] = []

    /// A first load and, unless `appendDays` is 0, an append after it.
    static func generate(_ options: GeneratorOptions, appendDays: Int = 0) async throws -> History {
        var history = History(seed: options.seed)
        let generator = StoreGenerator(options: options)
        var first = GeneratedTables()
        let report = try await generator.generate { table, batch in
            if [.orders, .order_items, .users].contains(table) { first.batches[table, default: []].append(batch) }
        }
        history.firstLoadUsers = Int64(options.users)
        history.add(first)
        guard appendDays > 0 else { return history }
        var appended = GeneratedTables()
        _ = try await generator.append(days: appendDays, after: report.state) { table, batch in
            if [.orders, .order_items, .users].contains(table) { appended.batches[table, default: []].append(batch) }
        }
        history.add(appended)
        history.appendedOrderUsers = appended.ints(.orders, "user_id").map { $0! }
        return history
    }

    private mutating func add(_ tables: GeneratedTables) {
        func day(_ micros: Int64?) -> Int { Int(micros! / Micros.day) }
        var orderDay: [Int64: Int] = [:]
        for (id, created) in zip(tables.ints(.orders, "order_id"), tables.times(.orders, "created_at")) {
            orderDay[id!] = day(created)
            ordersPerDay[day(created), default: 0] += 1
        }
        let items = zip(tables.ints(.order_items, "order_id"), zip(tables.texts(.order_items, "status"), tables.values(.order_items, "sale_price")))
        for (order, (status, price)) in items where status != "Cancelled" && status != "Returned" {
            netRevenuePerDay[orderDay[order!]!, default: 0] += price.double!
        }
        for created in tables.times(.users, "created_at") { signUpsPerDay[day(created), default: 0] += 1 }
    }

    func revenue(days: ClosedRange<Int>) -> Double { days.reduce(0) { $0 + (netRevenuePerDay[$1] ?? 0) } }
    func signUps(days: ClosedRange<Int>) -> Int { days.reduce(0) { $0 + (signUpsPerDay[$1] ?? 0) } }
}

func correlation(_ a: [Double], _ b: [Double]) -> Double {
    let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
    let cov = zip(a, b).map { ($0 - ma) * ($1 - mb) }.reduce(0, +)
    let va = a.map { ($0 - ma) * ($0 - ma) }.reduce(0, +), vb = b.map { ($0 - mb) * ($0 - mb) }.reduce(0, +)
    return cov / (va * vb).squareRoot()
}
