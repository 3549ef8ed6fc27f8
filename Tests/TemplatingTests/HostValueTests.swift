import Templating
import XCTest

final class HostValueTests: XCTestCase {
    /// Like a query result: iterable rows, subscriptable by column name.
    final class ResultTable: TemplateObject {
        let rows: [Value]
        init(rows: [Value]) { self.rows = rows }
        func attribute(_ name: String) -> Value? { name == "rows" ? Value(rows) : nil }
        var renderedString: String { "<table of \(rows.count) rows>" }
        func iterate() -> [Value]? { rows }
        func item(_ key: Value) -> Value? { key.intValue.flatMap { $0 < rows.count ? rows[$0] : nil } }
        func call(_ arguments: Arguments) throws -> Value { .int(rows.count) }
    }

    func testHostObjectIterationSubscriptCallAndPrinting() throws {
        let table = Value.object(ResultTable(rows: [["id": 1], ["id": 2]]))
        XCTAssertEqual(
            try render("{% for r in t %}{{ r.id }}{% endfor %} {{ t[1].id }} {{ t() }} {{ t }} {{ t | length }} {{ t.missing is defined }}", ["t": table]),
            "12 2 2 <table of 2 rows> 2 False")
    }

    func testValueConveniences() {
        let v: Value = ["b": 2, "a": [1, "x", .none]]
        XCTAssertEqual(v.renderedString, "{'b': 2, 'a': [1, 'x', None]}")
        XCTAssertEqual(Value(["z": 1, "a": 2] as [String: Value]).renderedString, "{'a': 2, 'z': 1}")
        XCTAssertTrue(Value.string("x").isTruthy)
        XCTAssertFalse(Value.list(ListBox()).isTruthy)
        XCTAssertFalse(Value.undefined("'x' is undefined").isTruthy)
        XCTAssertEqual(Value.double(3).renderedString, "3.0")
    }

    func testArgumentsBindPositionalThenKeyword() throws {
        let args = Arguments(positional: ["a"], keyword: [("second", 2)])
        XCTAssertEqual(args.arg(0, "first")?.stringValue, "a")
        XCTAssertEqual(args.arg(1, "second")?.intValue, 2)
        XCTAssertNil(args.arg(2, "third"))
        XCTAssertThrowsError(try args.string(1, "second", of: "f")) { error in
            XCTAssertEqual((error as? TemplateError)?.message, "f() expects argument 'second' to be a string, got int")
        }
    }

    func testDictBoxKeepsInsertionOrderAndPythonKeyEquality() {
        let d = DictBox()
        d[.string("z")] = 1
        d[.int(1)] = "one"
        d[.string("a")] = 2
        XCTAssertEqual(d[.double(1.0)]?.stringValue, "one")
        d[.string("z")] = nil
        XCTAssertEqual(Value.dict(d).renderedString, "{1: 'one', 'a': 2}")
    }
}
