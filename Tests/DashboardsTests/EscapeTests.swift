import WarehouseKit
import XCTest
@testable import Dashboards

final class EscapeTests: XCTestCase {
    func testMarkupCharactersBecomeEntities() {
        XCTAssertEqual(Markup.escape(#"<script>"A&B"</script>"#), "&lt;script&gt;&quot;A&amp;B&quot;&lt;/script&gt;")
        XCTAssertEqual(Markup.escape("O'Brien"), "O&#39;Brien")
        XCTAssertEqual(Markup.escape("&amp;"), "&amp;amp;", "already-escaped text is escaped again: it is data, not markup")
        XCTAssertEqual(Markup.escape("Café 東京 👟"), "Café 東京 👟")
    }

    func testCharactersXMLForbidsAreReplacedAndWhitespaceKept() {
        XCTAssertEqual(Markup.escape("a\u{0}b\u{1B}c\u{FFFF}"), "a\u{FFFD}b\u{FFFD}c\u{FFFD}")
        XCTAssertEqual(Markup.escape("a\tb\nc\rd"), "a\tb\nc\rd")
    }

    /// A category name full of markup arrives in the SVG as text and attribute values, never as
    /// an element: parsing the output finds no `<script>`, and the name reads back unchanged.
    func testHostileCategoryNameRendersAsTextInEveryChart() throws {
        let name = SampleCharts.hostileName + "\u{0}"
        let shown = SampleCharts.hostileName + "\u{FFFD}"
        let data = ChartData(categories: [name, "Jeans"], values: [5, 7], name: "revenue \"net\" <b>", dimension: "category<&>")
        let charts: [any Chart] = [
            BarChart(data, title: name), BarChart(data, orientation: .horizontal), StackedBarChart(data), LineChart(data),
            FunnelChart(data), KPIChart(label: name, value: 3),
        ]
        for chart in charts {
            let parsed = try ParsedMarkup(chart.render())
            XCTAssertTrue(parsed.elements("script").isEmpty, "\(chart.kind)")
            XCTAssertTrue(parsed.elements("b").isEmpty, "\(chart.kind)")
            let markX = parsed.marks.compactMap { $0.attr("data-x") }
            if chart.kind != .kpi {
                XCTAssertTrue(markX.contains(shown), "\(chart.kind): \(markX)")
                XCTAssertTrue(parsed.marks.allSatisfy { $0.attr("data-series") == "revenue \"net\" <b>" }, "\(chart.kind)")
                XCTAssertTrue(parsed.marks.allSatisfy { $0.attr("data-dimension") == "category<&>" }, "\(chart.kind)")
                XCTAssertTrue(parsed.marks.contains { $0.tooltip?.hasPrefix(shown) == true }, "\(chart.kind)")
            } else {
                XCTAssertEqual(parsed.root.attr("aria-label"), shown)
            }
        }
        let table = try ParsedMarkup(DataTable(ResultSet(columns: [ColumnInfo(name: "<th>", type: "VARCHAR")], rows: [[.text(name)]])).render())
        XCTAssertTrue(table.elements("script").isEmpty)
        XCTAssertEqual(table.elements("td").first?.ownText, shown)
        XCTAssertEqual(table.elements("th").first?.ownText, "<th>")
    }

    func testHostileCohortAndPeriodNamesStayText() throws {
        let retention = CohortRetention(cohorts: [.category("<svg onload=alert(1)>")], periods: ["<p>"], cells: [[0.5]])
        let parsed = try ParsedMarkup(CohortHeatmap(retention, periodTitle: "</svg>").render())
        XCTAssertTrue(parsed.elements("p").isEmpty)
        XCTAssertEqual(parsed.elements("svg").count, 1)
        XCTAssertEqual(parsed.marks.first?.attr("data-x"), "<svg onload=alert(1)>")
        XCTAssertEqual(parsed.marks.first?.attr("data-series"), "<p>")
    }
}
