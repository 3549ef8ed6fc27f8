import CDuckDB
import Dispatch
import Foundation
import WarehouseKit

// How an untrusted query is kept from changing or reaching anything on DuckDB.
//
// What DuckDB can restrict per connection is little: a read-only transaction stops writes to the
// database, and the prepared statement tells its type. Files, network and extensions are
// switched off only for a whole database instance (`enable_external_access` and friends are
// global settings). So the sandbox has two layers:
//
// 1. The database is opened sandboxed (`DuckDBWarehouse(path:…, sandboxed: true)`): external
//    access off, extension autoload/autoinstall off, community and unsigned extensions off,
//    configuration locked. That costs the process nothing it uses: loads go through the
//    appender, models read only tables, and the scratch database that writes Parquet files is a
//    separate in-memory instance. A warehouse opened without it refuses `runReadOnly`.
// 2. Each query gets a connection of its own in a `BEGIN TRANSACTION READ ONLY`, is split by
//    DuckDB's own parser (`duckdb_extract_statements`: exactly one statement), prepared, and runs
//    only if `duckdb_prepared_statement_type` says SELECT. It streams chunk by chunk and stops at
//    the row limit; a timer calls `duckdb_interrupt` at the time limit.
//
// What this leaves open: `select * from checkpoint()` is a SELECT that DuckDB runs in a read-only
// transaction. It changes no data; on a database opened read-only (`storehouse query`) it does
// nothing, and on the owner's writable database it merges the WAL into the file as DuckDB's own
// automatic checkpoint does, and only when no write transaction is active.
//
// The alternative, a second read-only `duckdb_database` on the same file beside the writable
// one, was measured and rejected. DuckDB 2.0 does open it in the same process, but (1) it is a
// snapshot of the file as it was when opened: it never sees what the owner commits afterwards;
// (2) closing it dropped the process's lock on the file for the writer too (POSIX record locks
// belong to the process, not to the descriptor), and another process could then open the file
// for writing while the owner still had it open — two writers on one file. (A separate process
// cannot open the file at all, read-only or not, while the owner writes: DuckDB's lock.)

extension DuckDBWarehouse {
    public func runReadOnly(_ query: ReadOnlyQuery) async throws -> ReadOnlyQueryResult {
        guard isSandboxed else {
            throw WarehouseError(.usage, "the DuckDB warehouse at \(path) was opened without its sandbox, so it cannot run untrusted SQL",
                                 sql: query.text, code: .unsupported,
                                 hint: "open it with DuckDBWarehouse(path:…, sandboxed: true), as `storehouse query` does")
        }
        let started = ContinuousClock.now
        let connection = try openConnection()
        defer { connection.disconnect() }
        let interrupter = QueryInterrupter()
        let timer = query.timeout.map { interrupter.fire(.timeout, after: $0) }
        defer { timer?.cancel() }
        let answer = try await withTaskCancellationHandler {
            try await connection.blocking { handle in
                try ReadOnlyStatement.run(query, on: handle, interrupter: interrupter)
            }
        } onCancel: {
            interrupter.fire(.cancelled)
        }
        return ReadOnlyQueryResult(resultSet: answer.resultSet, truncated: answer.truncated, elapsed: ContinuousClock.now - started)
    }
}

/// Interrupts a running statement from another thread, for a time limit or a cancelled caller.
///
/// DuckDB keeps an interrupt until the statement that sees it fails, but an interrupt that lands
/// between two calls (say, before execution starts) could be cleared by the next statement's
/// start; the timer therefore repeats until the statement is over.
final class QueryInterrupter: @unchecked Sendable {
    enum Reason { case timeout, cancelled }

    private let lock = NSLock()
    private var handle: duckdb_connection?
    private var firedReason: Reason?
    private var timeLimit: Duration?

    var reason: Reason? { lock.withLock { firedReason } }
    /// The time limit, once scheduled.
    var limit: Duration? { lock.withLock { timeLimit } }

    /// From now until `disarm`, an interrupt reaches this connection.
    func arm(_ connection: duckdb_connection) {
        lock.withLock {
            handle = connection
            if firedReason != nil { duckdb_interrupt(connection) }
        }
    }

    func disarm() { lock.withLock { handle = nil } }

    func fire(_ reason: Reason) {
        lock.withLock {
            if firedReason == nil { firedReason = reason }
            if let handle { duckdb_interrupt(handle) }
        }
    }

    /// Fires after `delay`, then every 50 ms until cancelled.
    func fire(_ reason: Reason, after delay: Duration) -> any DispatchSourceTimer {
        lock.withLock { timeLimit = delay }
        let timer = DispatchSource.makeTimerSource(queue: .global())
        let nanoseconds = delay.components.seconds * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000
        timer.schedule(deadline: .now() + .nanoseconds(Int(clamping: nanoseconds)), repeating: .milliseconds(50))
        timer.setEventHandler { [self] in fire(reason) }
        timer.resume()
        return timer
    }
}

/// One untrusted statement on one connection, start to finish, on that connection's queue.
enum ReadOnlyStatement {
    static func run(_ query: ReadOnlyQuery, on handle: duckdb_connection, interrupter: QueryInterrupter) throws
        -> (resultSet: ResultSet, truncated: Bool)
    {
        let sql = query.text
        try execute("BEGIN TRANSACTION READ ONLY", on: handle)
        // Runs last: nothing the statement did survives, and the connection is dropped after.
        defer { try? execute("ROLLBACK", on: handle) }

        var extracted: duckdb_extracted_statements?
        defer { duckdb_destroy_extracted(&extracted) }
        let count = duckdb_extract_statements(handle, sql, &extracted)
        if let error = duckdb_extract_statements_error(extracted) {
            throw ReadOnlyRefusal.syntax(String(cString: error), sql: sql)
        }
        if count == 0 { throw ReadOnlyRefusal.empty(sql: sql) }
        if count > 1 { throw ReadOnlyRefusal.multipleStatements(Int(count), sql: sql) }

        var statement: duckdb_prepared_statement?
        defer { duckdb_destroy_prepare(&statement) }
        if duckdb_prepare_extracted_statement(handle, extracted, 0, &statement) != DuckDBSuccess {
            let message = statement.flatMap { duckdb_prepare_error($0) }.map { String(cString: $0) } ?? "DuckDB could not prepare the statement"
            throw classify(message, type: errorType(namedIn: message), sql: sql, interrupter: interrupter)
        }
        let type = duckdb_prepared_statement_type(statement)
        guard type == DUCKDB_STATEMENT_TYPE_SELECT else {
            throw ReadOnlyRefusal.notReadOnly(describe(type), sql: sql)
        }
        let parameters = Int(duckdb_nparams(statement))
        guard parameters == 0 else {
            throw WarehouseError(.usage, "the query has \(parameters) parameter placeholder\(parameters == 1 ? "" : "s") ($1 …), and nothing here binds them",
                                 sql: sql, code: .queryFailed, hint: "write the values into the query")
        }

        interrupter.arm(handle)
        defer { interrupter.disarm() }
        var result = duckdb_result()
        // Destroying a streaming result that was not read to its end aborts the statement:
        // that is how the rows past the limit are never computed.
        defer { duckdb_destroy_result(&result) }
        if duckdb_execute_prepared_streaming(statement, &result) != DuckDBSuccess {
            let message = duckdb_result_error(&result).map { String(cString: $0) } ?? "DuckDB could not run the statement"
            throw classify(message, type: duckdb_result_error_type(&result), sql: sql, interrupter: interrupter)
        }
        do {
            return try ResultDecoder.decode(&result, rowLimit: query.rowLimit)
        } catch let error as WarehouseError {
            throw classify(error.message, type: duckdb_result_error_type(&result), sql: sql, interrupter: interrupter)
        }
    }

    private static func execute(_ text: String, on handle: duckdb_connection) throws {
        var result = duckdb_result()
        defer { duckdb_destroy_result(&result) }
        if duckdb_query(handle, text, &result) != DuckDBSuccess {
            throw WarehouseError(.transaction, DuckDBConnection.errorMessage(&result), sql: text)
        }
    }

    /// Maps DuckDB's error class to a stable code; the engine's message stays the message.
    static func classify(_ message: String, type: duckdb_error_type, sql: String, interrupter: QueryInterrupter) -> WarehouseError {
        if let reason = interrupter.reason, type == DUCKDB_ERROR_INTERRUPT || type == DUCKDB_ERROR_INVALID {
            switch reason {
            case .timeout:
                return ReadOnlyRefusal.timeout(interrupter.limit ?? .zero, sql: sql)
            case .cancelled:
                return ReadOnlyRefusal.cancelled(sql: sql)
            }
        }
        switch type {
        case DUCKDB_ERROR_PARSER, DUCKDB_ERROR_SYNTAX:
            return ReadOnlyRefusal.syntax(message, sql: sql)
        case DUCKDB_ERROR_PERMISSION, DUCKDB_ERROR_MISSING_EXTENSION, DUCKDB_ERROR_AUTOLOAD, DUCKDB_ERROR_HTTP, DUCKDB_ERROR_NETWORK:
            return ReadOnlyRefusal.forbiddenAccess(message, sql: sql)
        case DUCKDB_ERROR_TRANSACTION:
            // The read-only transaction refused a write hidden in a query (nextval, a
            // data-modifying CTE, force_checkpoint …).
            return ReadOnlyRefusal.notReadOnly("a statement that writes", sql: sql, engineMessage: message)
        case DUCKDB_ERROR_INVALID_INPUT where message.contains("read-only mode"):
            // The same refusal from a database opened read-only, raised while preparing, so
            // before the statement type is known. DuckDB's message names the internal EXECUTE
            // it prepares through, which would only confuse; it is left out.
            return ReadOnlyRefusal.notReadOnly("a statement that writes, and the warehouse is open read-only", sql: sql)
        default:
            return ReadOnlyRefusal.failed(message, sql: sql)
        }
    }

    /// A failed prepare reports only text, led by DuckDB's name of the error class
    /// ("Permission Error: …"); this reads that name back, not the user's SQL.
    static func errorType(namedIn message: String) -> duckdb_error_type {
        let names: [(String, duckdb_error_type)] = [
            ("Parser Error", DUCKDB_ERROR_PARSER), ("Syntax Error", DUCKDB_ERROR_SYNTAX),
            ("Permission Error", DUCKDB_ERROR_PERMISSION), ("Missing Extension Error", DUCKDB_ERROR_MISSING_EXTENSION),
            ("Extension Autoloading Error", DUCKDB_ERROR_AUTOLOAD), ("HTTP Error", DUCKDB_ERROR_HTTP),
            ("Network Error", DUCKDB_ERROR_NETWORK), ("Transaction Error", DUCKDB_ERROR_TRANSACTION),
            ("Invalid Input Error", DUCKDB_ERROR_INVALID_INPUT), ("INTERRUPT Error", DUCKDB_ERROR_INTERRUPT),
        ]
        return names.first { message.hasPrefix($0.0 + ":") }?.1 ?? DUCKDB_ERROR_INVALID
    }

    static func describe(_ type: duckdb_statement_type) -> String {
        switch type {
        case DUCKDB_STATEMENT_TYPE_INSERT: return "an INSERT"
        case DUCKDB_STATEMENT_TYPE_UPDATE: return "an UPDATE"
        case DUCKDB_STATEMENT_TYPE_DELETE: return "a DELETE"
        case DUCKDB_STATEMENT_TYPE_MERGE_INTO: return "a MERGE"
        case DUCKDB_STATEMENT_TYPE_EXPLAIN: return "an EXPLAIN (EXPLAIN ANALYZE runs its statement)"
        case DUCKDB_STATEMENT_TYPE_CREATE, DUCKDB_STATEMENT_TYPE_CREATE_FUNC: return "a CREATE"
        case DUCKDB_STATEMENT_TYPE_DROP: return "a DROP"
        case DUCKDB_STATEMENT_TYPE_ALTER: return "an ALTER"
        case DUCKDB_STATEMENT_TYPE_COPY, DUCKDB_STATEMENT_TYPE_COPY_DATABASE: return "a COPY"
        case DUCKDB_STATEMENT_TYPE_EXPORT: return "an EXPORT DATABASE"
        case DUCKDB_STATEMENT_TYPE_ATTACH: return "an ATTACH"
        case DUCKDB_STATEMENT_TYPE_DETACH: return "a DETACH"
        case DUCKDB_STATEMENT_TYPE_LOAD: return "an INSTALL or LOAD"
        case DUCKDB_STATEMENT_TYPE_UPDATE_EXTENSIONS: return "an UPDATE EXTENSIONS"
        case DUCKDB_STATEMENT_TYPE_SET, DUCKDB_STATEMENT_TYPE_VARIABLE_SET: return "a SET or RESET"
        case DUCKDB_STATEMENT_TYPE_PRAGMA: return "a PRAGMA"
        case DUCKDB_STATEMENT_TYPE_CALL: return "a CALL"
        case DUCKDB_STATEMENT_TYPE_TRANSACTION: return "a transaction statement (BEGIN, COMMIT, ROLLBACK)"
        case DUCKDB_STATEMENT_TYPE_VACUUM: return "a VACUUM"
        case DUCKDB_STATEMENT_TYPE_ANALYZE: return "an ANALYZE"
        case DUCKDB_STATEMENT_TYPE_PREPARE, DUCKDB_STATEMENT_TYPE_EXECUTE: return "a PREPARE or EXECUTE"
        case DUCKDB_STATEMENT_TYPE_MULTI: return "a statement that expands into several"
        default: return "a statement that is not a query"
        }
    }
}
