import WarehouseKit
import XCTest
@testable import Dashboards

/// Inputs a renderer can be handed that are wrong in shape or absurd in size: each still gives a
/// well-formed chart instead of crashing the page that shows it.
final class RobustnessTests: XCTestCase {
    func testSeriesChangedAfterConstructionAreLinedUpAgain() throws {
        var data = ChartData(categories: ["a", "b", "c"], values: [1, 2, 3])
        data.series[0].values = [5]
        data.series.append(ChartSeries(name: "long", values: [1, 2, 3, 4, 5]))
        for chart in [BarChart(data), BarChart(data, orientation: .horizontal, sort: .descending), LineChart(data), StackedBarChart(data),
                      FunnelChart(data)] as [any Chart] {
            let parsed = try ParsedMarkup(chart.render())
            XCTAssertFalse(parsed.marks.isEmpty, "\(chart.kind)")
        }
        XCTAssertEqual(try ParsedMarkup(BarChart(data).render()).marks.count, 4, "1 value of the first series, 3 of the second")
        var retention = CohortRetention(cohorts: [.category("a")], periods: ["0", "1"], cells: [[1, 0.5]])
        retention.cells = [[1]]
        retention.periods.append("2")
        XCTAssertEqual(try ParsedMarkup(CohortHeatmap(retention).render()).marks.count, 1)
    }

    func testRaggedTableRowsReadAsNull() throws {
        let result = ResultSet(columns: [ColumnInfo(name: "a", type: "VARCHAR"), ColumnInfo(name: "b", type: "BIGINT")], rows: [["x"], ["y", 2]])
        let parsed = try ParsedMarkup(DataTable(result, maxRows: -3).render())
        XCTAssertTrue(parsed.elements("td").isEmpty, "a negative row limit shows no rows")
        let all = try ParsedMarkup(DataTable(result).render())
        XCTAssertEqual(all.elements("td").map(\.ownText), ["x", "—", "y", "2"])
    }

    func testAbsurdMagnitudesDoNotCrash() throws {
        let data = ChartData(categories: ["a", "b", "c"], values: [-.greatestFiniteMagnitude, .greatestFiniteMagnitude, 1])
        XCTAssertEqual(try ParsedMarkup(BarChart(data).render()).marks.count, 3)
        XCTAssertEqual(try ParsedMarkup(LineChart(data).render()).marks.count, 3)
        XCTAssertFalse(DistributionChart.bins(for: [-.greatestFiniteMagnitude, .greatestFiniteMagnitude, 1, 2]).isEmpty)
        let farDates = ChartData(x: [.date(CivilDate(year: 1, month: 1, day: 1)), .date(CivilDate(year: 9999, month: 12, day: 31))],
                                 series: [ChartSeries(name: "n", values: [1, 2])])
        XCTAssertEqual(try ParsedMarkup(LineChart(farDates).render()).marks.count, 2)
    }
}

final class TextMetricsTests: XCTestCase {
    func testTruncationKeepsTextThatFitsItsOwnWidthAndCutsTheRest() {
        let text = "Jan 2026"
        let width = TextMetrics.width(text, size: 12)
        XCTAssertEqual(TextMetrics.truncate(text, toWidth: width + 10 - 10, size: 12), text)
        let cut = TextMetrics.truncate("Fashion Hoodies & Sweatshirts", toWidth: 80, size: 12)
        XCTAssertTrue(cut.hasSuffix("…"))
        XCTAssertLessThanOrEqual(TextMetrics.width(cut, size: 12), 80)
        XCTAssertEqual(TextMetrics.truncate("Levi's", toWidth: 0, size: 12), "…")
    }
}
