import ArrowIPC
import WarehouseKit

/// Spark's query results (Arrow IPC streams) as a `ResultSet`: Spark's type names for the columns,
/// `WarehouseValue`s for the cells; arrays, structs and maps as text in Spark's own rendering.
enum SparkResults {
    static func resultSet(from streams: [[UInt8]]) throws -> ResultSet {
        var columns: [ColumnInfo] = []
        var rows: [[WarehouseValue]] = []
        for (index, stream) in streams.enumerated() {
            let decoded: (schema: ArrowSchema, batches: [ArrowRecordBatch])
            do {
                decoded = try ArrowStreamReader.read(stream)
            } catch {
                throw WarehouseError(.conversion, "Spark's result batch \(index + 1) could not be read: \(error)")
            }
            if columns.isEmpty {
                columns = decoded.schema.fields.map { ColumnInfo(name: $0.name, type: typeName($0.type), isNullable: $0.nullable) }
            }
            for batch in decoded.batches {
                rows.reserveCapacity(rows.count + batch.rowCount)
                for row in 0..<batch.rowCount {
                    rows.append(batch.columns.map { value($0[row]) })
                }
            }
        }
        return ResultSet(columns: columns, rows: rows)
    }

    static func value(_ cell: ArrowValue) -> WarehouseValue {
        switch cell {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .uint(let u): return .int(Int64(clamping: u))
        case .double(let d): return .double(d)
        case .decimal(let text): return .decimal(text)
        case .string(let s): return .text(s)
        case .binary(let bytes): return .blob(bytes)
        case .date(let days): return .date(days: days)
        case .timestamp(let micros, let zone): return zone == nil ? .timestamp(micros: micros) : .timestampTZ(micros: micros)
        case .time, .list, .structValue, .map: return .text(text(cell))
        }
    }

    /// A nested value as Spark's `cast(… as string)` writes it: `[1, 2]`, `{1, a}`, `{k -> v}`.
    static func text(_ cell: ArrowValue) -> String {
        switch cell {
        case .null: return "null"
        case .list(let items): return "[" + items.map(text).joined(separator: ", ") + "]"
        case .structValue(_, let values): return "{" + values.map(text).joined(separator: ", ") + "}"
        case .map(let keys, let values): return "{" + zip(keys, values).map { text($0) + " -> " + text($1) }.joined(separator: ", ") + "}"
        case .time(let micros): return WarehouseValue.timestamp(micros: micros).description.split(separator: " ").last.map(String.init) ?? ""
        default: return value(cell).description
        }
    }

    /// Spark SQL's name for a column of this Arrow type.
    static func typeName(_ type: ArrowType) -> String {
        switch type {
        case .null: return "VOID"
        case .bool: return "BOOLEAN"
        case .int(let bits, _): return [8: "TINYINT", 16: "SMALLINT", 32: "INT"][bits] ?? "BIGINT"
        case .floatingPoint(let bits): return bits == 64 ? "DOUBLE" : "FLOAT"
        case .decimal(let precision, let scale, _): return "DECIMAL(\(precision),\(scale))"
        case .utf8, .largeUtf8: return "STRING"
        case .binary, .largeBinary: return "BINARY"
        case .date: return "DATE"
        case .timestamp(_, let zone): return zone == nil ? "TIMESTAMP_NTZ" : "TIMESTAMP"
        case .time: return "TIME"
        case .list(let item), .largeList(let item), .fixedSizeList(let item, _): return "ARRAY<\(typeName(item.type))>"
        case .structType(let fields): return "STRUCT<" + fields.map { "\($0.name): \(typeName($0.type))" }.joined(separator: ", ") + ">"
        case .map(let entries, _):
            guard case .structType(let pair) = entries.type, pair.count == 2 else { return "MAP" }
            return "MAP<\(typeName(pair[0].type)), \(typeName(pair[1].type))>"
        }
    }
}
