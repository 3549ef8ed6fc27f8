import Foundation
import TransformProject
@testable import TransformRuntime
import WarehouseDuckDB
import XCTest

/// On DuckDB a seed is read with the quote character DuckDB's CSV sniffer finds, as dbt-duckdb
/// loads seeds with DuckDB's `COPY`: dbt-utils' `data_nullcheck_table.csv` quotes with `'`, so its
/// `''` cells are NULL there (dbt-duckdb's table, byte for byte), not the text `''`.
final class SeedQuoteTests: XCTestCase {
    func testASeedQuotedWithApostrophesReadsAsDbtDuckDBReadsIt() async throws {
        let dir = NSTemporaryDirectory() + "storehouse-seedquote-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = [
            "dbt_project.yml": "name: quotes\nprofile: quotes\nconfig-version: 2\n",
            "profiles.yml": "quotes:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: '\(dir)/w.duckdb'\n",
            "seeds/nullcheck.csv": "field_1,field_2,field_3\na,'',1\n'',b,2\n'','',3\n",
            "seeds/plain.csv": "id,name\n1,\"Smith, Ada\"\n2,\"\"\n3,O'Brien\n",
        ]
        let (project, warehouse) = try SeedHookTests.open(dir, files)
        let summary = try await TransformRunner(project: project, warehouse: warehouse, options: RunOptions(command: .seed), reporter: CollectingReporter()).run()
        XCTAssertEqual(summary.results.map(\.status), [.success, .success], summary.results.map(\.message).joined(separator: "; "))
        let nullcheck = try await warehouse.read { try await $0.query("select field_1, field_2, field_3 from main.nullcheck order by field_3") }
        XCTAssertEqual(nullcheck.rows.map { $0.map(\.description) }, [["a", "NULL", "1"], ["NULL", "b", "2"], ["NULL", "NULL", "3"]])
        // A file quoting with `"` keeps its commas and apostrophes; an empty quoted cell is NULL.
        let plain = try await warehouse.read { try await $0.query("select name from main.plain order by id") }
        XCTAssertEqual(plain.rows.map { $0[0].description }, ["Smith, Ada", "NULL", "O'Brien"])
    }
}
