import Foundation
import PostgresTestSupport
import SyntheticData
import WarehouseKit
import WarehousePostgres
import XCTest

/// kill -9 of `storehouse ingest postgres` at a random moment of a load, against the throw-away
/// PostgreSQL cluster: each table is written in one warehouse transaction with its cursor, so
/// after the kill every table is as it was before the load or as the whole load left it, and the
/// rerun ends with exactly the tables of an uninterrupted load — for a first, whole load and for
/// an incremental one after rows changed in the source.
final class IngestPostgresKillTests: XCTestCase {
    let trials = ProcessInfo.processInfo.environment["STOREHOUSE_KILL_TRIALS"].flatMap(Int.init) ?? 2
    let seed = ProcessInfo.processInfo.environment["STOREHOUSE_KILL_SEED"].flatMap(UInt64.init) ?? UInt64(Date().timeIntervalSince1970 * 1000)
    static let schema = "kill_source"

    func testPostgresIngestKilledAtAnyMomentLeavesEachTableWholeOrUntouchedAndTheRerunCompletesIt() async throws {
        let server: PostgresTestServer
        switch PostgresTestServer.start() {
        case .success(let started): server = started
        case .failure(let reason): throw XCTSkip(reason.description)
        }
        defer { server.stop() }
        let configuration = server.configuration
        let source = PostgresWarehouse(configuration: configuration)
        // orders has a numeric column (staged, then cast) and the cursor; visits is large enough
        // to be read in two halves on two connections; regions is small.
        try await source.write { db in
            try await db.executeScript("""
                drop schema if exists \(Self.schema) cascade;
                create schema \(Self.schema);
                create table \(Self.schema).orders (id bigint primary key, customer text, amount numeric(12,2), updated_at timestamptz not null);
                insert into \(Self.schema).orders select g, 'customer ' || (g % 977), (g % 5000) / 7.0, timestamptz '2024-01-01' + g * interval '1 second'
                from generate_series(1, 30000) g;
                create table \(Self.schema).visits (id bigint primary key, note text, at timestamptz not null);
                insert into \(Self.schema).visits select g, md5(g::text), timestamptz '2024-01-01' + g * interval '1 minute' from generate_series(1, 60000) g;
                create table \(Self.schema).regions (code text primary key, name text, updated_at timestamptz not null);
                insert into \(Self.schema).regions values ('EU', 'Europe', '2024-01-01'), ('US', 'United States', '2024-01-01');
                """)
        }
        let url = "postgres://\(configuration.user)@/\(configuration.database)?host=\(configuration.host)&port=\(configuration.port)"
        let arguments = ["ingest", "postgres", "--url", url, "--schema", Self.schema, "--cursor-column", "updated_at"]
        var random = SeededRandom(seed: seed)

        // A whole first load, killed.
        let reference = try project("whole-reference")
        defer { reference.remove() }
        let started = Date()
        let uninterrupted = try storehouse(arguments, in: reference.root)
        XCTAssertEqual(uninterrupted.status, 0, uninterrupted.stdout + uninterrupted.stderr)
        let duration = Date().timeIntervalSince(started)
        let whole = try tables(reference.root)
        XCTAssertEqual(whole.keys.sorted(), ["orders", "regions", "visits"], uninterrupted.stdout)
        XCTAssertTrue(whole["visits"]?.hasPrefix("60000,") == true, "\(whole)")
        var killedMidLoad = 0
        for trial in 1...trials {
            let folder = try project("whole-\(trial)")
            defer { folder.remove() }
            let delay = duration * (0.1 + random.unit())
            let context = "whole load, trial \(trial) (STOREHOUSE_KILL_SEED=\(seed)): killed after \(String(format: "%.2f", delay)) s of a \(String(format: "%.2f", duration)) s load"
            if try killed(arguments, in: folder.root, after: delay) { killedMidLoad += 1 }
            for (table, sum) in try tables(folder.root, afterKill: true) {
                XCTAssertEqual(sum, whole[table], "\(context): \(table) is half-written")
            }
            let rerun = try storehouse(arguments, in: folder.root)
            XCTAssertEqual(rerun.status, 0, "\(context): the rerun failed\n\(rerun.stdout)\(rerun.stderr)")
            XCTAssertEqual(try tables(folder.root), whole, "\(context): the rerun's tables differ from an uninterrupted load's")
        }

        // An incremental load after rows changed and arrived in the source, killed.
        try await source.write { db in
            try await db.executeScript("""
                update \(Self.schema).orders set amount = amount + 1, updated_at = timestamptz '2024-06-01' + id * interval '1 millisecond' where id % 10 = 0;
                insert into \(Self.schema).orders select g, 'new ' || g, 1.5, timestamptz '2024-06-02' from generate_series(30001, 33000) g;
                update \(Self.schema).regions set name = 'European Union', updated_at = '2024-06-01' where code = 'EU';
                """)
        }
        await source.close()
        let afterChanges = try project("incremental-reference")
        defer { afterChanges.remove() }
        try copyWarehouse(from: reference, to: afterChanges)
        let incrementalStarted = Date()
        let incrementalRun = try storehouse(arguments, in: afterChanges.root)
        XCTAssertEqual(incrementalRun.status, 0, incrementalRun.stdout + incrementalRun.stderr)
        XCTAssertTrue(incrementalRun.stdout.contains("incremental from its cursor"), incrementalRun.stdout)
        let incrementalDuration = Date().timeIntervalSince(incrementalStarted)
        let changed = try tables(afterChanges.root)
        XCTAssertTrue(changed["orders"]?.hasPrefix("33000,") == true, "\(changed)")
        XCTAssertNotEqual(changed["orders"], whole["orders"])
        XCTAssertNotEqual(changed["regions"], whole["regions"])
        for trial in 1...trials {
            let folder = try project("incremental-\(trial)")
            defer { folder.remove() }
            try copyWarehouse(from: reference, to: folder)
            let delay = incrementalDuration * (0.1 + random.unit())
            let context = "incremental load, trial \(trial) (STOREHOUSE_KILL_SEED=\(seed)): killed after \(String(format: "%.2f", delay)) s of a \(String(format: "%.2f", incrementalDuration)) s load"
            if try killed(arguments, in: folder.root, after: delay) { killedMidLoad += 1 }
            for (table, sum) in try tables(folder.root, afterKill: true) {
                XCTAssertTrue(sum == whole[table] || sum == changed[table], "\(context): \(table) is half-written (\(sum))")
            }
            let rerun = try storehouse(arguments, in: folder.root)
            XCTAssertEqual(rerun.status, 0, "\(context): the rerun failed\n\(rerun.stdout)\(rerun.stderr)")
            XCTAssertEqual(try tables(folder.root), changed, "\(context): the rerun's tables differ from an uninterrupted load's")
        }
        XCTAssertGreaterThan(killedMidLoad, 0, "no trial died mid-load (seed \(seed))")
        print("postgres ingest kill loop: \(killedMidLoad) of \(trials * 2) runs killed mid-load (seed \(seed))")
    }

    func project(_ name: String) throws -> ProjectFolder {
        let folder = ProjectFolder(prefix: "storehouse-pg-kill-\(name)")
        try folder.write("dbt_project.yml", "name: killer\nprofile: killer\n")
        try folder.write("profiles.yml", "killer:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: w.duckdb\n")
        return folder
    }

    func copyWarehouse(from: ProjectFolder, to: ProjectFolder) throws {
        let name = "w.duckdb"
        try FileManager.default.copyItem(at: from.root.appendingPathComponent(name), to: to.root.appendingPathComponent(name))
    }

    /// Each table of schema raw: its row count and a hash of its rows without the load's id
    /// (which differs from load to load). After a kill the warehouse may not exist yet.
    func tables(_ folder: URL, afterKill: Bool = false) throws -> [String: String] {
        let list = try storehouse(["query", "select table_name from information_schema.tables where table_schema = 'raw' order by 1",
                                   "--db", "w.duckdb", "--format", "csv"], in: folder)
        guard list.status == 0 else {
            XCTAssertTrue(afterKill, "cannot list the tables: \(list.stderr)")
            return [:]
        }
        let names = list.stdout.split(separator: "\n").dropFirst().map(String.init)
        guard !names.isEmpty else { return [:] }
        let sql = names.map {
            "select '\($0)', count(*), coalesce(sum(hash(t)), 0) from (select * exclude (_ingest_load_id) from raw.\"\($0)\") t"
        }.joined(separator: " union all ")
        let sums = try storehouse(["query", sql, "--db", "w.duckdb", "--format", "csv", "--max-rows", "0"], in: folder)
        XCTAssertEqual(sums.status, 0, sums.stderr)
        var result: [String: String] = [:]
        for line in sums.stdout.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",", maxSplits: 1).map(String.init)
            if fields.count == 2 { result[fields[0]] = fields[1] }
        }
        return result
    }
}
