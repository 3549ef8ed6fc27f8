import Foundation
import XCTest

/// `storehouse compile` reads the warehouse as dbt's compile does (run_query answers,
/// is_incremental() sees the table) without writing to it, and compiles offline, saying so, when
/// there is no warehouse yet.
final class CompileCommandTests: XCTestCase {
    func testCompileReadsTheWarehouseWithoutWritingIt() throws {
        let folder = ProjectFolder(prefix: "storehouse-compile")
        defer { folder.remove() }
        try folder.write("dbt_project.yml", "name: compiling\nprofile: compiling\nconfig-version: 2\n")
        try folder.write("profiles.yml", "compiling:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: w.duckdb\n")
        try folder.write("models/seven.sql", "select range as n from range(7)")
        try folder.write("models/counted.sql", """
            {{ config(materialized='incremental') }}
            {% set rows = run_query('select count(*) as n from ' ~ ref('seven')) %}
            select {{ rows.columns[0].values()[0] if rows.rows | length > 0 else -1 }} as counted, {{ is_incremental() }} as incremental
            """)
        let offline = try StorehouseProcess.run(["compile"], in: folder.root)
        XCTAssertEqual(offline.status, 0, offline.stderr)
        XCTAssertTrue(offline.stderr.contains("note: no warehouse at w.duckdb yet"), offline.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.root.appendingPathComponent("w.duckdb").path), "compile created a warehouse")
        XCTAssertTrue(try String(contentsOf: folder.root.appendingPathComponent("target/compiled/compiling/models/counted.sql"), encoding: .utf8).contains("select -1 as counted, False as incremental"))

        XCTAssertEqual(try StorehouseProcess.run(["run"], in: folder.root).status, 0)
        let tablesBefore = try StorehouseProcess.run(["query", "select count(*) from information_schema.tables", "--db", "w.duckdb", "-f", "csv"], in: folder.root).stdout
        let live = try StorehouseProcess.run(["compile"], in: folder.root)
        XCTAssertEqual(live.status, 0, live.stderr)
        XCTAssertEqual(live.stderr, "")
        XCTAssertTrue(try String(contentsOf: folder.root.appendingPathComponent("target/compiled/compiling/models/counted.sql"), encoding: .utf8).contains("select 7 as counted, True as incremental"))
        let tablesAfter = try StorehouseProcess.run(["query", "select count(*) from information_schema.tables", "--db", "w.duckdb", "-f", "csv"], in: folder.root).stdout
        XCTAssertEqual(tablesAfter, tablesBefore)
    }
}
