import CDuckDB
import Dispatch
import Foundation
import WarehouseKit

/// One DuckDB connection. Used by one task at a time (the warehouse hands it out inside a
/// closure); the blocking C calls run on a dispatch queue so they never stall Swift's
/// cooperative thread pool.
final class DuckDBConnection: WarehouseConnection, @unchecked Sendable {
    let dialect = SQLDialect.duckdb
    private var handle: duckdb_connection?
    private let queue = DispatchQueue(label: "storehouse.duckdb.connection")

    init(handle: duckdb_connection) { self.handle = handle }

    /// A valid pointer for zero-length strings (the C API wants non-null).
    nonisolated(unsafe) static let emptyCString: UnsafePointer<CChar> = {
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return UnsafePointer(pointer)
    }()

    func disconnect() {
        queue.sync { if handle != nil { duckdb_disconnect(&handle) } }
    }

    /// Runs blocking work on this connection's queue.
    func blocking<T: Sendable>(_ work: @escaping @Sendable (duckdb_connection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [self] in
                guard let handle else {
                    continuation.resume(throwing: WarehouseError(.connection, "the connection is closed"))
                    return
                }
                continuation.resume(with: Result { try work(handle) })
            }
        }
    }

    @discardableResult
    func execute(_ sql: SQL) async throws -> Int {
        try await blocking { handle in
            try DuckDBConnection.run(sql, on: handle) { result in Int(duckdb_rows_changed(&result)) }
        }
    }

    func query(_ sql: SQL) async throws -> ResultSet {
        try await blocking { handle in
            try DuckDBConnection.run(sql, on: handle) { result in try ResultDecoder.decode(&result) }
        }
    }

    func queryColumns(_ sql: SQL) async throws -> ColumnarResult {
        try await blocking { handle in
            try DuckDBConnection.run(sql, on: handle) { result in try ColumnarDecoder.decode(&result) }
        }
    }

    func executeScript(_ text: String) async throws {
        try await blocking { handle in
            var result = duckdb_result()
            defer { duckdb_destroy_result(&result) }
            if duckdb_query(handle, text, &result) != DuckDBSuccess {
                throw WarehouseError(.query, DuckDBConnection.errorMessage(&result), sql: text)
            }
        }
    }

    func prepare(_ text: String) async throws -> any PreparedStatement {
        try await blocking { [self] handle in
            var statement: duckdb_prepared_statement?
            if duckdb_prepare(handle, text, &statement) != DuckDBSuccess {
                let message = statement.flatMap { duckdb_prepare_error($0) }.map { String(cString: $0) } ?? "prepare failed"
                duckdb_destroy_prepare(&statement)
                throw WarehouseError(.query, message, sql: text)
            }
            return DuckDBPreparedStatement(statement: statement!, sql: text, connection: self)
        }
    }

    func appender(into relation: RelationName) async throws -> any BulkAppender {
        try await blocking { [self] handle in
            try DuckDBAppender(connection: self, handle: handle, relation: relation)
        }
    }

    /// Runs SQL (with bound parameters when it has any) and hands the result to `read`.
    static func run<T>(_ sql: SQL, on handle: duckdb_connection, _ read: (inout duckdb_result) throws -> T) throws -> T {
        let parameters = sql.parameters
        var result = duckdb_result()
        defer { duckdb_destroy_result(&result) }
        if parameters.isEmpty {
            if duckdb_query(handle, sql.text, &result) != DuckDBSuccess {
                throw WarehouseError(.query, errorMessage(&result), sql: sql.text)
            }
            return try read(&result)
        }
        var statement: duckdb_prepared_statement?
        defer { duckdb_destroy_prepare(&statement) }
        if duckdb_prepare(handle, sql.text, &statement) != DuckDBSuccess {
            let message = statement.flatMap { duckdb_prepare_error($0) }.map { String(cString: $0) } ?? "prepare failed"
            throw WarehouseError(.query, message, sql: sql.text)
        }
        try bind(parameters, to: statement!, sql: sql.text)
        if duckdb_execute_prepared(statement, &result) != DuckDBSuccess {
            throw WarehouseError(.query, errorMessage(&result), sql: sql.text)
        }
        return try read(&result)
    }

    static func bind(_ parameters: [WarehouseValue], to statement: duckdb_prepared_statement, sql: String) throws {
        let expected = Int(duckdb_nparams(statement))
        guard expected == parameters.count else {
            throw WarehouseError(.usage, "the statement expects \(expected) parameters but \(parameters.count) were given", sql: sql)
        }
        duckdb_clear_bindings(statement)
        for (offset, value) in parameters.enumerated() {
            let index = idx_t(offset + 1)
            let state: duckdb_state
            switch value {
            case .null: state = duckdb_bind_null(statement, index)
            case .bool(let b): state = duckdb_bind_boolean(statement, index, b)
            case .int(let v): state = duckdb_bind_int64(statement, index, v)
            case .double(let v): state = duckdb_bind_double(statement, index, v)
            case .decimal(let s), .text(let s):
                var copy = s
                state = copy.withUTF8 { bytes in
                    bytes.withMemoryRebound(to: CChar.self) {
                        duckdb_bind_varchar_length(statement, index, $0.baseAddress ?? DuckDBConnection.emptyCString, idx_t($0.count))
                    }
                }
            case .date(let days): state = duckdb_bind_date(statement, index, duckdb_date(days: days))
            case .timestamp(let micros): state = duckdb_bind_timestamp(statement, index, duckdb_timestamp(micros: micros))
            case .timestampTZ(let micros): state = duckdb_bind_timestamp_tz(statement, index, duckdb_timestamp(micros: micros))
            case .blob(let bytes):
                state = bytes.withUnsafeBytes { duckdb_bind_blob(statement, index, $0.baseAddress, idx_t($0.count)) }
            }
            if state != DuckDBSuccess {
                throw WarehouseError(.usage, "parameter $\(offset + 1) could not be bound as \(value)", sql: sql)
            }
        }
    }

    static func errorMessage(_ result: inout duckdb_result) -> String {
        let message = duckdb_result_error(&result).map { String(cString: $0) } ?? "DuckDB reported an error without a message"
        if message.contains("Ambiguous reference to catalog or schema") {
            // DuckDB names a database after its file, so `raw.duckdb` clashes with schema `raw`.
            return message + "\n  hint: the warehouse file's name (without .duckdb) equals a schema name; rename the file, e.g. store.duckdb"
        }
        return message
    }
}

/// A statement prepared on one connection; runs on that connection's queue.
final class DuckDBPreparedStatement: PreparedStatement, @unchecked Sendable {
    private var statement: duckdb_prepared_statement?
    private let sql: String
    private let connection: DuckDBConnection
    let parameterCount: Int

    init(statement: duckdb_prepared_statement, sql: String, connection: DuckDBConnection) {
        self.statement = statement
        self.sql = sql
        self.connection = connection
        parameterCount = Int(duckdb_nparams(statement))
    }

    deinit { duckdb_destroy_prepare(&statement) }

    @discardableResult
    func execute(_ parameters: [WarehouseValue]) async throws -> Int {
        try await run(parameters) { Int(duckdb_rows_changed(&$0)) }
    }

    func query(_ parameters: [WarehouseValue]) async throws -> ResultSet {
        try await run(parameters) { try ResultDecoder.decode(&$0) }
    }

    private func run<T: Sendable>(_ parameters: [WarehouseValue], _ read: @escaping @Sendable (inout duckdb_result) throws -> T) async throws -> T {
        try await connection.blocking { [self] _ in
            guard let statement else { throw WarehouseError(.usage, "the prepared statement was released", sql: sql) }
            try DuckDBConnection.bind(parameters, to: statement, sql: sql)
            var result = duckdb_result()
            defer { duckdb_destroy_result(&result) }
            if duckdb_execute_prepared(statement, &result) != DuckDBSuccess {
                throw WarehouseError(.query, DuckDBConnection.errorMessage(&result), sql: sql)
            }
            return try read(&result)
        }
    }
}

extension duckdb_date { init(days: Int32) { self.init(); self.days = days } }
extension duckdb_timestamp { init(micros: Int64) { self.init(); self.micros = micros } }
