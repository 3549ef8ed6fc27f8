import Foundation
import PostgresNIO
import WarehouseKit

// How an untrusted query is kept from changing or reaching anything on PostgreSQL, each layer
// the server's own:
//
// - The session's role must not be a superuser or hold pg_read_server_files,
//   pg_write_server_files or pg_execute_server_program. A read-only transaction does not stop a
//   superuser's `COPY … TO '/file'`, `pg_read_file('/etc/passwd')` or `lo_export`, and
//   `SET ROLE` to a weaker role is no cure: `set_config('role', 'postgres', true)` inside the
//   query switches back (the session user decides what SET ROLE may reach), and functions that
//   run SQL text later (`query_to_xml`) then run it with full rights. So such a session is
//   refused with a hint to connect as a reader role.
// - `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`: the server refuses every write, including
//   ones hidden in a query (`nextval`, `select … for update`, data-modifying CTEs).
// - The text is parsed on its own first (postgres-nio's prepare: Parse + Describe, nothing runs);
//   the extended protocol refuses more than one statement in a Parse.
// - It then runs as `DECLARE … NO SCROLL CURSOR FOR <text>`: PostgreSQL's grammar takes only a
//   query there (SELECT, VALUES, TABLE, WITH … SELECT), so COPY, SET, LOAD, DO, CALL, EXPLAIN and
//   DDL fail to parse, and a data-modifying WITH is rejected by the server.
// - `FETCH FORWARD limit + 1` reads at most one row past the limit; the server computes no more.
// - `SET LOCAL statement_timeout` stops the statement at the time limit, on the server.
// - Everything is rolled back; session-level advisory locks taken by the query are released.
extension PostgresWarehouse {
    public func runReadOnly(_ query: ReadOnlyQuery) async throws -> ReadOnlyQueryResult {
        let started = ContinuousClock.now
        let answer = try await read { connection in
            // Every connection this warehouse lends is its own kind.
            try await (connection as! PostgresWarehouseConnection).runReadOnly(query, started: started)
        }
        return ReadOnlyQueryResult(resultSet: answer.resultSet, truncated: answer.truncated, elapsed: ContinuousClock.now - started)
    }
}

extension PostgresWarehouseConnection {
    static let readOnlyCursor = "storehouse_read_only"
    static let columnsCursor = "storehouse_read_only_columns"

    func runReadOnly(_ query: ReadOnlyQuery, started: ContinuousClock.Instant) async throws -> (resultSet: ResultSet, truncated: Bool) {
        try await send("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", for: query)
        do {
            let answer = try await runInReadOnlyTransaction(query, started: started)
            try await endReadOnlyTransaction(query)
            return answer
        } catch {
            try? await endReadOnlyTransaction(query)
            throw error
        }
    }

    private func endReadOnlyTransaction(_ query: ReadOnlyQuery) async throws {
        try await send("ROLLBACK", for: query)
        // The only state a read-only query can leave on a pooled session.
        try await send("select pg_advisory_unlock_all()", for: query)
    }

    private func runInReadOnlyTransaction(_ query: ReadOnlyQuery, started: ContinuousClock.Instant) async throws -> (resultSet: ResultSet, truncated: Bool) {
        let sql = query.text
        try await checkRoleCannotReachServerFiles(query)

        // Parse alone first: its errors point into the user's text, and it runs nothing.
        do {
            let prepared = try await connection.prepare(query: sql).get()
            try? await prepared.deallocate().get()
        } catch {
            throw classify(error, query: query)
        }

        let cursorPrefix = "DECLARE \(Self.readOnlyCursor) NO SCROLL CURSOR FOR "
        do {
            try await send(cursorPrefix + sql, for: query, rawErrors: true)
        } catch {
            // The text parsed on its own, so a syntax error here means it is not a query.
            switch Self.sqlState(of: error) {
            case "42601":
                if SQLScanner(sql).statements.isEmpty { throw ReadOnlyRefusal.empty(sql: sql) }
                throw ReadOnlyRefusal.notReadOnly("a statement that is not a query (DML, DDL, COPY, SET, EXPLAIN, CALL …)", sql: sql)
            case "0A000":
                // How DECLARE refuses a data-modifying WITH.
                throw ReadOnlyRefusal.notReadOnly("a query that writes", sql: sql, engineMessage: Self.serverMessage(of: error))
            default:
                break
            }
            throw classify(error, query: query, positionOffset: cursorPrefix.count)
        }

        try await limitTime(query, started: started)
        let fetch = query.rowLimit == Int.max ? "FETCH ALL FROM \(Self.readOnlyCursor)" : "FETCH FORWARD \(query.rowLimit + 1) FROM \(Self.readOnlyCursor)"
        let fetched: PostgresQueryResult
        do {
            fetched = try await send(fetch, for: query, rawErrors: true)
        } catch {
            throw classify(error, query: query)
        }
        let truncated = fetched.rows.count > query.rowLimit
        let rows = fetched.rows.prefix(query.rowLimit).map { row in row.map(PostgresValueCoding.decode) }
        if let first = fetched.rows.first {
            let columns = first.map { ColumnInfo(name: $0.columnName, type: PostgresValueCoding.typeName($0.dataType)) }
            return (ResultSet(columns: columns, rows: Array(rows)), truncated)
        }
        try await limitTime(query, started: started)
        return (ResultSet(columns: await columnsOfEmptyResult(query), rows: []), false)
    }

    /// postgres-nio does not hand out the row description of an empty result, so the columns
    /// come from a second cursor over the query outer-joined to one row: one all-NULL row whose
    /// cells carry names and types. Inside a savepoint, so a failure costs only the names.
    private func columnsOfEmptyResult(_ query: ReadOnlyQuery) async -> [ColumnInfo] {
        var body = query.text.trimmingWhitespace()
        while body.hasSuffix(";") { body = String(body.dropLast()).trimmingWhitespace() }
        let probe = "DECLARE \(Self.columnsCursor) NO SCROLL CURSOR FOR select storehouse_probe.* from (select 1) as storehouse_one left join (\n\(body)\n) as storehouse_probe on true"
        do {
            try await send("SAVEPOINT storehouse_columns", for: query)
            try await send(probe, for: query)
            let row = try await send("FETCH 1 FROM \(Self.columnsCursor)", for: query).rows.first
            try await send("RELEASE SAVEPOINT storehouse_columns", for: query)
            return row?.map { ColumnInfo(name: $0.columnName, type: PostgresValueCoding.typeName($0.dataType)) } ?? []
        } catch {
            _ = try? await send("ROLLBACK TO SAVEPOINT storehouse_columns", for: query)
            return []
        }
    }

    /// Refuses a session whose role could reach the server's files or programs (see above).
    private func checkRoleCannotReachServerFiles(_ query: ReadOnlyQuery) async throws {
        let result = try await send("""
            select session_user::text, r.rolsuper,
                   pg_has_role(session_user, 'pg_read_server_files', 'MEMBER')
                   or pg_has_role(session_user, 'pg_write_server_files', 'MEMBER')
                   or pg_has_role(session_user, 'pg_execute_server_program', 'MEMBER')
            from pg_roles r where r.rolname = session_user
            """, for: query)
        guard let row = result.rows.first.map({ $0.map(PostgresValueCoding.decode) }), row.count == 3 else { return }
        let role = row[0].string ?? configuration.user
        let superuser = row[1] == .bool(true), serverFiles = row[2] == .bool(true)
        guard superuser || serverFiles else { return }
        throw WarehouseError(
            .connection,
            "the PostgreSQL role \"\(role)\" \(superuser ? "is a superuser" : "may read or write the server's files"), so a query could reach past a read-only transaction (COPY to a file, pg_read_file); untrusted SQL does not run on this connection",
            sql: query.text, code: .unsupported,
            hint: "connect as a role without those rights, e.g. create role storehouse_reader login password '…'; grant pg_read_all_data to storehouse_reader;")
    }

    /// Gives the next statement what is left of the time limit.
    private func limitTime(_ query: ReadOnlyQuery, started: ContinuousClock.Instant) async throws {
        guard let timeout = query.timeout else { return }
        let left = timeout - (ContinuousClock.now - started)
        let milliseconds = left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000
        if milliseconds < 1 { throw ReadOnlyRefusal.timeout(timeout, sql: query.text) }
        try await send("SET LOCAL statement_timeout = \(milliseconds)", for: query)
    }

    /// Sends one of this file's own statements. Their failures are reported against the
    /// user's query, which is the one that matters; `rawErrors` passes the driver's error on
    /// for `classify`.
    @discardableResult
    private func send(_ text: String, for query: ReadOnlyQuery, rawErrors: Bool = false) async throws -> PostgresQueryResult {
        do {
            let future: EventLoopFuture<PostgresQueryResult> = connection.query(PostgresQuery(unsafeSQL: text), logger: logger)
            return try await future.get()
        } catch {
            if rawErrors { throw error }
            throw PostgresErrors.statementFailure(error, sql: query.text, configuration: configuration)
        }
    }

    static func serverMessage(of error: any Error) -> String? {
        if let error = error as? PSQLError { return error.serverInfo?[.message] }
        if case .server(let legacy)? = error as? PostgresError { return legacy.fields[.message] }
        return nil
    }

    static func sqlState(of error: any Error) -> String? {
        if let error = error as? PSQLError { return error.serverInfo?[.sqlState] }
        if let error = error as? PostgresError { return sqlState(of: error) }
        return nil
    }

    /// Maps the server's SQLSTATE to a stable code; the server's message (with detail, hint
    /// and a position in the user's text) stays the message.
    func classify(_ error: any Error, query: ReadOnlyQuery, positionOffset: Int = 0) -> any Error {
        let sql = query.text
        let state = Self.sqlState(of: error)
        var fields: PostgresErrors.ServerFields?
        if let error = error as? PSQLError, let info = error.serverInfo {
            fields = .init(message: info[.message], detail: info[.detail], hint: info[.hint], context: info[.locationContext],
                           position: info[.position], sqlState: info[.sqlState])
        } else if case .server(let legacy)? = error as? PostgresError {
            fields = .init(message: legacy.fields[.message], detail: legacy.fields[.detail], hint: legacy.fields[.hint],
                           context: legacy.fields[.locationContext], position: legacy.fields[.position], sqlState: legacy.fields[.sqlState])
        }
        guard var fields else { return PostgresErrors.statementFailure(error, sql: sql, configuration: configuration) }
        if let position = fields.position.flatMap(Int.init) { fields.position = String(position - positionOffset) }
        let engine = PostgresErrors.serverFailure(fields, sql: sql, configuration: configuration).message
        switch state {
        case "42601" where SQLScanner(sql).statements.count > 1:
            return ReadOnlyRefusal.multipleStatements(SQLScanner(sql).statements.count, sql: sql)
        case "42601":
            return ReadOnlyRefusal.syntax(engine, sql: sql)
        case let state? where state.hasPrefix("25"):
            // read_only_sql_transaction, or set_config trying to make the transaction read-write
            return ReadOnlyRefusal.notReadOnly("a query that writes", sql: sql, engineMessage: fields.message)
        case "42501":
            return ReadOnlyRefusal.forbiddenAccess(engine, sql: sql)
        case "57014":
            return query.timeout.map { ReadOnlyRefusal.timeout($0, sql: sql) } ?? ReadOnlyRefusal.cancelled(sql: sql)
        default:
            return ReadOnlyRefusal.failed(engine, sql: sql)
        }
    }
}
