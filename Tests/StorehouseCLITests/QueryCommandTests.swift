import Foundation
import XCTest

/// Runs the built `storehouse` binary as a user would and checks what it prints.
final class QueryCommandTests: XCTestCase {
    func testSelectFortyTwoPrintsAnAlignedTable() throws {
        let run = try StorehouseProcess.run(["query", "select 42 as answer", "--db", ":memory:"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, """
            answer
            ──────
                42
            (1 row)

            """)
    }

    func testCSVAndJSONFormats() throws {
        let sql = "select 1 as id, 'a,\"b\"' as label, null as missing union all select 2, 'plain', null order by id"
        let csv = try StorehouseProcess.run(["query", sql, "--format", "csv", "--db", ":memory:"])
        XCTAssertEqual(csv.stdout, "id,label,missing\n1,\"a,\"\"b\"\"\",\n2,plain,\n")
        let json = try StorehouseProcess.run(["query", sql, "-f", "json", "--db", ":memory:"])
        XCTAssertEqual(json.stdout, "[{\"id\":1,\"label\":\"a,\\\"b\\\"\",\"missing\":null},\n {\"id\":2,\"label\":\"plain\",\"missing\":null}]\n")
    }

    func testBadSQLExitsWithOneAndNamesTheProblem() throws {
        let run = try StorehouseProcess.run(["query", "select * from no_such_table", "--db", ":memory:"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.hasPrefix("error: Catalog Error: Table with name no_such_table does not exist!"), run.stderr)
        XCTAssertTrue(run.stderr.contains("in SQL:\n    select * from no_such_table"), run.stderr)
        XCTAssertEqual(run.stdout, "")
    }

    func testVersionAndUnknownFormat() throws {
        let version = try StorehouseProcess.run(["--version"])
        XCTAssertEqual(version.stdout, "storehouse 0.1.0\n")
        let bad = try StorehouseProcess.run(["query", "select 1", "--format", "xml"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("table"), bad.stderr) // the allowed values are listed
    }
}
