import TransformRuntime
import WarehouseKit
import WarehouseSpark
import XCTest

/// dbt-spark's incremental strategy for Spark's own tables: `partition_by` partitions the table,
/// `insert_overwrite` replaces just the partitions the new rows fall in.
final class IncrementalOnSparkTests: XCTestCase {
    func testInsertOverwriteReplacesOnlyThePartitionsOfTheNewRows() async throws {
        try await SparkTestServer.withWarehouse { warehouse in
            let schema = warehouse.configuration.schema
            let project = try SparkTestProject(warehouse: warehouse)
            defer { project.remove() }
            func load(_ rows: [(String, Int)]) async throws {
                try await warehouse.write { db in
                    try await db.execute("drop table if exists \(identifier: schema, "raw_sales")")
                    try await db.execute("create table \(identifier: schema, "raw_sales") (day date, amount int)")
                    for (day, amount) in rows { try await db.execute("insert into \(identifier: schema, "raw_sales") values (cast(\(day) as date), \(amount))") }
                }
            }
            try project.write("models/daily_sales.sql", """
                {{ config(materialized='incremental', incremental_strategy='insert_overwrite', partition_by=['day']) }}
                select day, sum(amount) as total, count(*) as sales
                from \(schema).raw_sales
                {% if is_incremental() %} where day >= date '2024-01-02' {% endif %}
                group by day
                """)
            try await load([("2024-01-01", 10), ("2024-01-01", 5), ("2024-01-02", 7)])
            let first = try await project.build()
            XCTAssertTrue(first.succeeded, "\(first.results.map(\.message))")
            // Day 1 changes in the source but is outside the incremental window: its partition stays.
            try await load([("2024-01-01", 1000), ("2024-01-02", 8), ("2024-01-02", 9), ("2024-01-03", 4)])
            let second = try await project.build()
            XCTAssertTrue(second.succeeded, "\(second.results.map(\.message))")
            XCTAssertEqual(second.results.first { $0.name == "daily_sales" }?.rowsAffected, 2, "two partitions written")
            let rows = try await warehouse.read { db in
                try await db.query("select cast(day as string), total, sales from \(identifier: schema, "daily_sales") order by day").rows
            }
            XCTAssertEqual(rows, [[.text("2024-01-01"), .int(15), .int(2)], [.text("2024-01-02"), .int(17), .int(2)], [.text("2024-01-03"), .int(4), .int(1)]])
            let partitions = try await warehouse.read { db in try await db.query("show partitions \(identifier: schema, "daily_sales")").rows }
            XCTAssertEqual(partitions.count, 3, "\(partitions)")
        }
    }
}
