import Foundation
import SyntheticData
import WarehouseDuckDB
import WarehouseKit
import WarehouseSpark
import XCTest

/// The generator loads Spark through Arrow local relations: the same seed gives the same rows as
/// on DuckDB, and a load that fails leaves the tables of the last load (Spark has no
/// transactions, so tables are loaded under temporary names and swapped in at the end).
final class GenerateOnSparkTests: XCTestCase {
    func testTheSameSeedGivesTheSameRowsAsOnDuckDB() async throws {
        try await SparkTestServer.withWarehouse { spark in
            let schema = spark.configuration.schema
            var options = try GeneratorOptions(seed: 11, asOf: CivilDate(year: 2026, month: 11, day: 20), scale: 0.01)
            options.schema = schema
            let onSpark = try await StoreGenerator(options: options).generate(into: spark)
            let duckdb = try DuckDBWarehouse(path: ":memory:")
            let onDuckDB = try await StoreGenerator(options: options).generate(into: duckdb)
            XCTAssertEqual(onSpark.rowCounts, onDuckDB.rowCounts)
            let checksum = """
                select count(*), sum(order_id), sum(user_id), count(distinct status), min(created_at), max(shipped_at)
                from \(schema).orders
                """
            let sparkRow = try await spark.read { try await $0.query(SQL(unsafeRaw: checksum)).rows[0].map(\.description) }
            let duckRow = try await duckdb.read { try await $0.query(SQL(unsafeRaw: checksum)).rows[0].map(\.description) }
            XCTAssertEqual(sparkRow, duckRow)
            let relations = try await spark.read { try await $0.relations(in: schema) }.map(\.name.name)
            XCTAssertFalse(relations.contains { $0.hasSuffix("__storehouse_load") }, "no load table left behind: \(relations)")
            let runs = try await StoreGenerator(options: options).readState(in: spark).runs.count
            XCTAssertEqual(runs, 1)
            await duckdb.close()
        }
    }
}
