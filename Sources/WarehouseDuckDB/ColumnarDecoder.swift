import CDuckDB
import Foundation
import WarehouseKit

/// Reads a DuckDB result straight into typed column arrays (`ColumnarResult`), vector by vector,
/// without boxing: what feature tables of a hundred thousand rows by forty columns are read with.
enum ColumnarDecoder {
    static func decode(_ result: inout duckdb_result) throws -> ColumnarResult {
        let columnCount = Int(duckdb_column_count(&result))
        var columns: [ColumnInfo] = []
        var types: [duckdb_logical_type?] = []
        var builders: [ColumnBuilder] = []
        for index in 0..<columnCount {
            let name = duckdb_column_name(&result, idx_t(index)).map { String(cString: $0) } ?? "column\(index)"
            let type = duckdb_column_logical_type(&result, idx_t(index))
            types.append(type)
            columns.append(ColumnInfo(name: name, type: ResultDecoder.typeName(type)))
            builders.append(ColumnBuilder(type.map(duckdb_get_type_id) ?? DUCKDB_TYPE_INVALID))
        }
        defer { for var type in types { duckdb_destroy_logical_type(&type) } }
        var rowCount = 0
        while let fetched = duckdb_fetch_chunk(result) {
            var chunk: duckdb_data_chunk? = fetched
            defer { duckdb_destroy_data_chunk(&chunk) }
            let size = Int(duckdb_data_chunk_get_size(chunk))
            if size == 0 { break }
            for column in 0..<columnCount {
                let vector = duckdb_data_chunk_get_vector(chunk, idx_t(column))!
                builders[column].append(VectorReader(vector: vector, type: types[column]!), rows: size)
            }
            rowCount += size
        }
        if let error = duckdb_result_error(&result) { throw WarehouseError(.query, String(cString: error)) }
        return ColumnarResult(columns: columns, values: builders.map(\.column), rowCount: rowCount)
    }
}

/// One column's values as they arrive, chunk after chunk; a NULL row holds a placeholder that
/// its mask marks.
private struct ColumnBuilder {
    private var values: BatchColumnBuilder

    init(_ type: duckdb_type) {
        let stored: ColumnType
        switch type {
        case DUCKDB_TYPE_BOOLEAN: stored = .boolean
        case DUCKDB_TYPE_TINYINT, DUCKDB_TYPE_SMALLINT, DUCKDB_TYPE_INTEGER, DUCKDB_TYPE_BIGINT,
             DUCKDB_TYPE_UTINYINT, DUCKDB_TYPE_USMALLINT, DUCKDB_TYPE_UINTEGER: stored = .bigint
        case DUCKDB_TYPE_FLOAT, DUCKDB_TYPE_DOUBLE, DUCKDB_TYPE_DECIMAL, DUCKDB_TYPE_HUGEINT, DUCKDB_TYPE_UBIGINT: stored = .double
        case DUCKDB_TYPE_DATE: stored = .date
        case DUCKDB_TYPE_TIMESTAMP, DUCKDB_TYPE_TIMESTAMP_S, DUCKDB_TYPE_TIMESTAMP_MS, DUCKDB_TYPE_TIMESTAMP_NS: stored = .timestamp
        case DUCKDB_TYPE_TIMESTAMP_TZ: stored = .timestampTZ
        default: stored = .text
        }
        values = BatchColumnBuilder(stored)
    }

    mutating func append(_ reader: VectorReader, rows: Int) {
        if let validity = reader.validity {
            for row in 0..<rows { values.nulls.append(validity[row >> 6] & (1 << UInt64(row & 63)) == 0) }
        } else {
            values.nulls.append(contentsOf: repeatElement(false, count: rows))
        }
        guard let data = reader.data else {
            // No buffer of its own (a struct): each value read on its own.
            return appendBoxed(reader, rows: rows)
        }
        // Fixed-width values straight from the vector's buffer; a NULL row's slot holds whatever
        // the engine left there, which the mask marks.
        func load<T: FixedWidthInteger>(_: T.Type) -> [Int64] {
            (0..<rows).map { Int64(truncatingIfNeeded: data.load(fromByteOffset: $0 * MemoryLayout<T>.stride, as: T.self)) }
        }
        switch (values.type, reader.typeID) {
        case (.boolean, DUCKDB_TYPE_BOOLEAN): values.bools.append(contentsOf: (0..<rows).map { data.load(fromByteOffset: $0, as: UInt8.self) != 0 })
        case (.bigint, DUCKDB_TYPE_TINYINT): values.int64s.append(contentsOf: load(Int8.self))
        case (.bigint, DUCKDB_TYPE_SMALLINT): values.int64s.append(contentsOf: load(Int16.self))
        case (.bigint, DUCKDB_TYPE_INTEGER): values.int64s.append(contentsOf: load(Int32.self))
        case (.bigint, DUCKDB_TYPE_BIGINT): values.int64s.append(contentsOf: load(Int64.self))
        case (.bigint, DUCKDB_TYPE_UTINYINT): values.int64s.append(contentsOf: load(UInt8.self))
        case (.bigint, DUCKDB_TYPE_USMALLINT): values.int64s.append(contentsOf: load(UInt16.self))
        case (.bigint, DUCKDB_TYPE_UINTEGER): values.int64s.append(contentsOf: load(UInt32.self))
        case (.double, _): values.doubles.append(contentsOf: reader.numbers(rows: rows))
        case (.date, DUCKDB_TYPE_DATE): values.int32s.append(contentsOf: (0..<rows).map { data.load(fromByteOffset: $0 * 4, as: Int32.self) })
        case (.timestamp, DUCKDB_TYPE_TIMESTAMP), (.timestampTZ, DUCKDB_TYPE_TIMESTAMP_TZ): values.int64s.append(contentsOf: load(Int64.self))
        case (.text, DUCKDB_TYPE_VARCHAR):
            values.texts.append(contentsOf: (0..<rows).map { reader.isValid($0) ? reader.string(at: $0) : "" })
        default: appendBoxed(reader, rows: rows)
        }
    }

    /// Each value through the reader's boxed decoding: the types without a fast path above
    /// (timestamps in seconds, milliseconds or nanoseconds; text of other types).
    private mutating func appendBoxed(_ reader: VectorReader, rows: Int) {
        switch values.type {
        case .boolean: values.bools.append(contentsOf: (0..<rows).map { reader.value(at: $0).bool ?? false })
        case .bigint: values.int64s.append(contentsOf: (0..<rows).map { reader.value(at: $0).int64 ?? 0 })
        case .integer: values.int32s.append(contentsOf: (0..<rows).map { Int32(truncatingIfNeeded: reader.value(at: $0).int64 ?? 0) })
        case .double, .decimal: values.doubles.append(contentsOf: reader.numbers(rows: rows))
        case .date:
            values.int32s.append(contentsOf: (0..<rows).map { row in if case .date(let days) = reader.value(at: row) { return days } else { return 0 } })
        case .timestamp, .timestampTZ:
            values.int64s.append(contentsOf: (0..<rows).map { row in
                switch reader.value(at: row) {
                case .timestamp(let micros), .timestampTZ(let micros): return micros
                default: return 0
                }
            })
        case .text:
            values.texts.append(contentsOf: (0..<rows).map { row in
                switch reader.value(at: row) {
                case .null: return ""
                case .text(let text): return text
                case let other: return other.description
                }
            })
        }
    }

    var column: BatchColumn { values.column }
}

extension VectorReader {
    /// The vector's first `rows` values as doubles (0 where NULL), read without text: decimals
    /// from their unscaled integers, their scale and width looked up once per vector.
    func numbers(rows: Int) -> [Double] {
        guard let data else { return [Double](repeating: 0, count: rows) }
        func each(_ read: (Int) -> Double) -> [Double] { (0..<rows).map { isValid($0) ? read($0) : 0 } }
        switch typeID {
        case DUCKDB_TYPE_DOUBLE: return each { data.load(fromByteOffset: $0 * 8, as: Double.self) }
        case DUCKDB_TYPE_FLOAT: return each { Double(data.load(fromByteOffset: $0 * 4, as: Float.self)) }
        case DUCKDB_TYPE_DECIMAL:
            let divisor = pow(10.0, Double(duckdb_decimal_scale(type)))
            switch duckdb_decimal_internal_type(type) {
            case DUCKDB_TYPE_SMALLINT: return each { Double(data.load(fromByteOffset: $0 * 2, as: Int16.self)) / divisor }
            case DUCKDB_TYPE_INTEGER: return each { Double(data.load(fromByteOffset: $0 * 4, as: Int32.self)) / divisor }
            case DUCKDB_TYPE_BIGINT: return each { Double(data.load(fromByteOffset: $0 * 8, as: Int64.self)) / divisor }
            default:
                return each { row in
                    let lower = data.load(fromByteOffset: row * 16, as: UInt64.self)
                    let upper = data.load(fromByteOffset: row * 16 + 8, as: Int64.self)
                    return (Double(upper) * 18_446_744_073_709_551_616.0 + Double(lower)) / divisor
                }
            }
        default: return each { value(at: $0).double ?? 0 }
        }
    }
}
