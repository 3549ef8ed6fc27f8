import Foundation
import WarehouseKit

/// Ways untrusted SQL might try to change a warehouse or reach past it, each with the refusal
/// `Warehouse.runReadOnly` must answer with. Each adapter's tests run the catalogue for their
/// dialect against the fixture below and then check that nothing changed.
public enum ReadOnlyEscapeCatalogue {
    public struct Attempt: Sendable, CustomStringConvertible {
        public var name: String
        public var sql: String
        /// Any of these codes is a correct refusal (engines word some refusals differently).
        public var refusedWith: Set<WarehouseError.Code>

        public init(_ name: String, _ sql: String, _ refusedWith: WarehouseError.Code...) {
            self.name = name
            self.sql = sql
            self.refusedWith = Set(refusedWith)
        }

        public var description: String { name }
    }

    /// What the fixture holds; `state(of:)` must read the same after the catalogue.
    public static let fixtureState = "rows=3 sum=60.00 relations=2"

    /// Schema `shop`: table `orders` (3 rows), view `big_orders`, sequence `order_ids`.
    public static func createFixture(_ warehouse: any Warehouse) async throws {
        try await warehouse.write { db in
            try await db.executeScript("""
                create schema shop;
                create table shop.orders (id integer, amount decimal(10,2));
                insert into shop.orders values (1, 10.00), (2, 20.00), (3, 30.00);
                create view shop.big_orders as select * from shop.orders where amount > 15;
                create sequence shop.order_ids
                """)
        }
    }

    /// A summary of the fixture that any change to it would alter.
    public static func state(of warehouse: any Warehouse) async throws -> String {
        try await warehouse.read { db in
            let totals = try await db.query("select count(*), sum(amount) from shop.orders").rows[0]
            let relations = try await db.relations().count
            return "rows=\(totals[0]) sum=\(totals[1]) relations=\(relations)"
        }
    }

    /// The same attempts on every engine, in each engine's spelling where they differ.
    public static func common(_ dialect: SQLDialect) -> [Attempt] {
        let isDuckDB = dialect.name == "duckdb"
        return [
            Attempt("drop table", "drop table shop.orders", .notReadOnly),
            Attempt("drop schema cascade", "drop schema shop cascade", .notReadOnly),
            Attempt("delete", "delete from shop.orders", .notReadOnly),
            Attempt("insert", "insert into shop.orders values (4, 40.00)", .notReadOnly),
            Attempt("update", "update shop.orders set amount = 0", .notReadOnly),
            Attempt("merge", "merge into shop.orders o using (select 1 as id) s on o.id = s.id when matched then delete", .notReadOnly),
            Attempt("truncate", "truncate shop.orders", .notReadOnly),
            Attempt("create table", "create table shop.stolen (x integer)", .notReadOnly),
            Attempt("create table as", "create table shop.copy as select * from shop.orders", .notReadOnly),
            Attempt("create temporary table", "create temporary table scratch as select 1 as x", .notReadOnly),
            Attempt("create view", "create view shop.v as select 1 as x", .notReadOnly),
            Attempt("create schema", "create schema stolen", .notReadOnly),
            Attempt("alter table", "alter table shop.orders add column note text", .notReadOnly),
            Attempt("rename table", "alter table shop.orders rename to gone", .notReadOnly),
            Attempt("create index", "create index orders_id on shop.orders (id)", .notReadOnly),
            // A PostgreSQL reader role may not even use the sequence; either refusal is right.
            Attempt("nextval in a select", "select nextval('shop.order_ids')", .notReadOnly, .forbiddenAccess),
            Attempt("explain analyze of a delete", "explain analyze delete from shop.orders", .notReadOnly),
            Attempt("prepare a delete", "prepare wipe as delete from shop.orders", .notReadOnly),
            Attempt("commit", "commit", .notReadOnly),
            Attempt("begin", "begin transaction", .notReadOnly),
            Attempt("rollback", "rollback", .notReadOnly),
            Attempt("vacuum", "vacuum", .notReadOnly),
            Attempt("checkpoint", "checkpoint", .notReadOnly),
            Attempt("set a setting", isDuckDB ? "set threads = 1" : "set statement_timeout = 0", .notReadOnly),
            Attempt("reset a setting", isDuckDB ? "reset threads" : "reset all", .notReadOnly),
            Attempt("two statements", "select 1; drop table shop.orders", .multipleStatements),
            Attempt("two harmless statements", "select 1; select 2", .multipleStatements),
            Attempt("statement after a commented semicolon", "select 1 /* ; */ ; delete from shop.orders", .multipleStatements),
            Attempt("statement after a rollback", "rollback; drop table shop.orders", .multipleStatements),
            Attempt("a block comment hiding the verb", "/* select */ drop table shop.orders", .notReadOnly),
            Attempt("a line comment hiding the verb", "-- select * from shop.orders\ndrop table shop.orders", .notReadOnly),
            Attempt("a select keyword in a string", "delete from shop.orders where 'select' = 'select'", .notReadOnly),
            Attempt("CTE wrapping a delete", "with x as (select 1) delete from shop.orders", .notReadOnly),
            // Its statement type is SELECT; the read-only transaction (or database) refuses it.
            Attempt("delete inside a CTE", "with gone as (delete from shop.orders returning *) select * from gone", .notReadOnly),
            Attempt("empty text", "", .emptyStatement),
            Attempt("only a comment", "-- nothing here", .emptyStatement),
            Attempt("a query that never ends", isDuckDB
                ? "select sum(a.range * b.range) from range(1000000000) a, range(100000) b"
                : "select count(*) from generate_series(1, 100000) a, generate_series(1, 100000) b", .timeout),
        ]
    }

    /// Files (aimed at `scratch`, which must stay empty), other databases, extensions and
    /// settings: what only DuckDB can be asked to do.
    public static func duckdb(warehousePath: String, scratch target: String) -> [Attempt] {
        return [
            // DuckDB checks file access while binding, before the statement type is known:
            // either refusal is right.
            .init("copy a table to a file", "copy shop.orders to '\(target)/orders.csv'", .notReadOnly, .forbiddenAccess),
            .init("copy a query to a parquet file", "copy (select 1 as x) to '\(target)/one.parquet' (format parquet)", .notReadOnly, .forbiddenAccess),
            .init("copy over the warehouse file", "copy shop.orders to '\(warehousePath)'", .notReadOnly, .forbiddenAccess),
            .init("copy from a host file", "copy shop.orders from '/etc/passwd'", .notReadOnly, .forbiddenAccess),
            .init("export database", "export database '\(target)/export'", .notReadOnly, .forbiddenAccess),
            .init("attach a new database", "attach '\(target)/other.duckdb' as other", .notReadOnly),
            .init("attach the warehouse again", "attach '\(warehousePath)' as again (read_only)", .notReadOnly),
            .init("detach the warehouse", "detach warehouse", .notReadOnly),
            .init("install an extension", "install httpfs", .notReadOnly),
            .init("load an extension", "load httpfs", .notReadOnly),
            .init("update extensions", "update extensions", .notReadOnly),
            .init("read_csv of /etc/passwd", "select * from read_csv('/etc/passwd')", .forbiddenAccess),
            .init("read_text of /etc/passwd", "select * from read_text('/etc/passwd')", .forbiddenAccess),
            .init("read_blob of a host file", "select * from read_blob('/etc/hostname')", .forbiddenAccess),
            .init("glob of /", "select * from glob('/*')", .forbiddenAccess),
            // With external access off DuckDB does not even try a path as a table: it is an
            // unknown table name.
            .init("a host file as a table", "select * from '/etc/passwd'", .forbiddenAccess, .queryFailed),
            .init("sniff_csv of a host file", "select * from sniff_csv('/etc/passwd')", .forbiddenAccess),
            .init("parquet over https", "select * from read_parquet('https://example.com/x.parquet')", .forbiddenAccess),
            .init("a file read inside query()", "select * from query('select * from read_csv(''/etc/passwd'')')", .forbiddenAccess),
            .init("a delete inside query()", "select * from query('delete from shop.orders')", .syntax),
            .init("force_checkpoint as a table function", "select * from force_checkpoint()", .notReadOnly),
            .init("pragma", "pragma enable_profiling", .notReadOnly),
            .init("switch external access on", "set enable_external_access = true", .notReadOnly),
            .init("unlock the configuration", "set lock_configuration = false", .notReadOnly),
            .init("set a variable", "set variable secret = 1", .notReadOnly),
            // Without extensions no secret type exists, so DuckDB already fails these while
            // binding (before the statement type is known), naming the missing extension.
            .init("create a secret", "create secret s3key (type s3, key_id 'a', secret 'b')", .notReadOnly, .queryFailed),
            .init("create a persistent secret", "create persistent secret kept (type s3, key_id 'a', secret 'b')", .notReadOnly, .queryFailed),
            .init("create a macro", "create macro shop.plus_one(x) as x + 1", .notReadOnly),
            .init("call a pragma function", "call pragma_version()", .notReadOnly),
            .init("analyze", "analyze", .notReadOnly),
        ]
    }

    /// Queries that must still run, with the first value they return, so a sandbox that refuses
    /// everything fails the tests too.
    public static func allowed(_ dialect: SQLDialect) -> [(sql: String, first: String)] {
        [
            ("select count(*) from shop.orders", "3"),
            ("select sum(amount) from shop.big_orders", "50.00"),
            ("with t as (select amount from shop.orders) select max(amount) from t", "30.00"),
            ("values (7)", "7"),
            ("select 1 -- ; drop table shop.orders", "1"),
            ("select 'drop table shop.orders; delete' as text", "drop table shop.orders; delete"),
            ("  select 2;  ", "2"),
        ]
    }

    /// Runs every attempt; returns one line per attempt that was not refused as it should be.
    public static func problems(running attempts: [Attempt], on warehouse: any Warehouse,
                                timeout: Duration = .seconds(2)) async -> [String] {
        await problems(running: attempts) { sql in
            do {
                let answer = try await warehouse.runReadOnly(ReadOnlyQuery(sql, rowLimit: 10, timeout: timeout))
                return .ran("\(answer.resultSet.rows.prefix(3))")
            } catch let error as WarehouseError {
                return .refused(code: error.code?.rawValue, message: error.message)
            } catch {
                return .failed("threw \(type(of: error)) instead of a WarehouseError: \(error)")
            }
        }
    }

    /// What one attempt came to, however it was sent (in process, or over HTTP to a server).
    public enum Outcome: Sendable {
        /// It ran; what it returned, for the report.
        case ran(String)
        /// It was refused with this code and message.
        case refused(code: String?, message: String)
        /// Something else went wrong (a crash, a server error).
        case failed(String)
    }

    /// What an HTTP answer of the SQL API (`POST /api/v1/sql`) came to: 200 ran; a JSON error
    /// `{"error": {"code", "message"}}` with a 4xx (or 504 for a time limit) was refused; anything
    /// else — a 5xx, a body that is not the error shape — failed.
    public static func outcome(ofHTTPStatus status: Int, body: String) -> Outcome {
        if status == 200 { return .ran(String(body.prefix(200))) }
        let json = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
        guard status < 500 || status == 504, let error = json?["error"] as? [String: Any] else {
            return .failed("HTTP \(status): \(body.prefix(300))")
        }
        return .refused(code: error["code"] as? String, message: error["message"] as? String ?? "")
    }

    /// Sends every attempt to the SQL API as `{"sql": …}` through `post` (which answers with the
    /// HTTP status and body); returns one line per attempt not refused as it should be.
    public static func problems(running attempts: [Attempt], overHTTP post: (Data) async throws -> (status: Int, body: String)) async -> [String] {
        await problems(running: attempts) { sql in
            do {
                let (status, body) = try await post(try JSONSerialization.data(withJSONObject: ["sql": sql]))
                return outcome(ofHTTPStatus: status, body: body)
            } catch {
                return .failed("the request failed: \(error)")
            }
        }
    }

    /// Sends every attempt through `send`; returns one line per attempt not refused as it should be.
    public static func problems(running attempts: [Attempt], through send: (String) async -> Outcome) async -> [String] {
        var problems: [String] = []
        for attempt in attempts {
            switch await send(attempt.sql) {
            case .ran(let rows):
                problems.append("\(attempt.name): ran and returned \(rows) instead of being refused")
            case .refused(let code, let message):
                if let code, attempt.refusedWith.contains(WarehouseError.Code(rawValue: code)) {
                    if message.isEmpty { problems.append("\(attempt.name): refused without a message") }
                } else {
                    problems.append("\(attempt.name): expected \(attempt.refusedWith.map(\.rawValue).sorted()), got \(code ?? "no code"): \(message)")
                }
            case .failed(let what):
                problems.append("\(attempt.name): \(what)")
            }
        }
        return problems
    }

    /// Runs the allowed queries; returns one line per query that failed or answered wrongly.
    public static func problems(runningAllowedOn warehouse: any Warehouse) async -> [String] {
        var problems: [String] = []
        for (sql, first) in allowed(warehouse.dialect) {
            do {
                let answer = try await warehouse.runReadOnly(ReadOnlyQuery(sql, rowLimit: 10, timeout: .seconds(30)))
                let value = answer.resultSet.scalar?.description ?? "nothing"
                if value != first { problems.append("\(sql): expected \(first), got \(value)") }
                if answer.truncated { problems.append("\(sql): marked truncated") }
            } catch {
                problems.append("\(sql): refused: \(error)")
            }
        }
        return problems
    }
}
