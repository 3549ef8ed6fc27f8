import Foundation
import TransformProject
import TransformRuntime
import WarehouseDuckDB
import WarehouseKit
import XCTest

/// The expectation-style generic tests shipped with the engine, each run on rows whose outcome
/// is known: passing, failing with the count of failing rows, and `mostly` tolerating a share.
final class ExpectationTestsTests: XCTestCase {
    static let people = """
        id,email,age,country,score,signed_up
        1,ann@x.com,34,DE,10,2026-01-01 08:00:00
        2,bob@x.com,17,FR,20,2026-01-02 08:00:00
        3,not-an-email,250,DE,30,2026-01-03 08:00:00
        4,,45,US,,2026-01-04 08:00:00
        5,eve@x.com,29,XX,40,2026-01-05 08:00:00

        """

    static let properties = """
        seeds:
          - name: people
            tests:
              - expect_table_row_count_to_be_between: {min_value: 1, max_value: 10, config: {alias: rows_1_to_10}}
              - expect_table_row_count_to_be_between: {min_value: 6, config: {alias: rows_at_least_6}}
              - expect_compound_columns_to_be_unique: {column_list: [country, id], config: {alias: country_id_unique}}
              - expect_compound_columns_to_be_unique: {column_list: [country], config: {alias: country_unique}}
            columns:
              - name: age
                tests:
                  - expect_column_values_to_be_between: {min_value: 0, max_value: 120, config: {alias: age_0_to_120}}
                  - expect_column_values_to_be_between: {min_value: 18, row_condition: "country = 'FR'", config: {alias: adults_in_fr}}
                  - expect_column_values_to_be_between: {min_value: 17, max_value: 45, strictly: true, config: {alias: age_strictly}}
              - name: score
                tests:
                  - expect_column_mean_to_be_between: {min_value: 20, max_value: 30, config: {alias: score_mean}}
                  - expect_column_sum_to_be_between: {max_value: 50, config: {alias: score_sum}}
              - name: email
                tests:
                  - expect_column_values_to_match_regex: {regex: '^[^@]+@[^@]+[.][a-z]+$', config: {alias: email_shape}}
                  - expect_column_values_to_match_regex: {regex: '^[^@]+@[^@]+[.][a-z]+$', mostly: 0.7, config: {alias: email_shape_mostly}}
                  - expect_column_values_to_not_be_null: {config: {alias: email_present}}
                  - expect_column_values_to_not_be_null: {mostly: 0.8, config: {alias: email_mostly_present}}
              - name: country
                tests:
                  - expect_column_values_to_be_in_set: {value_set: [DE, FR, US], config: {alias: country_known}}
                  - expect_column_values_to_be_in_set: {value_set: [DE, FR, US], mostly: 0.9, config: {alias: country_mostly_known}}
                  - expect_column_values_to_be_in_set: {value_set: ["DE", "FR", "US", "XX"], config: {alias: country_all}}
              - name: signed_up
                tests:
                  - expect_row_values_to_have_recent_data: {interval: 3, as_of: "cast('2026-01-10' as timestamp)", config: {alias: signed_up_3_days}}
                  - expect_row_values_to_have_recent_data: {interval: 7, as_of: "cast('2026-01-10' as timestamp)", config: {alias: signed_up_7_days}}
        """

    func testEachExpectationPassesOrFailsWithItsFailingRows() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-expect-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let files = [
            "dbt_project.yml": "name: expect\nprofile: expect\n",
            "profiles.yml": "expect:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ':memory:'\n",
            "seeds/people.csv": Self.people, "seeds/properties.yml": Self.properties,
        ]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let warehouse = try DuckDBWarehouse(path: ":memory:")
        let project = try ProjectLoader.load(LoadOptions(projectDir: root.path, profilesDir: root.path))
        let summary = try await TransformRunner(project: project, warehouse: warehouse, options: RunOptions(command: .build, threads: 1),
                                                reporter: Quiet()).run()
        var outcome: [String: String] = [:]
        for result in summary.results where result.resourceType == .test {
            let alias = project.manifest.nodes[result.uniqueId]?.relation?.identifier ?? result.name
            outcome[alias] = result.status == .error ? "error: \(result.message)" : "\(result.status.rawValue) \(result.failures ?? -1)"
        }
        XCTAssertEqual(outcome, [
            "rows_1_to_10": "pass 0", "rows_at_least_6": "fail 1",
            "country_id_unique": "pass 0", "country_unique": "fail 1",
            "age_0_to_120": "fail 1", "adults_in_fr": "fail 1", "age_strictly": "fail 3",
            "score_mean": "pass 0", "score_sum": "fail 1",
            "email_shape": "fail 1", "email_shape_mostly": "pass 0", "email_present": "fail 1", "email_mostly_present": "pass 0",
            "country_known": "fail 1", "country_mostly_known": "fail 1", "country_all": "pass 0",
            "signed_up_3_days": "fail 1", "signed_up_7_days": "pass 0",
        ])
        await warehouse.close()
    }

    struct Quiet: RunReporter {
        func runStarted(total: Int, threads: Int) {}
        func nodeFinished(_ result: NodeResult, index: Int, total: Int) {}
    }
}
