import Foundation
import WarehouseKit
import XCTest

@testable import Ingest

/// `storehouse export`'s writer: Parquet per table, hive partitions, a manifest whose counts
/// match the files, and a failed export that leaves the previous one as it was.
final class ParquetExportTests: IngestTestCase {
    override func setUp() async throws {
        try await super.setUp()
        try await warehouse.write { db in
            try await db.executeScript("""
                create schema marts;
                create table marts.orders as
                select range as order_id, ['EU', 'US', 'APAC'][range % 3 + 1] as region, range * 0.5 as amount,
                       timestamp '2024-01-01 00:00:00' + to_minutes(range) as ordered_at
                from range(2500);
                create table marts.customers as select range as customer_id, 'c' || range as name from range(40);
                """)
        }
    }

    func testExportedTablesReadBackEqualWithAManifestOfTheirFiles() async throws {
        let lake = root.appendingPathComponent("lake").path
        let tables = try await ParquetExport(warehouse: warehouse, folder: lake)
            .export([RelationName(schema: "marts", name: "orders")], partitionBy: "region")
        XCTAssertEqual(tables.map(\.rows), [2500])
        XCTAssertEqual(Set(tables[0].files.map { $0.path.split(separator: "/")[2] }), ["region=APAC", "region=EU", "region=US"])

        let unpartitioned = try await ParquetExport(warehouse: warehouse, folder: lake).export([RelationName(schema: "marts", name: "customers")])
        XCTAssertEqual(unpartitioned[0].files.map(\.path), ["marts/customers/part-0.parquet"])

        // Read back by DuckDB as another engine would: same rows, both ways.
        let difference = try await rows("""
            with exported as (select order_id, region, amount, ordered_at
                              from read_parquet('\(lake)/marts/orders/**/*.parquet', hive_partitioning = true))
            select (select count(*) from (select * from marts.orders except all select * from exported)),
                   (select count(*) from (select * from exported except all select * from marts.orders)),
                   (select count(*) from exported)
            """)
        XCTAssertEqual(difference, [["0", "0", "2500"]])

        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: lake + "/_manifest.json"))) as? [String: Any]
        let listed = manifest?["tables"] as? [String: [String: Any]]
        XCTAssertEqual(Set(listed?.keys ?? [:].keys), ["marts.orders", "marts.customers"], "a later export adds to the manifest")
        let files = listed?["marts.orders"]?["files"] as? [[String: Any]] ?? []
        var perFile = 0
        for file in files {
            let path = lake + "/" + (file["path"] as? String ?? "")
            let counted = try await rows("select count(*) from read_parquet('\(path)')")
            XCTAssertEqual(counted, [[String(file["rows"] as? Int ?? -1)]])
            perFile += file["rows"] as? Int ?? 0
        }
        XCTAssertEqual(perFile, 2500)
        XCTAssertEqual(listed?["marts.orders"]?["partition_by"] as? [String], ["region"])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: lake).filter { $0.hasPrefix(".") }
        XCTAssertEqual(leftovers, [], "no scratch folder is left behind")
    }

    func testAFailedExportLeavesThePreviousOneInPlace() async throws {
        let lake = root.appendingPathComponent("lake").path
        let export = ParquetExport(warehouse: warehouse, folder: lake)
        _ = try await export.export([RelationName(schema: "marts", name: "orders")])
        let before = try FileManager.default.subpathsOfDirectory(atPath: lake).sorted()

        await XCTAssertThrowsErrorAsync(try await export.export([RelationName(schema: "marts", name: "orders"), RelationName(schema: "marts", name: "nope")])) {
            XCTAssertTrue("\($0)".contains("marts.nope does not exist"), "\($0)")
        }
        await XCTAssertThrowsErrorAsync(try await export.export([RelationName(schema: "marts", name: "customers")], partitionBy: "region")) {
            XCTAssertTrue("\($0)".contains("marts.customers has no column region to partition by"), "\($0)")
        }
        let after = try FileManager.default.subpathsOfDirectory(atPath: lake).sorted()
        XCTAssertEqual(after, before)

        // A later successful export replaces the table's folder whole.
        try await warehouse.write { try await $0.execute("delete from marts.orders where order_id >= 100") }
        _ = try await export.export([RelationName(schema: "marts", name: "orders")])
        let counted = try await rows("select count(*) from read_parquet('\(lake)/marts/orders/**/*.parquet')")
        XCTAssertEqual(counted, [["100"]])
    }
}

func XCTAssertThrowsErrorAsync<T>(_ expression: @autoclosure () async throws -> T, file: StaticString = #filePath, line: UInt = #line,
                                  _ check: (any Error) -> Void = { _ in }) async
{
    do {
        _ = try await expression()
        XCTFail("expected an error", file: file, line: line)
    } catch { check(error) }
}
