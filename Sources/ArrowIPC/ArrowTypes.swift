// Public model types for the Arrow IPC reader and writer.

public enum DateUnit: Sendable, Hashable {
    case day            // date32
    case millisecond    // date64
}

public enum TimeUnit: Sendable, Hashable {
    case second, millisecond, microsecond, nanosecond
}

public indirect enum ArrowType: Sendable, Hashable {
    case null, bool
    case int(bitWidth: Int, signed: Bool)                       // 8/16/32/64
    case floatingPoint(bitWidth: Int)                           // 16 (read only), 32, 64
    case decimal(precision: Int, scale: Int, bitWidth: Int)     // 128, 256 (read only)
    case utf8, largeUtf8, binary, largeBinary
    case date(unit: DateUnit)
    case timestamp(unit: TimeUnit, timezone: String?)
    case time(unit: TimeUnit, bitWidth: Int)
    case list(ArrowField), largeList(ArrowField), fixedSizeList(ArrowField, size: Int)
    case structType([ArrowField])
    case map(entries: ArrowField, keysSorted: Bool)             // entries: struct<key, value>
}

public struct ArrowField: Sendable, Hashable {
    public var name: String
    public var type: ArrowType
    public var nullable: Bool

    public init(name: String, type: ArrowType, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }
}

public struct ArrowSchema: Sendable, Hashable {
    public var fields: [ArrowField]

    public init(fields: [ArrowField]) {
        self.fields = fields
    }
}

/// One decoded cell.
public enum ArrowValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)                 // signed integers of any width
    case uint(UInt64)               // unsigned integers of any width
    case double(Double)             // float16/32/64
    case decimal(String)            // exact canonical text with `scale` fraction digits, e.g. "-12.50"
    case string(String)
    case binary([UInt8])
    case date(days: Int32)          // days since 1970-01-01 (date64 is floored to days)
    case timestamp(micros: Int64, timezone: String?)   // any unit, floored to microseconds
    case time(micros: Int64)        // time of day, floored to microseconds
    case list([ArrowValue])         // list, large list, fixed-size list
    /// A struct row: field names (shared by all rows of the column) and values, in schema order.
    case structValue(names: [String], values: [ArrowValue])
    /// A map row: keys and values, in stream order.
    case map(keys: [ArrowValue], values: [ArrowValue])
}

public struct ArrowRecordBatch: Sendable {
    public let schema: ArrowSchema
    public let rowCount: Int
    /// Column-major: `columns[c][r]`.
    public let columns: [[ArrowValue]]

    public init(schema: ArrowSchema, rowCount: Int, columns: [[ArrowValue]]) {
        self.schema = schema
        self.rowCount = rowCount
        self.columns = columns
    }
}

public struct ArrowError: Error, CustomStringConvertible, Sendable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

extension TimeUnit: CustomStringConvertible {
    public var description: String {
        switch self {
        case .second: return "s"
        case .millisecond: return "ms"
        case .microsecond: return "us"
        case .nanosecond: return "ns"
        }
    }
}

extension ArrowType: CustomStringConvertible {
    public var description: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case let .int(w, s): return (s ? "int" : "uint") + String(w)
        case let .floatingPoint(w): return w == 16 ? "float16" : (w == 32 ? "float" : "double")
        case let .decimal(p, s, w): return w == 128 ? "decimal(\(p),\(s))" : "decimal\(w)(\(p),\(s))"
        case .utf8: return "utf8"
        case .largeUtf8: return "large_utf8"
        case .binary: return "binary"
        case .largeBinary: return "large_binary"
        case let .date(u): return u == .day ? "date32" : "date64"
        case let .timestamp(u, tz): return tz.map { "timestamp[\(u), \($0)]" } ?? "timestamp[\(u)]"
        case let .time(u, w): return "time\(w)[\(u)]"
        case let .list(f): return "list<\(f.name): \(f.type)>"
        case let .largeList(f): return "large_list<\(f.name): \(f.type)>"
        case let .fixedSizeList(f, n): return "fixed_size_list<\(f.name): \(f.type)>[\(n)]"
        case let .structType(fs): return "struct<" + fs.map { "\($0.name): \($0.type)" }.joined(separator: ", ") + ">"
        case let .map(e, sorted):
            if case let .structType(kv) = e.type, kv.count == 2 {
                return "map<\(kv[0].type), \(kv[1].type)\(sorted ? ", sorted" : "")>"
            }
            return "map<\(e.type)>"
        }
    }
}
