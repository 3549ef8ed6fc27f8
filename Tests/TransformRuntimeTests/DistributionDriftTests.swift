import Foundation
import TransformProject
import TransformRuntime
import WarehouseDuckDB
import WarehouseKit
import XCTest

/// `expect_column_distribution_to_be_stable`: the population stability index of a column against
/// its profile at the last accepted build, over builds of one warehouse whose seed changes.
final class DistributionDriftTests: XCTestCase {
    /// 100 rows: amount 1…10 ten times each; status a 50%, b 30%, c 20%.
    static let steady = "id,amount,status\n" + (0..<100).map { i in
        "\(i),\(i % 10 + 1),\(i % 10 < 5 ? "a" : i % 10 < 8 ? "b" : "c")"
    }.joined(separator: "\n") + "\n"
    /// Half the amounts move to 1, the rest to 6…10; status a 20%, b 30%, c 20% and a new d 30%.
    static let shifted = "id,amount,status\n" + (0..<100).map { i in
        "\(i),\(i < 50 ? 1 : i % 5 + 6),\(i % 10 < 2 ? "a" : i % 10 < 5 ? "b" : i % 10 < 7 ? "c" : "d")"
    }.joined(separator: "\n") + "\n"

    static let properties = """
        seeds:
          - name: orders
            columns:
              - name: amount
                tests:
                  - expect_column_distribution_to_be_stable: {config: {alias: amount_stable}}
              - name: status
                tests:
                  - expect_column_distribution_to_be_stable: {max_psi: 0.1, config: {alias: status_stable}}
                  - expect_column_distribution_to_be_stable: {max_psi: 5, config: {alias: status_loose, severity: warn}}
        """

    func testDriftIsMeasuredAgainstTheLastAcceptedBuild() async throws {
        let root = try Self.project(seed: Self.steady)
        defer { try? FileManager.default.removeItem(at: root) }
        let warehouse = try DuckDBWarehouse(path: ":memory:")
        defer { Task { await warehouse.close() } }

        // First build: no reference yet, every test passes and the profile is stored.
        var outcome = try await Self.build(root, warehouse)
        XCTAssertEqual(outcome.statuses, ["amount_stable": "pass", "status_stable": "pass", "status_loose": "pass"])
        let stored = try await warehouse.read { db in
            try await db.query(SQL(unsafeRaw: "select column_name, kind, count(*), round(sum(share), 6), min(low), max(high) from main_storehouse_meta.column_profiles group by 1, 2 order by 1"))
        }
        XCTAssertEqual(stored.rows.map { $0.map(\.description) }, [["amount", "numeric", "10", "1", "1", "10"],
                                                                  ["status", "categorical", "3", "1", "NULL", "NULL"]])
        // The same data again: PSI 0.
        outcome = try await Self.build(root, warehouse)
        XCTAssertEqual(outcome.statuses, ["amount_stable": "pass", "status_stable": "pass", "status_loose": "pass"])

        // The shifted data fails, with the PSI computed by hand:
        // amount: 0.4·ln 5 + 4·(0.0001 − 0.1)·ln(0.0001 / 0.1); status: 0.3·ln(0.2/0.5)·(−1)… + 0.2999·ln(0.3/0.0001).
        try Self.shifted.write(to: root.appendingPathComponent("seeds/orders.csv"), atomically: true, encoding: .utf8)
        outcome = try await Self.build(root, warehouse)
        XCTAssertEqual(outcome.statuses, ["amount_stable": "fail", "status_stable": "fail", "status_loose": "pass"])
        let amountPSI = 0.4 * log(5.0) + 4 * (0.0001 - 0.1) * log(0.0001 / 0.1)
        let statusPSI = (0.2 - 0.5) * log(0.2 / 0.5) + (0.3 - 0.0001) * log(0.3 / 0.0001)
        XCTAssertEqual(try XCTUnwrap(outcome.psi["amount_stable"]), amountPSI, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(outcome.psi["status_stable"]), statusPSI, accuracy: 1e-9)
        XCTAssertEqual(outcome.messages["status_stable"],
                       "distribution drifted: PSI 2.676 > 0.1; bucket '__other__' holds 0.0% of rows in the reference, 30.0% now; "
                       + "the reference is kept: to accept the new distribution, build with --vars '{storehouse_accept_drift: true}'")

        // A failure keeps the reference: building again fails again (a retry cannot hide a drift).
        outcome = try await Self.build(root, warehouse)
        XCTAssertEqual(outcome.statuses["amount_stable"], "fail")
        // Accepting the drift stores the new distribution; the next build passes.
        outcome = try await Self.build(root, warehouse, vars: "{storehouse_accept_drift: true}")
        XCTAssertEqual(outcome.statuses["amount_stable"], "fail")
        outcome = try await Self.build(root, warehouse)
        XCTAssertEqual(outcome.statuses, ["amount_stable": "pass", "status_stable": "pass", "status_loose": "pass"])
        let buckets = try await warehouse.read { db in
            try await db.query(SQL(unsafeRaw: "select bucket, share from main_storehouse_meta.column_profiles where column_name = 'status' order by bucket"))
        }
        XCTAssertEqual(buckets.rows.map { $0.map(\.description) }, [["a", "0.2"], ["b", "0.3"], ["c", "0.2"], ["d", "0.3"]])
    }

    func testAWhereConfigIsRefusedWithTheReason() async throws {
        let root = try Self.project(seed: Self.steady, properties: """
            seeds:
              - name: orders
                columns:
                  - name: amount
                    tests:
                      - expect_column_distribution_to_be_stable: {config: {alias: amount_stable, where: "id > 10"}}
            """)
        defer { try? FileManager.default.removeItem(at: root) }
        let warehouse = try DuckDBWarehouse(path: ":memory:")
        defer { Task { await warehouse.close() } }
        let outcome = try await Self.build(root, warehouse)
        XCTAssertEqual(outcome.statuses["amount_stable"], "error")
        XCTAssertTrue(outcome.messages["amount_stable"]?.contains("remove the test's where config") ?? false, outcome.messages["amount_stable"] ?? "")
    }

    // MARK: helpers

    struct Outcome {
        var statuses: [String: String] = [:]
        var messages: [String: String] = [:]
        var psi: [String: Double] = [:]
    }

    static func project(seed: String, properties: String = properties) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-drift-\(UUID().uuidString)")
        let files = [
            "dbt_project.yml": "name: drift\nprofile: drift\n",
            "profiles.yml": "drift:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ':memory:'\n",
            "seeds/orders.csv": seed, "seeds/properties.yml": properties,
        ]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    static func build(_ root: URL, _ warehouse: any Warehouse, vars: String? = nil) async throws -> Outcome {
        var options = LoadOptions(projectDir: root.path, profilesDir: root.path)
        options.vars = vars
        let project = try ProjectLoader.load(options)
        let summary = try await TransformRunner(project: project, warehouse: warehouse, options: RunOptions(command: .build, threads: 1),
                                                reporter: ExpectationTestsTests.Quiet()).run()
        var outcome = Outcome()
        for result in summary.results where result.resourceType == .test {
            let alias = project.manifest.nodes[result.uniqueId]?.relation?.identifier ?? result.name
            outcome.statuses[alias] = result.status.rawValue
            outcome.messages[alias] = result.message
            if let psi = result.failingRows?.rows.first?.first.flatMap({ $0 }).flatMap(Double.init) { outcome.psi[alias] = psi }
        }
        return outcome
    }
}
