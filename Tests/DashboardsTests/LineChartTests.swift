import WarehouseKit
import XCTest
@testable import Dashboards

final class LineChartTests: XCTestCase {
    func testAPointPerPresentValuePerSeriesAndALineBrokenAtNulls() throws {
        let data = ChartData(x: ["a", "b", "c", "d", "e"].map(ChartX.category), series: [
            ChartSeries(name: "web", values: [1, 2, nil, 4, 5]),
            ChartSeries(name: "app", values: [nil, -3, 2, 2, nil]),
        ], dimension: "step")
        let parsed = try ParsedMarkup(LineChart(data).render())
        XCTAssertEqual(parsed.root.attr("data-chart"), "line")
        XCTAssertEqual(parsed.marks.count, 7)
        XCTAssertTrue(parsed.marks.allSatisfy { $0.localName == "circle" && $0.attr("data-dimension") == "step" })
        XCTAssertEqual(parsed.marks.filter { $0.attr("data-series") == "web" }.map { $0.attr("data-x") }, ["a", "b", "d", "e"])
        XCTAssertEqual(parsed.marks.filter { $0.attr("data-series") == "app" }.map { $0.attr("data-value") }, ["-3", "2", "2"])
        let paths = parsed.elements(withClass: "line")
        XCTAssertEqual(paths.map { $0.attr("data-series") }, ["web", "app"])
        let webPath = try XCTUnwrap(paths.first?.attr("d"))
        XCTAssertEqual(webPath.filter { $0 == "M" }.count, 2, "the NULL at c starts a new segment: \(webPath)")
        XCTAssertEqual(webPath.filter { $0 == "L" }.count, 2)
        XCTAssertEqual(parsed.elements(withClass: "legend-item").count, 2)
    }

    func testPointsSitAtTheirValueOnTheAxis() throws {
        let data = ChartData(categories: ["a", "b"], values: [0, 100])
        let parsed = try ParsedMarkup(LineChart(data).render())
        let ticks = parsed.elements(withClass: "axis-y").flatMap { $0.childElements }.filter { $0.attr("class") == "tick" }
        let y = { (label: String) in ticks.first { $0.ownText == label }!.double("y")! - 4 }
        XCTAssertEqual(parsed.marks[0].double("cy")!, y("0"), accuracy: 0.02)
        XCTAssertEqual(parsed.marks[1].double("cy")!, y("100"), accuracy: 0.02)
    }

    func testMonthlyTimeAxisPlacesPointsByDateWithCalendarTicks() throws {
        let parsed = try ParsedMarkup(LineChart(SampleCharts.monthlyOrders).render())
        XCTAssertEqual(parsed.root.attr("data-x-type"), "time")
        XCTAssertEqual(parsed.root.attr("data-grain"), "month")
        XCTAssertEqual(parsed.marks.count, 24)
        XCTAssertEqual(parsed.marks.first?.attr("data-x"), "2025-01-01")
        XCTAssertEqual(parsed.marks.first?.tooltip, "Jan 2025: 1,200")
        XCTAssertEqual(parsed.marks.first?.attr("data-dimension"), "order_month")
        // x labels: months at a spacing that fits, the year under January and the first tick.
        let xTicks = parsed.elements(withClass: "axis-x").flatMap { $0.childElements }
        let labels = xTicks.filter { $0.attr("class") == "tick" }.map(\.ownText)
        XCTAssertEqual(labels, ["Jan", "Apr", "Jul", "Oct", "Jan", "Apr", "Jul", "Oct"])
        XCTAssertEqual(xTicks.filter { $0.attr("class") == "tick-year" }.map(\.ownText), ["2025", "2026"])
        // A 31-day month is a longer step than a 28-day one: positions follow the calendar.
        let xs = parsed.marks.map { $0.double("cx")! }
        XCTAssertGreaterThan(xs[1] - xs[0], xs[2] - xs[1], "January (31 days) is wider than February (28)")
    }

    func testWeeklySeriesNamesItsWeeks() throws {
        let mondays = (0..<13).map { ChartX.date(CivilDate(year: 2026, month: 1, day: 5).adding(days: 7 * $0)) }
        let parsed = try ParsedMarkup(LineChart(ChartData(x: mondays, series: [ChartSeries(name: "orders", values: (0..<13).map { Double($0) })],
                                                          format: .integer)).render())
        XCTAssertEqual(parsed.root.attr("data-grain"), "week")
        XCTAssertEqual(parsed.marks.first?.tooltip, "Week of Jan 5, 2026: 0")
        let labels = parsed.elements(withClass: "axis-x").flatMap(\.childElements).filter { $0.attr("class") == "tick" }.map(\.ownText)
        XCTAssertEqual(labels.first, "Jan 5")
        XCTAssertTrue(labels.allSatisfy { $0.split(separator: " ").count == 2 }, "\(labels)")
    }

    func testTimeSeriesGivenOutOfOrderIsDrawnLeftToRight() throws {
        let dates = ["2026-01-03", "2026-01-01", "2026-01-02"].map { ChartX.date(CivilDate(iso: $0)!) }
        let parsed = try ParsedMarkup(LineChart(ChartData(x: dates, series: [ChartSeries(name: "n", values: [3, 1, 2])])).render())
        XCTAssertEqual(parsed.marks.map { $0.attr("data-x") }, ["2026-01-01", "2026-01-02", "2026-01-03"])
        let xs = parsed.marks.map { $0.double("cx")! }
        XCTAssertEqual(xs, xs.sorted())
    }

    func testDenseSeriesKeepsInvisibleHoverTargets() throws {
        let parsed = try ParsedMarkup(LineChart(SampleCharts.dailyRevenue).render())
        XCTAssertEqual(parsed.marks.count, 178, "90 days × 2 series, 2 NULLs")
        XCTAssertEqual(parsed.marks.filter { $0.attr("fill") == "transparent" }.count, 178)
    }

    func testSeriesBeyondThePaletteAreTintedAndDashedNotRepeated() throws {
        let parsed = try ParsedMarkup(LineChart(SampleCharts.manySeries).render())
        let lines = parsed.elements(withClass: "line")
        XCTAssertEqual(lines.count, 9)
        XCTAssertEqual(Set(lines.map { $0.attr("stroke")! }).count, 9, "nine series, nine colours")
        XCTAssertEqual(lines.map { $0.attr("stroke-dasharray") != nil }, [false, false, false, false, false, false, false, true, true])
        XCTAssertEqual(parsed.elements(withClass: "legend-item").count, 9)
    }

    func testHourlyTimestampsKeepTheirTimeInTooltips() throws {
        let parsed = try ParsedMarkup(LineChart(SampleCharts.hourly).render())
        XCTAssertEqual(parsed.marks[6].tooltip, "Mar 1, 2026 06:00: 350")
        XCTAssertEqual(parsed.marks[6].attr("data-x"), "2026-03-01 06:00:00")
    }

    func testAllNullOrEmptyDataShowsTheEmptyState() throws {
        let empty = try ParsedMarkup(LineChart(ChartData(categories: ["a", "b"], values: [nil, nil])).render())
        XCTAssertEqual(empty.root.attr("data-empty"), "true")
        XCTAssertEqual(empty.texts(withClass: "empty-message"), ["No data for this selection"])
        let onlyNullDate = ChartData(x: [.null, .date(CivilDate(year: 2026, month: 1, day: 1))], series: [ChartSeries(name: "n", values: [5, nil])])
        XCTAssertEqual(try ParsedMarkup(LineChart(onlyNullDate).render()).root.attr("data-empty"), "true",
                       "a value whose date is NULL has no place on a time axis")
    }
}
