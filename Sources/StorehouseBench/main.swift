import Foundation
import WarehouseDuckDB
import WarehouseKit

// Storehouse's benchmarks. Each one measures our path and an anchor in the same run and prints
// the ratio: absolute times on shared machines drift, ratios hold. Run through `scripts/bench`.

func seconds(_ work: () async throws -> Void) async rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try await work()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func report(_ name: String, _ value: String) { print(name.padding(toLength: 46, withPad: " ", startingAt: 0) + value) }

/// Appender throughput: a 10-column, N-row load through our bulk appender, next to DuckDB's own
/// `INSERT … SELECT … FROM range(N)` producing the same shape and values inside the engine.
func appenderBench(rows: Int) async throws {
    let columns = [
        ColumnDefinition("id", .bigint), ColumnDefinition("user_id", .bigint), ColumnDefinition("product_id", .integer),
        ColumnDefinition("quantity", .integer), ColumnDefinition("price", .double), ColumnDefinition("cost", .double),
        ColumnDefinition("status", .text), ColumnDefinition("sku", .text), ColumnDefinition("created_on", .date),
        ColumnDefinition("created_at", .timestamp),
    ]
    let statuses = ["Shipped", "Complete", "Processing", "Cancelled", "Returned"]
    let warehouse = try DuckDBWarehouse(path: ":memory:")
    let ours = RelationName(schema: "main", name: "appended")
    let anchor = RelationName(schema: "main", name: "inserted")
    try await warehouse.write { db in
        try await db.execute(db.dialect.createTable(ours, columns: columns))
        try await db.execute(db.dialect.createTable(anchor, columns: columns))
    }
    let batchSize = 100_000
    // Build the batches first so the figure is the load alone, not our data generation.
    var batches: [ColumnBatch] = []
    var start = 0
    while start < rows {
        let ids = (start..<min(start + batchSize, rows)).map { Int64($0) }
        batches.append(ColumnBatch(columns: [
            BatchColumn(.int64(ids)),
            BatchColumn(.int64(ids.map { $0 % 100_000 })),
            BatchColumn(.int32(ids.map { Int32($0 % 29_120) })),
            BatchColumn(.int32(ids.map { Int32($0 % 4 + 1) })),
            BatchColumn(.double(ids.map { Double($0 % 1000) + 0.99 })),
            BatchColumn(.double(ids.map { Double($0 % 1000) * 0.5 })),
            BatchColumn(.text(ids.map { statuses[Int($0 % 5)] })),
            BatchColumn(.text(ids.map { "SKU-\($0 % 29_120)" })),
            BatchColumn(.date(ids.map { Int32(17_897 + $0 % 2_500) })),
            BatchColumn(.timestamp(ids.map { 1_546_300_800_000_000 + $0 * 1_000_000 })),
        ]))
        start += batchSize
    }
    let prepared = batches
    batches = []
    let appenderSeconds = try await seconds {
        let loaded = try await warehouse.write { db in try await db.bulkLoad(into: ours, batches: prepared) }
        precondition(loaded == rows)
    }
    let insertSeconds = try await seconds {
        _ = try await warehouse.write { db in
            try await db.execute("""
                insert into \(anchor)
                select i, i % 100000, (i % 29120)::integer, (i % 4 + 1)::integer, (i % 1000) + 0.99, (i % 1000) * 0.5,
                       ['Shipped','Complete','Processing','Cancelled','Returned'][(i % 5) + 1], 'SKU-' || (i % 29120),
                       date '2019-01-01' + (i % 2500)::integer, timestamp '2019-01-01' + to_seconds(i)
                from range(\(rows)) r(i)
                """)
        }
    }
    let same = try await warehouse.read { db in
        try await db.query("select (select count(*) from (select * from \(ours) except select * from \(anchor))) = 0 and (select count(*) from \(ours)) = \(rows)").scalar
    }
    guard same == .bool(true) else { throw WarehouseError(.load, "the appended table differs from DuckDB's own insert") }
    report("appender: rows", "\(rows) x 10 columns")
    report("appender: Storehouse bulk appender", String(format: "%.2f s  %.2f M rows/s", appenderSeconds, Double(rows) / appenderSeconds / 1e6))
    report("appender: DuckDB INSERT … SELECT FROM range()", String(format: "%.2f s  %.2f M rows/s", insertSeconds, Double(rows) / insertSeconds / 1e6))
    report("appender: ratio (appender time / insert time)", String(format: "%.2f", appenderSeconds / insertSeconds))
}

let arguments = Array(CommandLine.arguments.dropFirst())
let which = arguments.first ?? "appender"
do {
    switch which {
    case "appender":
        let rows = arguments.dropFirst().first.flatMap(Int.init) ?? 10_000_000
        try await appenderBench(rows: rows)
    case "generate":
        try await generateBench(scale: arguments.dropFirst().first.flatMap(Double.init) ?? 1.0)
    case "parse":
        guard let project = arguments.dropFirst().first else {
            FileHandle.standardError.write(Data("usage: StorehouseBench parse PROJECT_DIR\n".utf8))
            exit(2)
        }
        try await parseBench(projectDir: project)
    case "floor":
        let rest = Array(arguments.dropFirst())
        guard rest.count == 2 else {
            FileHandle.standardError.write(Data("usage: StorehouseBench floor PROJECT_DIR DATABASE\n".utf8))
            exit(2)
        }
        try await floorBench(projectDir: rest[0], database: rest[1])
    default:
        FileHandle.standardError.write(Data("unknown bench '\(which)'; known: appender, generate, parse, floor\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("bench failed: \(error)\n".utf8))
    exit(1)
}
