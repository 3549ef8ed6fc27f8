import Foundation
import TransformProject
@testable import TransformRuntime
import WarehouseDuckDB
import WarehouseKit
import XCTest

/// Versioned models (`versions:`, `ref('x', v=1)`) build as dbt-core builds them: the fixture
/// `Fixtures/versioned_models` gives dbt's unique ids, statuses and compiled SQL byte for byte.
final class VersionedModelsTests: XCTestCase {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TransformProjectTests/Fixtures/versioned_models").path

    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "storehouse-versions-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: dir)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func load() throws -> LoadedProject {
        try ProjectLoader.load(LoadOptions(projectDir: dir, profilesDir: dir, environment: ["VERSIONS_DIR": dir], homeDirectory: "/nonexistent"))
    }

    func testVersionedModelsBuildWithDbtsIdsStatusesAndSQL() async throws {
        let warehouse = try DuckDBWarehouse(path: dir + "/w.duckdb")
        let summary = try await TransformRunner(project: try load(), warehouse: warehouse, options: RunOptions(command: .build, threads: 2),
                                                reporter: CollectingReporter()).run()
        let expected = try String(contentsOfFile: dir + "/expected/run_results.txt", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(expected.count, 13, "3 unit tests on versions included")
        XCTAssertEqual(summary.results.map { "\($0.uniqueId) \($0.status.rawValue)" }.sorted(), expected.map(String.init))
        XCTAssertEqual(try ToolSupport.assertSameCompiledSQL(expected: dir + "/expected/compiled", actual: dir + "/target/compiled"), 9)
        let columns = try await warehouse.read {
            try await $0.query("select table_name, count(*) from information_schema.columns where table_name like '%customers%' group by 1 order by 1")
        }
        XCTAssertEqual(columns.rows.map { $0.map(\.description) },
                       [["current_customers", "3"], ["dim_customers_v1", "2"], ["dim_customers_v2", "3"], ["legacy_customers", "2"], ["raw_customers", "3"]])
    }

    func testVersionsCarryTheirDocsAndTheManifestSaysWhichIsLatest() throws {
        let project = try load()
        let v1 = try XCTUnwrap(project.manifest.nodes["model.versions_shop.dim_customers.v1"])
        let v2 = try XCTUnwrap(project.manifest.nodes["model.versions_shop.dim_customers.v2"])
        XCTAssertEqual([v1.description, v2.description], ["One row per customer.", "Adds the tier."])
        XCTAssertEqual(v1.columns.map(\.name), ["customer_id", "name"])
        XCTAssertEqual(v2.columns.map(\.name), ["customer_id", "name", "tier"])
        XCTAssertEqual(v2.config.materialized, "table")
        XCTAssertEqual(project.manifest.refTarget("dim_customers")?.uniqueId, v2.uniqueId)
        XCTAssertEqual(project.manifest.refTarget("dim_customers", version: "1")?.uniqueId, v1.uniqueId)
        let json = ManifestWriter.jsonObject(project.manifest)
        let node = try XCTUnwrap((json["nodes"] as? [String: Any])?["model.versions_shop.dim_customers.v1"] as? [String: Any])
        XCTAssertEqual(node["version"] as? Int, 1)
        XCTAssertEqual(node["latest_version"] as? Int, 2)
        XCTAssertEqual(node["alias"] as? String, "dim_customers_v1")
        // Each version's tests wait for that version (else a v1 test could run before v1 is built).
        let tests = project.manifest.nodes.values.filter { $0.resourceType == .test }
        XCTAssertEqual(tests.count, 5)
        for test in tests { XCTAssertEqual(test.dependsOnNodes, test.attachedNode.map { [$0] }, test.uniqueId) }
    }

    func testARefToAVersionThatDoesNotExistSaysWhichDo() throws {
        try "select * from {{ ref('dim_customers', v=3) }}".write(toFile: dir + "/models/legacy_customers.sql", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try load()) { error in
            XCTAssertEqual("\(error)", "models/legacy_customers.sql:1: error: model 'legacy_customers' refers to version 3 of 'dim_customers', which has versions 1, 2")
        }
    }

    func testAUnitTestOnAVersionThatDoesNotExistSaysWhichDo() throws {
        var yml = try String(contentsOfFile: dir + "/models/unit_tests.yml", encoding: .utf8)
        yml = yml.replacingOccurrences(of: "include: [2]", with: "include: [3]")
        try yml.write(toFile: dir + "/models/unit_tests.yml", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try load()) { error in
            XCTAssertTrue("\(error)".hasSuffix("unit test 'keeps_tier' referenced a version of 'dim_customers' which was not found; its versions are 1, 2"), "\(error)")
        }
    }
}
