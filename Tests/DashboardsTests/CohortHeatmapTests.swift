import WarehouseKit
import XCTest
@testable import Dashboards

final class CohortHeatmapTests: XCTestCase {
    func testOneCellPerKnownValueWithPercentLabels() throws {
        let retention = SampleCharts.retention
        let parsed = try ParsedMarkup(CohortHeatmap(retention).render())
        XCTAssertEqual(parsed.root.attr("data-chart"), "cohort-heatmap")
        XCTAssertEqual(parsed.marks.count, 78, "a triangle: 12 + 11 + … + 1 cells")
        XCTAssertEqual(parsed.elements(withClass: "cohort-label").count, 12)
        XCTAssertEqual(parsed.marks.first?.attr("data-x"), "2025-01-01")
        XCTAssertEqual(parsed.marks.first?.attr("data-series"), "0")
        XCTAssertEqual(parsed.marks.first?.attr("data-dimension"), "cohort_month")
        XCTAssertEqual(parsed.marks.first?.tooltip, "Jan 2025, period 0: 100% retained of 900")
        XCTAssertEqual(parsed.texts(withClass: "cell-label").count, 78)
        // At this width the cells only fit bare numbers, so the caption carries the unit.
        XCTAssertEqual(parsed.texts(withClass: "cell-label").first, "100")
        XCTAssertEqual(parsed.texts(withClass: "axis-title"), ["Periods since start (% retained)"])
    }

    func testColoursDarkenMonotonicallyWithValue() throws {
        let values = stride(from: 0.0, through: 1.0, by: 0.05).map { Optional($0) }
        let retention = CohortRetention(cohorts: [.category("c")], periods: values.indices.map(String.init), cells: [values])
        let parsed = try ParsedMarkup(CohortHeatmap(retention, size: ChartSize(width: 1200, height: 100)).render())
        let cells = parsed.marks.map { (value: $0.double("data-value")!, luminance: Palette.luminance($0.attr("fill")!)) }
        XCTAssertEqual(cells.count, values.count)
        for (a, b) in zip(cells, cells.dropFirst()) {
            XCTAssertGreaterThan(a.luminance, b.luminance, "\(a.value) → \(b.value)")
        }
        // Labels stay readable: white on the dark end, ink on the light end.
        let labels = parsed.elements(withClass: "cell-label")
        XCTAssertEqual(labels.first?.attr("fill"), Palette.ink)
        XCTAssertEqual(labels.last?.attr("fill"), "#FFFFFF")
        XCTAssertEqual(labels.map(\.ownText).prefix(3), ["0%", "5%", "10%"])
    }

    func testColourScaleTopsOutAtTheBestLaterPeriod() {
        let retention = CohortRetention(cohorts: [.category("a"), .category("b")], periods: ["0", "1", "2"], cells: [[1, 0.3, 0.2], [1, 0.25, nil]])
        XCTAssertEqual(CohortHeatmap(retention).colorMaximum, 0.3)
    }

    func testFromCountsPerCohortAndPeriod() throws {
        func month(_ m: Int) -> WarehouseValue { .date(days: Int32(CivilDate(year: 2026, month: m, day: 1).daysSinceEpoch)) }
        let result = ResultSet(columns: [
            ColumnInfo(name: "cohort", type: "DATE"), ColumnInfo(name: "period", type: "BIGINT"), ColumnInfo(name: "customers", type: "BIGINT"),
        ], rows: [
            [month(2), 1, 30], [month(1), 0, 200], [month(1), 10, 10], [month(1), 2, 50], [month(2), 0, 120], [month(1), 1, 80],
        ])
        let retention = try CohortRetention(result, cohort: "cohort", period: "period", value: "customers", measure: .count)
        XCTAssertEqual(retention.cohorts.map(\.rawText), ["2026-01-01", "2026-02-01"])
        XCTAssertEqual(retention.periods, ["0", "1", "2", "10"], "numeric periods sort as numbers")
        XCTAssertEqual(retention.cells[0], [1, 0.4, 0.25, 0.05])
        XCTAssertEqual(retention.cells[1], [1, 0.25, nil, nil])
        XCTAssertEqual(retention.cohortSizes, [200, 120])
        let parsed = try ParsedMarkup(CohortHeatmap(retention).render())
        XCTAssertEqual(parsed.marks.count, 6)
        XCTAssertEqual(parsed.texts(withClass: "cohort-label"), ["Jan 2026", "Feb 2026"])
    }

    func testEmpty() throws {
        let empty = CohortRetention(cohorts: [.category("a")], periods: ["0"], cells: [[nil]])
        XCTAssertEqual(try ParsedMarkup(CohortHeatmap(empty).render()).root.attr("data-empty"), "true")
    }
}
