import Foundation
import XCTest

/// `storehouse ingest`, `ingest files` and `export` with the real binary, and the same
/// connectors and export run as job steps: a landing folder in, a model built on the raw table,
/// Parquet out.
final class IngestCommandTests: XCTestCase {
    func project() throws -> ProjectFolder {
        let folder = ProjectFolder(prefix: "storehouse-ingest")
        try folder.write("dbt_project.yml", "name: shop\nprofile: shop\nmodels:\n  shop:\n    +materialized: table\n")
        try folder.write("profiles.yml", "shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: \(folder.root.path)/w.duckdb\n")
        try folder.write("models/sources.yml", "version: 2\nsources:\n  - name: raw\n    schema: raw\n    tables: [{name: partner_orders}]\n")
        try folder.write("models/orders_by_region.sql", """
            select region, count(*) as orders, sum(amount) as amount
            from {{ source('raw', 'partner_orders') }} group by region
            """)
        try folder.write("connectors.yml", """
            connectors:
              - name: partner_orders
                path: landing/orders/*.csv
                into: raw.partner_orders
                columns: {order_id: BIGINT, amount: "DECIMAL(10,2)"}
                write_disposition: merge
                primary_key: order_id
            """)
        try folder.write("landing/orders/day-1.csv", "order_id,region,amount\n1,EU,10.00\n2,US,20.00\n3,EU,oops\n")
        try folder.write("landing/orders/day-2.csv", "order_id,region,amount\n2,US,25.00\n4,APAC,5.50\n")
        return folder
    }

    func testIngestBuildAndExportFromTheCommandLine() throws {
        let folder = try project()
        defer { folder.remove() }
        let first = try folder.storehouse(["ingest"])
        XCTAssertEqual(first.status, 0, first.stdout + first.stderr)
        XCTAssertTrue(first.stdout.contains("partner_orders: landing/orders/*.csv → raw.partner_orders (merge)"), first.stdout)
        XCTAssertTrue(first.stdout.contains("loaded     landing/orders/day-1.csv  2 rows, 1 quarantined"), first.stdout)
        XCTAssertTrue(first.stdout.contains("partner_orders → raw.partner_orders: succeeded; 2 files (2 loaded); 4 rows"), first.stdout)
        XCTAssertTrue(first.stdout.contains("1 rows quarantined: select * from ingest.quarantine where load_id = '"), first.stdout)

        let again = try folder.storehouse(["ingest", "partner_orders"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("2 files (2 unchanged); 0 rows"), again.stdout)

        let status = try folder.storehouse(["ingest", "status"])
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.hasPrefix("partner_orders (files → raw.partner_orders): last load succeeded at "), status.stdout)
        XCTAssertTrue(status.stdout.contains("UTC, 0 rows; 2 loads in all; 2 files in the ledger; 1 rows in quarantine (ingest.quarantine)"), status.stdout)

        XCTAssertEqual(try folder.storehouse(["build"]).status, 0)
        let built = try StorehouseProcess.run(["query", "--db", folder.root.path + "/w.duckdb", "--format", "csv",
                                               "select region, orders, amount from orders_by_region order by region"])
        XCTAssertEqual(built.stdout.split(separator: "\n").map(String.init), ["region,orders,amount", "APAC,1,5.50", "EU,1,10.00", "US,1,25.00"],
                       "order 2 merged to its later amount; order 3 quarantined")

        let lake = folder.root.appendingPathComponent("lake").path
        let export = try folder.storehouse(["export", "--select", "orders_by_region", "--to", lake, "--partition-by", "region"])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertTrue(export.stdout.contains("main.orders_by_region → \(lake)/main/orders_by_region/  3 rows in 3 files, partitioned by region"), export.stdout)
        let manifest = try String(contentsOfFile: lake + "/_manifest.json", encoding: .utf8)
        XCTAssertTrue(manifest.contains("\"main.orders_by_region\""), manifest)
        XCTAssertTrue(manifest.contains("region=EU"), manifest)

        // The loaded raw table, selected as a source, goes to the lake beside the mart.
        let raw = try folder.storehouse(["export", "--select", "source:raw", "--to", lake])
        XCTAssertEqual(raw.status, 0, raw.stderr)
        XCTAssertTrue(raw.stdout.contains("raw.partner_orders → \(lake)/raw/partner_orders/  3 rows in 1 file"), raw.stdout)
        let both = try String(contentsOfFile: lake + "/_manifest.json", encoding: .utf8)
        XCTAssertTrue(both.contains("\"main.orders_by_region\"") && both.contains("\"raw.partner_orders\""), both)
    }

    func testBadInputIsOneClearError() throws {
        let folder = try project()
        defer { folder.remove() }
        let unknown = try folder.storehouse(["ingest", "partner_ordrs"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("no connector named 'partner_ordrs'"), unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("declared: partner_orders"), unknown.stderr)

        let target = try folder.storehouse(["ingest", "files", "landing/orders", "--into", "raw.a.b"])
        XCTAssertEqual(target.status, 2)
        XCTAssertTrue(target.stderr.contains("--into 'raw.a.b' is not schema.table"), target.stderr)

        let missing = try folder.storehouse(["ingest", "files", "landing/nowhere/*.csv", "--into", "raw.x"], in: folder.root)
        XCTAssertEqual(missing.status, 0, "a glob that matches nothing is not an error")
        XCTAssertTrue(missing.stdout.contains("no files matched"), missing.stdout)

        try folder.write("landing/broken.json", "[{\"a\": 1},")
        let broken = try folder.storehouse(["ingest", "files", "landing/broken.json", "--into", "raw.broken"], in: folder.root)
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.stdout.contains("failed     landing/broken.json: landing/broken.json is not valid JSON"), broken.stdout)

        try folder.write("connectors.yml", "connectors:\n  - name: a\n    path: x\n    into: raw.a\n    kind: ftp\n")
        let config = try folder.storehouse(["ingest"])
        XCTAssertEqual(config.status, 2)
        XCTAssertTrue(config.stderr.contains("connectors.yml:5:11: kind 'ftp' is not one of files, rest, postgres"), config.stderr)

        let export = try folder.storehouse(["export", "--select", "nothing_like_this", "--to", folder.root.path + "/lake"])
        XCTAssertEqual(export.status, 2)
        XCTAssertTrue(export.stderr.contains("nothing to export"), export.stderr)
    }

    func testAFileNamedOnTheCommandLineIsFoundFromTheCurrentFolder() throws {
        let folder = try project()
        defer { folder.remove() }
        // A shell in the folder above the project: its relative path is the shell's, not the project's.
        let above = folder.root.deletingLastPathComponent()
        let name = "drop-\(UUID().uuidString).csv"
        try "sku,units\nA1,3\nB2,4\n".write(to: above.appendingPathComponent(name), atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: above.appendingPathComponent(name)) }
        let loaded = try folder.storehouse(["ingest", "files", name, "--into", "raw.drop"], in: above)
        XCTAssertEqual(loaded.status, 0, loaded.stdout + loaded.stderr)
        XCTAssertTrue(loaded.stdout.contains("files_raw_drop → raw.drop: succeeded; 1 file (1 loaded); 2 rows"), loaded.stdout)
        // In the project folder, the same relative path names the project's file, as before.
        try folder.write(name, "sku,units\nC3,5\n")
        let inside = try folder.storehouse(["ingest", "files", name, "--into", "raw.drop_inside"], in: folder.root)
        XCTAssertTrue(inside.stdout.contains("loaded     \(name)  1 rows"), inside.stdout)
    }

    func testAFileLoadsWithoutAProjectIntoTheWarehouseDbNames() throws {
        let folder = ProjectFolder(prefix: "storehouse-no-project")
        defer { folder.remove() }
        try folder.write("drop/orders.csv", "order_id,amount\n1,9.50\n2,3.25\n")
        let first = try StorehouseProcess.run(["ingest", "files", "drop/orders.csv", "--into", "raw.orders", "--db", "w.duckdb"],
                                              in: folder.root, environment: ["STOREHOUSE_RUNS_DB": ""])
        XCTAssertEqual(first.status, 0, first.stdout + first.stderr)
        XCTAssertTrue(first.stdout.contains("loaded     drop/orders.csv  2 rows"), first.stdout)
        let again = try StorehouseProcess.run(["ingest", "files", "drop/orders.csv", "--into", "raw.orders", "--db", "w.duckdb"],
                                              in: folder.root, environment: ["STOREHOUSE_RUNS_DB": ""])
        XCTAssertTrue(again.stdout.contains("1 file (1 unchanged); 0 rows"), again.stdout)
        let loaded = try StorehouseProcess.run(["query", "--db", folder.root.path + "/w.duckdb", "--format", "csv",
                                                "select count(*), sum(amount), min(_ingest_file) from raw.orders"])
        XCTAssertEqual(loaded.stdout, "count_star(),sum(amount),min(_ingest_file)\n2,12.75,drop/orders.csv\n")

        // A --project-dir that names no project is the usual error, not a load elsewhere.
        let typo = try StorehouseProcess.run(["ingest", "files", "drop/orders.csv", "--into", "raw.orders", "--project-dir", "no-such-project"],
                                             in: folder.root, environment: ["STOREHOUSE_RUNS_DB": ""])
        XCTAssertEqual(typo.status, 2)
        XCTAssertTrue(typo.stderr.contains("dbt_project.yml"), typo.stderr)

        // With a project, its profile names the warehouse: --db is refused with what to do.
        let project = try project()
        defer { project.remove() }
        let both = try project.storehouse(["ingest", "files", "landing/orders", "--into", "raw.x", "--db", "elsewhere.duckdb"])
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.stderr.contains("--db is for loading without a project"), both.stderr)
    }

    func testTheIngestAndExportStepsOfAJob() throws {
        let folder = try project()
        defer { folder.remove() }
        try folder.write("jobs.yml", """
            jobs:
              daily:
                steps:
                  - ingest: partner_orders
                  - build: {select: orders_by_region}
                  - export: {to: lake, select: orders_by_region, partition_by: region}
            """)
        let run = try folder.storehouse(["jobs", "run", "daily"])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("succeeded"), run.stdout)
        let manifest = try String(contentsOfFile: folder.root.path + "/lake/_manifest.json", encoding: .utf8)
        XCTAssertTrue(manifest.contains("\"rows\" : 3"), manifest)
        XCTAssertTrue(manifest.contains("main/orders_by_region/region=APAC/part-0.parquet"), manifest)
    }

    /// DuckDB lets one process write the file: while serve owns it, `ingest` runs its connectors
    /// in the server as a run and streams the log here; `export` says where to go instead.
    func testIngestRunsInsideARunningServe() throws {
        let folder = try project()
        defer { folder.remove() }
        let serve = Process()
        serve.executableURL = StorehouseProcess.executable
        serve.arguments = ["serve", "--project-dir", folder.root.path, "--port", "0"]
        // The run store beside the warehouse, named outright: the lock file serve leaves there is
        // how the other commands find it.
        let runs = ["STOREHOUSE_RUNS_DB": folder.root.appendingPathComponent("w.runs.sqlite").path]
        serve.environment = ProcessInfo.processInfo.environment.merging(runs) { _, named in named }
        serve.standardOutput = FileHandle.nullDevice
        serve.standardError = FileHandle.nullDevice
        try serve.run()
        defer {
            serve.terminate()
            serve.waitUntilExit()
        }
        let lock = folder.root.appendingPathComponent("w.serve.json").path
        let deadline = Date().addingTimeInterval(90)
        while !FileManager.default.fileExists(atPath: lock), serve.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.2) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: lock), "serve did not start")

        let run = try StorehouseProcess.run(["ingest", "--project-dir", folder.root.path], environment: runs)
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("owns the warehouse: storehouse ingest runs there"), run.stdout)
        XCTAssertTrue(run.stdout.contains("partner_orders → raw.partner_orders: succeeded; 2 files (2 loaded); 4 rows"), run.stdout)

        let export = try StorehouseProcess.run(["export", "--select", "orders_by_region", "--to", folder.root.path + "/lake", "--project-dir", folder.root.path],
                                               environment: runs)
        XCTAssertEqual(export.status, 2)
        XCTAssertTrue(export.stderr.contains("owns the warehouse, so this command cannot open it"), export.stderr)
        XCTAssertTrue(export.stderr.contains("- export: {to:"), export.stderr)
    }
}
