import Foundation
import TransformProject
import TransformRuntime
import WarehouseKit
import WarehousePostgres
import XCTest

/// `source freshness` on PostgreSQL: the same query and verdicts as on DuckDB, with timestamps
/// with and without a zone.
final class SourceFreshnessOnPostgresTests: PostgresServerTestCase {
    struct Silent: SourceFreshnessReporter {
        func freshnessStarted(total: Int, threads: Int) {}
        func sourceChecked(_ result: SourceFreshnessResult, index: Int, total: Int) {}
    }

    static let files: [String: String] = [
        "dbt_project.yml": "name: pgfresh\nprofile: pgfresh\n",
        "profiles.yml": profilesYAML(profile: "pgfresh", schema: "pgfresh"),
        "models/sources.yml": """
            version: 2
            sources:
              - name: src
                schema: pgfresh_src
                config:
                  loaded_at_field: loaded_at
                  freshness:
                    warn_after: {count: 1, period: hour}
                    error_after: {count: 1, period: day}
                tables:
                  - name: fresh
                  - name: warm
                  - name: stale
                  - name: empty
            """,
    ]

    func testVerdictsOnPostgres() async throws {
        let configuration = try serverConfiguration()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-pgfresh-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for (path, text) in Self.files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try await withWarehouse { warehouse in
            try await warehouse.write { db in
                try await db.executeScript("""
                    drop schema if exists pgfresh_src cascade;
                    create schema pgfresh_src;
                    create table pgfresh_src.fresh as select (now() at time zone 'utc') - interval '5 minutes' as loaded_at;
                    create table pgfresh_src.warm as select now() - interval '3 hours' as loaded_at;
                    create table pgfresh_src.stale as select (now() at time zone 'utc') - interval '3 days' as loaded_at;
                    create table pgfresh_src.empty (loaded_at timestamp);
                    """)
            }
            let environment = Self.projectEnvironment(configuration)
            let project = try ProjectLoader.load(LoadOptions(projectDir: root.path, profilesDir: root.path, environment: environment))
            let summary = try await SourceFreshnessRunner(project: project, warehouse: warehouse, options: SourceFreshnessOptions(threads: 2),
                                                          reporter: Silent()).run()
            let statuses = Dictionary(uniqueKeysWithValues: summary.results.map { ($0.tableName, $0.status) })
            XCTAssertEqual(statuses, ["fresh": .pass, "warm": .warn, "stale": .error, "empty": .error], summary.results.map { "\($0.name): \($0.message ?? "")" }.joined(separator: "\n"))
            let warm = try XCTUnwrap(summary.results.first { $0.tableName == "warm" }?.measurement)
            XCTAssertEqual(warm.age, 3 * 3600, accuracy: 5, "a timestamptz is compared in UTC")
            XCTAssertTrue(FileManager.default.fileExists(atPath: summary.artifactPath))
        }
    }
}
