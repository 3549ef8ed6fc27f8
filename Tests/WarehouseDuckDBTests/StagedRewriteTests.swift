import Foundation
import WarehouseDuckDB
import WarehouseKit
import XCTest

/// A DuckDB file rewritten through a copy: the original changes only when the rewrite
/// finishes, an error leaves it as it was, and copies left by killed processes go away.
final class StagedRewriteTests: XCTestCase {
    var folder = ""
    var path: String { folder + "/w.duckdb" }

    override func setUp() async throws {
        folder = NSTemporaryDirectory() + "storehouse-staged-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let warehouse = try DuckDBWarehouse(path: path)
        try await warehouse.write { try await $0.execute("create table t as select 1 as version") }
        await warehouse.close()
    }

    override func tearDown() async throws { try? FileManager.default.removeItem(atPath: folder) }

    func version() async throws -> String? {
        let warehouse = try DuckDBWarehouse(path: path, readOnly: true)
        let value = try await warehouse.read { try await $0.query("select max(version) from t").scalar?.description }
        await warehouse.close()
        return value
    }

    func leftovers() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0 != "w.duckdb" }.sorted()
    }

    func testTheCopyReplacesTheFileWhenTheRewriteFinishes() async throws {
        try await DuckDBStagedRewrite.run(path: path) { staging in
            XCTAssertNotEqual(staging, self.path)
            let warehouse = try DuckDBWarehouse(path: staging)
            try await warehouse.write { try await $0.execute("create or replace table t as select 2 as version") }
            await warehouse.close()
        }
        let after = try await version()
        XCTAssertEqual(after, "2")
        XCTAssertEqual(leftovers(), [])
    }

    func testAnErrorLeavesTheOriginalAndRemovesTheCopy() async throws {
        struct Stop: Error {}
        do {
            try await DuckDBStagedRewrite.run(path: path) { staging in
                let warehouse = try DuckDBWarehouse(path: staging)
                try await warehouse.write { try await $0.execute("create or replace table t as select 2 as version") }
                await warehouse.close()
                throw Stop()
            }
            XCTFail("the error was swallowed")
        } catch is Stop {}
        let after = try await version()
        XCTAssertEqual(after, "1")
        XCTAssertEqual(leftovers(), [])
    }

    func testACopyLeftByAKilledProcessIsRemoved() async throws {
        // A pid far above any live one: its process is gone.
        let abandoned = folder + "/.w.duckdb.rewrite-999999"
        try FileManager.default.copyItem(atPath: path, toPath: abandoned)
        try await DuckDBStagedRewrite.run(path: path) { _ in }
        XCTAssertEqual(leftovers(), [])
    }
}
