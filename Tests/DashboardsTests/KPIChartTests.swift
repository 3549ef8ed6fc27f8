import WarehouseKit
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import Dashboards

final class KPIChartTests: XCTestCase {
    func testValueChangeArrowAndColour() throws {
        let parsed = try ParsedMarkup(KPIChart(label: "Revenue", value: 48_213.5, previous: 42_900, format: .currency()).render())
        XCTAssertEqual(parsed.root.attr("data-chart"), "kpi")
        XCTAssertEqual(parsed.root.attr("data-value"), "48213.5")
        XCTAssertEqual(parsed.root.attr("data-previous"), "42900")
        XCTAssertEqual(parsed.texts(withClass: "kpi-value"), ["$48,213.50"])
        XCTAssertEqual(parsed.texts(withClass: "kpi-label"), ["Revenue"])
        let change = try XCTUnwrap(parsed.elements(withClass: "kpi-change").first)
        let spans = change.childElements.filter { $0.localName == "tspan" }
        XCTAssertEqual(spans.map(\.ownText), ["▲ 12.4%", " vs previous period"])
        XCTAssertEqual(spans.first?.attr("fill"), Palette.better)
    }

    func testDownIsGoodWhenLowerIsBetterAndPercentagesChangeInPoints() throws {
        let shipping = try ParsedMarkup(KPIChart(label: "Days to ship", value: 2.4, previous: 2.9, format: .durationDays, higherIsBetter: false).render())
        let shippingSpan = try XCTUnwrap(shipping.elements("tspan").first)
        XCTAssertEqual(shippingSpan.ownText, "▼ 17.2%")
        XCTAssertEqual(shippingSpan.attr("fill"), Palette.better)
        let conversion = try ParsedMarkup(KPIChart(label: "Conversion", value: 0.031, previous: 0.034, format: .percent).render())
        let conversionSpan = try XCTUnwrap(conversion.elements("tspan").first)
        XCTAssertEqual(conversionSpan.ownText, "▼ 0.3 pp")
        XCTAssertEqual(conversionSpan.attr("fill"), Palette.worse)
        let fromZero = try ParsedMarkup(KPIChart(label: "Refunds", value: 1500, previous: 0, format: .currency()).render())
        XCTAssertEqual(fromZero.elements("tspan").first?.ownText, "▲ $1.5k", "a change from zero is absolute")
        let same = try ParsedMarkup(KPIChart(label: "Orders", value: 10, previous: 10).render())
        XCTAssertEqual(same.elements("tspan").first?.ownText, "no change")
    }

    func testLongValuesFallBackToCompactAndTheSparklineHasAMarkPerPoint() throws {
        let trend = ChartData(categories: ["w1", "w2", "w3", "w4"], values: [1e9, nil, 1.1e9, 1_234_567_890.5], format: .currency())
        let parsed = try ParsedMarkup(KPIChart(label: "GMV", series: trend).render())
        XCTAssertEqual(parsed.texts(withClass: "kpi-value"), ["$1.2B"])
        XCTAssertEqual(parsed.elements(withClass: "kpi-value").first?.tooltip, "GMV: $1,234,567,890.50")
        XCTAssertEqual(parsed.marks.map { $0.attr("data-x") }, ["w1", "w3", "w4"])
        XCTAssertEqual(parsed.elements("tspan").first?.ownText, "▲ 12.2%")
        XCTAssertEqual(parsed.elements(withClass: "sparkline").first?.childElements.first?.attr("d")?.filter { $0 == "M" }.count, 2)
    }

    func testNoValueShowsTheLabelAndTheEmptyState() throws {
        let parsed = try ParsedMarkup(KPIChart(label: "Refunds", value: nil).render())
        XCTAssertEqual(parsed.root.attr("data-empty"), "true")
        XCTAssertEqual(parsed.texts(withClass: "kpi-label"), ["Refunds"])
        XCTAssertEqual(parsed.texts(withClass: "empty-message"), ["No data for this selection"])
        XCTAssertEqual(try ParsedMarkup(KPIChart(label: "x", value: .nan).render()).root.attr("data-empty"), "true")
    }
}
