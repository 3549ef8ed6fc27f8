import WarehouseKit
import XCTest
@testable import Dashboards

final class ChartDataTests: XCTestCase {
    static func day(_ text: String) -> WarehouseValue { .date(days: Int32(CivilDate(iso: text)!.daysSinceEpoch)) }

    /// Long format, rows out of date order, one NULL measure, one NULL split value.
    static var ordersByDayAndChannel: ResultSet {
        ResultSet(columns: [
            ColumnInfo(name: "order_date", type: "DATE"), ColumnInfo(name: "channel", type: "VARCHAR"), ColumnInfo(name: "revenue", type: "DECIMAL(18,2)"),
        ], rows: [
            [day("2026-03-02"), "web", .decimal("120.50")],
            [day("2026-03-01"), "web", .decimal("99.00")],
            [day("2026-03-01"), "app", .decimal("40.25")],
            [day("2026-03-02"), "app", .null],
            [day("2026-03-03"), .null, .decimal("7")],
            [.null, "web", .decimal("1")],
        ])
    }

    func testSplitByAColumnMakesASeriesPerValueAndSortsTime() throws {
        let data = try ChartData(Self.ordersByDayAndChannel, x: "order_date", y: ["revenue"], splitBy: "channel", format: .currency())
        XCTAssertEqual(data.x.map(\.rawText), ["2026-03-01", "2026-03-02", "2026-03-03"], "sorted by date, the NULL date dropped")
        XCTAssertEqual(data.series.map(\.name), ["web", "app", "(none)"])
        XCTAssertEqual(data.series[0].values, [99, 120.5, nil])
        XCTAssertEqual(data.series[1].values, [40.25, nil, nil])
        XCTAssertEqual(data.series[2].values, [nil, nil, 7])
        XCTAssertTrue(data.isTimeSeries)
        XCTAssertEqual(data.grain, .day)
    }

    func testSeveralMeasureColumnsBecomeSeveralSeriesInQueryOrder() throws {
        let result = ResultSet(columns: [
            ColumnInfo(name: "category", type: "VARCHAR"), ColumnInfo(name: "revenue", type: "DOUBLE"), ColumnInfo(name: "cost", type: "BIGINT"),
        ], rows: [["Tops", 10.5, 4], ["Jeans", .double(.nan), 9], [.null, 3, .null], ["Tops", 99, 99]])
        let data = try ChartData(result, x: "category", y: ["revenue", "cost"], dimension: "product_category")
        XCTAssertEqual(data.x, [.category("Tops"), .category("Jeans"), .null])
        XCTAssertEqual(data.series.map(\.name), ["revenue", "cost"])
        XCTAssertEqual(data.series[0].values, [10.5, nil, 3], "NaN is missing; a repeated category keeps its first value")
        XCTAssertEqual(data.series[1].values, [4, 9, nil])
        XCTAssertFalse(data.isTimeSeries)
        XCTAssertEqual(data.dimension, "product_category")
    }

    func testUnknownColumnsAndBadSplitsSayWhatToDo() {
        let result = Self.ordersByDayAndChannel
        XCTAssertThrowsError(try ChartData(result, x: "day", y: ["revenue"])) { error in
            XCTAssertEqual(error as? DashboardError, .unknownColumn("day", available: ["order_date", "channel", "revenue"]))
            XCTAssertTrue("\(error)".contains("order_date, channel, revenue"))
        }
        XCTAssertThrowsError(try ChartData(result, x: "order_date", y: ["revenue", "revenue"], splitBy: "channel")) { error in
            guard case .splitNeedsOneMeasure = error as? DashboardError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try ChartData(result, x: "order_date", y: [])) { XCTAssertEqual($0 as? DashboardError, .noMeasures) }
    }

    func testSeriesArePaddedOrCutToTheXValuesAndNonFiniteIsMissing() {
        let data = ChartData(x: [.category("a"), .category("b")], series: [
            ChartSeries(name: "short", values: [1]), ChartSeries(name: "long", values: [.infinity, 2, 3]),
        ])
        XCTAssertEqual(data.series[0].values, [1, nil])
        XCTAssertEqual(data.series[1].values, [nil, 2])
        XCTAssertFalse(data.isEmpty)
        XCTAssertTrue(ChartData(x: [.category("a")], series: [ChartSeries(name: "s", values: [nil])]).isEmpty)
        XCTAssertTrue(ChartData(x: [], series: []).isEmpty)
    }

    func testTimestampsAreTimeAndTextIsCategory() throws {
        let result = ResultSet(columns: [ColumnInfo(name: "t", type: "TIMESTAMP"), ColumnInfo(name: "n", type: "BIGINT")], rows: [
            [.timestamp(micros: 86_400_000_000 * 2), 5], [.timestampTZ(micros: 86_400_000_000), 4],
        ])
        let data = try ChartData(result, x: "t", y: ["n"])
        XCTAssertTrue(data.isTimeSeries)
        XCTAssertEqual(data.x.map(\.rawText), ["1970-01-02 00:00:00", "1970-01-03 00:00:00"])
        XCTAssertEqual(data.series[0].values, [4, 5])
    }
}
