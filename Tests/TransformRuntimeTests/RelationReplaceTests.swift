import Foundation
import TransformProject
import TransformRuntime
import WarehouseDuckDB
import WarehouseKit
import XCTest

/// Relations replaced in one statement (`create or replace`, DuckDB): a model that changes kind
/// between builds (view ↔ table) is dropped and made again, and a table reports its rows.
final class RelationReplaceTests: XCTestCase {
    static let files = [
        "dbt_project.yml": "name: replace\nprofile: replace\n",
        "profiles.yml": "replace:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ':memory:'\n",
        "models/orders.sql": "{{ config(materialized=var('kind')) }}\nselect 1 as id",
    ]

    func testARelationThatChangesKindIsReplaced() async throws {
        let root = try Self.write(Self.files)
        defer { try? FileManager.default.removeItem(at: root) }
        let warehouse = try DuckDBWarehouse(path: ":memory:")
        defer { Task { await warehouse.close() } }
        for kind in ["view", "table", "table", "view", "view", "table"] {
            let project = try ProjectLoader.load(LoadOptions(projectDir: root.path, profilesDir: root.path, vars: "{kind: \(kind)}"))
            let summary = try await TransformRunner(project: project, warehouse: warehouse,
                                                    options: RunOptions(command: .run, threads: 1), reporter: ExpectationTestsTests.Quiet()).run()
            let result = try XCTUnwrap(summary.results.first { $0.name == "orders" })
            XCTAssertEqual(result.status, .success, "\(kind): \(result.message)")
            if kind == "table" { XCTAssertEqual(result.rowsAffected, 1) }
            let type = try await warehouse.read { db in
                try await db.query("select table_type from information_schema.tables where table_name = 'orders'").rows.map { $0[0].description }
            }
            XCTAssertEqual(type, [kind == "view" ? "VIEW" : "BASE TABLE"])
        }
    }

    static func write(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-replace-\(UUID().uuidString)")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }
}
