import Foundation
import TransformProject
import TransformRuntime
import WarehouseDuckDB
import WarehouseKit
import XCTest

/// `source freshness` against DuckDB: source tables with known load times get dbt's statuses,
/// and sources.json has dbt's shape — loading in dbt-core's own reader and agreeing with
/// `dbt source freshness` on the same data where dbt is installed.
final class SourceFreshnessWarehouseTests: XCTestCase {
    private var root: URL!
    private var database: String { root.appendingPathComponent("fresh.duckdb").path }

    static let sources = """
        version: 2
        sources:
          - name: raw
            loaded_at_field: loaded_at
            freshness:
              warn_after: {count: 1, period: hour}
              error_after: {count: 1, period: day}
            tables:
              - name: fresh
              - name: warm
              - name: stale
              - name: empty
              - name: zoned
              - name: filtered
                freshness: {filter: "kind = 'real'"}
              - name: warn_only
                identifier: empty
                freshness: {error_after: null}
              - name: dates
                loaded_at_field: d
              - name: no_field
                loaded_at_field: null
              - name: turned_off
                freshness: null
        """

    override func setUp() async throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-freshness-\(UUID().uuidString)")
        let files = [
            "dbt_project.yml": "name: shop\nprofile: shop\n",
            "profiles.yml": "shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: \"{{ env_var('FIXTURE_DB') }}\"\n      threads: 2\n",
            "models/sources.yml": Self.sources,
        ]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let warehouse = try DuckDBWarehouse(path: database)
        func ago(_ seconds: Double) -> String { Timestamp(micros: Int64((Date().timeIntervalSince1970 - seconds) * 1e6)).description }
        let script = """
            create schema raw;
            create table raw.fresh as select timestamp '\(ago(300))' as loaded_at;
            create table raw.warm as select timestamp '\(ago(3 * 3600))' as loaded_at union all select null;
            create table raw.stale as select timestamp '\(ago(3 * 86_400))' as loaded_at;
            create table raw.empty (loaded_at timestamp);
            create table raw.zoned as select cast('\(ago(2 * 3600))+00' as timestamptz) as loaded_at;
            create table raw.filtered as select * from (values (timestamp '\(ago(2 * 86_400))', 'real'), (timestamp '\(ago(0))', 'test')) t(loaded_at, kind);
            create table raw.dates as select current_date as d;
            create table raw.no_field as select 1 as x;
            create table raw.turned_off as select timestamp '2000-01-01 00:00:00' as loaded_at;
            """
        try await warehouse.write { db in try await db.executeScript(script) }
        await warehouse.close()
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: root)
    }

    private func check(select: [String] = [], exclude: [String] = []) async throws -> (SourceFreshnessSummary, [String: Any]) {
        let project = try ProjectLoader.load(LoadOptions(projectDir: root.path, profilesDir: root.path, environment: ["FIXTURE_DB": database]))
        let warehouse = try DuckDBWarehouse(path: database)
        let runner = SourceFreshnessRunner(project: project, warehouse: warehouse,
                                           options: SourceFreshnessOptions(select: select, exclude: exclude, threads: 2), reporter: SilentReporter())
        let summary = try await runner.run()
        await warehouse.close()
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summary.artifactPath))) as! [String: Any]
        return (summary, json)
    }

    func testEachSourceGetsDbtsStatusAndSourcesJsonHasDbtsShape() async throws {
        let (summary, json) = try await check()
        let statuses = Dictionary(uniqueKeysWithValues: summary.results.map { ($0.tableName, $0.status) })
        XCTAssertEqual(statuses, ["fresh": .pass, "warm": .warn, "stale": .error, "empty": .error, "zoned": .warn, "filtered": .error,
                                  "warn_only": .warn, "dates": .runtimeError, "no_field": .runtimeError],
                       "turned_off has `freshness: null` and is not checked")
        XCTAssertFalse(summary.succeeded)
        XCTAssertEqual(summary.artifactPath, root.appendingPathComponent("target/sources.json").path)
        let noField = summary.results.first { $0.tableName == "no_field" }!
        XCTAssertTrue(noField.message?.contains("add `loaded_at_field: <timestamp column>` to the table in models/sources.yml") ?? false,
                      noField.message ?? "")
        XCTAssertNil(noField.sql)

        let metadata = json["metadata"] as! [String: Any]
        XCTAssertEqual(metadata["dbt_schema_version"] as? String, "https://schemas.getdbt.com/dbt/sources/v3.json")
        XCTAssertNotNil(json["elapsed_time"] as? Double)
        let results = json["results"] as! [[String: Any]]
        let byTable = Dictionary(uniqueKeysWithValues: results.map { (($0["unique_id"] as! String).components(separatedBy: ".").last!, $0) })
        XCTAssertEqual(Set(byTable.keys), ["fresh", "warm", "stale", "empty", "zoned", "filtered", "warn_only"],
                       "as in dbt-core 1.11, checks that could not run are left out of the file")
        for (table, result) in byTable {
            XCTAssertEqual(Set(result.keys), ["unique_id", "max_loaded_at", "snapshotted_at", "max_loaded_at_time_ago_in_s", "status",
                                              "criteria", "adapter_response", "timing", "thread_id", "execution_time"], table)
            XCTAssertEqual((result["timing"] as? [[String: Any]])?.compactMap { $0["name"] as? String }, ["compile", "execute"], table)
            XCTAssertTrue((result["thread_id"] as? String)?.hasPrefix("Thread-") ?? false, table)
        }
        XCTAssertEqual(byTable["fresh"]?["unique_id"] as? String, "source.shop.raw.fresh")
        XCTAssertEqual(byTable["stale"]?["status"] as? String, "error")
        let age = try XCTUnwrap(byTable["warm"]?["max_loaded_at_time_ago_in_s"] as? Double)
        XCTAssertEqual(age, 3 * 3600, accuracy: 60)
        XCTAssertEqual(byTable["empty"]?["max_loaded_at"] as? String, "0001-01-01T00:00:00+00:00")
        XCTAssertTrue((byTable["zoned"]?["snapshotted_at"] as? String)?.hasSuffix("+00:00") ?? false)
        let criteria = byTable["filtered"]?["criteria"] as? [String: Any]
        XCTAssertEqual(criteria?["filter"] as? String, "kind = 'real'")
        XCTAssertEqual((criteria?["warn_after"] as? [String: Any])?["period"] as? String, "hour")
        XCTAssertEqual((criteria?["error_after"] as? [String: Any])?["count"] as? Int, 1)
        XCTAssertTrue((byTable["warn_only"]?["criteria"] as? [String: Any])?["error_after"] is NSNull)
    }

    func testSelectionNarrowsTheCheck() async throws {
        let (fresh, json) = try await check(select: ["source:raw.fresh", "source:raw.warm"])
        XCTAssertEqual(fresh.results.map(\.tableName), ["fresh", "warm"])
        XCTAssertTrue(fresh.succeeded, "a warning does not fail the check")
        XCTAssertEqual((json["results"] as? [Any])?.count, 2)
        let (rest, _) = try await check(select: ["source:raw"], exclude: ["source:raw.dates", "source:raw.no_field", "source:raw.turned_off"])
        XCTAssertEqual(rest.results.count, 7)
        XCTAssertTrue(rest.results.allSatisfy { $0.status != .runtimeError })
        let (none, noneJSON) = try await check(select: ["source:raw.turned_off"])
        XCTAssertTrue(none.results.isEmpty)
        XCTAssertTrue(none.succeeded)
        XCTAssertEqual((noneJSON["results"] as? [Any])?.count, 0)
    }

    func testSourcesJsonLoadsInDbtsReaderAndAgreesWithDbt() async throws {
        let cache = ProcessInfo.processInfo.environment["STOREHOUSE_CACHE"] ?? (NSHomeDirectory() + "/.cache/storehouse")
        let venv = cache + "/dbt-venv/bin"
        guard FileManager.default.isExecutableFile(atPath: venv + "/dbt") else {
            throw XCTSkip("dbt-core + dbt-duckdb are not installed (run scripts/dbt-venv.sh); the comparison with dbt is skipped")
        }
        let (summary, _) = try await check()
        let ours = root.appendingPathComponent("ours.json").path
        try FileManager.default.moveItem(atPath: summary.artifactPath, toPath: ours)

        let reader = try run(venv + "/python", ["-c", """
            import sys
            from dbt.artifacts.schemas.freshness import FreshnessExecutionResultArtifact
            artifact = FreshnessExecutionResultArtifact.read_and_check_versions(sys.argv[1])
            print(" ".join(sorted(f"{r.unique_id.split('.')[-1]}={r.status}" for r in artifact.results)))
            """, ours])
        XCTAssertEqual(reader.status, 0, reader.output)
        let expected = "empty=error filtered=error fresh=pass stale=error warm=warn warn_only=warn zoned=warn"
        XCTAssertEqual(reader.output.trimmingCharacters(in: .whitespacesAndNewlines), expected)

        let theirs = try run(venv + "/dbt", ["source", "freshness", "--project-dir", root.path, "--profiles-dir", root.path])
        XCTAssertEqual(theirs.status, 1, "dbt exits 1 on a stale source:\n\(theirs.output)")
        let dbtStatuses = try run(venv + "/python", ["-c", """
            import json, sys
            results = json.load(open(sys.argv[1]))["results"]
            print(" ".join(sorted(f"{r['unique_id'].split('.')[-1]}={r['status']}" for r in results)))
            """, summary.artifactPath])
        XCTAssertEqual(dbtStatuses.output.trimmingCharacters(in: .whitespacesAndNewlines), expected, theirs.output)
    }

    private func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try ToolSupport.run(executable, arguments, in: root, environment: ["FIXTURE_DB": database])
    }

}

private struct SilentReporter: SourceFreshnessReporter {
    func freshnessStarted(total: Int, threads: Int) {}
    func sourceChecked(_ result: SourceFreshnessResult, index: Int, total: Int) {}
}
