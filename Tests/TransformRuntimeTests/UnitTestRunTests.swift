import Foundation
import TransformProject
@testable import TransformRuntime
import WarehouseDuckDB
import WarehouseKit
import XCTest

/// dbt unit tests (`unit_tests:`) run on the fixture project `Fixtures/unit_tests`, whose
/// statuses under dbt-core 1.11.16 + dbt-duckdb 1.11.1 are kept in its `expected/` folder.
final class UnitTestRunTests: XCTestCase {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TransformProjectTests/Fixtures/unit_tests").path

    var dir = ""
    var warehouse: DuckDBWarehouse!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "storehouse-unit-tests-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: dir)
        warehouse = try DuckDBWarehouse(path: dir + "/ut_shop.duckdb")
    }

    override func tearDownWithError() throws {
        warehouse = nil
        try? FileManager.default.removeItem(atPath: dir)
    }

    func write(_ path: String, _ text: String) throws { try text.write(toFile: dir + "/" + path, atomically: true, encoding: .utf8) }

    @discardableResult
    func run(_ command: RunCommand, select: [String] = []) async throws -> RunSummary {
        let project = try ProjectLoader.load(LoadOptions(projectDir: dir, profilesDir: dir, environment: ["UT_SHOP_DIR": dir]))
        let runner = TransformRunner(project: project, warehouse: warehouse, options: RunOptions(command: command, select: select, threads: 2),
                                     reporter: CollectingReporter())
        return try await runner.run()
    }

    func statuses(_ summary: RunSummary) -> [String: NodeStatus] {
        Dictionary(uniqueKeysWithValues: summary.results.map { ($0.uniqueId, $0.status) })
    }

    func result(_ summary: RunSummary, _ id: String) throws -> NodeResult {
        try XCTUnwrap(summary.results.first { $0.uniqueId == id }, "\(id) did not run")
    }

    /// The same steps as the recorded dbt run (seed, run +recent_orders, build): every node's
    /// status is dbt-core's.
    func testBuildGivesDbtCoresStatusesOnEveryNode() async throws {
        try await run(.seed)
        try await run(.run, select: ["+recent_orders"])
        let summary = try await run(.build)
        let expected = try String(contentsOfFile: dir + "/expected/run_results.txt", encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertEqual(expected.count, 20)
        let ours = statuses(summary)
        for line in expected { XCTAssertEqual(ours[line[0]]?.rawValue, line[1], line[0]) }
        XCTAssertEqual(ours.count, expected.count)
    }

    /// A failing unit test fails with one failure and dbt's table diff, and skips its model and
    /// everything built from it; the model's siblings still build.
    func testAFailingUnitTestSkipsItsModelAndDescendantsWithDbtsDiff() async throws {
        let summary = try await run(.build)
        let failed = try result(summary, "unit_test.ut_shop.order_flag_summary.counts_large_orders")
        XCTAssertEqual(failed.status, .fail)
        XCTAssertEqual(failed.failures, 1)
        XCTAssertEqual(failed.message, "actual differs from expected:\n\n@@ ,large_orders\n+++,1\n---,2")
        XCTAssertEqual(try result(summary, "model.ut_shop.order_flag_summary").status, .skipped)
        XCTAssertEqual(try result(summary, "model.ut_shop.flag_report").status, .skipped)
        XCTAssertEqual(try result(summary, "model.ut_shop.order_flags").status, .success)
        // The compiled SQL is written where dbt writes it, the inputs as CTEs of typed rows.
        let compiled = try String(contentsOfFile: dir + "/target/compiled/ut_shop/models/unit_tests.yml/models/counts_large_orders.sql", encoding: .utf8)
        XCTAssertTrue(compiled.hasPrefix("with __dbt__cte__order_flags as (\nselect cast(1 as INTEGER) as \"order_id\""), compiled)
        XCTAssertTrue(compiled.contains("from __dbt__cte__order_flags"), compiled)
        // run_results.json carries the diff and the failure, as dbt's does.
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/target/run_results.json"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let entry = try XCTUnwrap((json["results"] as? [[String: Any]])?.first { $0["unique_id"] as? String == failed.uniqueId })
        XCTAssertEqual(entry["status"] as? String, "fail")
        XCTAssertEqual(entry["failures"] as? Int, 1)
    }

    /// dbt cannot run a unit test of an incremental model's incremental branch before the table
    /// exists ("Not able to get columns … because the relation doesn't exist"); here the `this`
    /// fixture takes the columns of the model's full-refresh SQL, so a first build passes it.
    func testTheIncrementalBranchIsTestableBeforeTheFirstBuild() async throws {
        let summary = try await run(.build)
        XCTAssertEqual(try result(summary, "unit_test.ut_shop.recent_orders.incremental_only_new_rows").status, .pass)
        XCTAssertEqual(try result(summary, "model.ut_shop.recent_orders").status, .success)
    }

    /// A wrong expectation in each format fails, so a pass means the rows were compared.
    func testEveryFormatFailsWhenTheExpectationIsWrong() async throws {
        try await run(.seed)
        try await run(.run)
        var yml = try String(contentsOfFile: dir + "/models/unit_tests.yml", encoding: .utf8)
        yml = yml.replacingOccurrences(of: "- {order_id: 1, status: shipped, amount: 3.5}", with: "- {order_id: 1, status: shipped, amount: 3.25}")
        yml = yml.replacingOccurrences(of: "        8,,\n", with: "        8,,x\n")
        yml = yml.replacingOccurrences(of: "union all select 10, 'Ada', 2, 12.5", with: "union all select 10, 'Ada', 2, 12.0")
        yml = yml.replacingOccurrences(of: "- {order_id: 1, currency: USD}", with: "- {order_id: 1, currency: EUR}")
        yml = yml.replacingOccurrences(of: "        - {order_id: 2, amount: 2, ordered_at: 2024-01-09}\n\n", with: "        - {order_id: 1, amount: 1, ordered_at: 2024-01-01}\n\n")
        try write("models/unit_tests.yml", yml)
        let summary = try await run(.test, select: ["test_type:unit"])
        let failed = Set(summary.results.filter { $0.status == .fail }.map(\.name))
        XCTAssertEqual(failed, ["lowercases_status", "rows_from_a_fixture_file", "totals_per_customer", "currency_from_the_environment",
                                "incremental_only_new_rows", "counts_large_orders"])
        let lowercase = summary.results.first { $0.name == "lowercases_status" }!
        XCTAssertEqual(lowercase.message, """
            actual differs from expected:

            @@,order_id,status  ,amount
            → ,1       ,shipped ,3.25→3.5
              ,2       ,returned,NULL
            """)
    }

    /// `test` runs unit and data tests and skips nothing; `run` runs none of them; selectors
    /// pick unit tests by type, name and model.
    func testCommandsAndSelectorsChooseUnitTestsAsDbtDoes() async throws {
        try await run(.seed)
        let built = try await run(.run)
        XCTAssertFalse(built.results.contains { $0.resourceType == .unitTest || $0.resourceType == .test })
        let tested = try await run(.test)
        XCTAssertEqual(tested.results.filter { $0.resourceType == .unitTest }.count, 10)
        XCTAssertEqual(tested.results.filter { $0.resourceType == .test }.count, 2)
        XCTAssertEqual(tested.count(.skipped), 0)
        let byName = try await run(.test, select: ["unit_test:totals_*"])
        XCTAssertEqual(byName.results.map(\.name).sorted(), ["totals_per_customer", "totals_respect_min_amount"])
        let byType = try await run(.build, select: ["resource_type:unit_test"])
        XCTAssertEqual(byType.results.count, 10)
        // Selecting a model brings its unit tests (and data tests) along.
        let model = try await run(.test, select: ["customer_totals"])
        XCTAssertEqual(model.results.map(\.name).sorted(), ["not_null_customer_totals_customer_id", "totals_per_customer",
                                                            "totals_respect_min_amount", "unique_customer_totals_customer_id"])
        let dataOnly = try await run(.test, select: ["test_type:data"])
        XCTAssertEqual(dataOnly.results.map(\.resourceType), [.test, .test])
    }

    /// Mistakes in a unit test fail that unit test with a message that says what to fix.
    func testMistakesFailTheUnitTestWithAClearMessage() async throws {
        try await run(.seed)
        try await run(.run)
        try write("models/more_tests.yml", """
            unit_tests:
              - name: input_not_given
                model: customer_totals
                given:
                  - input: ref('stg_orders')
                    rows: [{order_id: 1}]
                expect:
                  rows: [{customer_id: 10}]
              - name: unknown_input_column
                model: stg_orders
                given:
                  - input: ref('raw_orders')
                    rows: [{id: 1, colour: red}]
                expect:
                  rows: [{order_id: 1}]
              - name: unknown_expected_column
                model: stg_orders
                given:
                  - input: ref('raw_orders')
                    rows: [{id: 1}]
                expect:
                  rows: [{order_no: 1}]
              - name: wrong_type
                model: stg_orders
                given:
                  - input: ref('raw_orders')
                    rows: [{id: one}]
                expect:
                  rows: [{order_id: 1}]
            """)
        let summary = try await run(.test, select: ["unit_test:input_not_given unit_test:unknown_* unit_test:wrong_type"])
        XCTAssertEqual(summary.results.map(\.status), [.error, .error, .error, .error])
        func message(_ name: String) -> String { summary.results.first { $0.name == name }?.message ?? "" }
        XCTAssertTrue(message("input_not_given").contains("unit test 'input_not_given' gives no rows for source('shop', 'customers'), which model 'customer_totals' reads; add `- input: source('shop', 'customers')`"), message("input_not_given"))
        XCTAssertTrue(message("unknown_input_column").contains("invalid column name 'colour' in the unit test fixture for 'raw_orders'; its columns are ['id', 'customer_id', 'amount', 'status', 'ordered_at']"), message("unknown_input_column"))
        XCTAssertTrue(message("unknown_expected_column").contains("invalid column name 'order_no' in the expected output; model 'stg_orders' returns 'order_id', 'customer_id', 'amount', 'status', 'ordered_at', 'currency'"), message("unknown_expected_column"))
        XCTAssertTrue(message("wrong_type").contains("check the data types"), message("wrong_type"))
        XCTAssertTrue(message("wrong_type").contains("Could not convert string 'one' to INT32"), message("wrong_type"))
        XCTAssertTrue(message("wrong_type").contains("models/more_tests.yml"), message("wrong_type"))
    }

    /// manifest.json (its `unit_tests` section) and run_results.json (unit test results with
    /// their diff) load in dbt-core's own artifact readers.
    func testArtifactsWithUnitTestsLoadInDbtsReaders() async throws {
        guard let venv = ToolSupport.dbtVenv else {
            throw XCTSkip("dbt-core is not installed (run scripts/dbt-venv.sh); loading our artifacts in dbt's readers is skipped")
        }
        try await run(.build)
        let (status, output) = try ToolSupport.run(venv + "/python", ["-c", """
            import sys
            from dbt.artifacts.schemas.manifest import WritableManifest
            from dbt.artifacts.schemas.run import RunResultsArtifact
            manifest = WritableManifest.read_and_check_versions(sys.argv[1] + "/manifest.json")
            results = RunResultsArtifact.read_and_check_versions(sys.argv[1] + "/run_results.json")
            failed = [r for r in results.results if r.unique_id.startswith("unit_test.") and r.status == "fail"]
            print(len(manifest.unit_tests), len(results.results), failed[0].failures, failed[0].unique_id)
            """, dir + "/target"])
        XCTAssertEqual(status, 0, String(output.suffix(2000)))
        XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines), "10 20 1 unit_test.ut_shop.order_flag_summary.counts_large_orders")
    }
}
