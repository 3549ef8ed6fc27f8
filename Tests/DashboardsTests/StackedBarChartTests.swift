import WarehouseKit
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import Dashboards

final class StackedBarChartTests: XCTestCase {
    func testSegmentsStackToTheCategoryTotal() throws {
        let data = ChartData(x: ["Jan", "Feb"].map(ChartX.category), series: [
            ChartSeries(name: "Search", values: [30, 10]), ChartSeries(name: "Email", values: [10, nil]), ChartSeries(name: "Display", values: [20, 30]),
        ], format: .integer, dimension: "month")
        let parsed = try ParsedMarkup(StackedBarChart(data).render())
        XCTAssertEqual(parsed.root.attr("data-chart"), "stacked-bar")
        XCTAssertEqual(parsed.marks.count, 5)
        XCTAssertEqual(parsed.elements(withClass: "legend-item").map { $0.attr("data-series") }, ["Search", "Email", "Display"])
        let jan = parsed.marks.filter { $0.attr("data-x") == "Jan" }
        let feb = parsed.marks.filter { $0.attr("data-x") == "Feb" }
        let janHeight = jan.map { $0.double("height")! }.reduce(0, +)
        let febHeight = feb.map { $0.double("height")! }.reduce(0, +)
        XCTAssertEqual(janHeight / febHeight, 60.0 / 40.0, accuracy: 0.01)
        // Segments touch: each one starts where the one below it ends.
        let sorted = jan.sorted { $0.double("y")! < $1.double("y")! }
        for (upper, lower) in zip(sorted, sorted.dropFirst()) {
            XCTAssertEqual(upper.double("y")! + upper.double("height")!, lower.double("y")!, accuracy: 0.02)
        }
        XCTAssertEqual(parsed.texts(withClass: "total-label"), ["60", "40"])
        XCTAssertEqual(jan.first?.tooltip, "Jan · Search: 30")
    }

    func testNegativeSegmentsStackBelowZero() throws {
        let data = ChartData(x: [.category("Q1")], series: [ChartSeries(name: "sales", values: [100]), ChartSeries(name: "refunds", values: [-25])])
        let parsed = try ParsedMarkup(StackedBarChart(data).render())
        let sales = try XCTUnwrap(parsed.marks.first { $0.attr("data-series") == "sales" })
        let refunds = try XCTUnwrap(parsed.marks.first { $0.attr("data-series") == "refunds" })
        XCTAssertEqual(sales.double("y")! + sales.double("height")!, refunds.double("y")!, accuracy: 0.02, "refunds hang from the zero line")
        XCTAssertEqual(sales.double("height")! / refunds.double("height")!, 4, accuracy: 0.01)
    }

    func testEmpty() throws {
        XCTAssertEqual(try ParsedMarkup(StackedBarChart(ChartData(x: [], series: [])).render()).root.attr("data-empty"), "true")
    }
}
