import TransformProject
import WarehouseKit

/// A JSON document built in code and written in one pass, keys in the order they were given
/// (so responses read the same every time, and a row's columns keep their order).
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number as its JSON text: exact for decimals and 64-bit integers, which a Double is not.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.text == rhs.text }

    public static func int(_ value: Int) -> JSONValue { .number(String(value)) }
    public static func double(_ value: Double) -> JSONValue { value.isFinite ? .number(WarehouseValue.format(double: value)) : .null }
    public static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }

    /// A warehouse value: numbers stay numbers, NULL is null, dates and times are ISO text.
    public init(_ value: WarehouseValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let v): self = .number(String(v))
        case .double(let v): self = .double(v)
        case .decimal(let s): self = .number(s)
        case .text(let s): self = .string(s)
        default: self = .string(value.description)
        }
    }

    public var text: String {
        var out = ""
        write(to: &out)
        return out
    }

    func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n
        case .string(let s): Self.quote(s, into: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (index, (key, value)) in fields.enumerated() {
                if index > 0 { out += "," }
                Self.quote(key, into: &out)
                out += ":"
                value.write(to: &out)
            }
            out += "}"
        }
    }

    static func quote(_ text: String, into out: inout String) { out += JSONText.quoted(text) }
}

extension JSONValue {
    /// A result set as `columns` (name and the engine's type) and `rows` (arrays in column order).
    public static func resultSet(_ result: ResultSet) -> [(String, JSONValue)] {
        [("columns", .array(result.columns.map { .object([("name", .string($0.name)), ("type", .string($0.type))]) })),
         ("rows", .array(result.rows.map { .array($0.map(JSONValue.init)) })),
         ("row_count", .int(result.rows.count))]
    }
}
