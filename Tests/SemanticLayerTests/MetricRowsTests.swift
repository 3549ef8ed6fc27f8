import SemanticLayer
import WarehouseDuckDB
import WarehouseKit
import XCTest

/// The rows behind a metric (drill-through), over the shop fixture's rows.
final class MetricRowsTests: XCTestCase {
    var semantics: SemanticManifest!
    var warehouse: DuckDBWarehouse!
    let orderColumns = ["order_id", "customer_id", "ordered_at", "status", "amount", "is_returned"]

    override func setUp() async throws {
        semantics = try ShopFixture.load()
        warehouse = try await ShopFixture.warehouse()
    }

    override func tearDown() async throws { await warehouse.close() }

    func ids(_ query: MetricRowsQuery) async throws -> (ids: [String], total: Int, plan: MetricRowsPlan) {
        let plan = try MetricQueryPlanner(semantics, dialect: .duckdb).rows(query)
        let rows = try await warehouse.read { try await $0.query(SQL(unsafeRaw: plan.sql)) }
        XCTAssertEqual(rows.columnNames, query.columns, "the rows have the model's columns and nothing else")
        let total = try await warehouse.read { try await $0.query(SQL(unsafeRaw: plan.countSQL)) }.scalar?.int64
        return (rows.rows.map { ShopFixture.text($0[0]) }, Int(total ?? -1), plan)
    }

    func testRowsAreTheModelsFilteredByRangeAndAJoinedDimensionNewestFirst() async throws {
        let vip = try await ids(MetricRowsQuery(metric: "revenue", columns: orderColumns, startTime: "2024-01-01", endTime: "2024-01-31",
                                                dimensionValues: ["customer__segment": ["VIP"]]))
        XCTAssertEqual(vip.ids, ["2", "1"], "c1's January orders, newest first")
        XCTAssertEqual(vip.total, 2)
        XCTAssertEqual(vip.plan.model.name, "orders")
        XCTAssertEqual(vip.plan.timeDimension, "ordered_at")
        XCTAssertEqual(vip.plan.appliedDimensions, ["customer__segment"])
        XCTAssertEqual(vip.plan.unapplied, [])
        let paged = try await ids(MetricRowsQuery(metric: "revenue", columns: orderColumns, limit: 3, offset: 3))
        XCTAssertEqual(paged.ids, ["2", "3", "1"], "the second page of three: newest day first, then by key (7 5 4 | 2 3 1 | 6)")
        XCTAssertEqual(paged.total, 7)
    }

    func testTheMetricsOwnFilterAppliesAndAnUnreachableDimensionIsReported() async throws {
        let completed = try await ids(MetricRowsQuery(metric: "completed_revenue", columns: orderColumns))
        XCTAssertEqual(completed.total, 6, "the cancelled order is not part of completed revenue")
        XCTAssertEqual(completed.plan.appliedFilters.count, 1)
        let units = try await ids(MetricRowsQuery(metric: "units", columns: ["order_item_id", "order_id", "sku", "quantity", "added_at"],
                                                  dimensionValues: ["customer__segment": ["VIP"], "order_item__sku": ["A"]]))
        XCTAssertEqual(units.total, 2, "sku applies")
        XCTAssertEqual(units.plan.unapplied.map(\.filter), ["customer__segment"], "order lines cannot reach the segment")
        XCTAssertEqual(units.plan.appliedDimensions, ["order_item__sku"])
    }
}
