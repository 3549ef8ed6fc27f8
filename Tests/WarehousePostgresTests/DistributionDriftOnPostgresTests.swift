import Foundation
import TransformProject
import TransformRuntime
import WarehouseKit
import WarehousePostgres
import XCTest

/// The distribution test on PostgreSQL: the same profile, the same PSI to 1e-9 as on DuckDB
/// (TransformRuntimeTests.DistributionDriftTests computes it by hand), the same accept step.
final class DistributionDriftOnPostgresTests: PostgresServerTestCase {
    static func orders(shifted: Bool) -> String {
        "id,amount,status\n" + (0..<100).map { i in
            shifted ? "\(i),\(i < 50 ? 1 : i % 5 + 6),\(i % 10 < 2 ? "a" : i % 10 < 5 ? "b" : i % 10 < 7 ? "c" : "d")"
                : "\(i),\(i % 10 + 1),\(i % 10 < 5 ? "a" : i % 10 < 8 ? "b" : "c")"
        }.joined(separator: "\n") + "\n"
    }

    func testDriftOnPostgres() async throws {
        let configuration = try serverConfiguration()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-pgdrift-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let files = [
            "dbt_project.yml": "name: pgdrift\nprofile: pgdrift\n",
            "profiles.yml": Self.profilesYAML(profile: "pgdrift", schema: "pgdrift"),
            "seeds/orders.csv": Self.orders(shifted: false),
            "seeds/properties.yml": """
                seeds:
                  - name: orders
                    columns:
                      - name: amount
                        tests: [expect_column_distribution_to_be_stable]
                      - name: status
                        tests: [{expect_column_distribution_to_be_stable: {max_psi: 0.1}}]
                """,
        ]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let warehouse = PostgresWarehouse(configuration: configuration)
        let environment = Self.projectEnvironment(configuration)
        func build(vars: String? = nil) async throws -> [String: (status: String, psi: Double?)] {
            let project = try ProjectLoader.load(LoadOptions(projectDir: root.path, profilesDir: root.path, vars: vars, environment: environment))
            let summary = try await TransformRunner(project: project, warehouse: warehouse, options: RunOptions(command: .build, threads: 2),
                                                    reporter: MaterializationsOnPostgresTests.Silent()).run()
            var out: [String: (status: String, psi: Double?)] = [:]
            for result in summary.results where result.resourceType == .test {
                let column = result.name.contains("amount") ? "amount" : "status"
                out[column] = (result.status.rawValue, result.failingRows?.rows.first?.first.flatMap { $0 }.flatMap(Double.init))
            }
            return out
        }
        func dropSchemas() async throws {
            try await warehouse.write { db in
                try await db.execute("drop schema if exists pgdrift cascade")
                try await db.execute("drop schema if exists pgdrift_storehouse_meta cascade")
            }
        }
        do {
            try await dropSchemas()
            var outcome = try await build()
            XCTAssertEqual(outcome.mapValues(\.status), ["amount": "pass", "status": "pass"])
            try Self.orders(shifted: true).write(to: root.appendingPathComponent("seeds/orders.csv"), atomically: true, encoding: .utf8)
            outcome = try await build()
            XCTAssertEqual(outcome.mapValues(\.status), ["amount": "fail", "status": "fail"])
            XCTAssertEqual(try XCTUnwrap(outcome["amount"]?.psi), 0.4 * log(5.0) + 4 * (0.0001 - 0.1) * log(0.0001 / 0.1), accuracy: 1e-9)
            XCTAssertEqual(try XCTUnwrap(outcome["status"]?.psi), (0.2 - 0.5) * log(0.2 / 0.5) + (0.3 - 0.0001) * log(0.3 / 0.0001), accuracy: 1e-9)
            _ = try await build(vars: "{storehouse_accept_drift: true}")
            outcome = try await build()
            XCTAssertEqual(outcome.mapValues(\.status), ["amount": "pass", "status": "pass"])
            // Other tests count the server's relations: leave none behind.
            try await dropSchemas()
        } catch {
            try? await dropSchemas()
            await warehouse.close()
            throw error
        }
        await warehouse.close()
    }
}
