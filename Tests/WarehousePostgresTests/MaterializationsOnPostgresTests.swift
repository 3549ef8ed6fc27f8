import Foundation
import TransformProject
import TransformRuntime
import WarehouseKit
import WarehousePostgres
import XCTest

/// Every materialization, incremental strategy, schema-change policy, snapshot update and seed
/// of the engine, run on PostgreSQL: a small project built twice with changed source rows.
final class MaterializationsOnPostgresTests: PostgresServerTestCase {
    struct Silent: RunReporter {
        func runStarted(total: Int, threads: Int) {}
        func nodeFinished(_ result: NodeResult, index: Int, total: Int) {}
    }

    static let files: [String: String] = [
        "dbt_project.yml": "name: pgfix\nprofile: pgfix\nvars:\n  extra: false\n",
        "profiles.yml": profilesYAML(profile: "pgfix", schema: "pgfix"),
        "seeds/kinds.csv": "kind,weight\nview,1\ncart,2.5\npurchase,\n",
        // The expectation tests' PostgreSQL spellings: `~` for regexes, `filter (where …)` for shares.
        "seeds/expectations.yml": """
            seeds:
              - name: kinds
                tests:
                  - expect_table_row_count_to_be_between: {min_value: 3, max_value: 3}
                columns:
                  - name: kind
                    tests:
                      - expect_column_values_to_match_regex: {regex: '^[a-z]+$'}
                      - expect_column_values_to_be_in_set: {value_set: [view, cart], mostly: 0.5}
                  - name: weight
                    tests:
                      - expect_column_values_to_not_be_null: {mostly: 0.6}
                      - expect_column_mean_to_be_between: {min_value: 1.5, max_value: 2}
            """,
        "models/src.yml": "version: 2\nsources:\n  - name: src\n    schema: pgfix_src\n    tables:\n      - name: events\n",
        "models/stg_events.sql": "select id as event_id, kind, at from {{ source('src', 'events') }}",
        "models/weighted.sql": "{{ config(materialized='table') }}\nselect e.event_id, k.weight from {{ ref('stg_events') }} e left join {{ ref('kinds') }} k on k.kind = e.kind",
        "models/inc_append.sql": "{{ config(materialized='incremental') }}\nselect event_id, kind, at from {{ ref('stg_events') }}\n{% if is_incremental() %}where at > (select max(at) from {{ this }}){% endif %}",
        "models/inc_merge.sql": "{{ config(materialized='incremental', incremental_strategy='merge', unique_key='event_id') }}\nselect event_id, kind, at from {{ ref('stg_events') }}",
        "models/inc_delete_insert.sql": "{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key=['event_id']) }}\nselect event_id, kind from {{ ref('stg_events') }}",
        "models/inc_sync.sql": "{{ config(materialized='incremental', on_schema_change='sync_all_columns', unique_key='event_id') }}\nselect event_id{% if var('extra') %}, kind{% else %}, at{% endif %} from {{ ref('stg_events') }}",
        "models/schema.yml": "version: 2\nmodels:\n  - name: stg_events\n    columns:\n      - name: event_id\n        data_tests: [unique, not_null]\n      - name: kind\n        data_tests:\n          - accepted_values:\n              arguments:\n                values: ['view', 'cart', 'purchase']\n",
        "snapshots/events_snapshot.sql": "{% snapshot events_snapshot %}\n{{ config(target_schema='pgfix_snapshots', unique_key='event_id', strategy='timestamp', updated_at='at') }}\nselect * from {{ ref('stg_events') }}\n{% endsnapshot %}",
    ]

    func testEveryMaterializationAndStrategyOnPostgres() async throws {
        let configuration = try serverConfiguration()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-pgfix-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for (path, text) in Self.files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let warehouse = PostgresWarehouse(configuration: configuration)
        do {
            try await exercise(warehouse, root: root, configuration: configuration)
        } catch {
            await warehouse.close()
            throw error
        }
        await warehouse.close()
    }

    private func exercise(_ warehouse: PostgresWarehouse, root: URL, configuration: PostgresConfiguration) async throws {
        func build(vars: String? = nil) async throws -> RunSummary {
            let environment = Self.projectEnvironment(configuration)
            let project = try ProjectLoader.load(LoadOptions(projectDir: root.path, profilesDir: root.path, vars: vars, environment: environment))
            XCTAssertEqual(project.dialect.name, "postgres")
            return try await TransformRunner(project: project, warehouse: warehouse,
                                             options: RunOptions(command: .build, threads: 2), reporter: Silent()).run()
        }
        func rows(_ sql: String) async throws -> [[String]] {
            try await warehouse.read { try await $0.query(SQL(unsafeRaw: sql)).rows.map { $0.map(\.description) } }
        }
        try await warehouse.write { db in
            try await db.execute("drop schema if exists pgfix cascade")
            try await db.execute("drop schema if exists pgfix_snapshots cascade")
            try await db.execute("drop schema if exists pgfix_src cascade")
            try await db.execute("create schema pgfix_src")
            try await db.execute("create table pgfix_src.events (id integer, kind text, at timestamp)")
            try await db.execute("""
                insert into pgfix_src.events values (1, 'view', '2024-01-01 10:00'), (2, 'cart', '2024-01-01 11:00'),
                (3, 'view', '2024-01-01 12:00')
                """)
        }
        let first = try await build()
        XCTAssertEqual(first.results.filter { $0.status != .success && $0.status != .pass }.map { "\($0.name): \($0.message)" }, [])
        let value1 = try await rows("select kind, weight from pgfix.kinds order by kind")
        XCTAssertEqual(value1, [["cart", "2.5"], ["purchase", "NULL"], ["view", "1"]])
        let value2 = try await rows("select count(*) from pgfix.weighted")
        XCTAssertEqual(value2, [["3"]])

        // second load: event 3 changes kind and time, event 4 arrives
        try await warehouse.write { db in
            try await db.execute("update pgfix_src.events set kind = 'purchase', at = '2024-01-02 09:00' where id = 3")
            try await db.execute("insert into pgfix_src.events values (4, 'view', '2024-01-02 10:00')")
        }
        let second = try await build(vars: "{extra: true}")
        XCTAssertEqual(second.results.filter { $0.status != .success && $0.status != .pass }.map { "\($0.name): \($0.message)" }, [])
        let value3 = try await rows("select event_id, kind from pgfix.inc_append order by event_id, kind")
        XCTAssertEqual(value3,
                       [["1", "view"], ["2", "cart"], ["3", "purchase"], ["3", "view"], ["4", "view"]])
        let value4 = try await rows("select event_id, kind from pgfix.inc_merge order by event_id")
        XCTAssertEqual(value4,
                       [["1", "view"], ["2", "cart"], ["3", "purchase"], ["4", "view"]])
        let value5 = try await rows("select event_id, kind from pgfix.inc_delete_insert order by event_id")
        XCTAssertEqual(value5,
                       [["1", "view"], ["2", "cart"], ["3", "purchase"], ["4", "view"]])
        let value6 = try await rows("""
            select column_name from information_schema.columns where table_schema = 'pgfix' and table_name = 'inc_sync' order by ordinal_position
            """).map { $0[0] }
        XCTAssertEqual(value6, ["event_id", "kind"])
        let value7 = try await rows("""
            select event_id, kind, dbt_valid_to is null from pgfix_snapshots.events_snapshot order by event_id, dbt_valid_from
            """)
        XCTAssertEqual(value7, [["1", "view", "true"], ["2", "cart", "true"], ["3", "view", "false"], ["3", "purchase", "true"], ["4", "view", "true"]])

        // A seed value PostgreSQL cannot cast names its row and column, and the table keeps its rows.
        try "kind,weight\nview,1\ncart,heavy\n".write(to: root.appendingPathComponent("seeds/kinds.csv"), atomically: true, encoding: .utf8)
        try "seeds:\n  - name: kinds\n    config:\n      column_types: {weight: numeric}\n"
            .write(to: root.appendingPathComponent("seeds/expectations.yml"), atomically: true, encoding: .utf8)
        let environment = Self.projectEnvironment(configuration)
        let project = try ProjectLoader.load(LoadOptions(projectDir: root.path, profilesDir: root.path, environment: environment))
        let badSeed = try await TransformRunner(project: project, warehouse: warehouse,
                                                options: RunOptions(command: .seed, select: ["kinds"], threads: 1), reporter: Silent()).run()
        XCTAssertEqual(badSeed.results.map(\.status), [.error])
        XCTAssertTrue(badSeed.results.first?.message.hasPrefix("seeds/kinds.csv:3:6: error: row 3, column `weight`: 'heavy' is not a valid numeric") ?? false,
                      badSeed.results.first?.message ?? "")
        let kept = try await rows("select kind, weight from pgfix.kinds order by kind")
        XCTAssertEqual(kept, value1, "the failed seed left the table as it was")
    }
}
