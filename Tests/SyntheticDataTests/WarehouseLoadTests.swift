#if canImport(WarehouseDuckDB)
import Foundation
import WarehouseDuckDB
import WarehouseKit
import XCTest
@testable import SyntheticData

/// The generator against a real warehouse (in-memory DuckDB): counts, keys, append and Parquet.
final class WarehouseLoadTests: XCTestCase {
    static func options() throws -> GeneratorOptions {
        try GeneratorOptions(seed: 11, asOf: CivilDate(year: 2024, month: 6, day: 30), scale: 0.01, workers: 2, usersPerChunk: 256)
    }

    func scalar(_ warehouse: DuckDBWarehouse, _ sql: String) async throws -> Int64 {
        let value = try await warehouse.read { try await $0.query(SQL(unsafeRaw: sql)).scalar }
        guard let number = value?.int64 else {
            XCTFail("\(sql) gave \(String(describing: value))")
            return -1
        }
        return number
    }

    /// count(*) and an order-independent digest of every column of the rows matching `filter`.
    func checksum(_ warehouse: DuckDBWarehouse, _ table: StoreTable, where filter: String = "true") async throws -> String {
        let columns = table.columns.map { SQL.quoteIdentifier($0.name) }.joined(separator: ", ")
        let result = try await warehouse.read {
            try await $0.query(SQL(unsafeRaw: "select count(*), bit_xor(hash(\(columns))) from raw.\(table.rawValue) where \(filter)"))
        }
        return result.rows.first.map { "\($0[0]) \($0[1])" } ?? "none"
    }

    func testGenerateLoadsReportedCountsWithIntactKeys() async throws {
        let warehouse = try DuckDBWarehouse(path: ":memory:")
        let report = try await StoreGenerator(options: try Self.options()).generate(into: warehouse)
        XCTAssertEqual(report.rowCounts[.users], 1_000)
        XCTAssertGreaterThan(report.rowCounts[.events]!, 20_000)
        for table in StoreTable.allCases {
            let count = try await scalar(warehouse, "select count(*) from raw.\(table.rawValue)")
            XCTAssertEqual(count, Int64(report.rowCounts[table]!), table.rawValue)
        }
        let orphans = [
            "order_items without their order": "select count(*) from raw.order_items i left join raw.orders o on o.order_id = i.order_id where o.order_id is null",
            "order_items without their product": "select count(*) from raw.order_items i left join raw.products p on p.id = i.product_id where p.id is null",
            "order_items without their inventory row": "select count(*) from raw.order_items i left join raw.inventory_items v on v.id = i.inventory_item_id where v.id is null",
            "orders without their user": "select count(*) from raw.orders o left join raw.users u on u.id = o.user_id where u.id is null",
            "events of unknown users": "select count(*) from raw.events e left join raw.users u on u.id = e.user_id where e.user_id is not null and u.id is null",
            "shipments without their order": "select count(*) from raw.shipments s left join raw.orders o on o.order_id = s.order_id where o.order_id is null",
            "inventory of unknown products": "select count(*) from raw.inventory_items v left join raw.products p on p.id = v.product_id where p.id is null",
            "duplicate order ids": "select count(*) - count(distinct order_id) from raw.orders",
            "items sold from another product's inventory": "select count(*) from raw.order_items i join raw.inventory_items v on v.id = i.inventory_item_id where v.product_id <> i.product_id",
        ]
        for (what, sql) in orphans {
            let count = try await scalar(warehouse, sql)
            XCTAssertEqual(count, 0, what)
        }
        let state = try await StoreGenerator(options: try Self.options()).readState(in: warehouse)
        XCTAssertEqual(state, report.state)
        await warehouse.close()
    }

    func testSecondIdenticalGenerateGivesIdenticalTables() async throws {
        let one = try DuckDBWarehouse(path: ":memory:"), two = try DuckDBWarehouse(path: ":memory:")
        _ = try await StoreGenerator(options: try Self.options()).generate(into: one)
        var other = try Self.options()
        other.workers = 1
        other.usersPerChunk = 1_000
        _ = try await StoreGenerator(options: other).generate(into: two)
        for table in StoreTable.allCases {
            let first = try await checksum(one, table), second = try await checksum(two, table)
            XCTAssertEqual(first, second, table.rawValue)
        }
        // Regenerating into the same warehouse replaces the tables rather than adding to them.
        let before = try await checksum(one, .orders)
        _ = try await StoreGenerator(options: try Self.options()).generate(into: one)
        let after = try await checksum(one, .orders)
        XCTAssertEqual(before, after)
        await one.close()
        await two.close()
    }

    func testAppendKeepsExistingRowsAndAddsOnlyNewDays() async throws {
        let warehouse = try DuckDBWarehouse(path: ":memory:")
        let generator = StoreGenerator(options: try Self.options())
        let initial = try await generator.generate(into: warehouse)
        let run = initial.run
        let oldEnd = "'\(CivilDate(year: 2024, month: 7, day: 1)) 00:00:00'::timestamp"
        // Rows the first load holds, by key (overlays without an id by their owner or time).
        let existing: [StoreTable: String] = [
            .users: "id <= \(run.lastUserId)", .orders: "order_id < \(run.nextOrderId)",
            .order_items: "id < \(run.nextOrderItemId)", .inventory_items: "id < \(run.nextInventoryItemId)",
            .events: "id < \(run.nextEventId)", .support_tickets: "ticket_id < \(run.nextTicketId)",
            .products: "true", .distribution_centers: "true",
            .shipments: "order_id < \(run.nextOrderId)", .user_segments: "user_id <= \(run.lastUserId)",
            .experiment_assignments: "assigned_at < \(oldEnd)",
        ]
        var before: [StoreTable: String] = [:]
        for table in StoreTable.allCases { before[table] = try await checksum(warehouse, table) }

        let appended = try await generator.append(days: 2, into: warehouse)
        XCTAssertEqual(appended.run.asOf, CivilDate(year: 2024, month: 7, day: 2))
        XCTAssertEqual(appended.state.runs.count, 2)
        for table in StoreTable.allCases {
            let after = try await checksum(warehouse, table, where: existing[table]!)
            XCTAssertEqual(after, before[table], "\(table.rawValue): the first load's rows are unchanged")
            let total = try await scalar(warehouse, "select count(*) from raw.\(table.rawValue)")
            XCTAssertEqual(total, Int64(initial.rowCounts[table]! + appended.rowCounts[table]!), table.rawValue)
        }
        XCTAssertGreaterThan(appended.rowCounts[.orders]!, 0)
        XCTAssertGreaterThan(appended.rowCounts[.events]!, 0)
        XCTAssertEqual(appended.rowCounts[.products], 0)
        // New rows fall after the old as-of (items and their sessions may start up to 4 h before
        // their order, as in TheLook).
        let early = [
            "select count(*) from raw.users where id > \(run.lastUserId) and created_at < \(oldEnd)",
            "select count(*) from raw.orders where order_id >= \(run.nextOrderId) and created_at < \(oldEnd)",
            "select count(*) from raw.order_items where id >= \(run.nextOrderItemId) and created_at < \(oldEnd) - interval 4 hour",
            "select count(*) from raw.events where id >= \(run.nextEventId) and created_at < \(oldEnd) - interval 4 hour",
            "select count(*) from raw.experiment_assignments where assigned_at >= \(oldEnd) + interval 2 day",
            "select count(*) from raw.orders where created_at >= \(oldEnd) + interval 2 day",
        ]
        for sql in early {
            let count = try await scalar(warehouse, sql)
            XCTAssertEqual(count, 0, sql)
        }
        let recorded = try await generator.readState(in: warehouse)
        XCTAssertEqual(recorded.runs.count, 2)
        await warehouse.close()
    }

    func testAppendWithoutALoadSaysWhatToDo() async throws {
        let warehouse = try DuckDBWarehouse(path: ":memory:")
        do {
            _ = try await StoreGenerator(options: try Self.options()).append(days: 2, into: warehouse)
            XCTFail("appending to an empty warehouse must fail")
        } catch {
            XCTAssertEqual("\(error)", "nothing to append to: raw._generator_state does not exist or is empty; run a full generate first")
        }
        await warehouse.close()
    }

    /// A warehouse loaded before profiles existed (no profile columns in the state table) was
    /// made by TheLook's rules; an append continues them and records its run in the upgraded table.
    func testAppendToALoadFromBeforeProfilesContinuesTheLooksRules() async throws {
        let warehouse = try DuckDBWarehouse(path: ":memory:")
        var options = try Self.options()
        options.profile = .thelook
        _ = try await StoreGenerator(options: options).generate(into: warehouse)
        try await warehouse.write { connection in
            for column in ["profile", "growth_per_year"] {
                try await connection.execute(SQL(unsafeRaw: "alter table raw._generator_state drop column \(column)"))
            }
        }
        let generator = StoreGenerator(options: try Self.options())
        let appended = try await generator.append(days: 2, into: warehouse)
        XCTAssertEqual(appended.run.profile, .thelook)
        let recorded = try await generator.readState(in: warehouse)
        XCTAssertEqual(recorded.runs.map(\.profile), [.thelook, .thelook])
        XCTAssertEqual(recorded.runs.map(\.growthPerYear), [0, 0])
        await warehouse.close()
    }

    func testParquetFilesReadBackWithTheSameCounts() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parquet-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let scratch = try DuckDBWarehouse(path: ":memory:")
        let report = try await StoreGenerator(options: try Self.options()).writeFiles(to: folder, format: .parquet, scratch: scratch)
        await scratch.close()
        let reader = try DuckDBWarehouse(path: ":memory:")
        for table in StoreTable.allCases {
            let path = folder.appendingPathComponent("\(table.rawValue).parquet").path
            let count = try await scalar(reader, "select count(*) from read_parquet(\(SQL.quoteLiteral(path)))")
            XCTAssertEqual(count, Int64(report.rowCounts[table]!), table.rawValue)
        }
        let columns = try await reader.read {
            try await $0.query(SQL(unsafeRaw: "describe select * from read_parquet(\(SQL.quoteLiteral(folder.appendingPathComponent("orders.parquet").path)))"))
        }
        XCTAssertEqual(columns.rows.compactMap { $0.first?.string }, StoreTable.orders.columns.map(\.name))
        await reader.close()
    }

    func testClickstreamLoadsIntoRaw() async throws {
        let warehouse = try DuckDBWarehouse(path: ":memory:")
        let options = try ClickstreamOptions(seed: 2, rows: 20_000, asOf: CivilDate(year: 2019, month: 11, day: 30), workers: 2)
        let rows = try await ClickstreamGenerator(options: options).generate(into: warehouse)
        XCTAssertEqual(rows, 20_000)
        let count = try await scalar(warehouse, "select count(*) from raw.clickstream_events")
        XCTAssertEqual(count, 20_000)
        let outside = try await scalar(warehouse, """
            select count(*) from raw.clickstream_events
            where event_time < timestamp '2019-11-01' or event_time >= timestamp '2019-12-01'
               or event_type not in ('view', 'cart', 'remove_from_cart', 'purchase')
            """)
        XCTAssertEqual(outside, 0)
        let emptyStrings = try await scalar(warehouse, "select count(*) from raw.clickstream_events where category_code = '' or brand = '' or user_session = ''")
        XCTAssertEqual(emptyStrings, 0, "missing values are NULL")
        // Loading again replaces the table.
        _ = try await ClickstreamGenerator(options: options).generate(into: warehouse)
        let again = try await scalar(warehouse, "select count(*) from raw.clickstream_events")
        XCTAssertEqual(again, 20_000)
        await warehouse.close()
    }
}
#endif
