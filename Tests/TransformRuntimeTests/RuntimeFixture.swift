import Foundation
import Synchronization
import TransformProject
import TransformRuntime
import WarehouseDuckDB
import WarehouseKit
import XCTest

/// A small dbt project written into a temporary folder, with its own DuckDB file, that covers
/// every materialization, strategy, snapshot and test kind. Tests change files and source rows
/// between runs to exercise incremental loads, schema changes and snapshots.
final class RuntimeFixture: Sendable {
    let root: URL
    let warehouse: DuckDBWarehouse

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-runtime-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        warehouse = try DuckDBWarehouse(path: root.appendingPathComponent("fixture.duckdb").path)
        for (path, text) in RuntimeFixture.files { try write(path, text) }
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func remove(_ path: String) throws { try FileManager.default.removeItem(at: root.appendingPathComponent(path)) }

    /// Creates (or replaces) the raw source tables the models read.
    func loadSources(events: [(Int, String, String)], customers: [(Int, String, String, String)]) async throws {
        try await warehouse.write { db in
            try await db.execute("create schema if not exists raw_src")
            try await db.execute("create or replace table raw_src.events (id integer, kind varchar, happened_at timestamp)")
            for (id, kind, at) in events {
                try await db.execute("insert into raw_src.events values (\(id), \(kind), cast(\(at) as timestamp))")
            }
            try await db.execute("create or replace table raw_src.customers (id integer, tier varchar, email varchar, updated_at timestamp)")
            for (id, tier, email, at) in customers {
                try await db.execute("insert into raw_src.customers values (\(id), \(tier), \(email), cast(\(at) as timestamp))")
            }
        }
    }

    @discardableResult
    func run(_ command: RunCommand, select: [String] = [], exclude: [String] = [], vars: String? = nil, threads: Int = 4,
             fullRefresh: Bool = false, failFast: Bool = false, statePath: String? = nil, profile: Bool = false,
             testsInOneQuery: Bool? = nil) async throws -> (RunSummary, CollectingReporter)
    {
        let project = try ProjectLoader.load(LoadOptions(projectDir: root.path, profilesDir: root.path, vars: vars,
                                                         environment: ["FIXTURE_DB": root.appendingPathComponent("fixture.duckdb").path]))
        let reporter = CollectingReporter()
        var options = RunOptions(command: command, select: select, exclude: exclude, threads: threads, fullRefresh: fullRefresh,
                                 failFast: failFast, statePath: statePath)
        options.profile = profile
        options.testsInOneQuery = testsInOneQuery
        let runner = TransformRunner(project: project, warehouse: warehouse, options: options, reporter: reporter)
        return (try await runner.run(), reporter)
    }

    func rows(_ sql: String) async throws -> [[String]] {
        try await warehouse.read { db in try await db.query(SQL(unsafeRaw: sql)).rows.map { $0.map(\.description) } }
    }

    func scalar(_ sql: String) async throws -> String? { try await rows(sql).first?.first }

    static let files: [String: String] = [
        "dbt_project.yml": """
            name: fixture
            profile: fixture
            model-paths: ["models"]
            seed-paths: ["seeds"]
            snapshot-paths: ["snapshots"]
            test-paths: ["tests"]
            macro-paths: ["macros"]
            vars:
              strict_kinds: false
              extra_column: false
            models:
              fixture:
                +materialized: view
                marts:
                  +materialized: table
            seeds:
              fixture:
                countries:
                  +column_types:
                    code: varchar
            """,
        "profiles.yml": """
            fixture:
              target: dev
              outputs:
                dev:
                  type: duckdb
                  path: "{{ env_var('FIXTURE_DB') }}"
                  schema: main
                  threads: 4
            """,
        "seeds/countries.csv": """
            code,name,population_m,joined,active
            01,Atlantis,1.5,2020-01-02,true
            02,Lemuria,,2021-03-04,false
            03,"Mu, the lost",0.25,2019-12-31,true
            """,
        "models/sources.yml": """
            version: 2
            sources:
              - name: raw_src
                tables:
                  - name: events
                  - name: customers
            """,
        "models/staging/stg_events.sql": """
            select id as event_id, kind, happened_at from {{ source('raw_src', 'events') }}
            """,
        "models/staging/stg_customers.sql": """
            select id as customer_id, tier, email, updated_at from {{ source('raw_src', 'customers') }}
            """,
        "models/staging/event_kinds.sql": """
            {{ config(materialized='ephemeral') }}
            select distinct kind from {{ ref('stg_events') }}
            """,
        "models/marts/kind_counts.sql": """
            select k.kind, count(*) as events
            from {{ ref('event_kinds') }} k join {{ ref('stg_events') }} e on e.kind = k.kind
            group by k.kind
            """,
        "models/marts/country_summary.sql": """
            select count(*) as countries, sum(population_m) as population_m from {{ ref('countries') }}
            """,
        "models/marts/events_append.sql": """
            {{ config(materialized='incremental', incremental_strategy='append') }}
            select event_id, kind, happened_at from {{ ref('stg_events') }}
            {% if is_incremental() %}where happened_at > (select max(happened_at) from {{ this }}){% endif %}
            """,
        "models/marts/events_merge.sql": """
            {{ config(materialized='incremental', incremental_strategy='merge', unique_key='event_id') }}
            select event_id, kind, happened_at from {{ ref('stg_events') }}
            """,
        "models/marts/events_delete_insert.sql": """
            {{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key=['event_id', 'kind']) }}
            select event_id, kind, happened_at from {{ ref('stg_events') }}
            {% if is_incremental() %}where happened_at >= (select max(happened_at) from {{ this }}){% endif %}
            """,
        "models/marts/events_wide_fail.sql": """
            {{ config(materialized='incremental', on_schema_change='fail') }}
            select event_id{% if var('extra_column') %}, kind{% endif %} from {{ ref('stg_events') }}
            """,
        "models/marts/events_wide_append.sql": """
            {{ config(materialized='incremental', on_schema_change='append_new_columns', unique_key='event_id') }}
            select event_id{% if var('extra_column') %}, kind{% endif %} from {{ ref('stg_events') }}
            """,
        "models/marts/events_wide_sync.sql": """
            {{ config(materialized='incremental', on_schema_change='sync_all_columns', unique_key='event_id') }}
            select event_id, {% if var('extra_column') %}kind{% else %}happened_at{% endif %} from {{ ref('stg_events') }}
            """,
        "models/marts/after_kinds.sql": """
            select kind from {{ ref('kind_counts') }}
            """,
        "models/schema.yml": """
            version: 2
            models:
              - name: stg_events
                columns:
                  - name: event_id
                    data_tests: [unique, not_null]
                  - name: kind
                    data_tests:
                      - accepted_values:
                          arguments:
                            values: ['view', 'cart', 'purchase']
              - name: kind_counts
                columns:
                  - name: kind
                    data_tests:
                      - relationships:
                          arguments:
                            to: ref('stg_events')
                            field: kind
                  - name: events
                    data_tests:
                      - at_least:
                          arguments:
                            minimum: 1
                      - at_least:
                          name: kind_counts_big_warn
                          arguments:
                            minimum: 3
                          config:
                            severity: warn
                      - at_least:
                          name: kind_counts_threshold
                          arguments:
                            minimum: 3
                          config:
                            error_if: ">5"
                            warn_if: ">0"
                            store_failures: true
            """,
        "tests/generic/at_least.sql": """
            {% test at_least(model, column_name, minimum) %}
            select * from {{ model }} where {{ column_name }} < {{ minimum }}
            {% endtest %}
            """,
        "tests/no_future_events.sql": """
            select * from {{ ref('stg_events') }} where happened_at > timestamp '2100-01-01'
            """,
        "snapshots/customers_snapshot.sql": """
            {% snapshot customers_snapshot %}
            {{ config(target_schema='snapshots', unique_key='customer_id', strategy='timestamp', updated_at='updated_at', invalidate_hard_deletes=True) }}
            select * from {{ ref('stg_customers') }}
            {% endsnapshot %}
            """,
        "snapshots/customers_tier_snapshot.sql": """
            {% snapshot customers_tier_snapshot %}
            {{ config(target_schema='snapshots', unique_key='customer_id', strategy='check', check_cols=['tier']) }}
            select customer_id, tier from {{ ref('stg_customers') }}
            {% endsnapshot %}
            """,
    ]
}

/// Collects progress in memory so tests can check what was reported.
final class CollectingReporter: RunReporter {
    let lines = Mutex<[(index: Int, total: Int, id: String, status: NodeStatus)]>([])
    func runStarted(total: Int, threads: Int) {}
    func nodeFinished(_ result: NodeResult, index: Int, total: Int) {
        lines.withLock { $0.append((index, total, result.uniqueId, result.status)) }
    }
}

extension RunSummary {
    func status(_ name: String) -> NodeStatus? { results.first { $0.name == name }?.status }
    func result(_ name: String) -> NodeResult? { results.first { $0.name == name } }
}
