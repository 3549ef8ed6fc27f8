import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import TransformProject
import TransformRuntime
import WarehouseDuckDB
import XCTest

/// A model's docs page lists its unit tests beside its data tests, with their last result, and
/// the tests page counts them.
final class DocsUnitTestsTests: XCTestCase {
    func testAModelsPageListsItsUnitTestsWithTheirResults() async throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../TransformProjectTests/Fixtures/unit_tests").standardized.path
        let dir = NSTemporaryDirectory() + "storehouse-docs-unit-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: fixture, toPath: dir)
        let project = try ProjectLoader.load(LoadOptions(projectDir: dir, profilesDir: dir, environment: ["UT_SHOP_DIR": dir], homeDirectory: "/nonexistent"))
        let warehouse = try DuckDBWarehouse(path: dir + "/ut_shop.duckdb")
        _ = try await TransformRunner(project: project, warehouse: warehouse, options: RunOptions(command: .build, threads: 2),
                                      reporter: AnalyticsStore.Silent()).run()
        let router = StorehouseServer.router(served: try ServedProject(project: project), warehouse: warehouse, options: ServerOptions())
        let (status, html) = try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/docs/nodes/model.ut_shop.order_flag_summary", method: .get) { ($0.status, String(buffer: $0.body)) }
        }
        XCTAssertEqual(status, .ok)
        let row = try XCTUnwrap(html.range(of: "<tr data-test=\"unit_test.ut_shop.order_flag_summary.counts_large_orders\""), "the unit test is listed")
        let cells = html[row.upperBound...].prefix { $0 != "\n" }
        XCTAssertTrue(cells.contains("unit test: counts_large_orders"), String(cells))
        XCTAssertTrue(cells.contains("status-fail"), String(cells))
        let (_, tests) = try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/docs/tests", method: .get) { ($0.status, String(buffer: $0.body)) }
        }
        XCTAssertTrue(tests.contains("12 tests"), "2 data tests and 10 unit tests")
        await warehouse.close()
    }
}
