import WarehouseKit
import XCTest
@testable import Dashboards

final class ScaleTests: XCTestCase {
    func testTicksAreOneTwoOrFiveTimesAPowerOfTen() {
        XCTAssertEqual(LinearScale(covering: [3, 87], includeZero: true).ticks, [0, 20, 40, 60, 80, 100])
        XCTAssertEqual(LinearScale(covering: [0, 412_300], includeZero: true).ticks, [0, 100_000, 200_000, 300_000, 400_000, 500_000])
        XCTAssertEqual(LinearScale(covering: [0, 1180], includeZero: true).ticks, [0, 200, 400, 600, 800, 1000, 1200])
        XCTAssertEqual(LinearScale(covering: [0, 9.2], includeZero: true).ticks, [0, 2, 4, 6, 8, 10])
        XCTAssertEqual(LinearScale(covering: [0, 2.1e6], includeZero: true).ticks, [0, 500_000, 1_000_000, 1_500_000, 2_000_000, 2_500_000])
        for (low, high) in [(0.0, 7.0), (13.0, 999.0), (-3.7, 0.4), (0.0, 0.073), (1e6, 1.2e6), (-5e4, 1.7e5)] {
            let ticks = LinearScale(covering: [low, high], includeZero: false).ticks
            let step = ticks[1] - ticks[0]
            let exponent = (log10(step)).rounded(.down)
            let mantissa = (step / pow(10, exponent) * 1000).rounded() / 1000
            XCTAssertTrue([1, 2, 5, 10].contains(mantissa), "step \(step) for \(low)…\(high)")
            XCTAssertLessThanOrEqual(ticks.first!, low)
            XCTAssertGreaterThanOrEqual(ticks.last!, high)
            XCTAssertLessThanOrEqual(ticks.count, 7, "\(ticks)")
        }
    }

    func testDecimalTicksAreTheDoublesNearestTheirDecimalText() {
        let ticks = LinearScale(covering: [0, 0.37], includeZero: true).ticks
        XCTAssertEqual(ticks, [0, 0.1, 0.2, 0.3, 0.4])
        XCTAssertEqual(ticks.map { "\($0)" }, ["0.0", "0.1", "0.2", "0.3", "0.4"])
    }

    func testNegativeRangesAndZero() {
        let scale = LinearScale(covering: [-12_900, 48_200], includeZero: true)
        XCTAssertEqual(scale.ticks, [-20_000, 0, 20_000, 40_000, 60_000])
        XCTAssertEqual(scale.position(0, from: 100, to: 0), 75)
        XCTAssertEqual(LinearScale(covering: [-5, -1], includeZero: true).ticks.last, 0)
    }

    func testDegenerateDomains() {
        XCTAssertEqual(LinearScale(covering: [], includeZero: true).ticks, [0, 0.2, 0.4, 0.6, 0.8, 1])
        XCTAssertEqual(LinearScale(covering: [0, 0], includeZero: true).ticks.first, 0)
        let single = LinearScale(covering: [40], includeZero: false)
        XCTAssertLessThan(single.lower, 40)
        XCTAssertGreaterThan(single.upper, 40)
        XCTAssertEqual(LinearScale(covering: [.nan, .infinity, 5], includeZero: true).ticks, [0, 1, 2, 3, 4, 5])
    }

    func testWholeUnitsNeverStepBelowOne() {
        XCTAssertEqual(LinearScale(covering: [0, 3], includeZero: true, wholeUnits: true).ticks, [0, 1, 2, 3])
        XCTAssertEqual(LinearScale(covering: [0, 3], includeZero: true).ticks, [0, 0.5, 1, 1.5, 2, 2.5, 3])
    }

    func testExactDomainKeepsItsEndsAndOnlyInsideTicks() {
        let scale = LinearScale(exactly: 0, 7, targetTickCount: 4)
        XCTAssertEqual(scale.lower, 0)
        XCTAssertEqual(scale.upper, 7)
        XCTAssertEqual(scale.ticks, [0, 2, 4, 6])
    }

    func testGrainIsInferredFromTheSpacingOfDates() {
        func dates(_ step: Int, _ count: Int) -> [CivilDate] { (0..<count).map { CivilDate(year: 2026, month: 1, day: 1).adding(days: $0 * step) } }
        XCTAssertEqual(TimeLabels.inferGrain(dates(1, 30)), .day)
        XCTAssertEqual(TimeLabels.inferGrain(dates(7, 10)), .week)
        XCTAssertEqual(TimeLabels.inferGrain((1...12).map { CivilDate(year: 2026, month: $0, day: 1) }), .month)
        XCTAssertEqual(TimeLabels.inferGrain([1, 4, 7, 10].map { CivilDate(year: 2026, month: $0, day: 1) }), .quarter)
        XCTAssertEqual(TimeLabels.inferGrain((2020...2026).map { CivilDate(year: $0, month: 1, day: 1) }), .year)
    }

    func testTimeTicksFallOnCalendarBoundariesAtTheGrain() {
        let jan1 = CivilDate(year: 2025, month: 1, day: 1)
        // Two years of months, room for 8 ticks: every quarter, with the year where it changes.
        let months = TimeLabels.ticks(from: jan1, to: CivilDate(year: 2026, month: 12, day: 1), grain: .month, maxCount: 8)
        XCTAssertEqual(months.map(\.label), ["Jan", "Apr", "Jul", "Oct", "Jan", "Apr", "Jul", "Oct"])
        XCTAssertEqual(months.map(\.year), ["2025", nil, nil, nil, "2026", nil, nil, nil])
        // The same range with room for 30 shows every month.
        XCTAssertEqual(TimeLabels.ticks(from: jan1, to: CivilDate(year: 2026, month: 12, day: 1), grain: .month, maxCount: 30).count, 24)
        let quarters = TimeLabels.ticks(from: jan1, to: CivilDate(year: 2025, month: 10, day: 1), grain: .quarter, maxCount: 8)
        XCTAssertEqual(quarters.map(\.label), ["Q1", "Q2", "Q3", "Q4"])
        let years = TimeLabels.ticks(from: CivilDate(year: 2001, month: 1, day: 1), to: jan1, grain: .year, maxCount: 6)
        XCTAssertEqual(years.map(\.label), ["2005", "2010", "2015", "2020", "2025"])
        XCTAssertTrue(years.allSatisfy { $0.year == nil })
        // 90 days with room for 7: every 14 days from the first date.
        let days = TimeLabels.ticks(from: CivilDate(year: 2026, month: 1, day: 5), to: CivilDate(year: 2026, month: 4, day: 4), grain: .day, maxCount: 7)
        XCTAssertEqual(days.map(\.label), ["Jan 5", "Jan 19", "Feb 2", "Feb 16", "Mar 2", "Mar 16", "Mar 30"])
        // Weekly data: ticks on the data's own week starts, every week or every other.
        let weeks = TimeLabels.ticks(from: CivilDate(year: 2026, month: 1, day: 5), to: CivilDate(year: 2026, month: 3, day: 30), grain: .week, maxCount: 7)
        XCTAssertEqual(weeks.map(\.label), ["Jan 5", "Jan 19", "Feb 2", "Feb 16", "Mar 2", "Mar 16", "Mar 30"])
        XCTAssertEqual(TimeLabels.ticks(from: CivilDate(year: 2026, month: 1, day: 5), to: CivilDate(year: 2026, month: 3, day: 30), grain: .week,
                                        maxCount: 20).count, 13)
        // Dates never get ticks finer than their grain: monthly data on a wide axis gets months.
        let wide = TimeLabels.ticks(from: jan1, to: CivilDate(year: 2025, month: 3, day: 1), grain: .month, maxCount: 50)
        XCTAssertEqual(wide.map(\.label), ["Jan", "Feb", "Mar"])
    }

    func testPeriodNames() {
        let date = CivilDate(year: 2026, month: 3, day: 2)
        XCTAssertEqual(ChartX.date(date).label(grain: .day), "Mar 2, 2026")
        XCTAssertEqual(ChartX.date(date).label(grain: .week), "Week of Mar 2, 2026")
        XCTAssertEqual(ChartX.date(date).label(grain: .month), "Mar 2026")
        XCTAssertEqual(ChartX.date(date).label(grain: .quarter), "Q1 2026")
        XCTAssertEqual(ChartX.date(date).label(grain: .year), "2026")
        XCTAssertEqual(ChartX.timestamp(Timestamp(date: date, hour: 13)).rawText, "2026-03-02 13:00:00")
        XCTAssertEqual(ChartX.null.label(grain: .day), "(none)")
    }
}
