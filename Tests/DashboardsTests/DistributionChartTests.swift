import WarehouseKit
import XCTest
@testable import Dashboards

final class DistributionChartTests: XCTestCase {
    func testRawValuesAreBinnedOnNiceEdgesAndEveryValueCounted() {
        let values = (0..<1000).map { Double($0 % 97) * 1.3 }
        let bins = DistributionChart.bins(for: values, targetCount: 10)
        XCTAssertEqual(bins.map(\.count).reduce(0, +), 1000)
        let width = bins[0].upper - bins[0].lower
        XCTAssertEqual(width, 20)
        XCTAssertTrue(bins.allSatisfy { abs(($0.upper - $0.lower) - width) < 1e-9 })
        XCTAssertEqual(bins.first?.lower, 0)
        XCTAssertGreaterThan(bins.last!.upper, values.max()!, "the maximum falls inside the last bin")
        for (a, b) in zip(bins, bins.dropFirst()) { XCTAssertEqual(a.upper, b.lower) }
    }

    func testWholeNumbersGetWholeBins() {
        let bins = DistributionChart.bins(for: [1, 1, 2, 3, 3, 3], targetCount: 10)
        XCTAssertEqual(bins.map(\.lower), [1, 2, 3])
        XCTAssertEqual(bins.map(\.count), [2, 1, 3])
    }

    func testMarksCarryBinEdgesAndCountsAndNullsAreSkipped() throws {
        let chart = DistributionChart(values: [5, 15, 15, nil, 25, .nan, 27], binCount: 3, format: .currency(), countName: "orders", dimension: "order_value")
        let parsed = try ParsedMarkup(chart.render())
        XCTAssertEqual(parsed.root.attr("data-chart"), "distribution")
        XCTAssertEqual(parsed.marks.map { $0.attr("data-x") }, ["0", "10", "20"])
        XCTAssertEqual(parsed.marks.map { $0.attr("data-x-end") }, ["10", "20", "30"])
        XCTAssertEqual(parsed.marks.map { $0.attr("data-value") }, ["1", "2", "2"])
        XCTAssertEqual(Set(parsed.marks.map { $0.attr("data-series") }), ["orders"])
        XCTAssertEqual(parsed.marks[1].tooltip, "$10.00 – $20.00: 2 orders")
    }

    func testPreBinnedBinsAreDrawnAsGivenOnAnAxisEndingAtTheOuterEdges() throws {
        let parsed = try ParsedMarkup(DistributionChart(bins: SampleCharts.daysToShipBins, format: .durationDays).render())
        XCTAssertEqual(parsed.marks.count, 7)
        let xLabels = parsed.elements(withClass: "axis-x").flatMap { $0.childElements }.filter { $0.attr("class") == "tick" }
        XCTAssertEqual(xLabels.map(\.ownText), ["0d", "2d", "4d", "6d"])
        let heights = parsed.marks.map { $0.double("height")! }
        XCTAssertEqual(heights[2] / heights[1], 2410.0 / 1930, accuracy: 0.01)
    }

    func testNoValuesIsEmpty() throws {
        XCTAssertEqual(try ParsedMarkup(DistributionChart(values: [nil, nil]).render()).root.attr("data-empty"), "true")
        XCTAssertTrue(DistributionChart.bins(for: []).isEmpty)
    }
}
