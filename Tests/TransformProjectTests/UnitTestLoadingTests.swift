import Foundation
import XCTest
@testable import TransformProject
import WarehouseKit

/// `unit_tests:` read as dbt-core 1.11 reads them (ids, fqn, rows from csv, fixture files and
/// seeds, the manifest's `unit_tests` section), the mistakes it refuses, and the pure parts of a
/// run: fixture SQL and the table diff.
final class UnitTestLoadingTests: XCTestCase {
    static let fixture = Fixtures.root + "/unit_tests"

    /// The fixture in a temporary folder, `edits` applied (nil deletes a file).
    func withCopy<T>(_ edits: [String: String?] = [:], _ body: (String) throws -> T) throws -> T {
        let dir = NSTemporaryDirectory() + "storehouse-ut-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (path, text) in edits {
            if let text { try text.write(toFile: dir + "/" + path, atomically: true, encoding: .utf8) } else { try FileManager.default.removeItem(atPath: dir + "/" + path) }
        }
        return try body(dir)
    }

    func load(_ dir: String) throws -> LoadedProject {
        try ProjectLoader.load(LoadOptions(projectDir: dir, profilesDir: dir, environment: [:], homeDirectory: "/nonexistent"))
    }

    func loadError(_ unitTests: String) throws -> String {
        try withCopy(["models/unit_tests.yml": unitTests]) { dir in
            do { _ = try load(dir); return "" } catch let e as TransformError { return e.description }
        }
    }

    func testUnitTestsLoadWithDbtsIdsAndRows() throws {
        let project = try withCopy { try load($0) }
        let tests = project.manifest.nodes.values.filter { $0.resourceType == .unitTest }
        XCTAssertEqual(tests.count, 10)
        let seed = try XCTUnwrap(project.manifest.nodes["unit_test.ut_shop.stg_orders.rows_from_the_seed"])
        XCTAssertEqual(seed.fqn, ["ut_shop", "stg_orders", "rows_from_the_seed"])
        XCTAssertEqual(seed.dependsOnNodes, ["model.ut_shop.stg_orders"])
        // An input that refs a seed without rows takes the seed's rows, as text (dbt reads the CSV).
        guard case .rows(let seedRows)? = seed.unitTest?.given.first?.rows else { return XCTFail("no rows") }
        XCTAssertEqual(seedRows.count, 4)
        XCTAssertEqual(seedRows[1].map(\.0), ["id", "customer_id", "amount", "status", "ordered_at"])
        XCTAssertEqual(seedRows[1].map(\.1), [.string("2"), .string("10"), .string("4.25"), .string("RETURNED"), .string("2024-01-05")])
        // A csv fixture file: an empty cell is NULL.
        let file = try XCTUnwrap(project.manifest.nodes["unit_test.ut_shop.stg_orders.rows_from_a_fixture_file"]?.unitTest)
        guard case .rows(let fileRows) = file.given[0].rows else { return XCTFail("no rows") }
        XCTAssertEqual(fileRows[1].first { $0.0 == "customer_id" }?.1, .null)
        guard case .rows(let expected) = file.expect else { return XCTFail("no rows") }
        XCTAssertEqual(expected[1].map(\.1), [.string("8"), .null, .null])
        // Overrides are kept as written.
        let env = try XCTUnwrap(project.manifest.nodes["unit_test.ut_shop.stg_orders.currency_from_the_environment"]?.unitTest)
        XCTAssertEqual(env.overrides.envVars.first?.1, .string("USD"))
        // The fixture folder holds fixtures, not singular tests.
        XCTAssertFalse(project.manifest.nodes.keys.contains { $0.hasPrefix("test.ut_shop.orders_fixture") })
    }

    func testTheManifestListsUnitTestsInTheirOwnSection() throws {
        let project = try withCopy { try load($0) }
        let json = ManifestWriter.jsonObject(project.manifest)
        let unitTests = try XCTUnwrap(json["unit_tests"] as? [String: Any])
        XCTAssertEqual(unitTests.count, 10)
        XCTAssertFalse((json["nodes"] as? [String: Any] ?? [:]).keys.contains { $0.hasPrefix("unit_test.") })
        let entry = try XCTUnwrap(unitTests["unit_test.ut_shop.recent_orders.incremental_only_new_rows"] as? [String: Any])
        XCTAssertEqual(entry["model"] as? String, "recent_orders")
        XCTAssertEqual((entry["overrides"] as? [String: Any])?["macros"] as? [String: Bool], ["is_incremental": true])
        XCTAssertEqual((entry["given"] as? [[String: Any]])?.map { $0["input"] as? String }, ["ref('stg_orders')", "this"])
    }

    func testMistakesInUnitTestsAreRefusedWithTheirPlace() throws {
        XCTAssertEqual(try loadError("""
            unit_tests:
              - name: t
                model: stg_order
                given: []
                expect: {rows: []}
            """), "models/unit_tests.yml:3:12: error: unit test 't' tests model 'stg_order', which this project does not define — did you mean 'stg_orders'?")
        XCTAssertEqual(try loadError("""
            unit_tests:
              - name: t
                model: recent_orders
                given: []
                expect: {rows: []}
            """), "models/unit_tests.yml:2:5: error: unit test 't' tests incremental model 'recent_orders': add `overrides: {macros: {is_incremental: true}}` (or false) to say which branch it checks")
        XCTAssertEqual(try loadError("""
            unit_tests:
              - name: t
                model: recent_orders
                overrides: {macros: {is_incremental: true}}
                given: []
                expect: {rows: []}
            """), "models/unit_tests.yml:2:5: error: unit test 't' for incremental model 'recent_orders' must have a 'this' input: add `- input: this` with the rows the table holds before the run")
        XCTAssertEqual(try loadError("""
            unit_tests:
              - name: t
                model: stg_orders
                given: []
                expect:
                  rows:
                    - {order_id: 1, status: a}
                    - {order_id: 2}
            """), "models/unit_tests.yml:6:7: error: unit test 't': expected row 2 lacks status; give every expected row the same columns (null for NULL)")
        XCTAssertEqual(try loadError("""
            unit_tests:
              - name: t
                model: stg_orders
                given:
                  - input: ref('raw_orders')
                    format: csv
                    fixture: nowhere
                expect: {rows: []}
            """), "models/unit_tests.yml:5:9: error: unit test 't': no fixture file 'nowhere.csv' under tests/fixtures/")
        XCTAssertEqual(try loadError("""
            unit_tests:
              - name: t
                model: stg_orders
                given:
                  - input: ref(raw_orders)
                    rows: []
                expect: {rows: []}
            """), "models/unit_tests.yml:5:16: error: unit test 't': input 'ref(raw_orders)' is not ref('name'), source('source', 'table') or this")
        XCTAssertEqual(try loadError("""
            unit_tests:
              - name: t
                model: stg_orders
                given:
                  - input: ref('raw_order')
                    rows: []
                expect: {rows: []}
            """), "models/unit_tests.yml:5:16: error: unit test 't' had an input (ref('raw_order')) which names no model, seed or snapshot of this project")
        XCTAssertEqual(try loadError("""
            unit_tests:
              - name: t
                model: stg_orders
                given:
                  - input: ref('raw_orders')
                    rows: "id,name"
                expect: {rows: []}
            """), "models/unit_tests.yml:6:15: error: unit test 't' has input rows which do not match format dict: give a list of mappings, like `- {id: 1, name: Ada}`, or set `format: csv`")
        XCTAssertEqual(try loadError("""
            unit_tests:
              - name: t
                model: stg_orders
                given: []
            """), "models/unit_tests.yml:2:5: error: unit test 't' has no `expect:`; give the rows the model should return")
    }

    func testAUnitTestOfADisabledModelIsDisabledWithIt() throws {
        let project = try withCopy(["models/marts/customer_totals.sql": "{{ config(enabled=false) }}\nselect 1 as customer_id"]) { try load($0) }
        XCTAssertNil(project.manifest.nodes["unit_test.ut_shop.customer_totals.totals_per_customer"])
        XCTAssertNotNil(project.manifest.nodes["unit_test.ut_shop.stg_orders.lowercases_status"])
    }

    func testFixtureSQLTypesEveryColumnOfTheRelation() throws {
        let columns = [UnitTestSQL.Column(name: "id", type: "INTEGER"), UnitTestSQL.Column(name: "Name", type: "VARCHAR"),
                       UnitTestSQL.Column(name: "tags", type: nil)]
        XCTAssertEqual(try UnitTestSQL.fixture([[("ID", .int(1)), ("name", .string("O'Hara"))], [("id", .null)]], columns: columns, fixture: "'people'"), """
            select cast(1 as INTEGER) as "id", cast('O''Hara' as VARCHAR) as "Name", null as "tags"
            union all
            select cast(null as INTEGER) as "id", cast(null as VARCHAR) as "Name", null as "tags"
            """)
        XCTAssertEqual(try UnitTestSQL.fixture([], columns: columns, fixture: "'people'"),
                       "select cast(null as INTEGER) as \"id\", cast(null as VARCHAR) as \"Name\", null as \"tags\"\nlimit 0")
        XCTAssertThrowsError(try UnitTestSQL.fixture([[("age", .int(3))]], columns: columns, fixture: "'people'")) { error in
            XCTAssertEqual((error as? TransformError)?.message, "invalid column name 'age' in the unit test fixture for 'people'; its columns are ['id', 'Name', 'tags']")
        }
    }

    /// The diff reads as dbt-core 1.11 printed it for the same rows (colours stripped).
    func testTheDiffReadsAsDbts() {
        let changed = UnitTestDiff(columns: ["order_id", "is_returned", "is_large"],
                                   actual: [["2", "True", "False"], ["1", "False", "True"]],
                                   expected: [["1", "False", "True"], ["2", "True", "True"]])
        XCTAssertFalse(changed.matches)
        XCTAssertEqual(changed.rendered, "@@,order_id,is_returned,is_large\n  ,1       ,False      ,True\n→ ,2       ,True       ,True→False")
        let unpaired = UnitTestDiff(columns: ["large_orders"], actual: [["1"]], expected: [["2"]])
        XCTAssertEqual(unpaired.rendered, "@@ ,large_orders\n+++,1\n---,2")
        // Order does not matter, duplicates do, NULL equals NULL.
        XCTAssertTrue(UnitTestDiff(columns: ["a"], actual: [[nil], ["1"]], expected: [["1"], [nil]]).matches)
        XCTAssertFalse(UnitTestDiff(columns: ["a"], actual: [["1"], ["1"]], expected: [["1"]]).matches)
    }
}
