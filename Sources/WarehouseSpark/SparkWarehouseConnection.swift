import Foundation
import WarehouseKit

/// A connection lent by `SparkWarehouse`: every statement is one `ExecutePlan` call on the
/// warehouse's Spark Connect session.
final class SparkWarehouseConnection: WarehouseConnection, Sendable {
    let session: SparkConnectSession
    let dialect = SQLDialect.spark

    init(session: SparkConnectSession) { self.session = session }

    @discardableResult
    func execute(_ sql: SQL) async throws -> Int {
        try await run(command: sql.text, parameters: sql.parameters)
    }

    func query(_ sql: SQL) async throws -> ResultSet {
        try await collect(sql.text, parameters: sql.parameters)
    }

    func executeScript(_ text: String) async throws {
        for statement in SparkSQLText(text).statements { try await run(command: statement, parameters: []) }
    }

    func prepare(_ text: String) async throws -> any PreparedStatement {
        SparkPreparedStatement(connection: self, text: text, parameterCount: SparkSQLText(text).highestPlaceholder)
    }

    func appender(into relation: RelationName) async throws -> any BulkAppender {
        let columns = try await columns(of: relation)
        guard !columns.isEmpty else {
            throw WarehouseError(.load, "cannot load into \(relation.quoted): Spark has no such table", hint: "create the table first")
        }
        return try SparkArrowAppender(session: session, table: relation, columns: columns)
    }

    /// Runs a statement as a command; Spark does not report the rows a statement changed, so 0.
    @discardableResult
    func run(command text: String, parameters: [WarehouseValue]) async throws -> Int {
        try await session.execute(try SparkPlans.command(text, parameters: parameters), sql: text) { _ in }
        return 0
    }

    /// Runs a query and decodes every Arrow batch of its result.
    func collect(_ text: String, parameters: [WarehouseValue]) async throws -> ResultSet {
        let batches = ArrowChunks()
        try await session.execute(try SparkPlans.query(text, parameters: parameters), sql: text) { response in
            if case .arrowBatch(let batch) = response.responseType { batches.append(batch) }
        }
        do {
            return try SparkResults.resultSet(from: batches.streams)
        } catch let error as WarehouseError {
            throw WarehouseError(error.kind, error.message, sql: text, hint: error.hint)
        }
    }

    // MARK: introspection through Spark's catalog commands (Spark has no information_schema)

    func schemas() async throws -> [String] {
        try await collect("show schemas", parameters: []).rows.compactMap { $0.first?.string }.sorted()
    }

    func relations(in schema: String?) async throws -> [RelationInfo] {
        var schemas = [String]()
        if let schema { schemas = [schema] } else { schemas = try await self.schemas() }
        var found: [RelationInfo] = []
        for name in schemas {
            let quoted = SQL.quoteIdentifier(name)
            // SHOW TABLES lists views too (and temporary views, from every schema); SHOW VIEWS says which are views.
            let tables = try await collect("show tables in \(quoted)", parameters: [])
            let views = Set(try await collect("show views in \(quoted)", parameters: []).rows.compactMap { $0.count > 1 ? $0[1].string : nil })
            for row in tables.rows where row.count > 2 && row[2] != .bool(true) {
                guard let table = row[1].string else { continue }
                found.append(RelationInfo(name: RelationName(schema: name, name: table), kind: views.contains(table) ? .view : .table))
            }
        }
        return found.sorted { ($0.name.schema, $0.name.name) < ($1.name.schema, $1.name.name) }
    }

    func relationKind(_ relation: RelationName) async throws -> RelationKind? {
        try await relations(in: relation.schema).first { $0.name.name == relation.name }?.kind
    }

    func columns(of relation: RelationName) async throws -> [ColumnInfo] {
        guard try await relationKind(relation) != nil else { return [] }
        // DESCRIBE gives Spark's type names; the empty result's Arrow schema gives nullability.
        let described = try await collect("describe table \(relation.quoted)", parameters: [])
        var types: [(String, String)] = []
        for row in described.rows {
            guard let name = row.first?.string, !name.isEmpty, !name.hasPrefix("#") else { break }
            types.append((name, (row.count > 1 ? row[1].string ?? "" : "").uppercased()))
        }
        let empty = try await collect("select * from \(relation.quoted) limit 0", parameters: [])
        let nullable = Dictionary(empty.columns.map { ($0.name, $0.isNullable) }, uniquingKeysWith: { first, _ in first })
        return types.map { ColumnInfo(name: $0.0, type: $0.1, isNullable: nullable[$0.0] ?? true) }
    }
}

/// A statement kept as text and sent with its parameters each time: Spark Connect has no
/// server-side prepared statements (each plan is analysed anew).
final class SparkPreparedStatement: PreparedStatement, Sendable {
    let connection: SparkWarehouseConnection
    let text: String
    let parameterCount: Int

    init(connection: SparkWarehouseConnection, text: String, parameterCount: Int) {
        self.connection = connection
        self.text = text
        self.parameterCount = parameterCount
    }

    @discardableResult
    func execute(_ parameters: [WarehouseValue]) async throws -> Int {
        try await connection.run(command: text, parameters: parameters)
    }

    func query(_ parameters: [WarehouseValue]) async throws -> ResultSet {
        try await connection.collect(text, parameters: parameters)
    }
}

/// The Arrow streams of one result, in arrival order; a batch Spark sent in chunks is joined.
final class ArrowChunks: @unchecked Sendable {
    private let lock = NSLock()
    private var complete: [[UInt8]] = []
    private var partial: [UInt8] = []

    func append(_ batch: Spark_Connect_ExecutePlanResponse.ArrowBatch) {
        lock.withLock {
            partial.append(contentsOf: batch.data)
            let chunks = batch.hasNumChunksInBatch ? batch.numChunksInBatch : 1
            let index = batch.hasChunkIndex ? batch.chunkIndex : 0
            if index + 1 >= chunks {
                complete.append(partial)
                partial = []
            }
        }
    }

    var streams: [[UInt8]] { lock.withLock { complete } }
}
