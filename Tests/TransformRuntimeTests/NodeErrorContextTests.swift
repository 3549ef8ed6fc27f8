import XCTest
import WarehouseKit
@testable import TransformRuntime

/// The engine's `LINE n` counts lines of the statement it ran (`create view … as (` first); the
/// user edits the model file.
final class NodeErrorContextTests: XCTestCase {
    func testTheStatementLineMapsToTheModelLineWithTheSameText() {
        let sql = "create view \"main\".\"c\" as (\n-- header\n\nselect\n  1 as id,\n  nosuch(2) as b\n)"
        let error = WarehouseError(.query, "Catalog Error: Scalar Function with name nosuch does not exist!\n\nLINE 6:   nosuch(2) as b\n          ^", sql: sql)
        let source = "-- header\n\nselect\n  1 as id,\n  nosuch(2) as b\n"
        XCTAssertEqual(NodeErrorContext.sourceLine(for: error, source: source)?.sourceLine, 5)
        XCTAssertEqual(NodeErrorContext.sourceLine(for: error, source: source)?.statementLine, 6)
    }

    func testNoMappingWhenJinjaChangedTheLineOrTheEngineGaveNoLine() {
        let sql = "create table t as (\nselect * from \"main\".\"a\" where x > 1\n)"
        let error = WarehouseError(.query, "Binder Error: x\n\nLINE 2: select * from", sql: sql)
        XCTAssertNil(NodeErrorContext.sourceLine(for: error, source: "select * from {{ ref('a') }} where x > 1"))
        XCTAssertNil(NodeErrorContext.sourceLine(for: WarehouseError(.query, "no line here", sql: sql), source: "select 1"))
    }
}
