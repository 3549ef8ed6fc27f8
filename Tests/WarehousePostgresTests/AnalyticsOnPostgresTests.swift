import Foundation
import SyntheticData
import TransformProject
import TransformRuntime
import WarehouseConformance
import WarehouseDuckDB
import WarehouseKit
import WarehousePostgres
import XCTest

/// The bundled analytics project built on PostgreSQL and on DuckDB from the same generated data
/// (scale 0.1): every test passes on both, and every mart holds the same rows.
final class AnalyticsOnPostgresTests: PostgresServerTestCase {
    struct Silent: RunReporter {
        func runStarted(total: Int, threads: Int) {}
        func nodeFinished(_ result: NodeResult, index: Int, total: Int) {}
    }

    static var projectDir: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("analytics").path
    }

    func build(_ warehouse: any Warehouse, environment: [String: String]) async throws -> RunSummary {
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let project = try ProjectLoader.load(LoadOptions(projectDir: Self.projectDir, profilesDir: Self.projectDir, environment: env))
        return try await TransformRunner(project: project, warehouse: warehouse,
                                         options: RunOptions(command: .build, threads: 2), reporter: Silent()).run()
    }

    func testAnalyticsBuildsOnPostgresWithTheSameMartsAsDuckDB() async throws {
        var configuration = try serverConfiguration()
        configuration.poolSize = 4
        let postgres = PostgresWarehouse(configuration: configuration)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-parity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let duckdbPath = folder.appendingPathComponent("parity.duckdb").path
        let duckdb = try DuckDBWarehouse(path: duckdbPath)
        do {
            try await compareBuilds(postgres: postgres, duckdb: duckdb, duckdbPath: duckdbPath, configuration: configuration)
        } catch {
            await postgres.close()
            await duckdb.close()
            throw error
        }
        await postgres.close()
        await duckdb.close()
    }

    func compareBuilds(postgres: PostgresWarehouse, duckdb: DuckDBWarehouse, duckdbPath: String,
                       configuration: PostgresConfiguration) async throws {
        let options = try GeneratorOptions(seed: 7, asOf: CivilDate(year: 2026, month: 11, day: 20), scale: 0.1)
        let onPostgres = try await StoreGenerator(options: options).generate(into: postgres)
        let onDuckDB = try await StoreGenerator(options: options).generate(into: duckdb)
        XCTAssertEqual(onPostgres.rowCounts, onDuckDB.rowCounts)

        let pgSummary = try await build(postgres, environment: [
            "STOREHOUSE_TARGET": "postgres", "STOREHOUSE_PG_HOST": configuration.host, "STOREHOUSE_PG_PORT": String(configuration.port),
            "STOREHOUSE_PG_USER": configuration.user, "STOREHOUSE_PG_DATABASE": configuration.database,
            "STOREHOUSE_PG_SCHEMA": configuration.schema,
        ])
        let duckSummary = try await build(duckdb, environment: ["STOREHOUSE_TARGET": "dev", "STOREHOUSE_DB": duckdbPath])
        let pgProblems = pgSummary.results.filter { $0.status != .success && $0.status != .pass }
        XCTAssertEqual(pgProblems.map { "\($0.name): \($0.status.rawValue) \($0.message)" }, [])
        XCTAssertTrue(duckSummary.succeeded)

        let marts = try await duckdb.read { try await $0.relations(in: "marts") }.map(\.name.name)
        XCTAssertGreaterThan(marts.count, 15)
        for table in marts {
            let ours = try await CanonicalRows.of("marts.\"\(table)\"", in: duckdb)
            let theirs = try await CanonicalRows.of("marts.\"\(table)\"", in: postgres)
            XCTAssertEqual(ours.count, theirs.count, "marts.\(table): row counts differ")
            if ours != theirs {
                let onlyDuck = Set(ours).subtracting(theirs).sorted().prefix(3)
                let onlyPG = Set(theirs).subtracting(ours).sorted().prefix(3)
                XCTFail("marts.\(table) differs: only on DuckDB \(Array(onlyDuck)); only on PostgreSQL \(Array(onlyPG))")
            }
        }
    }
}
