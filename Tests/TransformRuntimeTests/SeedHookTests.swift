import Foundation
import TransformProject
@testable import TransformRuntime
import WarehouseDuckDB
import XCTest

/// A seed's pre- and post-hooks run around its load, as in dbt (they were skipped before).
final class SeedHookTests: XCTestCase {
    func testSeedHooksRunAroundTheLoad() async throws {
        let dir = NSTemporaryDirectory() + "storehouse-seedhooks-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = [
            "dbt_project.yml": """
                name: hooks
                profile: hooks
                config-version: 2
                seeds:
                  hooks:
                    +pre-hook: "create table if not exists main.hook_log (event varchar, n integer)"
                    +post-hook: "insert into main.hook_log select 'loaded {{ this.identifier }}', count(*) from {{ this }}"
                """,
            "profiles.yml": "hooks:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: '\(dir)/w.duckdb'\n",
            "seeds/colours.csv": "id,name\n1,red\n2,green\n3,blue\n",
        ]
        let (project, warehouse) = try Self.open(dir, files)
        for _ in 0..<2 {
            let summary = try await TransformRunner(project: project, warehouse: warehouse, options: RunOptions(command: .seed), reporter: CollectingReporter()).run()
            XCTAssertEqual(summary.results.map(\.status), [.success], summary.results.map(\.message).joined())
        }
        let log = try await warehouse.read { try await $0.query("select event, n from main.hook_log") }
        XCTAssertEqual(log.rows.map { $0.map(\.description) }, [["loaded colours", "3"], ["loaded colours", "3"]])
    }

    /// dbt-utils' seed `data_get_column_values_dropped` drops itself in a post-hook: the hook
    /// renders after the load, so the drop finds the table, and the seed still succeeds.
    func testAPostHookThatDropsTheSeedRunsAfterTheLoad() async throws {
        let dir = NSTemporaryDirectory() + "storehouse-seeddrop-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = [
            "dbt_project.yml": """
                name: hooks
                profile: hooks
                config-version: 2
                seeds:
                  hooks:
                    dropped:
                      +post-hook: "{% do adapter.drop_relation(this.incorporate(type='table')) %}"
                """,
            "profiles.yml": "hooks:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: '\(dir)/w.duckdb'\n",
            "seeds/dropped.csv": "id\n1\n2\n",
            "seeds/kept.csv": "id\n1\n",
        ]
        let (project, warehouse) = try Self.open(dir, files)
        let summary = try await TransformRunner(project: project, warehouse: warehouse, options: RunOptions(command: .seed), reporter: CollectingReporter()).run()
        XCTAssertEqual(summary.results.map(\.status), [.success, .success])
        let tables = try await warehouse.read { try await $0.query("select table_name from information_schema.tables where table_schema = 'main' order by 1") }
        XCTAssertEqual(tables.rows.map { $0[0].description }, ["kept"])
    }

    /// A model's post-hook with Jinja renders once the model is built: `run_query` on `this` counts
    /// the new rows (rendered while compiling, it counted the previous build's, or failed on the
    /// first), and a drop in a post-hook drops the built table instead of running before the build.
    func testAModelsPostHookRendersAfterTheModelIsBuilt() async throws {
        let dir = NSTemporaryDirectory() + "storehouse-modelhooks-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = [
            "dbt_project.yml": "name: hooks\nprofile: hooks\nconfig-version: 2\nvars:\n  n: 3\n",
            "profiles.yml": "hooks:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: '\(dir)/w.duckdb'\n",
            "models/numbers.sql": """
                {{ config(materialized='table',
                          pre_hook="create table if not exists main.hook_log (model varchar, n integer)",
                          post_hook="insert into main.hook_log values ('{{ this.identifier }}', {{ run_query('select count(*) from ' ~ this).columns[0].values()[0] }})") }}
                select range as n from range({{ var('n') }})
                """,
            "models/scratch.sql": """
                {{ config(materialized='table', post_hook="{% do adapter.drop_relation(this) %}") }}
                select 1 as x
                """,
        ]
        let (_, warehouse) = try Self.open(dir, files)
        for vars in ["{n: 3}", "{n: 5}"] {
            let run = try ProjectLoader.load(LoadOptions(projectDir: dir, profilesDir: dir, vars: vars, environment: [:], homeDirectory: "/nonexistent"))
            let summary = try await TransformRunner(project: run, warehouse: warehouse, options: RunOptions(command: .run), reporter: CollectingReporter()).run()
            XCTAssertEqual(summary.results.map(\.status), [.success, .success], summary.results.map(\.message).joined(separator: "; "))
        }
        let log = try await warehouse.read { try await $0.query("select model, n from main.hook_log") }
        XCTAssertEqual(log.rows.map { $0.map(\.description) }, [["numbers", "3"], ["numbers", "5"]])
        let tables = try await warehouse.read { try await $0.query("select table_name from information_schema.tables where table_schema = 'main' order by 1") }
        XCTAssertEqual(tables.rows.map { $0[0].description }, ["hook_log", "numbers"])
    }

    static func open(_ dir: String, _ files: [String: String]) throws -> (LoadedProject, DuckDBWarehouse) {
        for (path, text) in files {
            try FileManager.default.createDirectory(atPath: (dir + "/" + path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: dir + "/" + path, atomically: true, encoding: .utf8)
        }
        let project = try ProjectLoader.load(LoadOptions(projectDir: dir, profilesDir: dir, environment: [:], homeDirectory: "/nonexistent"))
        return (project, try DuckDBWarehouse(path: dir + "/w.duckdb"))
    }
}
