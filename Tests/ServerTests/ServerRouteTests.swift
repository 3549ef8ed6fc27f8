import Dashboards
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SemanticLayer
@testable import Server
import TransformProject
import WarehouseDuckDB
import WarehouseKit
import XCTest

/// The dashboard routes driven in-process, over the shop fixture's rows (whose figures are
/// worked out by hand in Tests/SemanticLayerTests/ShopFixture.swift).
final class ServerRouteTests: XCTestCase {
    static let projectDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../SemanticLayerTests/Fixtures/shop").standardized.path

    static func served() throws -> ServedProject {
        let project = try ProjectLoader.load(LoadOptions(projectDir: projectDir, environment: [:], homeDirectory: "/nonexistent"))
        return try ServedProject(project: project)
    }

    static let rows = """
        create table main.customers (customer_id varchar, segment varchar, country varchar, first_order_date date);
        insert into main.customers values
          ('c1', 'VIP', 'US', '2023-01-03'), ('c2', 'Regular', 'DE', '2024-01-03'), ('c3', '<script>alert(1)</script>', 'US', '2024-01-10');
        create table main.orders (order_id integer, customer_id varchar, ordered_at date, status varchar, amount decimal(10,2), is_returned boolean);
        insert into main.orders values
          (1, 'c1', '2024-01-01', 'complete', 100, false), (2, 'c1', '2024-01-03', 'complete', 50, true),
          (3, 'c2', '2024-01-03', 'complete', 30, false), (4, 'c3', '2024-01-10', 'complete', 20, false),
          (5, 'c2', '2024-02-01', 'complete', 80, false), (6, 'c1', '2023-01-03', 'complete', 40, false),
          (7, 'c3', '2024-02-15', 'cancelled', 10, false);
        create table main.order_items (order_item_id integer, order_id integer, sku varchar, quantity integer, added_at date);
        insert into main.order_items values (1, 1, 'A', 2, '2024-01-01'), (2, 1, 'B', 1, '2024-01-01'), (3, 2, 'A', 5, '2024-01-03');
        create table main.balances (customer_id varchar, balance_day date, credit integer);
        create table main.metricflow_time_spine as
          select cast(d as date) as date_day from range(date '2022-01-01', date '2026-01-01', interval 1 day) t(d);
        """

    var warehouse: DuckDBWarehouse!

    override func setUp() async throws {
        warehouse = try DuckDBWarehouse(path: ":memory:")
        try await warehouse.write { try await $0.executeScript(Self.rows) }
    }

    override func tearDown() async throws { await warehouse.close() }

    func app() throws -> some ApplicationProtocol {
        Application(router: StorehouseServer.router(served: try Self.served(), warehouse: warehouse))
    }

    func get(_ uri: String) async throws -> (status: HTTPResponse.Status, body: String, headers: HTTPFields) {
        try await app().test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                (response.status, String(buffer: response.body), response.headers)
            }
        }
    }

    func testDashboardPageDrawsEveryTileWithSecurityHeaders() async throws {
        let page = try await get("/dashboards/overview")
        XCTAssertEqual(page.status, .ok)
        for tile in ["revenue", "revenue_trend", "by_segment", "units_by_sku", "orders_by_status"] {
            XCTAssertTrue(page.body.contains("id=\"tile-\(tile)\""), "tile \(tile) is on the page")
        }
        XCTAssertFalse(page.body.contains("could not be drawn"), page.body)
        // The bar chart has one mark per segment, each carrying its value for cross-filtering.
        XCTAssertTrue(page.body.contains("data-dimension=\"customer__segment\""))
        XCTAssertTrue(page.body.contains("data-x=\"VIP\""))
        XCTAssertEqual(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'"), true)
        XCTAssertEqual(page.headers[.xContentTypeOptions], "nosniff")
    }

    func testWarehouseTextIsEscapedNeverRunAsMarkup() async throws {
        let page = try await get("/dashboards/overview")
        XCTAssertFalse(page.body.contains("<script>alert(1)</script>"), "a segment named like a script tag must not become one")
        XCTAssertTrue(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    func testTileCSVIsTheTileQueryForTheState() async throws {
        let all = try await get("/dashboards/overview/tiles/by_segment.csv")
        XCTAssertEqual(all.status, .ok)
        XCTAssertEqual(all.headers[.contentType], "text/csv; charset=utf-8")
        XCTAssertEqual(all.body, "customer__segment,revenue\n<script>alert(1)</script>,30.00\nRegular,110.00\nVIP,190.00\n")
        // The date range reaches metric tiles (January 2024) and SQL tiles (through date_range).
        let january = try await get("/dashboards/overview/tiles/revenue.csv?start=2024-01-01&end=2024-01-31")
        XCTAssertEqual(january.body, "revenue\n200.00\n")
        let sql = try await get("/dashboards/overview/tiles/orders_by_status.csv?start=2024-02-01&end=2024-02-29")
        XCTAssertEqual(sql.body, "status,orders\ncancelled,1\ncomplete,1\n")
    }

    func testAFilterReachesTheTilesWhoseMetricsHaveItAndIsNamedOnTheOthers() async throws {
        let vip = try await get("/dashboards/overview/tiles/revenue_trend.csv?f.customer__segment=VIP")
        XCTAssertEqual(vip.body, "metric_time__month,revenue,orders\n2023-01-01,40.00,1\n2024-01-01,150.00,2\n")
        let page = try await get("/dashboards/overview?f.customer__segment=VIP")
        XCTAssertTrue(page.body.contains("Not filtered by Segment"), "units cannot be grouped by segment, and the tile says so")
        let units = try await get("/dashboards/overview/tiles/units_by_sku.csv?f.customer__segment=VIP")
        XCTAssertEqual(units.body, "order_item__sku,units\nA,7\nB,1\n")
        // Date zoom: the same tile by quarter.
        let quarters = try await get("/dashboards/overview/tiles/revenue_trend.csv?grain=quarter")
        XCTAssertEqual(quarters.body, "metric_time__quarter,revenue,orders\n2023-01-01,40.00,1\n2024-01-01,290.00,6\n")
    }

    func testBadRequestsGetClearErrors() async throws {
        let missing = try await get("/dashboards/nope")
        XCTAssertEqual(missing.status, .notFound)
        XCTAssertTrue(missing.body.contains("overview"), "the 404 names the dashboards there are")
        let grain = try await get("/dashboards/overview?grain=fortnight")
        XCTAssertEqual(grain.status, .badRequest)
        XCTAssertTrue(grain.body.contains("grain"))
        let date = try await get("/dashboards/overview?start=yesterday")
        XCTAssertEqual(date.status, .badRequest)
        let tile = try await get("/dashboards/overview/tiles/nope.csv")
        XCTAssertEqual(tile.status, .notFound)
    }

    func testIdenticalQueriesRunOnceAndPagesAreKeptUntilABuildLands() async throws {
        // A copy of the fixture project, so a "build" can land in its target/.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("page-cache-\(UUID().uuidString)")
        try FileManager.default.copyItem(atPath: Self.projectDir, toPath: folder.path)
        defer { try? FileManager.default.removeItem(at: folder) }
        let project = try ProjectLoader.load(LoadOptions(projectDir: folder.path, environment: [:], homeDirectory: "/nonexistent"))
        let service = DashboardService(served: try ServedProject(project: project), warehouse: warehouse)
        let dashboard = try XCTUnwrap(service.served.dashboard(named: "overview"))

        let first = try await service.page(dashboard, queryItems: [])
        let queriesRun = await service.cache.misses
        XCTAssertGreaterThan(queriesRun, 1)
        // Every query of the page ran once, however many tiles share it.
        XCTAssertEqual(queriesRun, service.distinctQueries(for: dashboard, state: try DashboardState(query: []), findingRange: true).count)

        // The data changes, but no build has finished: the page stays as rendered, and no query runs.
        try await warehouse.write { try await $0.execute("update main.orders set amount = amount * 2") }
        let second = try await service.page(dashboard, queryItems: [])
        XCTAssertEqual(second, first)
        let afterSecond = await service.cache.misses
        XCTAssertEqual(afterSecond, queriesRun, "the second view runs no query")
        let pageHits = await service.pages.hits
        XCTAssertEqual(pageHits, 1)

        // A build lands (run_results.json written): the page is drawn anew from the new data.
        let target = folder.appendingPathComponent("target")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try Data("{\"results\": []}".utf8).write(to: target.appendingPathComponent("run_results.json"))
        try await Task.sleep(for: DataVersionProbe.interval + .milliseconds(50))  // the server looks again after this
        let third = try await service.page(dashboard, queryItems: [])
        XCTAssertNotEqual(third, first, "doubled amounts show after the build")
        let afterThird = await service.cache.misses
        XCTAssertEqual(afterThird, 2 * queriesRun)

        // A crafted value cannot plant its page under another URL's key.
        XCTAssertNotEqual(DashboardService.pageKey(dashboard, queryItems: [("f.segment", "VIP&f.country=US")]),
                          DashboardService.pageKey(dashboard, queryItems: [("f.segment", "VIP"), ("f.country", "US")]))
    }
}
