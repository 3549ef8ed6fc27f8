import WarehouseKit
import XCTest
@testable import Dashboards

final class BarChartTests: XCTestCase {
    let data = ChartData(categories: ["Jeans", "Tops", "Swim", "Socks"], values: [1234, 980, nil, 15], name: "revenue",
                         format: .currency(), dimension: "product_category")

    func testOneMarkPerPresentValueWithRawDataAttributesAndTooltip() throws {
        let parsed = try ParsedMarkup(BarChart(data).render())
        XCTAssertEqual(parsed.root.attr("data-chart"), "bar")
        XCTAssertEqual(parsed.root.attr("width"), "100%")
        XCTAssertEqual(parsed.root.attr("viewBox"), "0 0 400 240")
        let marks = parsed.marks
        XCTAssertEqual(marks.count, 3, "the NULL value draws no bar")
        XCTAssertEqual(marks.map { $0.localName }, ["rect", "rect", "rect"])
        XCTAssertEqual(marks.map { $0.attr("data-x") }, ["Jeans", "Tops", "Socks"])
        XCTAssertEqual(marks.map { $0.attr("data-value") }, ["1234", "980", "15"])
        XCTAssertEqual(Set(marks.map { $0.attr("data-series") }), ["revenue"])
        XCTAssertEqual(Set(marks.map { $0.attr("data-dimension") }), ["product_category"])
        XCTAssertEqual(marks.first?.tooltip, "Jeans: $1,234.00")
        // Every category is labelled, including the one without a bar.
        XCTAssertEqual(parsed.texts(withClass: "tick").suffix(4), ["Jeans", "Tops", "Swim", "Socks"])
        XCTAssertEqual(parsed.texts(withClass: "value-label"), ["$1.2k", "$980", "$15"])
    }

    func testBarHeightsAreProportionalToValues() throws {
        let parsed = try ParsedMarkup(BarChart(ChartData(categories: ["a", "b"], values: [40, 10])).render())
        let heights = parsed.marks.compactMap { $0.double("height") }
        XCTAssertEqual(heights[0] / heights[1], 4, accuracy: 0.01)
        let bottoms = parsed.marks.map { $0.double("y")! + $0.double("height")! }
        XCTAssertEqual(bottoms[0], bottoms[1], accuracy: 0.01, "both bars start from the zero line")
    }

    func testYAxisTicksForAKnownRange() throws {
        let parsed = try ParsedMarkup(BarChart(ChartData(categories: ["a", "b"], values: [3, 87])).render())
        XCTAssertEqual(parsed.elements(withClass: "axis-y").first.map { axis in
            axis.childElements.filter { $0.attr("class") == "tick" }.map(\.ownText)
        }, ["0", "20", "40", "60", "80", "100"])
    }

    func testNegativeBarsHangBelowTheZeroLine() throws {
        let parsed = try ParsedMarkup(BarChart(SampleCharts.profitByBrand).render())
        let zeroTick = try XCTUnwrap(parsed.elements(withClass: "tick").first { $0.ownText == "$0" })
        let zeroY = zeroTick.double("y")! - 4
        for mark in parsed.marks {
            let value = Double(mark.attr("data-value")!)!
            let top = mark.double("y")!, bottom = top + mark.double("height")!
            if value < 0 {
                XCTAssertEqual(top, zeroY, accuracy: 0.02, "\(value)")
            } else {
                XCTAssertEqual(bottom, zeroY, accuracy: 0.02, "\(value)")
            }
        }
        XCTAssertTrue(parsed.texts(withClass: "value-label").contains("-$12.9k"))
    }

    func testSortingOrdersCategoriesByValueAndKeepsMissingLast() throws {
        let descending = try ParsedMarkup(BarChart(data, sort: .descending).render())
        XCTAssertEqual(descending.marks.map { $0.attr("data-x") }, ["Jeans", "Tops", "Socks"])
        XCTAssertEqual(descending.texts(withClass: "tick").suffix(4), ["Jeans", "Tops", "Socks", "Swim"])
        let ascending = try ParsedMarkup(BarChart(data, sort: .ascending).render())
        XCTAssertEqual(ascending.marks.map { $0.attr("data-x") }, ["Socks", "Tops", "Jeans"])
    }

    func testHorizontalBarsGrowToTheRightAndTruncateLongNames() throws {
        let long = String(repeating: "Extremely long product name ", count: 4)
        let chart = BarChart(ChartData(categories: ["Jeans", long], values: [100, 50], dimension: "product"), orientation: .horizontal)
        let parsed = try ParsedMarkup(chart.render())
        XCTAssertEqual(parsed.root.attr("data-orientation"), "horizontal")
        let widths = parsed.marks.compactMap { $0.double("width") }
        XCTAssertEqual(widths[0] / widths[1], 2, accuracy: 0.01)
        XCTAssertEqual(parsed.marks[1].attr("data-x"), long, "the mark keeps the full raw value")
        let label = try XCTUnwrap(parsed.elements("text").first { $0.ownText.hasPrefix("Extremely") })
        XCTAssertTrue(label.ownText.hasSuffix("…"))
        XCTAssertEqual(label.tooltip, long)
    }

    func testGroupedBarsPutEverySeriesInEachCategoryWithALegend() throws {
        let parsed = try ParsedMarkup(BarChart(SampleCharts.revenueByRegion).render())
        XCTAssertEqual(parsed.marks.count, 11, "12 values, one NULL")
        XCTAssertEqual(parsed.elements(withClass: "legend-item").map { $0.attr("data-series") }, ["2024", "2025", "2026"])
        let fills = Dictionary(grouping: parsed.marks, by: { $0.attr("data-series")! }).mapValues { Set($0.map { $0.attr("fill")! }) }
        XCTAssertEqual(fills["2024"], [Palette.series(0)])
        XCTAssertEqual(fills["2026"], [Palette.series(2)])
    }

    func testCategoryLabelsWrapOntoTwoLinesBeforeTheyTilt() throws {
        let parsed = try ParsedMarkup(BarChart(SampleCharts.profitByBrand).render())
        let xAxis = try XCTUnwrap(parsed.elements(withClass: "axis-x").first)
        let labels = xAxis.childElements
        XCTAssertNil(labels.first { $0.attr("transform") != nil }, "no label is rotated")
        XCTAssertEqual(labels.filter { $0.attr("class") == "tick" }.map(\.ownText), ["Levi's", "Carhartt", "Calvin", "Hanes", "Columbia", "Nike"])
        XCTAssertEqual(labels.filter { $0.attr("class") == "tick-line2" }.map(\.ownText), ["Klein"])
        // Names too long for two lines are tilted instead, each still under its own bar.
        let tilted = try ParsedMarkup(BarChart(SampleCharts.revenueByCategory).render())
        let rotated = tilted.elements(withClass: "axis-x").first?.childElements.filter { $0.attr("transform")?.contains("rotate(-45)") == true }
        XCTAssertEqual(rotated?.count, 10)
    }

    func testHorizontalAxisLabelsEveryOtherGridlineWhenLabelsWouldCollide() throws {
        let parsed = try ParsedMarkup(BarChart(SampleCharts.revenueByCategory, orientation: .horizontal).render())
        let axis = try XCTUnwrap(parsed.elements(withClass: "axis-x").first)
        XCTAssertEqual(axis.childElements.filter { $0.localName == "line" }.count, 6, "gridlines every $100k up to $500k")
        XCTAssertEqual(axis.childElements.filter { $0.localName == "text" }.map(\.ownText), ["$0", "$200k", "$400k"])
    }

    func testALoneBarIsNotAsWideAsTheChart() throws {
        let parsed = try ParsedMarkup(BarChart(ChartData(categories: ["Jeans"], values: [10])).render())
        let bar = try XCTUnwrap(parsed.marks.first)
        XCTAssertLessThanOrEqual(bar.double("width")!, BarChart.maxBarWidth)
        let label = try XCTUnwrap(parsed.elements(withClass: "tick").first { $0.ownText == "Jeans" })
        XCTAssertEqual(bar.double("x")! + bar.double("width")! / 2, label.double("x")!, accuracy: 1, "centred over its label")
    }

    func testEmptyDataShowsTheEmptyStateNotAxes() throws {
        for chart in [BarChart(ChartData(categories: [], values: [])), BarChart(ChartData(categories: ["a"], values: [nil]), orientation: .horizontal)] {
            let parsed = try ParsedMarkup(chart.render())
            XCTAssertEqual(parsed.root.attr("data-empty"), "true")
            XCTAssertEqual(parsed.root.attr("data-chart"), "bar")
            XCTAssertEqual(parsed.texts(withClass: "empty-message"), ["No data for this selection"])
            XCTAssertTrue(parsed.marks.isEmpty)
        }
    }

    func testValueLabelsAreLeftOutWhenTheyDoNotFit() throws {
        let many = ChartData(categories: (1...40).map { "c\($0)" }, values: (1...40).map { Double($0) * 1234.5 }, format: .currency())
        let parsed = try ParsedMarkup(BarChart(many).render())
        XCTAssertEqual(parsed.marks.count, 40)
        XCTAssertTrue(parsed.texts(withClass: "value-label").isEmpty)
    }
}
