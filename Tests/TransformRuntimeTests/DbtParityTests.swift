import Foundation
import TransformRuntime
import WarehouseDuckDB
import WarehouseKit
import XCTest

/// Builds the runtime fixture with Storehouse and with dbt-core + dbt-duckdb on the same source
/// data and checks every relation holds the same rows. Skipped, with the reason, when dbt is not
/// installed (scripts/dbt-venv.sh installs it; scripts/test runs that first).
final class DbtParityTests: XCTestCase {
    static var dbtExecutable: String? {
        let cache = ProcessInfo.processInfo.environment["STOREHOUSE_CACHE"] ?? (NSHomeDirectory() + "/.cache/storehouse")
        let path = cache + "/dbt-venv/bin/dbt"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    func testFixtureBuildsToTheSameTablesAsDbt() async throws {
        guard let dbt = Self.dbtExecutable else {
            throw XCTSkip("dbt-core + dbt-duckdb are not installed (run scripts/dbt-venv.sh); the comparison with dbt is skipped")
        }
        let fixture = try RuntimeFixture()
        let events = TransformRunnerTests.day1 + [(5, "cart", "2024-01-02 10:00:00")]
        try await fixture.loadSources(events: events, customers: TransformRunnerTests.customers1)
        // dbt gets its own copy of the sources, in a file of its own.
        let dbtFile = fixture.root.appendingPathComponent("dbt.duckdb").path
        do {
            let other = try DuckDBWarehouse(path: dbtFile)
            try await other.write { db in
                try await db.execute("create schema raw_src")
                try await db.execute(SQL(unsafeRaw: "attach '\(fixture.root.appendingPathComponent("fixture.duckdb").path)' as src (read_only)"))
                try await db.execute("create table raw_src.events as select * from src.raw_src.events")
                try await db.execute("create table raw_src.customers as select * from src.raw_src.customers")
                try await db.execute("detach src")
            }
            await other.close()
        }
        let (ours, _) = try await fixture.run(.build)
        XCTAssertTrue(ours.succeeded)

        let (status, log) = try ToolSupport.run(dbt, ["build", "--project-dir", fixture.root.path, "--profiles-dir", fixture.root.path,
                                                      "--target-path", "dbt-target"], in: fixture.root, environment: ["FIXTURE_DB": dbtFile])
        XCTAssertEqual(status, 0, "dbt build failed:\n\(log)")

        try await fixture.warehouse.write { db in
            try await db.execute(SQL(unsafeRaw: "attach '\(dbtFile)' as dbt (read_only)"))
        }
        let relations = try await fixture.rows("""
            select table_schema, table_name from information_schema.tables
            where table_catalog = 'dbt' and table_schema in ('main', 'snapshots') order by 1, 2
            """)
        XCTAssertGreaterThan(relations.count, 10)
        for relation in relations {
            let (schema, name) = (relation[0], relation[1])
            // Check-strategy snapshot times are the moment each tool ran: compare the rest.
            let columns = try await fixture.rows("""
                select column_name from information_schema.columns
                where table_catalog = 'dbt' and table_schema = '\(schema)' and table_name = '\(name)'
                  and not (table_name = 'customers_tier_snapshot' and column_name in ('dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to'))
                order by ordinal_position
                """).map { "\"\($0[0])\"" }.joined(separator: ", ")
            let ourName = "fixture.\"\(schema)\".\"\(name)\"", theirName = "dbt.\"\(schema)\".\"\(name)\""
            let difference = try await fixture.scalar("""
                select (select count(*) from (select \(columns) from \(ourName) except all select \(columns) from \(theirName)))
                     + (select count(*) from (select \(columns) from \(theirName) except all select \(columns) from \(ourName)))
                """)
            XCTAssertEqual(difference, "0", "\(schema).\(name) differs from dbt's")
        }
    }
}
