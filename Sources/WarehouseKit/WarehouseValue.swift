import Foundation

/// One value read from or written to a warehouse.
///
/// Dates are days since 1970-01-01; timestamps are microseconds since 1970-01-01 00:00:00 UTC.
/// Types a caller cannot use directly (lists, structs, maps, intervals, …) arrive as `.text`
/// holding the engine's own rendering of the value.
public enum WarehouseValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    /// An exact decimal, kept as its canonical text (`"-12.50"`) so no precision is lost.
    case decimal(String)
    case text(String)
    case date(days: Int32)
    case timestamp(micros: Int64)
    case timestampTZ(micros: Int64)
    case blob([UInt8])

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    public var int64: Int64? {
        switch self {
        case .int(let v): return v
        case .double(let v): return v.isFinite ? Int64(exactly: v.rounded()) : nil
        case .decimal(let s), .text(let s): return Int64(s) ?? Double(s).flatMap { Int64(exactly: $0.rounded()) }
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    public var double: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .double(let v): return v
        case .decimal(let s), .text(let s): return Double(s)
        default: return nil
        }
    }

    public var string: String? {
        switch self {
        case .null: return nil
        case .text(let s), .decimal(let s): return s
        default: return description
        }
    }

    public var bool: Bool? {
        switch self {
        case .bool(let b): return b
        case .int(let v): return v != 0
        default: return nil
        }
    }
}

extension WarehouseValue: CustomStringConvertible {
    /// The value as a person reads it: ISO dates and timestamps, `NULL` for null.
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .bool(let b): return b ? "true" : "false"
        case .int(let v): return String(v)
        case .double(let v): return WarehouseValue.format(double: v)
        case .decimal(let s), .text(let s): return s
        case .date(let days): return CivilDate(daysSinceEpoch: Int(days)).description
        case .timestamp(let micros): return Timestamp(micros: micros).description
        case .timestampTZ(let micros): return Timestamp(micros: micros).description + "+00"
        case .blob(let bytes): return "\\x" + bytes.map { String(format: "%02X", $0) }.joined()
        }
    }

    /// Shortest text that reads back as the same double (`1.5`, `3`, `0.1`).
    public static func format(double v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "Infinity" : "-Infinity" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}

extension WarehouseValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
}

/// Values that can be bound into `SQL` as parameters.
public protocol WarehouseValueConvertible: Sendable {
    var warehouseValue: WarehouseValue { get }
}

extension WarehouseValue: WarehouseValueConvertible { public var warehouseValue: WarehouseValue { self } }
extension Int: WarehouseValueConvertible { public var warehouseValue: WarehouseValue { .int(Int64(self)) } }
extension Int32: WarehouseValueConvertible { public var warehouseValue: WarehouseValue { .int(Int64(self)) } }
extension Int64: WarehouseValueConvertible { public var warehouseValue: WarehouseValue { .int(self) } }
extension Double: WarehouseValueConvertible { public var warehouseValue: WarehouseValue { .double(self) } }
extension Bool: WarehouseValueConvertible { public var warehouseValue: WarehouseValue { .bool(self) } }
extension String: WarehouseValueConvertible { public var warehouseValue: WarehouseValue { .text(self) } }
extension Substring: WarehouseValueConvertible { public var warehouseValue: WarehouseValue { .text(String(self)) } }
extension Optional: WarehouseValueConvertible where Wrapped: WarehouseValueConvertible {
    public var warehouseValue: WarehouseValue { self?.warehouseValue ?? .null }
}
extension Date: WarehouseValueConvertible {
    public var warehouseValue: WarehouseValue {
        .timestamp(micros: Int64((timeIntervalSince1970 * 1_000_000).rounded()))
    }
}
