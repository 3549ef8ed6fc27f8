import Foundation
@testable import Ingest
import WarehouseDuckDB
import WarehouseKit
import WarehousePostgres
import XCTest

/// The PostgreSQL source connector against the throw-away cluster: every type lands exactly,
/// a full load, an incremental one after rows are updated and inserted, and bad names.
final class PostgresSourceTests: PostgresServerTestCase {
    static let schema = "shop_source"
    /// Between loads: one order changes, one arrives; a region arrives.
    static let changesBetweenLoads = """
        update \(schema).orders set amount = 12.00, updated_at = '2024-01-05 08:00:00+00' where order_id = 1;
        insert into \(schema).orders (order_id, customer, updated_at) values (4, 'dee', '2024-01-04 00:00:00+00');
        insert into \(schema).regions values ('APAC', 'Asia Pacific');
        """

    func withSourceAndTarget(_ body: (PostgresWarehouse, DuckDBWarehouse) async throws -> Void) async throws {
        try await withWarehouse { source in
            try await source.write { db in
                try await db.executeScript("""
                    drop schema if exists \(Self.schema) cascade;
                    create schema \(Self.schema);
                    create table \(Self.schema).orders (
                        order_id bigint primary key,
                        customer text not null,
                        amount numeric(12,2),
                        rate numeric,
                        ratio double precision,
                        quantity integer,
                        small smallint,
                        paid boolean,
                        placed_on date,
                        placed_at timestamp,
                        updated_at timestamptz not null,
                        attributes jsonb,
                        raw_json json,
                        tags text[],
                        sizes integer[],
                        token uuid,
                        picture bytea,
                        wait interval
                    );
                    insert into \(Self.schema).orders values
                        (1, 'ann', 10.50, 3.14159265358979323846, 0.25, 2, 1, true, '2024-01-02', '2024-01-02 10:00:00.123456',
                         '2024-01-02 10:00:00+00', '{"gift": true, "note": "ring twice"}', '[1, "two"]', '{red,"dark blue"}', '{38,40}',
                         'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\\xdeadbeef', '1 day 02:00:00'),
                        (2, 'bob', null, null, null, null, null, null, null, null, '2024-01-03 09:00:00+00', null, null, null, null, null, null, null),
                        (3, 'cho, "jr"', 99999999.99, -0.000000001, -1e300, -2147483648, -32768, false, '1999-12-31', '1999-12-31 23:59:59',
                         '2024-01-03 09:00:00+00', '[]', 'null', '{}', '{}', '00000000-0000-0000-0000-000000000000', '', '-00:00:01');
                    create table \(Self.schema).regions (code text primary key, name text);
                    insert into \(Self.schema).regions values ('EU', 'Europe'), ('US', 'United States');
                    """)
            }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pg-source-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let target = try DuckDBWarehouse(path: folder.appendingPathComponent("w.duckdb").path)
            do {
                try await body(source, target)
                await target.close()
                try? FileManager.default.removeItem(at: folder)
            } catch {
                await target.close()
                try? FileManager.default.removeItem(at: folder)
                throw error
            }
        }
    }

    func rows(_ target: DuckDBWarehouse, _ sql: String) async throws -> [[String]] {
        try await target.read { db in try await db.query(SQL(unsafeRaw: sql)).rows.map { $0.map { $0.isNull ? "NULL" : $0.description } } }
    }

    func testEveryTypeLandsExactlyAndIncrementalLoadsMergeChangedRows() async throws {
        try await withSourceAndTarget { source, target in
            let connector = PostgresConnector(name: "shop", url: "unused", schema: Self.schema, cursorColumn: "updated_at", chunkRows: 2)
            let loader = PostgresLoader(source: source, target: target)
            let first = try await loader.load(connector)
            XCTAssertEqual(first.status, .succeeded)
            XCTAssertEqual(first.files.map(\.path), ["\(Self.schema).orders", "\(Self.schema).regions"])
            XCTAssertEqual(first.files.map(\.rows), [3, 2])

            let types = try await rows(target, "select column_name, data_type from information_schema.columns where table_name = 'orders' order by ordinal_position")
            XCTAssertEqual(types.map { $0[1] }, [
                "BIGINT", "VARCHAR", "DECIMAL(12,2)", "DECIMAL(38,9)", "DOUBLE", "INTEGER", "SMALLINT", "BOOLEAN", "DATE", "TIMESTAMP",
                "TIMESTAMP WITH TIME ZONE", "JSON", "JSON", "VARCHAR[]", "INTEGER[]", "UUID", "BLOB", "INTERVAL", "VARCHAR",
            ])
            let one = try await rows(target, """
                select customer, amount::varchar, rate::varchar, ratio, quantity, paid, placed_on::varchar, placed_at::varchar,
                       epoch(updated_at)::bigint, attributes->>'$.note', raw_json::varchar, tags[2], sizes[1] + sizes[2],
                       token::varchar, hex(picture), wait::varchar
                from raw.orders where order_id = 1
                """)
            XCTAssertEqual(one, [["ann", "10.50", "3.141592654", "0.25", "2", "true", "2024-01-02", "2024-01-02 10:00:00.123456",
                                  "1704189600", "ring twice", "[1, \"two\"]", "dark blue", "78",
                                  "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "DEADBEEF", "1 day 02:00:00"]])
            let edges = try await rows(target, """
                select customer, amount::varchar, ratio, quantity, small, len(tags), len(sizes), octet_length(picture), wait::varchar
                from raw.orders where order_id = 3
                """)
            XCTAssertEqual(edges, [["cho, \"jr\"", "99999999.99", "-1e+300", "-2147483648", "-32768", "0", "0", "0", "-00:00:01"]])
            let nulls = try await rows(target, "select count(*) from raw.orders where order_id = 2 and amount is null and tags is null and attributes is null")
            XCTAssertEqual(nulls, [["1"]])
            let cursor = try await rows(target, "select source_table, value from ingest.cursors")
            XCTAssertEqual(cursor, [["\(Self.schema).orders", "2024-01-03 09:00:00+00"]])

            // Between loads: one row changes, one arrives; regions (no cursor column) reload whole.
            try await source.write { try await $0.executeScript(Self.changesBetweenLoads) }
            let second = try await loader.load(connector)
            XCTAssertEqual(second.status, .succeeded)
            XCTAssertEqual(second.files.map(\.rows), [4, 3], "orders: the changed row, the new one and the two at the saved cursor; regions whole")
            let orders = try await rows(target, "select order_id, customer, amount::varchar from raw.orders order by order_id")
            XCTAssertEqual(orders, [["1", "ann", "12.00"], ["2", "bob", "NULL"], ["3", "cho, \"jr\"", "99999999.99"], ["4", "dee", "NULL"]])
            let regions = try await rows(target, "select count(*) from raw.regions")
            XCTAssertEqual(regions, [["3"]])
            // regions' columns all arrive typed, so its rows go straight into the table: with the load's id all the same.
            let regionLoads = try await rows(target, """
                select count(*) from raw.regions r join ingest.loads l on l.load_id = r._ingest_load_id
                where l.started_at = (select max(started_at) from ingest.loads)
                """)
            XCTAssertEqual(regionLoads, [["3"]], "every region row carries the id of the load that wrote it")

            // The same input twice gives the same tables.
            let third = try await loader.load(connector)
            let again = try await rows(target, "select order_id, customer, amount::varchar from raw.orders order by order_id")
            XCTAssertEqual(again, orders)
            XCTAssertEqual(third.files.first?.rows, 1, "only the row at the saved cursor is read again")
            let loads = try await rows(target, "select kind, status, files_loaded, rows_loaded from ingest.loads order by started_at")
            XCTAssertEqual(loads, [["postgres", "succeeded", "2", "5"], ["postgres", "succeeded", "2", "7"], ["postgres", "succeeded", "2", "4"]])
        }
    }

    /// The same source into a PostgreSQL warehouse (another database of the server): every column
    /// in its own type, every value as the source holds it, and a view built on a loaded table
    /// still there after the next load.
    func testAPostgreSQLWarehouseGetsEveryColumnInItsOwnTypeAndKeepsTheViewsBuiltOnIt() async throws {
        try await withSourceAndTarget { source, _ in
            try await source.write { db in
                try await db.executeScript("""
                    create type \(Self.schema).mood as enum ('calm', 'busy');
                    create table \(Self.schema).moods (id integer primary key, mood \(Self.schema).mood, price real, code char(3),
                                                       label varchar(20), tiny smallint, seen time, ends date);
                    insert into \(Self.schema).moods values (1, 'busy', 0.1, 'ab', 'first', 7, '10:30:00', '2024-12-31'), (2, null, null, null, null, null, null, null);
                    """)
                let landing = try await db.query("select count(*) from pg_database where datname = 'storehouse_landing'").scalar?.int64 ?? 0
                if landing == 0 { try await db.execute("create database storehouse_landing") }
            }
            try await withWarehouse({ $0.database = "storehouse_landing" }) { target in
                try await target.write { try await $0.executeScript("drop schema if exists raw cascade; drop schema if exists ingest cascade; drop schema if exists reports cascade") }
                let connector = PostgresConnector(name: "shop", url: "unused", schema: Self.schema, tables: ["orders", "regions", "moods"],
                                                  cursorColumn: "updated_at", chunkRows: 2)
                let loader = PostgresLoader(source: source, target: target)
                let first = try await loader.load(connector)
                XCTAssertEqual(first.status, .succeeded, "\(first.files.map { $0.message ?? "" })")
                XCTAssertEqual(first.files.map(\.rows), [3, 2, 2])

                for table in ["orders", "regions"] {
                    let sourceTypes = try await source.read { try await $0.query(Self.typesQuery(Self.schema, table)).rows.map { $0[0].description } }
                    let landedTypes = try await target.read { try await $0.query(Self.typesQuery("raw", table)).rows.map { $0[0].description } }
                    XCTAssertEqual(landedTypes, sourceTypes + ["_ingest_load_id text"], table)
                }
                let moodTypes = try await target.read { try await $0.query(Self.typesQuery("raw", "moods")).rows.map { $0[0].description } }
                XCTAssertEqual(moodTypes, ["id integer", "mood text", "price real", "code character(3)", "label character varying(20)",
                                           "tiny smallint", "seen time without time zone", "ends date", "_ingest_load_id text"],
                               "a type the source defined itself (the enum) lands as text; the others as they are")

                // Every value as the source holds it: the rows' text forms are equal.
                let everyColumn = "order_id, customer, amount, rate, ratio, quantity, small, paid, placed_on, placed_at, updated_at, attributes, raw_json, tags, sizes, token, picture, wait"
                let asText = "select row(\(everyColumn))::text from %@.orders order by order_id"
                let sourceRows = try await source.read { try await $0.query(SQL(unsafeRaw: asText.replacingOccurrences(of: "%@", with: Self.schema))).rows.map { $0[0].description } }
                let landedRows = try await target.read { try await $0.query(SQL(unsafeRaw: asText.replacingOccurrences(of: "%@", with: "raw"))).rows.map { $0[0].description } }
                XCTAssertEqual(landedRows, sourceRows)
                XCTAssertEqual(sourceRows.count, 3)
                let moods = try await target.read { try await $0.query("select row(id, mood, price, code, label, tiny, seen, ends)::text from raw.moods order by id").rows.map { $0[0].description } }
                XCTAssertEqual(moods, ["(1,busy,0.1,\"ab \",first,7,10:30:00,2024-12-31)", "(2,,,,,,,)"])

                // A view on two loaded tables, then rows change in the source and load again.
                try await target.write {
                    try await $0.executeScript("""
                        create schema reports;
                        create view reports.order_regions as select o.order_id, o.amount, r.name from raw.orders o cross join raw.regions r;
                        """)
                }
                try await source.write { try await $0.executeScript(Self.changesBetweenLoads) }
                let second = try await loader.load(connector)
                XCTAssertEqual(second.status, .succeeded, "\(second.files.map { $0.message ?? "" })")
                XCTAssertEqual(second.files.map(\.message), ["incremental from its cursor → raw.orders", "whole → raw.regions", "whole → raw.moods"])
                let view = try await target.read {
                    try await $0.query("select count(*), count(distinct order_id), sum(amount)::text from reports.order_regions").rows.map { $0.map(\.description) }
                }
                XCTAssertEqual(view, [["12", "4", "300000035.97"]], "the view reads the new rows of both tables")
                let landedAgain = try await target.read { try await $0.query(SQL(unsafeRaw: asText.replacingOccurrences(of: "%@", with: "raw"))).rows.map { $0[0].description } }
                let sourceAgain = try await source.read { try await $0.query(SQL(unsafeRaw: asText.replacingOccurrences(of: "%@", with: Self.schema))).rows.map { $0[0].description } }
                XCTAssertEqual(landedAgain, sourceAgain)
                let loads = try await target.read {
                    try await $0.query("select kind, status, rows_loaded from ingest.loads order by started_at").rows.map { $0.map(\.description) }
                }
                XCTAssertEqual(loads, [["postgres", "succeeded", "7"], ["postgres", "succeeded", "9"]])
            }
        }
    }

    /// Each column of `schema.table` as `name type`, in order.
    static func typesQuery(_ schema: String, _ table: String) -> SQL {
        SQL(unsafeRaw: """
            select a.attname || ' ' || format_type(a.atttypid, a.atttypmod) from pg_attribute a
            where a.attrelid = '\(schema).\(table)'::regclass and a.attnum > 0 and not a.attisdropped order by a.attnum
            """)
    }

    func testALargeTableReadInHalvesOnTwoConnectionsArrivesExactlyOnce() async throws {
        try await withSourceAndTarget { source, target in
            // About 700 pages: read in two ctid ranges on two connections sharing one snapshot.
            try await source.write { db in
                try await db.executeScript("""
                    create table \(Self.schema).visits (id bigint primary key, note text, at timestamptz not null);
                    insert into \(Self.schema).visits select g, md5(g::text) || md5((g * 7)::text), timestamptz '2024-01-01' + g * interval '1 minute'
                    from generate_series(1, 60000) g;
                    delete from \(Self.schema).visits where id % 1000 = 0;
                    """)
            }
            let pages = try await source.read { db in
                try await db.query(SQL(unsafeRaw: "select pg_relation_size('\(Self.schema).visits') / 8192")).scalar?.int64 ?? 0
            }
            XCTAssertGreaterThan(pages, Int64(SnapshotReaders.pagesWorthSplitting), "the table is large enough to be split")
            let loader = PostgresLoader(source: source, target: target)
            let report = try await loader.load(PostgresConnector(name: "big", url: "unused", schema: Self.schema, tables: ["visits"], chunkRows: 1000))
            XCTAssertEqual(report.status, .succeeded, "\(report.files.map { $0.message ?? "" })")
            XCTAssertEqual(report.files.first?.rows, 59_940)
            XCTAssertEqual(report.files.first?.message, "whole, read in 2 parts side by side → raw.visits")
            let landed = try await rows(target, "select count(*), count(distinct id), sum(id), min(id), max(id), sum(length(note)) from raw.visits")
            XCTAssertEqual(landed, [["59940", "59940", "1798200000", "1", "59999", "3836160"]], "every row once, none twice, none lost")
        }
    }

    func testASourceThatAllowsOneConnectionIsReadByOne() async throws {
        try await withSourceAndTarget { source, target in
            try await source.write { db in
                try await db.executeScript("""
                    create table \(Self.schema).visits as select g as id, md5(g::text) || md5((g * 7)::text) as note from generate_series(1, 60000) g;
                    drop role if exists storehouse_one_connection;
                    create role storehouse_one_connection login connection limit 1;
                    grant usage on schema \(Self.schema) to storehouse_one_connection;
                    grant select on all tables in schema \(Self.schema) to storehouse_one_connection;
                    """)
            }
            try await withWarehouse({ $0.user = "storehouse_one_connection" }) { limited in
                let report = try await PostgresLoader(source: limited, target: target)
                    .load(PostgresConnector(name: "one", url: "unused", schema: Self.schema, tables: ["visits"]))
                XCTAssertEqual(report.status, .succeeded, "\(report.files.map { $0.message ?? "" })")
                XCTAssertEqual(report.files.first?.message, "whole → raw.visits", "no second connection: the table is read by one")
            }
            let landed = try await rows(target, "select count(*), count(distinct id) from raw.visits")
            XCTAssertEqual(landed, [["60000", "60000"]])
        }
    }

    func testUnknownTablesAndATableWithoutAKeyAreClearErrors() async throws {
        try await withSourceAndTarget { source, target in
            let loader = PostgresLoader(source: source, target: target)
            await XCTAssertThrowsErrorAsync(try await loader.load(PostgresConnector(name: "x", url: "unused", schema: Self.schema, tables: ["orderz"]))) {
                XCTAssertTrue("\($0)".contains("the source database has no table \(Self.schema).orderz"), "\($0)")
                XCTAssertTrue("\($0)".contains("its tables: orders, regions"), "\($0)")
            }
            try await source.write { try await $0.execute(SQL(unsafeRaw: "create table \(Self.schema).events (at timestamptz, what text)")) }
            let report = try await loader.load(PostgresConnector(name: "y", url: "unused", schema: Self.schema, tables: ["events", "regions"], cursorColumn: "at"))
            XCTAssertEqual(report.status, .partial)
            XCTAssertEqual(report.files.map(\.status), [.failed, .loaded])
            XCTAssertTrue(report.files[0].message?.contains("has the cursor column at but no primary key") == true, report.files[0].message ?? "")

            try await source.write { try await $0.executeScript("insert into \(Self.schema).regions values ('XX', 'Nowhere'); create table \(Self.schema).promos (id int primary key, ends date); insert into \(Self.schema).promos values (1, '2024-01-01'), (2, 'infinity')") }
            let infinite = try await loader.load(PostgresConnector(name: "z", url: "unused", schema: Self.schema, tables: ["promos", "regions"]))
            XCTAssertEqual(infinite.files.map(\.status), [.failed, .reloaded])
            XCTAssertTrue(infinite.files[0].message?.contains("\(Self.schema).promos.ends holds infinity") == true, infinite.files[0].message ?? "")
            let regions = try await rows(target, "select count(*) from raw.regions")
            XCTAssertEqual(regions, [["3"]], "the table after a failed one still loads from the same snapshot")
            let promos = try await rows(target, "select count(*) from information_schema.tables where table_name = 'promos'")
            XCTAssertEqual(promos, [["0"]], "nothing of the failed table is written")
        }
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
