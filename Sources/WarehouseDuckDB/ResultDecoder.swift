import CDuckDB
import Foundation
import WarehouseKit

/// Turns a DuckDB result into a `ResultSet`, reading whole vectors chunk by chunk.
enum ResultDecoder {
    static func decode(_ result: inout duckdb_result) throws -> ResultSet {
        try decode(&result, rowLimit: nil).resultSet
    }

    /// Reads chunks until the result ends or more than `rowLimit` rows have arrived: on a
    /// streaming result the engine computes only the chunks fetched, so a limit of 1,000 over a
    /// 10-million-row query materialises at most one chunk past the limit. `truncated` says rows
    /// were left unread.
    static func decode(_ result: inout duckdb_result, rowLimit: Int?) throws -> (resultSet: ResultSet, truncated: Bool) {
        let columnCount = Int(duckdb_column_count(&result))
        var columns: [ColumnInfo] = []
        var types: [duckdb_logical_type?] = []
        for index in 0..<columnCount {
            let name = duckdb_column_name(&result, idx_t(index)).map { String(cString: $0) } ?? "column\(index)"
            let type = duckdb_column_logical_type(&result, idx_t(index))
            types.append(type)
            columns.append(ColumnInfo(name: name, type: typeName(type)))
        }
        defer { for var type in types { duckdb_destroy_logical_type(&type) } }

        var rows: [[WarehouseValue]] = []
        var truncated = false
        while let fetched = duckdb_fetch_chunk(result) {
            var chunk: duckdb_data_chunk? = fetched
            defer { duckdb_destroy_data_chunk(&chunk) }
            var size = Int(duckdb_data_chunk_get_size(chunk))
            if size == 0 { break }
            if let rowLimit, rows.count + size > rowLimit {
                truncated = true
                size = rowLimit - rows.count
            }
            let base = rows.count
            rows.append(contentsOf: repeatElement([WarehouseValue](repeating: .null, count: columnCount), count: size))
            for column in 0..<columnCount {
                let vector = duckdb_data_chunk_get_vector(chunk, idx_t(column))!
                let reader = VectorReader(vector: vector, type: types[column]!)
                for row in 0..<size { rows[base + row][column] = reader.value(at: row) }
            }
            if truncated { break }
        }
        // A streaming result also ends with a NULL chunk when the query fails mid-way (an
        // interrupt, a cast error in row 5,000): the rows so far are not an answer.
        if !truncated, let error = duckdb_result_error(&result) {
            throw WarehouseError(.query, String(cString: error))
        }
        return (ResultSet(columns: columns, rows: rows), truncated)
    }

    /// The SQL spelling of a logical type (`BIGINT`, `DECIMAL(18,3)`, `VARCHAR[]`).
    static func typeName(_ type: duckdb_logical_type?) -> String {
        guard let type else { return "UNKNOWN" }
        switch duckdb_get_type_id(type) {
        case DUCKDB_TYPE_BOOLEAN: return "BOOLEAN"
        case DUCKDB_TYPE_TINYINT: return "TINYINT"
        case DUCKDB_TYPE_SMALLINT: return "SMALLINT"
        case DUCKDB_TYPE_INTEGER: return "INTEGER"
        case DUCKDB_TYPE_BIGINT: return "BIGINT"
        case DUCKDB_TYPE_HUGEINT: return "HUGEINT"
        case DUCKDB_TYPE_UTINYINT: return "UTINYINT"
        case DUCKDB_TYPE_USMALLINT: return "USMALLINT"
        case DUCKDB_TYPE_UINTEGER: return "UINTEGER"
        case DUCKDB_TYPE_UBIGINT: return "UBIGINT"
        case DUCKDB_TYPE_FLOAT: return "FLOAT"
        case DUCKDB_TYPE_DOUBLE: return "DOUBLE"
        case DUCKDB_TYPE_DECIMAL: return "DECIMAL(\(duckdb_decimal_width(type)),\(duckdb_decimal_scale(type)))"
        case DUCKDB_TYPE_VARCHAR: return "VARCHAR"
        case DUCKDB_TYPE_BLOB: return "BLOB"
        case DUCKDB_TYPE_DATE: return "DATE"
        case DUCKDB_TYPE_TIME: return "TIME"
        case DUCKDB_TYPE_TIMESTAMP: return "TIMESTAMP"
        case DUCKDB_TYPE_TIMESTAMP_TZ: return "TIMESTAMP WITH TIME ZONE"
        case DUCKDB_TYPE_TIMESTAMP_S: return "TIMESTAMP_S"
        case DUCKDB_TYPE_TIMESTAMP_MS: return "TIMESTAMP_MS"
        case DUCKDB_TYPE_TIMESTAMP_NS: return "TIMESTAMP_NS"
        case DUCKDB_TYPE_INTERVAL: return "INTERVAL"
        case DUCKDB_TYPE_UUID: return "UUID"
        case DUCKDB_TYPE_ENUM: return "ENUM"
        case DUCKDB_TYPE_LIST:
            var child = duckdb_list_type_child_type(type)
            defer { duckdb_destroy_logical_type(&child) }
            return typeName(child) + "[]"
        case DUCKDB_TYPE_STRUCT: return "STRUCT"
        case DUCKDB_TYPE_MAP: return "MAP"
        case DUCKDB_TYPE_ARRAY: return "ARRAY"
        case DUCKDB_TYPE_SQLNULL: return "NULL"
        default: return "OTHER"
        }
    }
}

/// Reads values of one vector. Nested types (lists, structs, maps, arrays) are rendered as text
/// in DuckDB's own notation.
struct VectorReader {
    let vector: duckdb_vector
    let type: duckdb_logical_type
    let typeID: duckdb_type
    let data: UnsafeMutableRawPointer?
    let validity: UnsafeMutablePointer<UInt64>?

    init(vector: duckdb_vector, type: duckdb_logical_type) {
        self.vector = vector
        self.type = type
        typeID = duckdb_get_type_id(type)
        data = duckdb_vector_get_data(vector)
        validity = duckdb_vector_get_validity(vector)
    }

    func isValid(_ row: Int) -> Bool {
        guard let validity else { return true }
        return validity[row / 64] & (1 << UInt64(row % 64)) != 0
    }

    func value(at row: Int) -> WarehouseValue {
        guard isValid(row) else { return .null }
        // Structs keep their fields in child vectors and have no data buffer of their own.
        if typeID == DUCKDB_TYPE_STRUCT { return .text(nestedText(at: row)) }
        guard let data else { return .null }
        switch typeID {
        case DUCKDB_TYPE_BOOLEAN: return .bool(data.load(fromByteOffset: row, as: Bool.self))
        case DUCKDB_TYPE_TINYINT: return .int(Int64(data.load(fromByteOffset: row, as: Int8.self)))
        case DUCKDB_TYPE_SMALLINT: return .int(Int64(data.load(fromByteOffset: row * 2, as: Int16.self)))
        case DUCKDB_TYPE_INTEGER: return .int(Int64(data.load(fromByteOffset: row * 4, as: Int32.self)))
        case DUCKDB_TYPE_BIGINT: return .int(data.load(fromByteOffset: row * 8, as: Int64.self))
        case DUCKDB_TYPE_UTINYINT: return .int(Int64(data.load(fromByteOffset: row, as: UInt8.self)))
        case DUCKDB_TYPE_USMALLINT: return .int(Int64(data.load(fromByteOffset: row * 2, as: UInt16.self)))
        case DUCKDB_TYPE_UINTEGER: return .int(Int64(data.load(fromByteOffset: row * 4, as: UInt32.self)))
        case DUCKDB_TYPE_UBIGINT:
            let v = data.load(fromByteOffset: row * 8, as: UInt64.self)
            return v <= UInt64(Int64.max) ? .int(Int64(v)) : .decimal(String(v))
        case DUCKDB_TYPE_HUGEINT:
            let lower = data.load(fromByteOffset: row * 16, as: UInt64.self)
            let upper = data.load(fromByteOffset: row * 16 + 8, as: Int64.self)
            if (upper == 0 && lower <= UInt64(Int64.max)) || (upper == -1 && lower > UInt64(Int64.max)) {
                return .int(Int64(bitPattern: lower))
            }
            return .decimal(HugeInt(upper: upper, lower: lower).description)
        case DUCKDB_TYPE_FLOAT: return .double(Double(data.load(fromByteOffset: row * 4, as: Float.self)))
        case DUCKDB_TYPE_DOUBLE: return .double(data.load(fromByteOffset: row * 8, as: Double.self))
        case DUCKDB_TYPE_DECIMAL: return .decimal(decimalText(row))
        case DUCKDB_TYPE_VARCHAR: return .text(string(at: row))
        case DUCKDB_TYPE_BLOB: return .blob(Array(bytes(at: row)))
        case DUCKDB_TYPE_DATE: return .date(days: data.load(fromByteOffset: row * 4, as: Int32.self))
        case DUCKDB_TYPE_TIMESTAMP: return .timestamp(micros: data.load(fromByteOffset: row * 8, as: Int64.self))
        case DUCKDB_TYPE_TIMESTAMP_TZ: return .timestampTZ(micros: data.load(fromByteOffset: row * 8, as: Int64.self))
        case DUCKDB_TYPE_TIMESTAMP_S: return .timestamp(micros: data.load(fromByteOffset: row * 8, as: Int64.self) * 1_000_000)
        case DUCKDB_TYPE_TIMESTAMP_MS: return .timestamp(micros: data.load(fromByteOffset: row * 8, as: Int64.self) * 1_000)
        case DUCKDB_TYPE_TIMESTAMP_NS: return .timestamp(micros: data.load(fromByteOffset: row * 8, as: Int64.self) / 1_000)
        case DUCKDB_TYPE_TIME: return .text(timeText(data.load(fromByteOffset: row * 8, as: Int64.self)))
        case DUCKDB_TYPE_INTERVAL:
            let months = data.load(fromByteOffset: row * 16, as: Int32.self)
            let days = data.load(fromByteOffset: row * 16 + 4, as: Int32.self)
            let micros = data.load(fromByteOffset: row * 16 + 8, as: Int64.self)
            return .text(intervalText(months: months, days: days, micros: micros))
        case DUCKDB_TYPE_UUID:
            let lower = data.load(fromByteOffset: row * 16, as: UInt64.self)
            let upper = UInt64(bitPattern: data.load(fromByteOffset: row * 16 + 8, as: Int64.self)) ^ (1 << 63)
            let hex = String(upper, radix: 16).leftPadded(to: 16) + String(lower, radix: 16).leftPadded(to: 16)
            let c = Array(hex)
            return .text("\(String(c[0..<8]))-\(String(c[8..<12]))-\(String(c[12..<16]))-\(String(c[16..<20]))-\(String(c[20..<32]))")
        case DUCKDB_TYPE_ENUM:
            let index: Int
            switch duckdb_enum_internal_type(type) {
            case DUCKDB_TYPE_UTINYINT: index = Int(data.load(fromByteOffset: row, as: UInt8.self))
            case DUCKDB_TYPE_USMALLINT: index = Int(data.load(fromByteOffset: row * 2, as: UInt16.self))
            default: index = Int(data.load(fromByteOffset: row * 4, as: UInt32.self))
            }
            guard let text = duckdb_enum_dictionary_value(type, idx_t(index)) else { return .null }
            defer { duckdb_free(text) }
            return .text(String(cString: text))
        case DUCKDB_TYPE_LIST, DUCKDB_TYPE_MAP, DUCKDB_TYPE_STRUCT, DUCKDB_TYPE_ARRAY:
            return .text(nestedText(at: row))
        default:
            return .text("<\(ResultDecoder.typeName(type)) value>")
        }
    }

    /// A `duckdb_string_t` is 16 bytes: a 32-bit length, then either the bytes inlined (up to
    /// 12) or a 4-byte prefix and a pointer. Read by offset: the C union's Swift accessors
    /// would copy it.
    private func bytes(at row: Int) -> UnsafeRawBufferPointer {
        let base = UnsafeRawPointer(data!) + row * 16
        let length = Int(base.load(as: UInt32.self))
        if length <= 12 { return UnsafeRawBufferPointer(start: base + 4, count: length) }
        let pointer = base.load(fromByteOffset: 8, as: UnsafeRawPointer.self)
        return UnsafeRawBufferPointer(start: pointer, count: length)
    }

    func string(at row: Int) -> String { String(decoding: bytes(at: row), as: UTF8.self) }

    private func decimalText(_ row: Int) -> String {
        let scale = Int(duckdb_decimal_scale(type))
        let digits: String
        switch duckdb_decimal_internal_type(type) {
        case DUCKDB_TYPE_SMALLINT: digits = String(data!.load(fromByteOffset: row * 2, as: Int16.self))
        case DUCKDB_TYPE_INTEGER: digits = String(data!.load(fromByteOffset: row * 4, as: Int32.self))
        case DUCKDB_TYPE_BIGINT: digits = String(data!.load(fromByteOffset: row * 8, as: Int64.self))
        default:
            let lower = data!.load(fromByteOffset: row * 16, as: UInt64.self)
            let upper = data!.load(fromByteOffset: row * 16 + 8, as: Int64.self)
            digits = HugeInt(upper: upper, lower: lower).description
        }
        return DecimalText.insertPoint(digits, scale: scale)
    }

    private func timeText(_ micros: Int64) -> String { Timestamp.timeOfDayText(micros: micros) }

    private func intervalText(months: Int32, days: Int32, micros: Int64) -> String {
        var parts: [String] = []
        if months / 12 != 0 { parts.append("\(months / 12) year\(abs(months / 12) == 1 ? "" : "s")") }
        if months % 12 != 0 { parts.append("\(months % 12) month\(abs(months % 12) == 1 ? "" : "s")") }
        if days != 0 { parts.append("\(days) day\(abs(days) == 1 ? "" : "s")") }
        if micros != 0 || parts.isEmpty { parts.append((micros < 0 ? "-" : "") + timeText(abs(micros))) }
        return parts.joined(separator: " ")
    }

    /// DuckDB's notation: `[1, 2]`, `{'a': 1}`, `{k=v}` for maps.
    private func nestedText(at row: Int) -> String {
        func render(_ value: WarehouseValue, quoted: Bool) -> String {
            switch value {
            case .null: return "NULL"
            case .text(let s) where quoted && !(s.hasPrefix("[") || s.hasPrefix("{")): return "'" + s + "'"
            default: return value.description
            }
        }
        switch typeID {
        case DUCKDB_TYPE_LIST, DUCKDB_TYPE_MAP:
            let entry = data!.load(fromByteOffset: row * 16, as: duckdb_list_entry.self)
            let childVector = duckdb_list_vector_get_child(vector)!
            var childType: duckdb_logical_type? = duckdb_vector_get_column_type(childVector)
            defer { duckdb_destroy_logical_type(&childType) }
            let child = VectorReader(vector: childVector, type: childType!)
            let range = Int(entry.offset)..<Int(entry.offset + entry.length)
            if typeID == DUCKDB_TYPE_MAP {
                let pairs = range.map { i -> String in
                    let keyVector = duckdb_struct_vector_get_child(childVector, 0)!
                    let valueVector = duckdb_struct_vector_get_child(childVector, 1)!
                    var kt: duckdb_logical_type? = duckdb_vector_get_column_type(keyVector), vt: duckdb_logical_type? = duckdb_vector_get_column_type(valueVector)
                    defer { duckdb_destroy_logical_type(&kt); duckdb_destroy_logical_type(&vt) }
                    return render(VectorReader(vector: keyVector, type: kt!).value(at: i), quoted: false) + "="
                        + render(VectorReader(vector: valueVector, type: vt!).value(at: i), quoted: false)
                }
                return "{" + pairs.joined(separator: ", ") + "}"
            }
            return "[" + range.map { render(child.value(at: $0), quoted: true) }.joined(separator: ", ") + "]"
        case DUCKDB_TYPE_ARRAY:
            let size = Int(duckdb_array_type_array_size(type))
            let childVector = duckdb_array_vector_get_child(vector)!
            var childType: duckdb_logical_type? = duckdb_vector_get_column_type(childVector)
            defer { duckdb_destroy_logical_type(&childType) }
            let child = VectorReader(vector: childVector, type: childType!)
            return "[" + (row * size..<(row + 1) * size).map { render(child.value(at: $0), quoted: true) }.joined(separator: ", ") + "]"
        default: // STRUCT
            let count = Int(duckdb_struct_type_child_count(type))
            let fields = (0..<count).map { i -> String in
                let namePointer = duckdb_struct_type_child_name(type, idx_t(i))
                defer { duckdb_free(namePointer) }
                let name = namePointer.map { String(cString: $0) } ?? "f\(i)"
                let childVector = duckdb_struct_vector_get_child(vector, idx_t(i))!
                var childType: duckdb_logical_type? = duckdb_vector_get_column_type(childVector)
                defer { duckdb_destroy_logical_type(&childType) }
                return "'\(name)': " + render(VectorReader(vector: childVector, type: childType!).value(at: row), quoted: true)
            }
            return "{" + fields.joined(separator: ", ") + "}"
        }
    }
}

/// A 128-bit signed integer, printed in decimal.
struct HugeInt: CustomStringConvertible {
    var upper: Int64
    var lower: UInt64

    var description: String {
        let negative = upper < 0
        var hi = UInt64(bitPattern: upper), lo = lower
        if negative { // two's complement negate
            hi = ~hi
            lo = ~lo
            let (sum, overflow) = lo.addingReportingOverflow(1)
            lo = sum
            if overflow { hi &+= 1 }
        }
        var digits: [Character] = []
        while hi != 0 || lo != 0 {
            // divide the 128-bit (hi, lo) by 10
            let qHi = hi / 10, rHi = hi % 10
            let (qLo, rLo) = UInt64(10).dividingFullWidth((high: rHi, low: lo))
            hi = qHi
            lo = qLo
            digits.append(Character(String(rLo)))
        }
        if digits.isEmpty { return "0" }
        return (negative ? "-" : "") + String(digits.reversed())
    }
}

enum DecimalText {
    /// Places the decimal point `scale` digits from the right of an integer's digits.
    static func insertPoint(_ digits: String, scale: Int) -> String {
        guard scale > 0 else { return digits }
        let negative = digits.hasPrefix("-")
        var body = negative ? String(digits.dropFirst()) : digits
        if body.count <= scale { body = String(repeating: "0", count: scale - body.count + 1) + body }
        let point = body.index(body.endIndex, offsetBy: -scale)
        return (negative ? "-" : "") + body[..<point] + "." + body[point...]
    }
}
