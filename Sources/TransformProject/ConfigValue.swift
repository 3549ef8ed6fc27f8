import Foundation

/// A configuration or YAML value: the JSON data model, as dbt configs and `vars` use it.
public indirect enum ConfigValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([ConfigValue])
    /// Keys keep the order they were written in, as dbt's manifest does.
    case dict([(String, ConfigValue)])

    public static func == (a: ConfigValue, b: ConfigValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.double(let x), .double(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.list(let x), .list(let y)): return x == y
        case (.dict(let x), .dict(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var intValue: Int? { if case .int(let i) = self { return i } else { return nil } }
    public var listValue: [ConfigValue]? { if case .list(let l) = self { return l } else { return nil } }
    public var dictValue: [(String, ConfigValue)]? { if case .dict(let d) = self { return d } else { return nil } }
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The entry `key` of a dict, nil otherwise.
    public subscript(key: String) -> ConfigValue? {
        guard case .dict(let d) = self else { return nil }
        return d.first(where: { $0.0 == key })?.1
    }

    /// The name of the YAML/JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .list: return "list"
        case .dict: return "mapping"
        }
    }

    /// A plain Foundation value for `JSONSerialization`.
    public var jsonObject: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let b): return b
        case .int(let i): return i
        case .double(let d): return d
        case .string(let s): return s
        case .list(let l): return l.map(\.jsonObject)
        case .dict(let d):
            var out: [String: Any] = [:]
            for (k, v) in d { out[k] = v.jsonObject }
            return out
        }
    }

    /// Reads a `JSONSerialization` value back.
    public init(json: Any) {
        switch json {
        case let n as NSNumber:
            let kind = String(cString: n.objCType)
            if kind == "c" || kind == "B" { self = .bool(n.boolValue) }
            else if kind == "d" || kind == "f" { self = .double(n.doubleValue) }
            else { self = .int(n.intValue) }
        case let s as String: self = .string(s)
        case let a as [Any]: self = .list(a.map(ConfigValue.init(json:)))
        case let d as [String: Any]: self = .dict(d.keys.sorted().map { ($0, ConfigValue(json: d[$0]!)) })
        default: self = .null
        }
    }

    /// Python's `str()` of the value, which dbt uses when it builds test names.
    var pythonString: String {
        switch self {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e16 ? String(format: "%.1f", d) : String(d)
        case .string(let s): return s
        case .list(let l): return "[" + l.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .dict(let d): return "{" + d.map { "'\($0.0)': \($0.1.pythonRepr)" }.joined(separator: ", ") + "}"
        }
    }

    /// Python's `repr()`, for strings nested in lists and dicts.
    var pythonRepr: String {
        if case .string(let s) = self {
            let hasSingle = s.utf8.contains(UInt8(ascii: "'"))
            let quote: UInt8 = hasSingle && !s.utf8.contains(UInt8(ascii: "\"")) ? UInt8(ascii: "\"") : UInt8(ascii: "'")
            // Byte-wise: only ASCII quote and backslash get escaped, and they never occur inside a
            // multi-byte UTF-8 sequence, so grapheme iteration is not needed.
            var out: [UInt8] = []
            out.reserveCapacity(s.utf8.count + 2)
            out.append(quote)
            for b in s.utf8 {
                if b == UInt8(ascii: "\\") || b == quote { out.append(UInt8(ascii: "\\")) }
                out.append(b)
            }
            out.append(quote)
            return String(decoding: out, as: UTF8.self)
        }
        return pythonString
    }

    /// Merges `other` over `self` as dbt merges configs: dicts merge key by key (meta, column_types),
    /// tags and hooks accumulate, everything else is replaced.
    func merged(key: String, with other: ConfigValue) -> ConfigValue {
        switch (key, self, other) {
        case ("tags", _, _), ("pre-hook", _, _), ("post-hook", _, _):
            var items = self.asList
            for item in other.asList where !items.contains(item) { items.append(item) }
            return .list(items)
        case (_, .dict(var a), .dict(let b)) where key == "meta" || key == "column_types" || key == "docs" || key == "persist_docs" || key == "grants":
            for (k, v) in b {
                if let i = a.firstIndex(where: { $0.0 == k }) { a[i].1 = v } else { a.append((k, v)) }
            }
            return .dict(a)
        default:
            return other
        }
    }

    public var asList: [ConfigValue] {
        switch self {
        case .null: return []
        case .list(let l): return l
        default: return [self]
        }
    }
}
