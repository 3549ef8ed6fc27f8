import Foundation
import TransformProject
import TransformRuntime
import WarehouseKit
import WarehousePostgres
import XCTest

/// The unit-test fixture project (Tests/TransformProjectTests/Fixtures/unit_tests) run on
/// PostgreSQL: fixture rows are typed by PostgreSQL's own column types, and every node ends with
/// the status dbt-core gave it on DuckDB.
final class UnitTestsOnPostgresTests: PostgresServerTestCase {
    struct Silent: RunReporter {
        func runStarted(total: Int, threads: Int) {}
        func nodeFinished(_ result: NodeResult, index: Int, total: Int) {}
    }

    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TransformProjectTests/Fixtures/unit_tests").path

    func testTheUnitTestFixtureGivesDbtsStatusesOnPostgres() async throws {
        let configuration = try serverConfiguration()
        let dir = NSTemporaryDirectory() + "storehouse-pg-unit-tests-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: dir)
        try """
            ut_shop:
              target: pg
              outputs:
                pg:
                  type: postgres
                  host: "\(configuration.host)"
                  port: \(configuration.port)
                  user: postgres
                  dbname: "\(configuration.database)"
                  schema: main
                  threads: 2
            """.write(toFile: dir + "/profiles.yml", atomically: true, encoding: .utf8)
        try await withWarehouse { warehouse in
            try await warehouse.write { try await $0.execute("drop schema if exists main cascade") }
            func run(_ command: RunCommand, _ select: [String] = []) async throws -> RunSummary {
                let project = try ProjectLoader.load(LoadOptions(projectDir: dir, profilesDir: dir, environment: [:]))
                XCTAssertEqual(project.dialect.name, "postgres")
                return try await TransformRunner(project: project, warehouse: warehouse,
                                                 options: RunOptions(command: command, select: select, threads: 2), reporter: Silent()).run()
            }
            _ = try await run(.seed)
            _ = try await run(.run, ["+recent_orders"])
            let summary = try await run(.build)
            let ours = Dictionary(uniqueKeysWithValues: summary.results.map { ($0.uniqueId, $0) })
            let expected = try String(contentsOfFile: dir + "/expected/run_results.txt", encoding: .utf8).split(separator: "\n")
            XCTAssertEqual(ours.count, expected.count)
            for line in expected {
                let fields = line.split(separator: " ").map(String.init)
                XCTAssertEqual(ours[fields[0]]?.status.rawValue, fields[1], "\(fields[0]): \(ours[fields[0]]?.message ?? "did not run")")
            }
            XCTAssertEqual(ours["unit_test.ut_shop.order_flag_summary.counts_large_orders"]?.message,
                           "actual differs from expected:\n\n@@ ,large_orders\n+++,1\n---,2")
        }
    }
}
