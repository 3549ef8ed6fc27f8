import Foundation
import PostgresNIO
import WarehouseKit

/// A `WarehouseConnection` pinned to one server connection for the length of one `read` or
/// `write` closure, so `BEGIN … COMMIT` and session settings stay on the same backend. After the
/// closure returns it refuses further use: the physical connection is back in the pool.
final class PostgresWarehouseConnection: WarehouseConnection, @unchecked Sendable {
    let dialect = SQLDialect.postgres
    let connection: PostgresConnection
    let configuration: PostgresConfiguration
    let logger: Logger
    private let lock = NSLock()
    private var released = false
    private var openAppenders: [PostgresCopyAppender] = []

    init(connection: PostgresConnection, configuration: PostgresConfiguration, logger: Logger) {
        self.connection = connection
        self.configuration = configuration
        self.logger = logger
    }

    /// Ends the borrow: aborts any COPY left unfinished (nothing of it is kept) and refuses further use.
    func release() async {
        let appenders = lock.withLock {
            released = true
            defer { openAppenders = [] }
            return openAppenders
        }
        for appender in appenders { await appender.abort() }
    }

    private func checkUsable(_ sql: String) throws {
        let isReleased = lock.withLock { released }
        if isReleased {
            throw WarehouseError(.usage, "this connection was used after its read/write closure returned; use the connection only inside the closure", sql: sql)
        }
    }

    /// Runs one statement with bound parameters and collects every row.
    func run(_ text: String, _ parameters: [WarehouseValue]) async throws -> PostgresQueryResult {
        try checkUsable(text)
        let query = PostgresQuery(unsafeSQL: text, binds: PostgresValueCoding.bindings(for: parameters))
        do {
            let future: EventLoopFuture<PostgresQueryResult> = connection.query(query, logger: logger)
            return try await future.get()
        } catch {
            throw PostgresErrors.statementFailure(error, sql: text, configuration: configuration)
        }
    }

    @discardableResult
    func execute(_ sql: SQL) async throws -> Int {
        Self.rowsChanged(try await run(sql.text, sql.parameters).metadata)
    }

    func query(_ sql: SQL) async throws -> ResultSet {
        try await query(sql.text, sql.parameters)
    }

    func query(_ text: String, _ parameters: [WarehouseValue]) async throws -> ResultSet {
        let result = try await run(text, parameters)
        if let first = result.rows.first {
            let columns = first.map { ColumnInfo(name: $0.columnName, type: PostgresValueCoding.typeName($0.dataType)) }
            let rows = result.rows.map { row in row.map(PostgresValueCoding.decode) }
            return ResultSet(columns: columns, rows: rows)
        }
        return ResultSet(columns: await describeEmptyResult(text, parameters, metadata: result.metadata), rows: [])
    }

    /// postgres-nio keeps the row description of an empty result to itself, so the column names
    /// of a query that matched nothing come from running it once more, outer-joined to one row:
    /// that returns a single all-NULL row whose cells carry the names and types.
    func describeEmptyResult(_ text: String, _ parameters: [WarehouseValue], metadata: PostgresQueryMetadata) async -> [ColumnInfo] {
        guard metadata.command == "SELECT" else { return [] }
        var body = text.trimmingWhitespace()
        while body.hasSuffix(";") { body = String(body.dropLast()).trimmingWhitespace() }
        let probe = "select storehouse_probe.* from (select 1) as storehouse_one left join (\n\(body)\n) as storehouse_probe on true"
        let query = PostgresQuery(unsafeSQL: probe, binds: PostgresValueCoding.bindings(for: parameters))
        let future: EventLoopFuture<PostgresQueryResult> = connection.query(query, logger: logger)
        guard let row = try? await future.get().rows.first else { return [] }
        return row.map { ColumnInfo(name: $0.columnName, type: PostgresValueCoding.typeName($0.dataType)) }
    }

    /// Runs the statements one after another, each committing on its own unless the script
    /// holds its own `BEGIN … COMMIT` (as DuckDB runs a multi-statement string).
    func executeScript(_ text: String) async throws {
        let statements = SQLScanner(text).statements
        for (index, statement) in statements.enumerated() {
            do {
                _ = try await run(statement, [])
            } catch var error as WarehouseError where statements.count > 1 {
                error.message = "statement \(index + 1) of \(statements.count) in the script failed: " + error.message
                throw error
            }
        }
    }

    func prepare(_ text: String) async throws -> any PreparedStatement {
        try checkUsable(text)
        // Parse and plan once on the server so mistakes surface here, as DuckDB's prepare does.
        do {
            let prepared = try await connection.prepare(query: text).get()
            try? await prepared.deallocate().get()
        } catch let error as PostgresError where Self.sqlState(of: error) == "42P18" {
            // A parameter whose type only the bound value decides (`select $1`): the untyped
            // prepare cannot tell, but every run sends typed values, so the statement is fine.
        } catch {
            throw PostgresErrors.statementFailure(error, sql: text, configuration: configuration)
        }
        return PostgresPreparedStatement(connection: self, sql: text, parameterCount: SQLScanner(text).highestPlaceholder)
    }

    func appender(into relation: RelationName) async throws -> any BulkAppender {
        let columns = try await query("""
            select column_name, data_type from information_schema.columns
            where table_schema = \(relation.schema) and table_name = \(relation.name)
            order by ordinal_position
            """).rows.map { ColumnInfo(name: $0[0].string ?? "", type: ($0[1].string ?? "").uppercased()) }
        guard !columns.isEmpty else {
            throw WarehouseError(.load, "cannot append to \(relation): no such table — create it first (dialect.createTable) or check the schema and name")
        }
        let appender = try await PostgresCopyAppender(connection: self, relation: relation, columns: columns)
        lock.withLock { openAppenders.append(appender) }
        return appender
    }

    func appenderFinished(_ appender: PostgresCopyAppender) {
        lock.withLock { openAppenders.removeAll { $0 === appender } }
    }

    static func sqlState(of error: PostgresError) -> String? {
        if case .server(let message) = error { return message.fields[.sqlState] }
        return nil
    }

    /// The count in the command tag (`INSERT 0 5`, `UPDATE 3`, `MERGE 2`, `COPY 10`); 0 for DDL.
    static func rowsChanged(_ metadata: PostgresQueryMetadata) -> Int {
        if let rows = metadata.rows { return rows }
        // postgres-nio leaves tags it does not know (MERGE) whole in `command`.
        let parts = metadata.command.split(separator: " ")
        if parts.count == 2, let rows = Int(parts[1]) { return rows }
        return 0
    }
}

/// A statement checked by the server at `prepare` and then run through the extended protocol
/// each time (postgres-nio's named statements do not report the command tag, which `execute`
/// needs for its row count).
final class PostgresPreparedStatement: PreparedStatement, @unchecked Sendable {
    let connection: PostgresWarehouseConnection
    let sql: String
    let parameterCount: Int

    init(connection: PostgresWarehouseConnection, sql: String, parameterCount: Int) {
        self.connection = connection
        self.sql = sql
        self.parameterCount = parameterCount
    }

    private func checkCount(_ parameters: [WarehouseValue]) throws {
        guard parameters.count == parameterCount else {
            throw WarehouseError(.usage, "the statement expects \(parameterCount) parameters but \(parameters.count) were given", sql: sql)
        }
    }

    @discardableResult
    func execute(_ parameters: [WarehouseValue]) async throws -> Int {
        try checkCount(parameters)
        return PostgresWarehouseConnection.rowsChanged(try await connection.run(sql, parameters).metadata)
    }

    func query(_ parameters: [WarehouseValue]) async throws -> ResultSet {
        try checkCount(parameters)
        return try await connection.query(sql, parameters)
    }
}
