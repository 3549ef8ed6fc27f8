import Foundation
import PostgresNIO
import WarehouseKit
@testable import WarehousePostgres
import XCTest

/// What only the PostgreSQL adapter has: type OIDs, COPY text escaping, connection pinning,
/// statement splitting, command-tag row counts.
final class PostgresSpecificTests: PostgresServerTestCase {
    func testValuesDecodeByTypeOID() async throws {
        try await withWarehouse { warehouse in
            let result = try await warehouse.read { db in
                try await db.query("""
                    select 7::int2 as small, 8::int4 as int, 1.5::float4 as real, -0.000123::numeric(10,6) as tiny,
                           123456789012345678901234567890.5::numeric as huge, 'NaN'::numeric as nan,
                           'ab '::char(4) as padded, 'v'::varchar(3) as var, 'pg_class'::name as nm,
                           '{"a": [1, 2]}'::json as js, '{"a": 1}'::jsonb as jsb,
                           'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid as id, array[1, null, 3] as ints,
                           array['x y', 'z', ''] as texts, interval '1 year 2 months 3 days 04:05:06.5' as iv,
                           '\\x00ff'::bytea as raw, '13:45:07.25'::time as clock, '2024-02-29'::date as day,
                           1e300::float8 as big, 0::numeric(5,2) as zero
                    """)
            }
            XCTAssertEqual(result.rows[0].map(\.description), [
                "7", "8", "1.5", "-0.000123", "123456789012345678901234567890.5", "NaN", "ab  ", "v", "pg_class",
                "{\"a\": [1, 2]}", "{\"a\": 1}", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "{1,NULL,3}", "{\"x y\",z,\"\"}",
                "1 year 2 mons 3 days 04:05:06.5", "\\x00FF", "13:45:07.25", "2024-02-29", "1e+300", "0.00",
            ])
            XCTAssertEqual(result.rows[0][3], .decimal("-0.000123"))
            XCTAssertEqual(result.rows[0][15], .blob([0x00, 0xFF]))
            XCTAssertEqual(result.columns.map(\.type), [
                "SMALLINT", "INTEGER", "REAL", "NUMERIC", "NUMERIC", "NUMERIC", "CHARACTER", "CHARACTER VARYING", "NAME",
                "JSON", "JSONB", "UUID", "INTEGER[]", "TEXT[]", "INTERVAL", "BYTEA", "TIME", "DATE", "DOUBLE PRECISION", "NUMERIC",
            ])
        }
    }

    func testBlobAndDecimalParametersRoundTrip() async throws {
        try await withWarehouse { warehouse in
            let row = try await warehouse.read { db in
                try await db.query("select \(WarehouseValue.blob([0, 1, 254, 255]))::bytea, \(WarehouseValue.decimal("-98765432109876543210.0123456789"))::numeric + 0").rows[0]
            }
            XCTAssertEqual(row, [.blob([0, 1, 254, 255]), .decimal("-98765432109876543210.0123456789")])
        }
    }

    func testEmptyResultStillNamesItsColumns() async throws {
        try await withWarehouse { warehouse in
            let result = try await warehouse.read { db in
                try await db.query("select 1::bigint as id, 'x'::text as label where \(false);")
            }
            XCTAssertEqual(result.count, 0)
            XCTAssertEqual(result.columns, [ColumnInfo(name: "id", type: "BIGINT"), ColumnInfo(name: "label", type: "TEXT")])
        }
    }

    func testCopyEscapesTabsNewlinesBackslashesAndNulls() async throws {
        let awkward = ["tab\there", "new\nline", "carriage\rreturn", "back\\slash", "\\N", "", "naïve ✓", "\\.", "end\\"]
        try await withWarehouse { warehouse in
            let relation = RelationName(schema: "public", name: "copy_escapes")
            let loaded = try await warehouse.write { db -> Int in
                try await db.execute("drop table if exists \(relation)")
                try await db.execute("create table \(relation) (id integer, body text)")
                let ids = (0..<awkward.count + 1).map { Int32($0) }
                return try await db.bulkLoad(into: relation, batches: [ColumnBatch(columns: [
                    BatchColumn(.int32(ids)),
                    BatchColumn(.text(awkward + ["ignored"]), nulls: ids.map { Int($0) == awkward.count }),
                ])])
            }
            XCTAssertEqual(loaded, awkward.count + 1)
            let bodies = try await warehouse.read { try await $0.query("select body from \(relation) order by id").rows.map { $0[0] } }
            XCTAssertEqual(bodies, awkward.map { .text($0) } + [.null])
        }
    }

    func testCopyWritesEveryColumnType() async throws {
        try await withWarehouse { warehouse in
            let relation = RelationName(schema: "public", name: "copy_types")
            let stamp = Timestamp(date: CivilDate(year: 1969, month: 12, day: 31), hour: 23, minute: 59, second: 59, micro: 999_999)
            let rows = try await warehouse.write { db -> [[WarehouseValue]] in
                try await db.execute("drop table if exists \(relation)")
                try await db.execute("create table \(relation) (b boolean, i integer, n numeric(12,3), d double precision, dt date, ts timestamp, tz timestamptz)")
                try await db.bulkLoad(into: relation, batches: [ColumnBatch(columns: [
                    BatchColumn(.bool([true, false])), BatchColumn(.int64([-2_147_483_648, 42])),
                    BatchColumn(.double([1234.5, -0.001])), BatchColumn(.double([0.1, -1e-300])),
                    BatchColumn(.date([-719_162, 2_932_896])), // 0001-01-01 and 9999-12-31
                    BatchColumn(.timestamp([stamp.micros, 0])), BatchColumn(.timestampTZ([stamp.micros, 1])),
                ])])
                return try await db.query("select * from \(relation) order by i").rows
            }
            XCTAssertEqual(rows, [
                [.bool(true), .int(-2_147_483_648), .decimal("1234.500"), .double(0.1), .date(days: -719_162),
                 .timestamp(micros: stamp.micros), .timestampTZ(micros: stamp.micros)],
                [.bool(false), .int(42), .decimal("-0.001"), .double(-1e-300), .date(days: 2_932_896),
                 .timestamp(micros: 0), .timestampTZ(micros: 1)],
            ])
        }
    }

    func testCopyRejectsABatchOfTheWrongShape() async throws {
        try await withWarehouse { warehouse in
            do {
                try await warehouse.write { db in
                    try await db.execute("drop table if exists copy_shape")
                    try await db.execute("create table copy_shape (id bigint, day date)")
                    let appender = try await db.appender(into: RelationName(schema: "public", name: "copy_shape"))
                    try await appender.append(ColumnBatch(columns: [BatchColumn(.int64([1])), BatchColumn(.text(["2024-01-01"]))]))
                }
                XCTFail("appending text into a DATE column should fail")
            } catch let error as WarehouseError {
                XCTAssertEqual(error.message, "column 2 of public.copy_shape is DATE, but the batch holds text values")
            }
            let count = try await warehouse.read { try await $0.query("select count(*) from copy_shape").scalar }
            XCTAssertEqual(count, .int(0))
        }
    }

    func testCopyServerErrorNamesTheLineAndKeepsNothing() async throws {
        try await withWarehouse { warehouse in
            do {
                try await warehouse.write { db in
                    try await db.execute("drop table if exists copy_overflow")
                    try await db.execute("create table copy_overflow (n integer)")
                    try await db.bulkLoad(into: RelationName(schema: "public", name: "copy_overflow"),
                                          batches: [ColumnBatch(columns: [BatchColumn(.int64([1, 2, 3_000_000_000]))])])
                }
                XCTFail("3,000,000,000 does not fit INTEGER")
            } catch let error as WarehouseError {
                XCTAssertEqual(error.kind, .load)
                XCTAssertEqual(error.message, """
                    loading public.copy_overflow failed: value "3000000000" is out of range for type integer
                      context: COPY copy_overflow, line 3, column n: "3000000000"
                    """)
                XCTAssertEqual(error.sql, "COPY \"public\".\"copy_overflow\" (\"n\") FROM STDIN WITH (FORMAT text)")
            }
            let count = try await warehouse.read { try await $0.query("select count(*) from copy_overflow").scalar }
            XCTAssertEqual(count, .int(0))
        }
    }

    /// Each appended batch is one complete COPY, so several appenders can share a connection;
    /// all-or-nothing needs a transaction around the load.
    func testAppendersShareAConnectionAndATransactionMakesTheLoadAllOrNothing() async throws {
        struct Planned: Error {}
        try await withWarehouse({ $0.poolSize = 2 }) { warehouse in
            let first = RelationName(schema: "public", name: "copy_first"), second = RelationName(schema: "public", name: "copy_second")
            try await warehouse.write { db in
                for relation in [first, second] {
                    try await db.execute("drop table if exists \(relation)")
                    try await db.execute("create table \(relation) (n bigint)")
                }
                let a = try await db.appender(into: first), b = try await db.appender(into: second)
                try await a.append(ColumnBatch(columns: [BatchColumn(.int64([1, 2, 3]))]))
                try await b.append(ColumnBatch(columns: [BatchColumn(.int64([4]))]))
                try await a.append(ColumnBatch(columns: [BatchColumn(.int64([5]))]))
                let appended = try await a.finish()
                XCTAssertEqual(appended, 4)
                // b is left unfinished: its batch is already written
            }
            let counts = try await warehouse.read { db in
                (try await db.query("select count(*) from \(first)").scalar, try await db.query("select count(*) from \(second)").scalar)
            }
            XCTAssertEqual(counts.0, .int(4))
            XCTAssertEqual(counts.1, .int(1))
            do {
                try await warehouse.write { db in
                    try await db.transaction {
                        let a = try await db.appender(into: first)
                        try await a.append(ColumnBatch(columns: [BatchColumn(.int64([6, 7]))]))
                        throw Planned()
                    }
                }
                XCTFail("the transaction should have thrown")
            } catch is Planned {}
            for _ in 0..<3 {
                let count = try await warehouse.write { try await $0.query("select count(*) from \(first)").scalar }
                XCTAssertEqual(count, .int(4))
            }
        }
    }

    /// A borrower waiting for a connection of a full pool gives up as soon as its task is
    /// cancelled, and the pool stays usable.
    func testACancelledWaitForABusyPoolEndsAtOnce() async throws {
        try await withWarehouse({ $0.poolSize = 2 }) { warehouse in
            // two holders keep both connections busy in a server-side sleep
            let holders = (0..<2).map { _ in
                Task { try await warehouse.read { try await $0.query("select pg_sleep(3)").rows.count } }
            }
            try await Task.sleep(for: .milliseconds(500))
            let started = ContinuousClock.now
            let waiter = Task { try await warehouse.read { try await $0.query("select 1").scalar } }
            try await Task.sleep(for: .milliseconds(200))
            waiter.cancel()
            do {
                _ = try await waiter.value
                XCTFail("the waiting borrower should have been cancelled")
            } catch is CancellationError {}
            XCTAssertLessThan(ContinuousClock.now - started, .seconds(1.5), "the cancelled wait lasted until a connection came back")
            for holder in holders { _ = try await holder.value }
            let after = try await warehouse.read { try await $0.query("select 42").scalar }
            XCTAssertEqual(after, .int(42))
        }
    }

    func testAppendingToAMissingTableNamesIt() async throws {
        try await withWarehouse { warehouse in
            do {
                try await warehouse.write { _ = try await $0.appender(into: RelationName(schema: "raw", name: "nope")) }
                XCTFail("expected an error")
            } catch let error as WarehouseError {
                XCTAssertEqual(error.message, "cannot append to raw.nope: no such table — create it first (dialect.createTable) or check the schema and name")
            }
        }
    }

    func testClosureIsPinnedToOneBackend() async throws {
        try await withWarehouse { warehouse in
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await warehouse.read { db in
                            var pids = Set<Int64>()
                            for _ in 0..<5 { pids.insert(try await db.query("select pg_backend_pid()").scalar?.int64 ?? -1) }
                            return pids.count == 1
                        }
                    }
                }
                for try await pinned in group { XCTAssertTrue(pinned, "statements of one closure ran on different backends") }
            }
            // A session setting made in a transaction is seen by the rest of that closure.
            let zone = try await warehouse.write { db in
                try await db.transaction {
                    try await db.execute("set local TimeZone = 'Asia/Tokyo'")
                    return try await db.query("show TimeZone").scalar
                }
            }
            XCTAssertEqual(zone, .text("Asia/Tokyo"))
        }
    }

    func testConnectionUsedAfterItsClosureIsRefused() async throws {
        try await withWarehouse { warehouse in
            let escaped = try await warehouse.read { db in db }
            do {
                _ = try await escaped.query("select 1")
                XCTFail("an escaped connection answered")
            } catch let error as WarehouseError {
                XCTAssertEqual(error.kind, .usage)
            }
        }
    }

    func testRowsChangedComeFromTheCommandTag() async throws {
        try await withWarehouse { warehouse in
            let counts = try await warehouse.write { db -> [Int] in
                try await db.execute("drop table if exists tag_counts")
                let create = try await db.execute("create table tag_counts (k integer primary key, v text)")
                let insert = try await db.execute("insert into tag_counts select g, 'v' from generate_series(1, 10) g")
                let update = try await db.execute("update tag_counts set v = \("w") where k <= \(4)")
                let merge = try await db.execute("""
                    merge into tag_counts t using (select g as k from generate_series(9, 12) g) s on t.k = s.k
                    when matched then update set v = 'm' when not matched then insert values (s.k, 'n')
                    """)
                let delete = try await db.execute("delete from tag_counts where v = 'n'")
                return [create, insert, update, merge, delete]
            }
            XCTAssertEqual(counts, [0, 10, 4, 4, 2])
        }
    }

    func testScriptRunsStatementsWithQuotedSemicolons() async throws {
        try await withWarehouse { warehouse in
            let result = try await warehouse.write { db -> ResultSet in
                try await db.executeScript("""
                    drop table if exists script_t; -- a comment; with a semicolon
                    create table script_t (s text);
                    /* block; comment */ insert into script_t values ('a;b'), (E'c\\';d');
                    create or replace function script_f() returns text language plpgsql as $body$
                    begin return 'x;y'; end; $body$;
                    insert into script_t select script_f();;
                    """)
                return try await db.query("select s from script_t order by s")
            }
            XCTAssertEqual(result.rows.map { $0[0] }, [.text("a;b"), .text("c';d"), .text("x;y")])
        }
    }

    func testPreparedStatementChecksSQLAtPrepareAndCountsParameters() async throws {
        try await withWarehouse { warehouse in
            try await warehouse.read { db in
                do {
                    _ = try await db.prepare("selec $1")
                    XCTFail("a syntax error should fail at prepare")
                } catch let error as WarehouseError {
                    XCTAssertTrue(error.message.hasPrefix("syntax error at or near \"selec\""), error.message)
                }
                let echo = try await db.prepare("select $1 as a, '$9' as b, $2::int + 1 as c")
                XCTAssertEqual(echo.parameterCount, 2)
                let echoed = try await echo.query([.text("hi"), .int(4)]).rows
                XCTAssertEqual(echoed, [[.text("hi"), .text("$9"), .int(5)]])
                do {
                    _ = try await echo.query([.text("only one")])
                    XCTFail("a missing parameter should fail")
                } catch let error as WarehouseError {
                    XCTAssertEqual(error.message, "the statement expects 2 parameters but 1 were given")
                }
            }
        }
    }

    /// Loads 1,000,000 rows of the conformance bulk shape through COPY and reports the rate.
    func testCopyThroughputMillionRows() async throws {
        try await withWarehouse { warehouse in
            let relation = RelationName(schema: "public", name: "copy_throughput")
            try await warehouse.write { db in
                try await db.execute("drop table if exists \(relation)")
                try await db.execute(db.dialect.createTable(relation, columns: [
                    ColumnDefinition("id", .bigint), ColumnDefinition("amount", .double),
                    ColumnDefinition("label", .text), ColumnDefinition("day", .date),
                ]))
            }
            let rows = 1_000_000
            let batches = stride(from: 0, to: rows, by: 100_000).map { start -> ColumnBatch in
                let ids = (start..<min(start + 100_000, rows)).map { Int64($0) }
                return ColumnBatch(columns: [
                    BatchColumn(.int64(ids)), BatchColumn(.double(ids.map { Double($0) / 4 })),
                    BatchColumn(.text(ids.map { "item-\($0)" }), nulls: ids.map { $0 % 97 == 0 }),
                    BatchColumn(.date(ids.map { Int32($0 % 3650) })),
                ])
            }
            let started = Date()
            let loaded = try await warehouse.write { try await $0.bulkLoad(into: relation, batches: batches) }
            let seconds = Date().timeIntervalSince(started)
            XCTAssertEqual(loaded, rows)
            let count = try await warehouse.read { try await $0.query("select count(*) from \(relation)").scalar }
            XCTAssertEqual(count, .int(Int64(rows)))
            print("COPY throughput: \(rows) rows in \(String(format: "%.2f", seconds)) s = \(Int(Double(rows) / seconds)) rows/s")
        }
    }
}

/// Statement splitting and placeholder counting; no server needed.
final class SQLScannerTests: XCTestCase {
    func testSplitsOnlyOnTopLevelSemicolons() {
        let scanner = SQLScanner("""
            select 'a;b', "x;y", E'it\\'s;' from t; -- c;d
            /* e; /* nested; */ f; */ select $tag$ g; $tag$, $$h;$$;
            ;  ;
            select 3
            """)
        XCTAssertEqual(scanner.statements, [
            "select 'a;b', \"x;y\", E'it\\'s;' from t",
            "-- c;d\n/* e; /* nested; */ f; */ select $tag$ g; $tag$, $$h;$$",
            "select 3",
        ])
    }

    func testCountsPlaceholdersOutsideQuotes() {
        XCTAssertEqual(SQLScanner("select $1, '$5', \"$6\", $$ $7 $$, $3 -- $8").highestPlaceholder, 3)
        XCTAssertEqual(SQLScanner("select a$1 from t").highestPlaceholder, 0)
        XCTAssertEqual(SQLScanner("select 1").highestPlaceholder, 0)
    }
}

/// COPY text encoding of single values; no server needed.
final class CopyTextEncoderTests: XCTestCase {
    private func encode(_ column: BatchColumn) -> [String] {
        (0..<column.count).map { row in
            var buffer = ByteBuffer()
            CopyTextEncoder.write(column, row: row, into: &buffer)
            return buffer.readString(length: buffer.readableBytes) ?? ""
        }
    }

    func testEscapesAndNulls() {
        XCTAssertEqual(encode(BatchColumn(.text(["a\tb", "c\nd", "e\\f", "g\rh", "", "x"]), nulls: [false, false, false, false, false, true])),
                       ["a\\tb", "c\\nd", "e\\\\f", "g\\rh", "", "\\N"])
    }

    func testNumbersDatesAndTimestamps() {
        XCTAssertEqual(encode(BatchColumn(.int64([0, -1, Int64.min, Int64.max]))), ["0", "-1", "-9223372036854775808", "9223372036854775807"])
        XCTAssertEqual(encode(BatchColumn(.double([0.25, 3, -0.0, 0.1, 1e300, .nan, -.infinity]))), ["0.25", "3", "-0", "0.1", "1e+300", "NaN", "-Infinity"])
        XCTAssertEqual(encode(BatchColumn(.date([0, -1, -719_163]))), ["1970-01-01", "1969-12-31", "0001-12-31 BC"])
        XCTAssertEqual(encode(BatchColumn(.timestamp([-1, 1_500_000]))), ["1969-12-31 23:59:59.999999", "1970-01-01 00:00:01.500000"])
        XCTAssertEqual(encode(BatchColumn(.timestampTZ([0]))), ["1970-01-01 00:00:00+00"])
    }
}
