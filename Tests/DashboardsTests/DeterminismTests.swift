import WarehouseKit
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import Dashboards

final class DeterminismTests: XCTestCase {
    /// The same input gives the same bytes, so rendered charts can be cached and compared; data
    /// built through a different path (a result set instead of by hand) gives the same bytes too.
    func testSameInputSameBytes() throws {
        let first = SampleCharts.all.map(\.markup)
        let second = SampleCharts.all.map(\.markup)
        XCTAssertEqual(first, second)

        let result = ResultSet(columns: [ColumnInfo(name: "category", type: "VARCHAR"), ColumnInfo(name: "revenue", type: "DOUBLE")],
                               rows: zip(SampleCharts.categories, SampleCharts.revenueByCategory.series[0].values).map { [.text($0), $1.map(WarehouseValue.double) ?? .null] })
        let fromResult = try ChartData(result, x: "category", y: ["revenue"], format: .currency(), dimension: "product_category")
        XCTAssertEqual(BarChart(fromResult, sort: .descending).render(), BarChart(SampleCharts.revenueByCategory, sort: .descending).render())
    }

    func testCoordinatesHaveAtMostTwoDecimals() throws {
        let svg = LineChart(SampleCharts.dailyRevenue).render()
        let parsed = try ParsedMarkup(svg)
        for mark in parsed.marks {
            for name in ["cx", "cy"] {
                let text = try XCTUnwrap(mark.attr(name))
                XCTAssertLessThanOrEqual(text.split(separator: ".").dropFirst().first?.count ?? 0, 2, text)
            }
        }
    }
}
