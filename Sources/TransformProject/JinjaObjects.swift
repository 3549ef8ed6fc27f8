import Foundation
import Templating
import WarehouseKit

/// `{{ this }}`, `{{ ref('x') }}`, `{{ source('s', 't') }}`: prints as `"db"."schema"."identifier"`,
/// or as the CTE name for an ephemeral model.
final class RelationObject: TemplateObject {
    let relation: QualifiedRelation
    /// Set for ephemeral models: the name the CTE is injected under.
    let cteName: String?
    /// `table` or `view` when known (`this.incorporate(type='table')`).
    let kind: String?

    init(_ relation: QualifiedRelation, cteName: String? = nil, kind: String? = nil) {
        self.relation = relation
        self.cteName = cteName
        self.kind = kind
    }

    var renderedString: String { cteName ?? relation.description }

    /// dbt's relations are mappings (`relation is mapping`), and package macros check one by
    /// `relation.get('metadata', {}).get('type', '').endswith('Relation')`.
    var isMapping: Bool { true }

    var asDictionary: Value {
        Value(orderedPairs: [
            ("path", Value(orderedPairs: [("database", relation.database.map(Value.string) ?? .none), ("schema", .string(relation.schema)),
                                          ("identifier", .string(relation.identifier))])),
            ("type", cteName == nil ? .none : .string("cte")),
            ("metadata", Value(orderedPairs: [("type", .string("BaseRelation"))])),
        ])
    }

    func attribute(_ name: String) -> Value? {
        switch name {
        case "database": return relation.database.map(Value.string) ?? Value.none
        case "schema": return .string(relation.schema)
        case "identifier", "name", "table": return .string(cteName ?? relation.identifier)
        case "is_table", "is_view", "is_cte":
            return .bool(name == "is_cte" ? cteName != nil : kind == String(name.dropFirst(3)))
        case "render": return .function(NativeFunction(name: "render") { [self] _ in .string(renderedString) })
        case "get":
            return .function(NativeFunction(name: "get") { [self] args in
                let key = args.arg(0, "key")?.renderedString ?? ""
                if case .dict(let d) = asDictionary, let v = d[.string(key)] { return v }
                return args.arg(1, "default") ?? .none
            })
        case "type": return kind.map(Value.string) ?? .none
        case "incorporate":
            return .function(NativeFunction(name: "incorporate") { [self] args in
                let type = args.keyword("type").flatMap { $0.isNoneLike ? nil : $0.renderedString } ?? kind
                return .object(RelationObject(relation, cteName: cteName, kind: type))
            })
        case "quote_policy", "include_policy":
            return Value(orderedPairs: [("database", .bool(true)), ("schema", .bool(true)), ("identifier", .bool(true))])
        case "include":
            return .function(NativeFunction(name: "include") { [self] args in
                let db = args.keyword("database")?.isTruthy ?? true
                let schema = args.keyword("schema")?.isTruthy ?? true
                let ident = args.keyword("identifier")?.isTruthy ?? true
                let r = QualifiedRelation(database: db ? relation.database : nil, schema: relation.schema, identifier: relation.identifier)
                if !schema || !ident {
                    let parts = [db ? relation.database : nil, schema ? relation.schema : nil, ident ? relation.identifier : nil]
                    return .string(parts.compactMap { $0 }.map { "\"\($0)\"" }.joined(separator: "."))
                }
                return .object(RelationObject(r, cteName: cteName))
            })
        default: return nil
        }
    }
}

/// An object whose attributes are fixed values: `exceptions`, `modules.datetime`, `adapter`.
final class HostObject: TemplateObject {
    let name: String
    let members: [String: Value]
    let callBody: ((Arguments) throws -> Value)?

    init(name: String, members: [String: Value], call: ((Arguments) throws -> Value)? = nil) {
        self.name = name
        self.members = members
        self.callBody = call
    }

    var renderedString: String { "<\(name)>" }
    func attribute(_ name: String) -> Value? { members[name] }
    func call(_ arguments: Arguments) throws -> Value {
        guard let callBody else { throw TemplateError.raised("'\(name)' is not callable") }
        return try callBody(arguments)
    }
}

/// A `run_query` result shaped like the agate table dbt returns: `rows`, `columns`, `column_names`,
/// and `columns[i].values()`.
final class ResultTableObject: TemplateObject {
    let columnNames: [String]
    let rows: [[Value]]

    init(columnNames: [String], rows: [[Value]]) {
        self.columnNames = columnNames
        self.rows = rows
    }

    /// A warehouse result as `run_query` and `load_result` give it.
    convenience init(_ result: ResultSet) {
        self.init(columnNames: result.columnNames, rows: result.rows.map { $0.map(Compiler.templateValue) })
    }

    var renderedString: String { "<Table \(rows.count) rows>" }

    func attribute(_ name: String) -> Value? {
        switch name {
        case "rows": return Value(rows.map { Value($0) })
        case "column_names": return Value(columnNames.map(Value.string))
        case "columns":
            return .object(ResultColumns(columns: columnNames.enumerated().map { index, columnName in
                let values = rows.map { $0.count > index ? $0[index] : Value.none }
                return (columnName, Value.object(HostObject(name: "Column", members: [
                    "name": .string(columnName),
                    "values": .function(NativeFunction(name: "values") { _ in .list(ListBox(values, isTuple: true)) }),
                ])))
            }))
        case "print_table": return .function(NativeFunction(name: "print_table") { _ in .none })
        default: return nil
        }
    }
}

/// A column as dbt's `adapter.get_columns_in_relation` gives it: `name`/`column`, `quoted`,
/// `data_type`/`dtype`, and the type checks macros make (`is_string()`, `is_number()`, …).
enum ColumnObject {
    static func value(name: String, type: String) -> Value {
        let upper = type.uppercased()
        let isString = ["VARCHAR", "TEXT", "CHAR", "CHARACTER", "STRING"].contains { upper.hasPrefix($0) }
        let isInteger = ["INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT", "INT", "UBIGINT", "UINTEGER"].contains { upper.hasPrefix($0) }
        let isFloat = ["DOUBLE", "FLOAT", "REAL"].contains { upper.hasPrefix($0) }
        let isNumeric = upper.hasPrefix("DECIMAL") || upper.hasPrefix("NUMERIC")
        func check(_ answer: Bool, _ name: String) -> Value { .function(NativeFunction(name: name) { _ in .bool(answer) }) }
        let object = HostObject(name: "Column", members: [
            "name": .string(name), "column": .string(name), "quoted": .string("\"\(name)\""),
            "data_type": .string(type), "dtype": .string(type),
            "is_string": check(isString, "is_string"), "is_integer": check(isInteger, "is_integer"),
            "is_float": check(isFloat, "is_float"), "is_numeric": check(isNumeric, "is_numeric"),
            "is_number": check(isInteger || isFloat || isNumeric, "is_number"),
        ])
        return object.withString("<Column \(name) (\(type))>")
    }
}

/// The results of a render's named `statement` blocks, for `load_result(name)`.
final class StatementResults {
    var results: [String: ResultTableObject] = [:]

    /// What dbt's `load_result` gives: `response`, `data` (the rows, as tuples) and `table`.
    static func value(_ table: ResultTableObject) -> Value {
        Value(orderedPairs: [
            ("response", Value(orderedPairs: [("_message", .string("OK")), ("code", .string("SELECT")), ("rows_affected", .int(table.rows.count))])),
            ("data", Value(table.rows.map { Value.list(ListBox($0, isTuple: true)) })),
            ("table", .object(table)),
        ])
    }
}

/// agate's `table.columns`: a sequence of columns that is also a mapping by name
/// (`columns[0]`, `columns['id']`, `columns.items()`, `columns.keys()`).
final class ResultColumns: TemplateObject {
    let columns: [(name: String, column: Value)]
    init(columns: [(name: String, column: Value)]) { self.columns = columns }

    var renderedString: String { "<MappedSequence \(columns.map(\.name))>" }
    func iterate() -> [Value]? { columns.map(\.column) }

    func item(_ key: Value) -> Value? {
        if let i = key.intValue { let index = i < 0 ? columns.count + i : i; return columns.indices.contains(index) ? columns[index].column : nil }
        return columns.first { $0.name == key.renderedString }?.column
    }

    func attribute(_ name: String) -> Value? {
        switch name {
        case "items": return .function(NativeFunction(name: "items") { [columns] _ in
            Value(columns.map { .list(ListBox([.string($0.name), $0.column], isTuple: true)) })
        })
        case "keys": return .function(NativeFunction(name: "keys") { [columns] _ in Value(columns.map { .string($0.name) }) })
        case "values": return .function(NativeFunction(name: "values") { [columns] _ in Value(columns.map(\.column)) })
        case "get": return .function(NativeFunction(name: "get") { [self] args in
            item(args.arg(0, "key") ?? .none) ?? args.arg(1, "default") ?? .none
        })
        default: return nil
        }
    }
}

extension ConfigValue {
    /// The template value of a config/YAML value.
    var templateValue: Value {
        switch self {
        case .null: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .list(let l): return Value(l.map(\.templateValue))
        case .dict(let d): return Value(orderedPairs: d.map { ($0.0, $0.1.templateValue) })
        }
    }

    /// The config value of a template value (functions and objects become their printed form).
    init(template value: Value) {
        switch value {
        case .none, .undefined: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .list(let l): self = .list(l.items.map(ConfigValue.init(template:)))
        case .dict(let d): self = .dict(d.entries.map { ($0.key.renderedString, ConfigValue(template: $0.value)) })
        default: self = .string(value.renderedString)
        }
    }
}

/// JSON text of a template value, as Python's `json.dumps` writes it (`", "` and `": "` separators).
func pythonJSON(_ value: Value, sortKeys: Bool = false) -> String {
    switch value {
    case .none, .undefined: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .int(let i): return String(i)
    case .double(let d): return Value.double(d).renderedString
    case .string(let s): return jsonQuote(s)
    case .list(let l): return "[" + l.items.map { pythonJSON($0, sortKeys: sortKeys) }.joined(separator: ", ") + "]"
    case .dict(let d):
        var entries = d.entries.map { ($0.key.renderedString, $0.value) }
        if sortKeys { entries.sort { $0.0 < $1.0 } }
        return "{" + entries.map { jsonQuote($0.0) + ": " + pythonJSON($0.1, sortKeys: sortKeys) }.joined(separator: ", ") + "}"
    default: return jsonQuote(value.renderedString)
    }
}

func jsonQuote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 || scalar.value > 0x7e { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
        }
    }
    return out + "\""
}
