import Foundation
import WarehouseKit

/// The behaviour every `Warehouse` adapter must show, written once and run by each adapter's
/// tests (`WarehouseDuckDBTests`, later `WarehousePostgresTests`). Each check throws
/// `ConformanceFailure` naming what differed; it uses only portable SQL.
public enum WarehouseConformance {
    public struct ConformanceFailure: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    static func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw ConformanceFailure(message()) }
    }

    static func unwrap<T>(_ value: T?, _ what: String) throws -> T {
        guard let value else { throw ConformanceFailure("\(what): got nothing") }
        return value
    }

    static func expectEqual<T: Equatable>(_ actual: T, _ expected: T, _ what: String) throws {
        if actual != expected { throw ConformanceFailure("\(what): expected \(expected), got \(actual)") }
    }

    /// Every scalar type survives a write through parameters and a read back.
    public static func typeRoundTrips(_ warehouse: any Warehouse) async throws {
        let dialect = warehouse.dialect
        let date = CivilDate(year: 2024, month: 2, day: 29)
        let stamp = Timestamp(date: date, hour: 13, minute: 45, second: 7, micro: 250_000)
        try await warehouse.write { db in
            try await db.execute("drop table if exists conformance_types")
            try await db.execute(SQL(unsafeRaw: """
                create table conformance_types (
                  i \(dialect.typeName(for: .bigint)), d \(dialect.typeName(for: .double)),
                  n \(dialect.typeName(for: .decimal(precision: 12, scale: 2))), t \(dialect.typeName(for: .text)),
                  b \(dialect.typeName(for: .boolean)), dt \(dialect.typeName(for: .date)),
                  ts \(dialect.typeName(for: .timestamp)), tz \(dialect.typeName(for: .timestampTZ)))
                """))
            let text = "naïve café — ünïcødé ✓"
            try await db.execute("""
                insert into conformance_types values
                (\(Int64.max), \(0.1), cast(\("12345.67") as \(unsafeRaw: dialect.typeName(for: .decimal(precision: 12, scale: 2)))),
                 \(text), \(true), \(WarehouseValue.date(days: Int32(date.daysSinceEpoch))),
                 \(WarehouseValue.timestamp(micros: stamp.micros)), \(WarehouseValue.timestampTZ(micros: stamp.micros)))
                """)
            try await db.execute("insert into conformance_types values (null, null, null, null, null, null, null, null)")
        }
        let result = try await warehouse.read { db in
            try await db.query("select i, d, n, t, b, dt, ts, tz from conformance_types order by i nulls last")
        }
        try expectEqual(result.count, 2, "row count")
        let row = result.rows[0]
        try expectEqual(row[0], .int(Int64.max), "BIGINT")
        try expectEqual(row[1], .double(0.1), "DOUBLE")
        try expectEqual(row[2], .decimal("12345.67"), "DECIMAL(12,2)")
        try expectEqual(row[3], .text("naïve café — ünïcødé ✓"), "text")
        try expectEqual(row[4], .bool(true), "BOOLEAN")
        try expectEqual(row[5], .date(days: Int32(date.daysSinceEpoch)), "DATE")
        try expectEqual(row[6], .timestamp(micros: stamp.micros), "TIMESTAMP")
        try expectEqual(row[7], .timestampTZ(micros: stamp.micros), "TIMESTAMPTZ")
        try expectEqual(row[6].description, "2024-02-29 13:45:07.25", "TIMESTAMP text")
        try expect(result.rows[1].allSatisfy(\.isNull), "second row should be all NULL, got \(result.rows[1])")
        // Column by column the same values arrive, decimals as doubles, NULLs marked.
        let columnar = try await warehouse.read { db in
            try await db.queryColumns("select i, d, n, t, b, dt, ts, tz from conformance_types order by i nulls last")
        }
        try expectEqual(columnar.rowCount, 2, "row count, column by column")
        let expected = [row[0], row[1], .double(12345.67), row[3], row[4], row[5], row[6], row[7]]
        for (index, value) in expected.enumerated() {
            try expectEqual(columnar.values[index][0], value, "\(columnar.columns[index].name) column by column")
            try expect(columnar.values[index].isNull(1), "\(columnar.columns[index].name) column by column: the second row should be NULL")
        }
    }

    /// Quotes, backslashes and injection attempts in parameters are data, never SQL.
    public static func parametersAreNeverSQL(_ warehouse: any Warehouse) async throws {
        let hostile = [
            "Robert'); drop table conformance_people;--",
            "O'Brien", "\"double\" quotes", "back\\slash", "$1", "?", "' or '1'='1", "line\nbreak", "",
        ]
        try await warehouse.write { db in
            try await db.execute("drop table if exists conformance_people")
            try await db.execute("create table conformance_people (id integer, name \(unsafeRaw: db.dialect.typeName(for: .text)))")
            for (index, name) in hostile.enumerated() {
                try await db.execute("insert into conformance_people values (\(index), \(name))")
            }
        }
        let names = try await warehouse.read { db in
            try await db.query("select name from conformance_people order by id").rows.map { $0[0].string ?? "<null>" }
        }
        try expectEqual(names, hostile, "names read back")
        let matched = try await warehouse.read { db in
            try await db.query("select count(*) from conformance_people where name = \("' or '1'='1")").scalar?.int64
        }
        try expectEqual(matched, 1, "rows matching an injection string")
    }

    /// A prepared statement runs many times with different parameters.
    public static func preparedStatements(_ warehouse: any Warehouse) async throws {
        let total = try await warehouse.write { db -> Int64? in
            try await db.execute("drop table if exists conformance_prepared")
            try await db.execute("create table conformance_prepared (k integer, v \(unsafeRaw: db.dialect.typeName(for: .text)))")
            let insert = try await db.prepare("insert into conformance_prepared values ($1, $2)")
            try expectEqual(insert.parameterCount, 2, "parameter count")
            for k in 1...50 { try await insert.execute([.int(Int64(k)), .text("value \(k)")]) }
            let lookup = try await db.prepare("select v from conformance_prepared where k = $1")
            try expectEqual(try await lookup.query([.int(7)]).scalar, .text("value 7"), "prepared lookup")
            return try await db.query("select sum(k) from conformance_prepared").scalar?.int64
        }
        try expectEqual(total, 1275, "sum of keys 1…50")
    }

    /// The bulk appender loads a million rows exactly: count and checksum agree.
    public static func bulkLoadMillionRows(_ warehouse: any Warehouse, rows: Int = 1_000_000) async throws {
        let relation = try await warehouse.write { db -> RelationName in
            let schema = try await db.query("select current_schema()").scalar?.string ?? "main"
            let relation = RelationName(schema: schema, name: "conformance_bulk")
            try await db.execute("drop table if exists \(relation)")
            try await db.execute(db.dialect.createTable(relation, columns: [
                ColumnDefinition("id", .bigint), ColumnDefinition("amount", .double),
                ColumnDefinition("label", .text), ColumnDefinition("day", .date),
            ]))
            return relation
        }
        var expectedSum: Int64 = 0
        var expectedNulls = 0
        let loaded = try await warehouse.write { db in
            let appender = try await db.appender(into: relation)
            try expectEqual(appender.columns.map(\.name), ["id", "amount", "label", "day"], "appender columns")
            var start = 0
            var sum: Int64 = 0
            var nullCount = 0
            while start < rows {
                let end = min(start + 100_000, rows)
                let ids = (start..<end).map { Int64($0) }
                let nulls = ids.map { $0 % 97 == 0 }
                sum += ids.reduce(0, +)
                nullCount += nulls.filter { $0 }.count
                try await appender.append(ColumnBatch(columns: [
                    BatchColumn(.int64(ids)),
                    BatchColumn(.double(ids.map { Double($0) / 4 })),
                    BatchColumn(.text(ids.map { "item-\($0)" }), nulls: nulls),
                    BatchColumn(.date(ids.map { Int32($0 % 3650) })),
                ]))
                start = end
            }
            return (try await appender.finish(), sum, nullCount)
        }
        expectedSum = loaded.1
        expectedNulls = loaded.2
        try expectEqual(loaded.0, rows, "appender's own count")
        let check = try await warehouse.read { db in
            try await db.query("""
                select count(*), sum(id), count(label), sum(amount * 4), min(label), max(day)
                from \(relation)
                """).rows[0]
        }
        try expectEqual(check[0].int64, Int64(rows), "count(*)")
        try expectEqual(check[1].int64, expectedSum, "sum(id) checksum")
        try expectEqual(check[2].int64, Int64(rows - expectedNulls), "non-null labels")
        try expectEqual(check[3].int64, expectedSum, "sum(amount * 4)")
        try expectEqual(check[4].string, "item-1", "min(label)")
        try expectEqual(check[5], .date(days: Int32(min(rows - 1, 3649))), "max(day)")
    }

    /// A transaction that throws leaves nothing behind: no rows, no tables.
    /// `executeProfiled` builds a table as `execute` does and reports the engine's profile of it:
    /// the rows produced, the rows scanned, a scan of the source table among the operators; a
    /// statement that fails still throws, and the connection works normally afterwards.
    public static func queryProfiles(_ warehouse: any Warehouse) async throws {
        let profile = try await warehouse.write { db -> QueryProfile? in
            try await db.execute("drop table if exists conformance_profiled")
            try await db.execute("drop table if exists conformance_profile_source")
            try await db.execute("create table conformance_profile_source as select i, i % 7 as g from generate_series(1, 50000) as s(i)")
            let (_, profile) = try await db.executeProfiled("create table conformance_profiled as select g, count(*) as n, sum(i) as total from conformance_profile_source where i > 100 group by g")
            return profile
        }
        let built = try await warehouse.read { try await $0.query("select count(*) from conformance_profiled").scalar?.int64 }
        try expectEqual(built, 7, "the profiled statement built the table")
        let measured = try unwrap(profile, "a create table … as select is profiled")
        try expectEqual(measured.rowsProduced, 7, "rows produced")
        try expect((measured.rowsScanned ?? 0) >= 49_900, "rows scanned \(measured.rowsScanned ?? -1) cover the source")
        try expect(measured.seconds > 0, "the statement's time")
        try expect(measured.operators.contains { ($0.detail ?? "").contains("conformance_profile_source") }, "a scan of the source among \(measured.operators)")
        try expect(zip(measured.operators, measured.operators.dropFirst()).allSatisfy { $0.seconds >= $1.seconds }, "operators slowest first")
        do {
            _ = try await warehouse.write { try await $0.executeProfiled("create table conformance_profiled as select no_such_column from conformance_profile_source") }
            throw ConformanceFailure("a failing profiled statement should throw")
        } catch is ConformanceFailure { throw ConformanceFailure("a failing profiled statement should throw") } catch {}
        let after = try await warehouse.write { db -> Int64? in
            try await db.execute("drop table conformance_profiled")
            return try await db.query("select count(*) from conformance_profile_source").scalar?.int64
        }
        try expectEqual(after, 50_000, "the connection works after profiling")
    }

    public static func rollbackLeavesNothing(_ warehouse: any Warehouse) async throws {
        struct Planned: Error {}
        try await warehouse.write { db in
            try await db.execute("drop table if exists conformance_ledger")
            try await db.execute("drop table if exists conformance_created_in_tx")
            try await db.execute("create table conformance_ledger (amount integer)")
            try await db.execute("insert into conformance_ledger values (1)")
        }
        do {
            try await warehouse.write { db in
                try await db.transaction {
                    try await db.execute("insert into conformance_ledger values (2), (3)")
                    try await db.execute("create table conformance_created_in_tx (x integer)")
                    throw Planned()
                }
            }
            throw ConformanceFailure("the transaction should have thrown")
        } catch is Planned {}
        let (sum, kind) = try await warehouse.read { db in
            (try await db.query("select sum(amount) from conformance_ledger").scalar?.int64,
             try await db.relationKind(RelationName(schema: try await db.query("select current_schema()").scalar?.string ?? "main",
                                                    name: "conformance_created_in_tx")))
        }
        try expectEqual(sum, 1, "ledger after rollback")
        try expect(kind == nil, "a table created inside the rolled-back transaction still exists")
        // A failing statement inside a transaction also rolls back the earlier ones.
        do {
            try await warehouse.write { db in
                try await db.transaction {
                    try await db.execute("insert into conformance_ledger values (10)")
                    try await db.execute("insert into conformance_ledger values ('not a number')")
                }
            }
            throw ConformanceFailure("inserting text into an integer column should fail")
        } catch is WarehouseError {}
        let after = try await warehouse.read { try await $0.query("select sum(amount) from conformance_ledger").scalar?.int64 }
        try expectEqual(after, 1, "ledger after a failed statement")
    }

    /// An engine without transactions (its dialect says so) refuses `transaction {}` before
    /// running any of it, with an error that says why, rather than running the statements one by
    /// one and leaving half of them applied when one fails.
    public static func transactionsAreRefusedClearly(_ warehouse: any Warehouse) async throws {
        try expect(!warehouse.dialect.supportsTransactions, "\(warehouse.dialect.name) has transactions; run rollbackLeavesNothing instead")
        try await warehouse.write { db in
            try await db.execute("drop table if exists conformance_no_tx")
            try await db.execute("create table conformance_no_tx (amount integer)")
        }
        do {
            try await warehouse.write { db in
                try await db.transaction { try await db.execute("insert into conformance_no_tx values (1)") }
            }
            throw ConformanceFailure("transaction {} should refuse to start")
        } catch let error as WarehouseError {
            try expectEqual(error.kind, .transaction, "error kind")
            try expect(error.message.contains("has no transactions"), "the message says why: \(error.message)")
        }
        let rows = try await warehouse.read { try await $0.query("select count(*) from conformance_no_tx").scalar?.int64 }
        try expectEqual(rows, 0, "rows written by a refused transaction")
    }

    /// Bad SQL gives a `WarehouseError` whose message names the problem and carries the SQL.
    public static func badSQLNamesTheProblem(_ warehouse: any Warehouse) async throws {
        do {
            _ = try await warehouse.read { try await $0.query("select * from conformance_no_such_table") }
            throw ConformanceFailure("querying a missing table should fail")
        } catch let error as WarehouseError {
            try expect(error.message.contains("conformance_no_such_table"), "message should name the table: \(error.message)")
            try expectEqual(error.sql, "select * from conformance_no_such_table", "SQL in the error")
            try expect(error.description.contains("in SQL:"), "description shows the SQL: \(error.description)")
        }
        do {
            _ = try await warehouse.read { try await $0.query("selec 1") }
            throw ConformanceFailure("a syntax error should fail")
        } catch let error as WarehouseError {
            try expect(error.message.lowercased().contains("syntax"), "message should say syntax error: \(error.message)")
        }
    }

    /// Readers run while a long write is in progress and see a consistent snapshot.
    public static func concurrentReadersDuringWrite(_ warehouse: any Warehouse) async throws {
        try await warehouse.write { db in
            try await db.execute("drop table if exists conformance_snapshot")
            try await db.execute("create table conformance_snapshot (n bigint)")
            try await db.execute("insert into conformance_snapshot select * from generate_series(1, 1000)")
        }
        try await withThrowingTaskGroup(of: [Int64].self) { group in
            group.addTask {
                try await warehouse.write { db in
                    try await db.transaction {
                        for _ in 0..<20 {
                            try await db.execute("insert into conformance_snapshot select * from generate_series(1, 1000)")
                        }
                    }
                }
                return []
            }
            for _ in 0..<4 {
                group.addTask {
                    var seen: [Int64] = []
                    for _ in 0..<10 {
                        let count = try await warehouse.read { try await $0.query("select count(*) from conformance_snapshot").scalar?.int64 }
                        seen.append(count ?? -1)
                    }
                    return seen
                }
            }
            for try await counts in group {
                for count in counts {
                    // Either before the transaction or after it: never a half-written state.
                    try expect(count == 1000 || count == 21_000, "a reader saw \(count) rows: not a consistent snapshot")
                }
            }
        }
        let final = try await warehouse.read { try await $0.query("select count(*) from conformance_snapshot").scalar?.int64 }
        try expectEqual(final, 21_000, "rows after the write")
    }

    /// Schemas, relations (tables and views) and columns are listed with their kinds and types.
    public static func introspection(_ warehouse: any Warehouse) async throws {
        try await warehouse.write { db in
            try await db.execute("drop view if exists conformance_intro.v_orders")
            try await db.execute("drop table if exists conformance_intro.orders")
            try await db.execute("create schema if not exists conformance_intro")
            try await db.execute(db.dialect.createTable(RelationName(schema: "conformance_intro", name: "orders"), columns: [
                ColumnDefinition("order_id", .bigint, nullable: false), ColumnDefinition("status", .text),
                ColumnDefinition("created_at", .timestamp),
            ]))
            try await db.execute("create view conformance_intro.v_orders as select order_id from conformance_intro.orders")
        }
        let (schemas, relations, columns) = try await warehouse.read { db in
            (try await db.schemas(), try await db.relations(in: "conformance_intro"),
             try await db.columns(of: RelationName(schema: "conformance_intro", name: "orders")))
        }
        try expect(schemas.contains("conformance_intro"), "schemas should list conformance_intro: \(schemas)")
        try expectEqual(relations.map { "\($0.name.name):\($0.kind.rawValue)" }, ["orders:table", "v_orders:view"], "relations")
        try expectEqual(columns.map(\.name), ["order_id", "status", "created_at"], "column names")
        try expect(columns[0].type.contains("BIGINT") || columns[0].type == "INT8", "order_id type: \(columns[0].type)")
        // An engine that keeps no NOT NULL (Spark's parquet tables) must not claim one either.
        try expectEqual(columns[0].isNullable, !warehouse.dialect.enforcesNotNull, "order_id nullability")
        try expect(columns[2].type.hasPrefix("TIMESTAMP"), "created_at type: \(columns[2].type)")
    }
}
