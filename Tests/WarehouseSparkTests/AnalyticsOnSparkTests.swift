import Foundation
import SyntheticData
import TransformProject
import TransformRuntime
import WarehouseConformance
import WarehouseDuckDB
import WarehouseKit
import WarehouseSpark
import XCTest

/// The bundled analytics project built on Spark and on DuckDB from the same generated data: every
/// node succeeds on Spark (models, seeds, snapshots, tests, unit tests), and every mart holds the
/// same rows (numbers compared to 9 significant digits).
final class AnalyticsOnSparkTests: XCTestCase {
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

    func testAnalyticsBuildsOnSparkWithTheSameMartsAsDuckDB() async throws {
        let scale = Double(ProcessInfo.processInfo.environment["STOREHOUSE_SPARK_PARITY_SCALE"] ?? "") ?? 0.1
        try await SparkTestServer.withWarehouse { spark in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-spark-parity-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let duckdbPath = folder.appendingPathComponent("parity.duckdb").path
            let duckdb = try DuckDBWarehouse(path: duckdbPath)
            defer { Task { await duckdb.close() } }

            let options = try GeneratorOptions(seed: 7, asOf: CivilDate(year: 2026, month: 11, day: 20), scale: scale)
            let onSpark = try await StoreGenerator(options: options).generate(into: spark)
            let onDuckDB = try await StoreGenerator(options: options).generate(into: duckdb)
            XCTAssertEqual(onSpark.rowCounts, onDuckDB.rowCounts)

            // The project's schemas (marts, staging, …) are the server's, not the test's: start
            // them empty, so an earlier build's incremental models and snapshots are not merged into.
            let configuration = spark.configuration
            let sparkEnvironment = [
                "STOREHOUSE_TARGET": "spark", "STOREHOUSE_SPARK_HOST": configuration.host,
                "STOREHOUSE_SPARK_PORT": String(configuration.port), "STOREHOUSE_SPARK_SCHEMA": configuration.schema,
                "STOREHOUSE_SPARK_TOKEN": configuration.token ?? "", "STOREHOUSE_SPARK_USE_SSL": configuration.useSSL ? "true" : "false",
            ]
            var env = ProcessInfo.processInfo.environment
            for (key, value) in sparkEnvironment { env[key] = value }
            let manifest = try ProjectLoader.load(LoadOptions(projectDir: Self.projectDir, profilesDir: Self.projectDir, environment: env)).manifest
            let schemas = Set(manifest.nodes.values.compactMap { $0.relation?.schema }).subtracting([configuration.schema])
            for schema in schemas.flatMap({ [$0, $0 + "_storehouse_meta"] }) {
                try await spark.write { try await $0.execute("drop schema if exists \(identifier: schema) cascade") }
            }
            let sparkSummary = try await build(spark, environment: sparkEnvironment)
            let duckSummary = try await build(duckdb, environment: ["STOREHOUSE_TARGET": "dev", "STOREHOUSE_DB": duckdbPath])
            let problems = sparkSummary.results.filter { $0.status != .success && $0.status != .pass }
            XCTAssertEqual(problems.map { "\($0.name): \($0.status.rawValue) \($0.message)" }, [])
            XCTAssertGreaterThan(sparkSummary.results.count, 300)
            XCTAssertTrue(duckSummary.succeeded)

            let marts = try await duckdb.read { try await $0.relations(in: "marts") }.map(\.name.name)
            XCTAssertGreaterThan(marts.count, 15)
            for table in marts {
                let ours = try await CanonicalRows.of("marts.\"\(table)\"", in: duckdb)
                let theirs = try await CanonicalRows.of("marts.\"\(table)\"", in: spark)
                XCTAssertEqual(ours.count, theirs.count, "marts.\(table): row counts differ")
                if ours != theirs {
                    let onlyDuck = Set(ours).subtracting(theirs).sorted().prefix(2)
                    let onlySpark = Set(theirs).subtracting(ours).sorted().prefix(2)
                    XCTFail("marts.\(table) differs: only on DuckDB \(Array(onlyDuck)); only on Spark \(Array(onlySpark))")
                }
            }
        }
    }
}
