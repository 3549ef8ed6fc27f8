import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import WarehouseDuckDB
import WarehouseKit
import XCTest

/// The rows behind a tile, over the shop fixture (ServerRouteTests' rows): counts equal direct
/// SQL for the clicked value and the date range, and filters the model cannot reach are named.
final class DrillThroughRouteTests: XCTestCase {
    var warehouse: DuckDBWarehouse!

    override func setUp() async throws {
        warehouse = try DuckDBWarehouse(path: ":memory:")
        try await warehouse.write { try await $0.executeScript(ServerRouteTests.rows) }
    }

    override func tearDown() async throws { await warehouse.close() }

    func get(_ uri: String) async throws -> (status: HTTPResponse.Status, body: String) {
        try await Application(router: StorehouseServer.router(served: try ServerRouteTests.served(), warehouse: warehouse)).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { ($0.status, String(buffer: $0.body)) }
        }
    }

    func count(_ sql: SQL) async throws -> Int {
        Int(try await warehouse.read { try await $0.query(sql) }.scalar?.int64 ?? -1)
    }

    static func total(_ body: String) -> Int? {
        guard let range = body.range(of: #"data-total="\d+""#, options: .regularExpression) else { return nil }
        return Int(body[range].dropFirst(12).dropLast())
    }

    func testEveryMetricTileLinksToItsRowsWithThePageState() async throws {
        let page = try await get("/dashboards/overview?f.customer__segment=VIP")
        XCTAssertTrue(page.body.contains("href=\"/dashboards/overview/tiles/by_segment/rows?f.customer__segment=VIP\""), page.body)
        XCTAssertTrue(page.body.contains("href=\"/dashboards/overview/tiles/revenue/rows?f.customer__segment=VIP\""))
        XCTAssertFalse(page.body.contains("tiles/orders_by_status/rows"), "a SQL tile has no rows link (its CSV is its rows)")
    }

    func testTheRowsOfAClickedValueInARangeAreExactlyThoseSQLCounts() async throws {
        for (segment, start, end) in [("VIP", "2024-01-01", "2024-01-31"), ("Regular", "2024-01-01", "2024-12-31"), ("VIP", "2023-01-01", "2024-12-31")] {
            let page = try await get("/dashboards/overview/tiles/by_segment/rows?start=\(start)&end=\(end)&f.customer__segment=\(segment)")
            XCTAssertEqual(page.status, .ok)
            let expected = try await count("""
                select count(*) from main.orders o join main.customers c on c.customer_id = o.customer_id
                where c.segment = \(segment) and o.ordered_at between cast(\(start) as date) and cast(\(end) as date)
                """)
            XCTAssertEqual(Self.total(page.body), expected, "\(segment) \(start)…\(end)")
            XCTAssertEqual(page.body.components(separatedBy: "<tr>").count - 2, expected, "one table row per order (plus the header)")
            XCTAssertFalse(page.body.contains("Not applied"))
            let csv = try await get("/dashboards/overview/tiles/by_segment/rows.csv?start=\(start)&end=\(end)&f.customer__segment=\(segment)")
            XCTAssertEqual(csv.body.split(separator: "\n").count, expected + 1, csv.body)
            XCTAssertTrue(csv.body.hasPrefix("order_id,customer_id,ordered_at,status,amount,is_returned\n"), csv.body)
        }
        // A value bound as a literal: a quote in it is a character of the value, not SQL.
        let hostile = try await get("/dashboards/overview/tiles/by_segment/rows?f.customer__segment=%27%20or%201%3D1%20--")
        XCTAssertEqual(hostile.status, .ok)
        XCTAssertEqual(Self.total(hostile.body), 0)
    }

    func testAFilterTheModelCannotReachIsNamedNotSilentlyDropped() async throws {
        // Order lines have no customer entity, so the segment cannot filter them.
        let page = try await get("/dashboards/overview/tiles/units_by_sku/rows?f.customer__segment=VIP")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.contains("Not applied to these rows"), page.body)
        XCTAssertTrue(page.body.contains("<strong>Segment</strong>"))
        let lines = try await count("select count(*) from main.order_items")
        XCTAssertEqual(Self.total(page.body), lines)
    }

    func testPagesAndBadRequests() async throws {
        for (uri, status) in [("/dashboards/overview/tiles/orders_by_status/rows", HTTPResponse.Status.notFound),
                              ("/dashboards/overview/tiles/nope/rows", .notFound), ("/dashboards/nope/tiles/revenue/rows", .notFound),
                              ("/dashboards/overview/tiles/revenue/rows?page=0", .badRequest),
                              ("/dashboards/overview/tiles/revenue/rows?start=soon", .badRequest),
                              // The tile's CSV route still answers beside the rows routes.
                              ("/dashboards/overview/tiles/revenue.csv", .ok)] {
            let response = try await get(uri)
            XCTAssertEqual(response.status, status, uri)
        }
        let second = try await get("/dashboards/overview/tiles/revenue/rows?page=2")
        XCTAssertEqual(second.status, .ok)
        XCTAssertTrue(second.body.contains("No data for this selection"), "7 orders fit on page 1; page 2 is empty")
        let far = try await get("/dashboards/overview/tiles/revenue/rows?page=\(Int.max)")
        XCTAssertEqual(far.status, .ok, "a page past the end is empty, not an overflow")
        XCTAssertTrue(far.body.contains("No data for this selection"))
    }
}
