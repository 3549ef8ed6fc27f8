import CDuckDB
import Foundation
import WarehouseKit

/// Bulk loads through DuckDB's appender, one data chunk (up to 2,048 rows) at a time: whole
/// vectors are copied, no value is boxed and no SQL is parsed per row.
final class DuckDBAppender: BulkAppender, @unchecked Sendable {
    let columns: [ColumnInfo]
    private let relation: RelationName
    private let connection: DuckDBConnection
    private var appender: duckdb_appender?
    private var types: [duckdb_logical_type?]
    private var typeIDs: [duckdb_type]
    private var chunk: duckdb_data_chunk?
    private var appended = 0

    init(connection: DuckDBConnection, handle: duckdb_connection, relation: RelationName) throws {
        self.connection = connection
        self.relation = relation
        var appender: duckdb_appender?
        if duckdb_appender_create_ext(handle, nil, relation.schema, relation.name, &appender) != DuckDBSuccess {
            let message = appender.flatMap { duckdb_appender_error($0) }.map { String(cString: $0) } ?? "unknown error"
            duckdb_appender_destroy(&appender)
            throw WarehouseError(.load, "cannot append to \(relation): \(message)")
        }
        self.appender = appender
        let count = Int(duckdb_appender_column_count(appender))
        types = (0..<count).map { duckdb_appender_column_type(appender, idx_t($0)) }
        typeIDs = types.map { duckdb_get_type_id($0) }
        let names = (try? DuckDBConnection.run(
            "select column_name from information_schema.columns where table_schema = \(relation.schema) and table_name = \(relation.name) order by ordinal_position",
            on: handle) { try ResultDecoder.decode(&$0) })?.rows.compactMap { $0.first?.string } ?? []
        columns = types.enumerated().map { index, type in
            ColumnInfo(name: index < names.count ? names[index] : "column\(index + 1)", type: ResultDecoder.typeName(type))
        }
        chunk = types.withUnsafeMutableBufferPointer { duckdb_create_data_chunk($0.baseAddress, idx_t(count)) }
    }

    deinit {
        if chunk != nil { duckdb_destroy_data_chunk(&chunk) }
        for index in types.indices { duckdb_destroy_logical_type(&types[index]) }
        if appender != nil { duckdb_appender_destroy(&appender) }
    }

    func append(_ batch: ColumnBatch) async throws {
        try await connection.blocking { [self] _ in try appendNow(batch) }
    }

    func finish() async throws -> Int {
        try await connection.blocking { [self] _ in
            guard appender != nil else { return appended }
            let state = duckdb_appender_close(appender)
            let message = duckdb_appender_error(appender).map { String(cString: $0) }
            duckdb_appender_destroy(&appender)
            if state != DuckDBSuccess {
                throw WarehouseError(.load, "loading \(relation) failed: \(message ?? "unknown error")")
            }
            return appended
        }
    }

    private func appendNow(_ batch: ColumnBatch) throws {
        guard let appender, let chunk else { throw WarehouseError(.load, "the appender for \(relation) is already finished") }
        guard batch.columns.count == typeIDs.count else {
            throw WarehouseError(.load, "\(relation) has \(typeIDs.count) columns but the batch has \(batch.columns.count)")
        }
        let capacity = Int(duckdb_vector_size())
        var start = 0
        while start < batch.count {
            let end = min(start + capacity, batch.count)
            duckdb_data_chunk_reset(chunk)
            for (index, column) in batch.columns.enumerated() {
                let vector = duckdb_data_chunk_get_vector(chunk, idx_t(index))!
                try fill(vector, typeID: typeIDs[index], column: index, from: column, rows: start..<end)
            }
            duckdb_data_chunk_set_size(chunk, idx_t(end - start))
            if duckdb_append_data_chunk(appender, chunk) != DuckDBSuccess {
                let message = duckdb_appender_error(appender).map { String(cString: $0) } ?? "unknown error"
                throw WarehouseError(.load, "loading \(relation) failed near row \(appended + start + 1): \(message)")
            }
            start = end
        }
        appended += batch.count
    }

    private func fill(_ vector: duckdb_vector, typeID: duckdb_type, column: Int, from source: BatchColumn, rows: Range<Int>) throws {
        let data = duckdb_vector_get_data(vector)!
        func copy<T>(_ values: [T], as _: T.Type) {
            values.withUnsafeBufferPointer { buffer in
                data.copyMemory(from: buffer.baseAddress! + rows.lowerBound, byteCount: rows.count * MemoryLayout<T>.stride)
            }
        }
        let mismatch = { (held: String) -> WarehouseError in
            WarehouseError(.load, "column \(column + 1) of \(self.relation) is \(self.columns[column].type), but the batch holds \(held) values")
        }
        switch (typeID, source.values) {
        case (DUCKDB_TYPE_BIGINT, .int64(let v)), (DUCKDB_TYPE_TIMESTAMP, .timestamp(let v)),
             (DUCKDB_TYPE_TIMESTAMP_TZ, .timestampTZ(let v)), (DUCKDB_TYPE_TIMESTAMP, .int64(let v)),
             (DUCKDB_TYPE_TIMESTAMP_TZ, .timestamp(let v)), (DUCKDB_TYPE_TIMESTAMP, .timestampTZ(let v)):
            copy(v, as: Int64.self)
        case (DUCKDB_TYPE_INTEGER, .int32(let v)), (DUCKDB_TYPE_DATE, .date(let v)):
            copy(v, as: Int32.self)
        case (DUCKDB_TYPE_DOUBLE, .double(let v)):
            copy(v, as: Double.self)
        case (DUCKDB_TYPE_BOOLEAN, .bool(let v)):
            copy(v, as: Bool.self)
        case (DUCKDB_TYPE_BIGINT, .int32(let v)):
            let out = data.assumingMemoryBound(to: Int64.self)
            for (i, row) in rows.enumerated() { out[i] = Int64(v[row]) }
        case (DUCKDB_TYPE_INTEGER, .int64(let v)):
            let out = data.assumingMemoryBound(to: Int32.self)
            for (i, row) in rows.enumerated() {
                guard let narrowed = Int32(exactly: v[row]) else {
                    throw WarehouseError(.load, "row \(appended + row + 1), column \(column + 1) of \(relation): \(v[row]) does not fit INTEGER")
                }
                out[i] = narrowed
            }
        case (DUCKDB_TYPE_DOUBLE, .int64(let v)):
            let out = data.assumingMemoryBound(to: Double.self)
            for (i, row) in rows.enumerated() { out[i] = Double(v[row]) }
        case (DUCKDB_TYPE_DOUBLE, .int32(let v)):
            let out = data.assumingMemoryBound(to: Double.self)
            for (i, row) in rows.enumerated() { out[i] = Double(v[row]) }
        case (DUCKDB_TYPE_VARCHAR, .text(let v)):
            // Swift strings are always valid UTF-8, so DuckDB's own validation is skipped.
            for (i, row) in rows.enumerated() where !source.isNull(row) {
                var text = v[row]
                text.withUTF8 { bytes in
                    bytes.withMemoryRebound(to: CChar.self) {
                        duckdb_unsafe_vector_assign_string_element_len(vector, idx_t(i), $0.baseAddress ?? DuckDBConnection.emptyCString, idx_t($0.count))
                    }
                }
            }
        default:
            switch source.values {
            case .bool: throw mismatch("BOOLEAN")
            case .int32: throw mismatch("INTEGER")
            case .int64: throw mismatch("BIGINT")
            case .double: throw mismatch("DOUBLE")
            case .text: throw mismatch("text")
            case .date: throw mismatch("DATE")
            case .timestamp: throw mismatch("TIMESTAMP")
            case .timestampTZ: throw mismatch("TIMESTAMPTZ")
            }
        }
        if let nulls = source.nulls {
            duckdb_vector_ensure_validity_writable(vector)
            let validity = duckdb_vector_get_validity(vector)!
            for (i, row) in rows.enumerated() where nulls[row] { duckdb_validity_set_row_invalid(validity, idx_t(i)) }
        }
    }
}
