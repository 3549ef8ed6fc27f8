import Foundation
import TransformProject
import TransformRuntime
import WarehouseKit
import XCTest

final class TransformRunnerTests: XCTestCase {
    static let day1 = [(1, "view", "2024-01-01 10:00:00"), (2, "cart", "2024-01-01 11:00:00"), (3, "purchase", "2024-01-01 12:00:00"),
                       (4, "view", "2024-01-01 13:00:00")]
    static let customers1 = [(1, "gold", "a@x.org", "2024-01-01 00:00:00"), (2, "silver", "b@x.org", "2024-01-01 00:00:00"),
                             (3, "bronze", "c@x.org", "2024-01-01 00:00:00")]

    func testBuildMaterializesEveryKindAndPassesTests() async throws {
        let fixture = try RuntimeFixture()
        try await fixture.loadSources(events: Self.day1, customers: Self.customers1)
        let (summary, reporter) = try await fixture.run(.build)

        XCTAssertTrue(summary.succeeded, summary.results.filter { $0.status.isProblem }.map { "\($0.name): \($0.message)" }.joined(separator: "\n"))
        // seed typed by column_types (code keeps its leading zero) and inference
        let seed = try await fixture.rows("select code, name, population_m, joined, active from main.countries order by code")
        XCTAssertEqual(seed, [["01", "Atlantis", "1.5", "2020-01-02", "true"], ["02", "Lemuria", "NULL", "2021-03-04", "false"],
                              ["03", "Mu, the lost", "0.25", "2019-12-31", "true"]])
        let types = try await fixture.rows("select data_type from information_schema.columns where table_name = 'countries' order by ordinal_position")
        XCTAssertEqual(types.map { $0[0] }, ["VARCHAR", "VARCHAR", "DOUBLE", "DATE", "BOOLEAN"])
        // kinds: views, tables, no relation for the ephemeral model
        let kinds = try await fixture.rows("""
            select table_name, table_type from information_schema.tables
            where table_schema = 'main' and table_name in ('stg_events', 'kind_counts', 'event_kinds', 'events_merge') order by 1
            """)
        XCTAssertEqual(kinds, [["events_merge", "BASE TABLE"], ["kind_counts", "BASE TABLE"], ["stg_events", "VIEW"]])
        let counts = try await fixture.rows("select kind, events from main.kind_counts order by kind")
        XCTAssertEqual(counts, [["cart", "1"], ["purchase", "1"], ["view", "2"]])
        // tests: warn with severity warn; error_if/warn_if thresholds; failures stored
        XCTAssertEqual(summary.status("kind_counts_big_warn"), .warn)
        XCTAssertEqual(summary.status("kind_counts_threshold"), .warn) // 3 failing rows: > 0 warns, not > 5
        let value1 = try await fixture.scalar("select count(*) from main_dbt_test__audit.kind_counts_threshold")
        XCTAssertEqual(value1, "3")
        // A warning test keeps its first failing rows (all three here) beside its count.
        let threshold = try XCTUnwrap(summary.result("kind_counts_threshold"))
        XCTAssertEqual(threshold.failures, 3)
        XCTAssertEqual(threshold.failingRows?.rows.count, 3)
        XCTAssertEqual(summary.result("no_future_events")?.failingRows, nil, "a passing test runs no second query")
        XCTAssertEqual(summary.status("no_future_events"), .pass)
        XCTAssertEqual(summary.result("customers_snapshot")?.rowsAffected, 3)
        // one progress line per node, numbered 1…n
        let lines = reporter.lines.withLock { $0 }
        XCTAssertEqual(lines.map(\.index).sorted(), Array(1...summary.results.count))
        XCTAssertTrue(lines.allSatisfy { $0.total == summary.results.count })
        // artifacts
        let runResults = fixture.root.appendingPathComponent("target/run_results.json")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: runResults)) as! [String: Any]
        let results = json["results"] as! [[String: Any]]
        XCTAssertEqual(results.count, summary.results.count)
        // four threads: every executed node ran on Thread-1 … Thread-4
        let threads = Set(results.compactMap { $0["thread_id"] as? String })
        XCTAssertTrue(threads.isSubset(of: ["Thread-1", "Thread-2", "Thread-3", "Thread-4"]), "\(threads)")
        XCTAssertTrue(threads.contains("Thread-1"))
        let thresholdEntry = try XCTUnwrap(results.first { ($0["unique_id"] as? String)?.contains("kind_counts_threshold") ?? false })
        let recorded = FailingRowsSample(jsonObject: (thresholdEntry["adapter_response"] as? [String: Any])?["failing_rows_sample"])
        XCTAssertEqual(recorded, threshold.failingRows, "run_results.json keeps the sample in adapter_response")
        XCTAssertEqual((json["metadata"] as! [String: Any])["dbt_schema_version"] as? String,
                       "https://schemas.getdbt.com/dbt/run-results/v6.json")
        XCTAssertTrue(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("target/manifest.json").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("target/compiled/fixture/models/marts/kind_counts.sql").path))
    }

    func testIncrementalStrategiesProcessOnlyNewRows() async throws {
        let fixture = try RuntimeFixture()
        try await fixture.loadSources(events: Self.day1, customers: Self.customers1)
        try await fixture.run(.run)
        // day 2: one changed event (id 4 becomes a cart at a later time), two new ones
        let day2 = Self.day1.dropLast() + [(4, "cart", "2024-01-02 09:00:00"), (5, "view", "2024-01-02 10:00:00"), (6, "purchase", "2024-01-02 11:00:00")]
        try await fixture.loadSources(events: Array(day2), customers: Self.customers1)
        let (summary, _) = try await fixture.run(.run, select: ["events_append", "events_merge", "events_delete_insert"])
        XCTAssertTrue(summary.succeeded)
        // append: only rows after the previous max time are added (4's new version, 5, 6)
        let value2 = try await fixture.rows("select event_id, kind from main.events_append order by event_id, kind")
        XCTAssertEqual(value2,
                       [["1", "view"], ["2", "cart"], ["3", "purchase"], ["4", "cart"], ["4", "view"], ["5", "view"], ["6", "purchase"]])
        // merge on event_id: 4 is updated in place
        let value3 = try await fixture.rows("select event_id, kind from main.events_merge order by event_id")
        XCTAssertEqual(value3,
                       [["1", "view"], ["2", "cart"], ["3", "purchase"], ["4", "cart"], ["5", "view"], ["6", "purchase"]])
        // delete+insert on (event_id, kind): rows since the max time are replaced; 4/view stays, 4/cart is added
        let value4 = try await fixture.rows("select event_id, kind from main.events_delete_insert order by event_id, kind")
        XCTAssertEqual(value4,
                       [["1", "view"], ["2", "cart"], ["3", "purchase"], ["4", "cart"], ["4", "view"], ["5", "view"], ["6", "purchase"]])
        // a full refresh rebuilds from scratch
        try await fixture.run(.run, select: ["events_append"], fullRefresh: true)
        let value5 = try await fixture.scalar("select count(*) from main.events_append")
        XCTAssertEqual(value5, "6")
    }

    func testSchemaChangePolicies() async throws {
        let fixture = try RuntimeFixture()
        try await fixture.loadSources(events: Self.day1, customers: Self.customers1)
        try await fixture.run(.run, select: ["stg_events", "events_wide_fail", "events_wide_append", "events_wide_sync"])
        let (summary, _) = try await fixture.run(.run, select: ["events_wide_fail", "events_wide_append", "events_wide_sync"],
                                                 vars: "{extra_column: true}")
        XCTAssertEqual(summary.status("events_wide_fail"), .error)
        XCTAssertTrue(summary.result("events_wide_fail")!.message.contains("on_schema_change is 'fail'"), summary.result("events_wide_fail")!.message)
        XCTAssertEqual(summary.status("events_wide_append"), .success)
        let value6 = try await fixture.rows("select column_name from information_schema.columns where table_name = 'events_wide_append' order by ordinal_position").map { $0[0] }
        XCTAssertEqual(value6,
                       ["event_id", "kind"])
        let value7 = try await fixture.rows("select column_name from information_schema.columns where table_name = 'events_wide_sync' order by ordinal_position").map { $0[0] }
        XCTAssertEqual(value7,
                       ["event_id", "kind"])
        let value8 = try await fixture.scalar("select count(kind) from main.events_wide_sync")
        XCTAssertEqual(value8, "4")
        // the failed model kept its previous version
        let value9 = try await fixture.rows("select column_name from information_schema.columns where table_name = 'events_wide_fail'").map { $0[0] }
        XCTAssertEqual(value9, ["event_id"])
    }

    func testSnapshotsOverThreeLoads() async throws {
        let fixture = try RuntimeFixture()
        try await fixture.loadSources(events: Self.day1, customers: Self.customers1)
        try await fixture.run(.build, select: ["+customers_snapshot", "+customers_tier_snapshot"])
        // load 2: customer 2 upgrades, customer 3 changes only email
        try await fixture.loadSources(events: Self.day1, customers: [
            (1, "gold", "a@x.org", "2024-01-01 00:00:00"), (2, "gold", "b@x.org", "2024-02-01 00:00:00"),
            (3, "bronze", "c2@x.org", "2024-02-01 00:00:00"),
        ])
        try await fixture.run(.snapshot)
        // load 3: customer 1 disappears (hard delete), customer 4 arrives
        try await fixture.loadSources(events: Self.day1, customers: [
            (2, "gold", "b@x.org", "2024-02-01 00:00:00"), (3, "bronze", "c2@x.org", "2024-02-01 00:00:00"),
            (4, "silver", "d@x.org", "2024-03-01 00:00:00"),
        ])
        try await fixture.run(.snapshot)
        let history = try await fixture.rows("""
            select customer_id, tier, email, dbt_valid_from, coalesce(cast(dbt_valid_to as varchar), 'current')
            from snapshots.customers_snapshot order by customer_id, dbt_valid_from
            """)
        XCTAssertEqual(history.count, 6)
        XCTAssertEqual(Array(history[1...2]), [["2", "silver", "b@x.org", "2024-01-01 00:00:00", "2024-02-01 00:00:00"],
                                               ["2", "gold", "b@x.org", "2024-02-01 00:00:00", "current"]])
        XCTAssertEqual(history[3], ["3", "bronze", "c@x.org", "2024-01-01 00:00:00", "2024-02-01 00:00:00"])
        XCTAssertEqual(history[5], ["4", "silver", "d@x.org", "2024-03-01 00:00:00", "current"])
        XCTAssertNotEqual(history[0][4], "current", "customer 1 was hard-deleted, so its version is closed")
        let value10 = try await fixture.scalar("select count(distinct dbt_scd_id) from snapshots.customers_snapshot")
        XCTAssertEqual(value10, "6")
        // check strategy on tier only: customer 3's email change is not a new version
        let tiers = try await fixture.rows("select customer_id, tier, dbt_valid_to is null from snapshots.customers_tier_snapshot order by customer_id, dbt_valid_from")
        XCTAssertEqual(tiers, [["1", "gold", "true"], ["2", "silver", "false"], ["2", "gold", "true"], ["3", "bronze", "true"], ["4", "silver", "true"]])
    }

    func testProfilingRecordsEachBuiltTableInTheArtifact() async throws {
        let fixture = try RuntimeFixture()
        try await fixture.loadSources(events: Self.day1, customers: Self.customers1)
        let (plain, _) = try await fixture.run(.build)
        XCTAssertTrue(plain.results.allSatisfy { $0.profile == nil }, "no profile unless asked")
        let target = fixture.root.appendingPathComponent("target").path
        XCTAssertNil(ProfileArtifact.read(targetDirectory: target))
        let (summary, _) = try await fixture.run(.build, profile: true)
        let tables = summary.results.filter { $0.resourceType == .model && $0.message == "table" }
        XCTAssertFalse(tables.isEmpty)
        for result in tables {
            let profile = try XCTUnwrap(result.profile, result.name)
            XCTAssertEqual(profile.rowsProduced, result.rowsAffected, "\(result.name): rows produced are the rows built")
            XCTAssertFalse(profile.operators.isEmpty)
        }
        let document = try XCTUnwrap(ProfileArtifact.read(targetDirectory: target))
        XCTAssertEqual(document.warehouse, "duckdb")
        XCTAssertEqual(Set(document.entries.map(\.uniqueId)), Set(summary.results.filter { $0.profile != nil }.map(\.uniqueId)))
        let kindCounts = try XCTUnwrap(document.entries.first { $0.name == "kind_counts" })
        XCTAssertEqual(kindCounts.profile.rowsProduced, 3)
        XCTAssertLessThanOrEqual(kindCounts.profile.operators.count, ProfileArtifact.operatorsKept)
        XCTAssertEqual(document.slowest.first?.wallSeconds, document.entries.map(\.wallSeconds).max())
    }

    func testAFailingTestSkipsDownstreamAndExitStatusReflectsIt() async throws {
        let fixture = try RuntimeFixture()
        try await fixture.loadSources(events: Self.day1 + [(9, "refund", "2024-01-01 14:00:00")], customers: Self.customers1)
        let (summary, _) = try await fixture.run(.build)
        XCTAssertFalse(summary.succeeded)
        XCTAssertEqual(summary.status("accepted_values_stg_events_kind__view__cart__purchase"), .fail)
        // The failing rows: the one value outside the set, with its count.
        let sample = try XCTUnwrap(summary.result("accepted_values_stg_events_kind__view__cart__purchase")?.failingRows)
        XCTAssertEqual(sample.rows.count, 1)
        XCTAssertTrue(sample.rows[0].contains("refund"), "\(sample)")
        // everything built from stg_events is skipped; unrelated branches still run
        XCTAssertEqual(summary.status("kind_counts"), .skipped)
        XCTAssertEqual(summary.status("after_kinds"), .skipped)
        XCTAssertEqual(summary.status("events_merge"), .skipped)
        XCTAssertEqual(summary.status("country_summary"), .success)
        XCTAssertEqual(summary.status("customers_snapshot"), .success)
    }

    func testFailFastStopsAfterTheFirstFailure() async throws {
        let fixture = try RuntimeFixture()
        try await fixture.loadSources(events: Self.day1, customers: Self.customers1)
        try fixture.write("models/marts/broken.sql", "select no_such_column from {{ ref('countries') }}")
        let (summary, _) = try await fixture.run(.build, threads: 1, failFast: true)
        XCTAssertEqual(summary.status("broken"), .error)
        XCTAssertTrue(summary.result("broken")!.message.contains("no_such_column"), summary.result("broken")!.message)
        XCTAssertGreaterThan(summary.count(.skipped), 5)
        // without fail-fast the other branches finish
        let (again, _) = try await fixture.run(.build, threads: 2)
        XCTAssertEqual(again.status("broken"), .error)
        XCTAssertEqual(again.count(.skipped), 0)
    }

    func testSelectionAndRetryingWhatFailed() async throws {
        let fixture = try RuntimeFixture()
        try await fixture.loadSources(events: Self.day1, customers: Self.customers1)
        let (only, _) = try await fixture.run(.run, select: ["stg_events+"], exclude: ["events_wide_fail"])
        XCTAssertEqual(Set(only.results.map(\.name)), ["stg_events", "kind_counts", "after_kinds", "events_append", "events_merge",
                                                       "events_delete_insert", "events_wide_append", "events_wide_sync"])
        try fixture.write("models/marts/broken.sql", "select no_such_column from {{ ref('countries') }}")
        let (first, _) = try await fixture.run(.build)
        XCTAssertEqual(first.status("broken"), .error)
        try fixture.write("models/marts/broken.sql", "select count(*) as n from {{ ref('countries') }}")
        let (retry, _) = try await fixture.run(.build, select: ["result:error+"], statePath: fixture.root.appendingPathComponent("target").path)
        XCTAssertEqual(retry.results.map(\.name), ["broken"])
        XCTAssertEqual(retry.status("broken"), .success)
    }

    func testHooksAreRenderedInTheNodesOwnContext() async throws {
        let fixture = try RuntimeFixture()
        try await fixture.loadSources(events: Self.day1, customers: Self.customers1)
        try fixture.write("models/marts/hooked.sql", """
            {{ config(materialized='table',
                      pre_hook="create or replace table {{ target.schema }}.before_{{ this.name }} as select '{{ var('label', 'none') }}' as label",
                      post_hook=["create or replace table {{ this.schema }}.after_{{ this.name }} as select count(*) as n from {{ this }}",
                                 "insert into {{ this.schema }}.after_{{ this.name }} select count(*) from {{ ref('stg_events') }}"]) }}
            select kind from {{ ref('stg_events') }}
            """)
        let (summary, _) = try await fixture.run(.run, select: ["+hooked"], vars: "{label: nightly}")
        XCTAssertEqual(summary.status("hooked"), .success, summary.result("hooked")?.message ?? "")
        let before = try await fixture.rows("select label from main.before_hooked")
        XCTAssertEqual(before, [["nightly"]])
        let after = try await fixture.rows("select n from main.after_hooked order by n")
        XCTAssertEqual(after, [["4"], ["4"]])

        // a broken hook stops the node and names the file and which hook it was
        try fixture.write("models/marts/hooked.sql", "{{ config(post_hook='select {{ this.name ') }}\nselect 1 as one")
        let (broken, _) = try await fixture.run(.run, select: ["hooked"])
        XCTAssertEqual(broken.status("hooked"), .error)
        let message = broken.result("hooked")?.message ?? ""
        XCTAssertTrue(message.contains("models/marts/hooked.sql"), message)
        XCTAssertTrue(message.contains("post-hook 1 of hooked"), message)
    }

    func testAFailedTableBuildKeepsThePreviousVersion() async throws {
        let fixture = try RuntimeFixture()
        try await fixture.loadSources(events: Self.day1, customers: Self.customers1)
        try await fixture.run(.run, select: ["+kind_counts"])
        try fixture.write("models/marts/kind_counts.sql", "select kind, 1 / 0 as events, error('boom') from {{ ref('stg_events') }}")
        let (summary, _) = try await fixture.run(.run, select: ["kind_counts"])
        XCTAssertEqual(summary.status("kind_counts"), .error)
        let value11 = try await fixture.rows("select kind, events from main.kind_counts order by kind")
        XCTAssertEqual(value11, [["cart", "1"], ["purchase", "1"], ["view", "2"]])
        let leftovers = try await fixture.scalar("select count(*) from information_schema.tables where table_name like '%storehouse_tmp%'")
        XCTAssertEqual(leftovers, "0")
    }

    func testInsertOverwriteIsRefusedWhereTablesHaveNoPartitions() async throws {
        let fixture = try RuntimeFixture()
        try await fixture.loadSources(events: Self.day1, customers: Self.customers1)
        try fixture.write("models/marts/daily.sql", """
            {{ config(materialized='incremental', incremental_strategy='insert_overwrite', partition_by='day') }}
            select cast(happened_at as date) as day, count(*) as events from {{ source('raw_src', 'events') }} group by 1
            """)
        let (first, _) = try await fixture.run(.run, select: ["daily"])
        XCTAssertEqual(first.status("daily"), .success, "the first build is a plain table; partition_by is ignored on DuckDB")
        let (second, _) = try await fixture.run(.run, select: ["daily"])
        XCTAssertEqual(second.status("daily"), .error)
        let message = try XCTUnwrap(second.result("daily")?.message)
        XCTAssertTrue(message.contains("insert_overwrite") && message.contains("duckdb") && message.contains("merge or delete+insert"), message)
        let kept = try await fixture.rows("select count(*) from main.daily")
        XCTAssertEqual(kept, [["1"]], "the table of the first build is untouched")
        let leftovers = try await fixture.scalar("select count(*) from information_schema.tables where table_name like '%storehouse_tmp%'")
        XCTAssertEqual(leftovers, "0", "refused before staging anything")
    }
}
