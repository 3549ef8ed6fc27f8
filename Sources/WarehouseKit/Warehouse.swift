/// A warehouse: a database Storehouse loads into, transforms in and serves from.
///
/// Callers borrow a connection for the length of a closure; the connection never escapes it.
/// Several `read` closures run at once; `write` closures run one at a time.
///
/// ```swift
/// let count = try await warehouse.read { db in
///     try await db.query("select count(*) from raw.orders where status = \(status)").scalar
/// }
/// ```
public protocol Warehouse: Sendable {
    var dialect: SQLDialect { get }

    /// Runs `body` with a connection meant for reading. Reads run concurrently with each other and
    /// with a write, each seeing a consistent snapshot.
    func read<T: Sendable>(_ body: @Sendable (any WarehouseConnection) async throws -> T) async throws -> T

    /// Runs `body` with the connection that writes; writes are serialised.
    func write<T: Sendable>(_ body: @Sendable (any WarehouseConnection) async throws -> T) async throws -> T

    /// Runs `body` on a connection of its own that may read and write while other sessions do
    /// the same; the engine's transactions keep them apart, and a conflict surfaces as an error.
    /// The transformation runner builds independent models in parallel this way.
    func session<T: Sendable>(_ body: @Sendable (any WarehouseConnection) async throws -> T) async throws -> T

    /// Runs one untrusted query read-only, cut off at a row and a time limit (see `ReadOnlyQuery`).
    /// A refusal or an interruption throws a `WarehouseError` whose `code` says which.
    func runReadOnly(_ query: ReadOnlyQuery) async throws -> ReadOnlyQueryResult

    /// Closes every connection; a file database is checkpointed first, so once this returns
    /// the file alone holds all committed data. Further use throws.
    func close() async

    /// A hint from a caller that runs statements side by side (the build's scheduler): how many
    /// of its statements may run at once from now on. An embedded engine sizes its worker threads
    /// to it; a server ignores it.
    func expectConcurrentQueries(_ count: Int) async
}

extension Warehouse {
    public func expectConcurrentQueries(_ count: Int) async {}
}

/// A connection borrowed from a `Warehouse` inside `read` or `write`.
public protocol WarehouseConnection: AnyObject, Sendable {
    var dialect: SQLDialect { get }

    /// Runs a statement; returns the rows it changed (0 for DDL).
    @discardableResult
    func execute(_ sql: SQL) async throws -> Int

    /// Runs a query and returns every row.
    func query(_ sql: SQL) async throws -> ResultSet
    /// Runs a query and returns its rows column by column (`ColumnarResult`); engines that can
    /// read their results as vectors skip boxing each value. The default boxes, then unboxes.
    func queryColumns(_ sql: SQL) async throws -> ColumnarResult

    /// Runs several `;`-separated statements without parameters (DDL scripts, compiled models).
    func executeScript(_ text: String) async throws

    /// Prepares a statement to run many times with different parameters (`$1`, `$2`, …).
    func prepare(_ text: String) async throws -> any PreparedStatement

    /// Opens a bulk appender into an existing table, columns in the table's order.
    func appender(into relation: RelationName) async throws -> any BulkAppender

    /// Runs a statement with the engine's profiler on: the rows it changed, and what it cost
    /// (nil where the engine cannot profile that statement). Engines without a profiler run it
    /// as `execute` does.
    func executeProfiled(_ sql: SQL) async throws -> (rows: Int, profile: QueryProfile?)

    /// Introspection. The defaults read `information_schema` (DuckDB, PostgreSQL); an engine
    /// without it (Spark) answers from its own catalog commands.
    func schemas() async throws -> [String]
    func relations(in schema: String?) async throws -> [RelationInfo]
    func relationKind(_ relation: RelationName) async throws -> RelationKind?
    func columns(of relation: RelationName) async throws -> [ColumnInfo]
}

extension WarehouseConnection {
    public func executeProfiled(_ sql: SQL) async throws -> (rows: Int, profile: QueryProfile?) {
        (try await execute(sql), nil)
    }
}

/// A statement prepared once and run with different parameters.
public protocol PreparedStatement: AnyObject, Sendable {
    var parameterCount: Int { get }
    @discardableResult
    func execute(_ parameters: [WarehouseValue]) async throws -> Int
    func query(_ parameters: [WarehouseValue]) async throws -> ResultSet
}

/// Loads rows into one table in bulk. Several appenders (one per table) may be open on one
/// connection at once. For an all-or-nothing load, append inside `transaction {}`: on DuckDB rows
/// become visible at `finish()`, on PostgreSQL batch by batch (each batch is one COPY).
public protocol BulkAppender: AnyObject, Sendable {
    /// The target table's columns, in order; batches carry one column each, in this order.
    var columns: [ColumnInfo] { get }
    func append(_ batch: ColumnBatch) async throws
    /// Flushes and closes the appender; returns the number of rows appended in all.
    @discardableResult
    func finish() async throws -> Int
}

extension WarehouseConnection {
    /// Runs `body` inside a transaction: committed when it returns, rolled back when it throws.
    public func transaction<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        guard dialect.supportsTransactions else {
            throw WarehouseError(.transaction, "the \(dialect.name) warehouse has no transactions, so these statements cannot be made all-or-nothing",
                                 hint: "run the step on DuckDB or PostgreSQL, or make it safe to repeat (write to a new table, then swap)")
        }
        try await execute("BEGIN TRANSACTION")
        do {
            let result = try await body()
            try await execute("COMMIT")
            return result
        } catch {
            _ = try? await execute("ROLLBACK")
            throw error
        }
    }

    /// All-or-nothing where the engine has transactions (`transaction`); where it has none
    /// (Spark), the statements run one after another and a failure leaves those before it applied.
    /// For steps that are safe to repeat (a build writes a new relation under a temporary name
    /// and swaps it in), not for loads that must not half-happen.
    public func transactionWhereSupported<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        guard dialect.supportsTransactions else { return try await body() }
        return try await transaction(body)
    }

    /// Schemas in the current database, system schemas left out.
    public func schemas() async throws -> [String] {
        let result = try await query("""
            select distinct schema_name from information_schema.schemata
            where schema_name not in ('information_schema', 'pg_catalog', 'pg_toast')
              and schema_name not like 'pg_temp%' and schema_name not like 'pg_toast_temp%'
              and catalog_name = current_database()
            order by 1
            """)
        return result.rows.compactMap { $0.first?.string }
    }

    /// Tables and views in every schema.
    public func relations() async throws -> [RelationInfo] { try await relations(in: nil) }

    /// Tables and views, in one schema or in all.
    public func relations(in schema: String?) async throws -> [RelationInfo] {
        let filter: SQL = schema.map { "and table_schema = \($0)" } ?? ""
        let result = try await query("""
            select table_schema, table_name, table_type from information_schema.tables
            where table_schema not in ('information_schema', 'pg_catalog')
              and table_catalog = current_database() \(filter)
            order by 1, 2
            """)
        return result.rows.map { row in
            RelationInfo(
                name: RelationName(schema: row[0].string ?? "", name: row[1].string ?? ""),
                kind: (row[2].string ?? "").uppercased().contains("VIEW") ? .view : .table)
        }
    }

    /// The relation's kind, or nil when it does not exist.
    public func relationKind(_ relation: RelationName) async throws -> RelationKind? {
        let result = try await query("""
            select table_type from information_schema.tables
            where table_schema = \(relation.schema) and table_name = \(relation.name)
              and table_catalog = current_database()
            """)
        guard let type = result.scalar?.string else { return nil }
        return type.uppercased().contains("VIEW") ? .view : .table
    }

    /// Columns of a relation in their order, with the engine's type names.
    public func columns(of relation: RelationName) async throws -> [ColumnInfo] {
        let result = try await query("""
            select column_name, data_type, is_nullable from information_schema.columns
            where table_schema = \(relation.schema) and table_name = \(relation.name)
              and table_catalog = current_database()
            order by ordinal_position
            """)
        return result.rows.map {
            ColumnInfo(name: $0[0].string ?? "", type: ($0[1].string ?? "").uppercased(),
                       isNullable: ($0[2].string ?? "YES") == "YES")
        }
    }

    /// Appends every batch of a sequence and returns the total row count.
    @discardableResult
    public func bulkLoad(into relation: RelationName, batches: some Sequence<ColumnBatch>) async throws -> Int {
        let appender = try await appender(into: relation)
        for batch in batches { try await appender.append(batch) }
        return try await appender.finish()
    }
}
