import Foundation
import WarehouseKit

/// The SQL of a unit test, as dbt's `unit` materialization writes it: each given input as a
/// `select … union all select …` of typed literals standing in for a relation, the expected rows
/// the same way, and one query returning actual and expected rows side by side. Pure text.
public enum UnitTestSQL {
    /// A column of the relation a fixture stands for, or of the model's output.
    public struct Column: Sendable, Equatable {
        public var name: String
        /// The warehouse's spelling of the type (`INTEGER`, `DECIMAL(18,3)`, `character varying`);
        /// nil when it cannot be written in a cast (DuckDB's bare `STRUCT`), so values go uncast.
        public var type: String?
        public init(name: String, type: String?) {
            self.name = name
            self.type = type
        }
    }

    /// `select cast(1 as INTEGER) as "id", cast(null as VARCHAR) as "name" union all …`: one
    /// select per row, every column of the relation present (missing ones NULL of their type),
    /// keys matched case-insensitively; no rows gives the same columns and `limit 0`.
    /// `fixture` names the input in errors (`'raw_orders'`).
    public static func fixture(_ rows: [[(String, ConfigValue)]], columns: [Column], fixture: String) throws -> String {
        let defaults = columns.map { typed("null", $0.type) }
        let byName = Dictionary(columns.enumerated().map { ($1.name.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        guard !rows.isEmpty else {
            return "select " + zip(columns, defaults).map { "\($1) as \(SQL.quoteIdentifier($0.name))" }.joined(separator: ", ") + "\nlimit 0"
        }
        return try rows.map { row in
            var values = defaults
            for (key, value) in row {
                guard let index = byName[key.lowercased()] else {
                    throw TransformError("invalid column name '\(key.lowercased())' in the unit test fixture for \(fixture); its columns are \(columns.map(\.name).pythonList)")
                }
                values[index] = typed(literal(value), columns[index].type)
            }
            return "select " + zip(columns, values).map { "\($1) as \(SQL.quoteIdentifier($0.name))" }.joined(separator: ", ")
        }.joined(separator: "\nunion all\n")
    }

    /// The expected rows over `columns` (the expected columns, typed as the model outputs them).
    public static func expected(_ rows: [[(String, ConfigValue)]], columns: [Column]) throws -> String {
        guard !rows.isEmpty else {
            return "select " + columns.map { "\(typed("null", $0.type)) as \(SQL.quoteIdentifier($0.name))" }.joined(separator: ", ") + "\nlimit 0"
        }
        return try rows.map { row in
            let values = Dictionary(row.map { ($0.0.lowercased(), $0.1) }, uniquingKeysWith: { a, _ in a })
            return try "select " + columns.map { column in
                guard let value = values[column.name.lowercased()] else {
                    throw TransformError("an expected row has no value for column '\(column.name)'")
                }
                return "\(typed(literal(value), column.type)) as \(SQL.quoteIdentifier(column.name))"
            }.joined(separator: ", ")
        }.joined(separator: "\nunion all\n")
    }

    /// Actual and expected rows in one result, told apart by `actual_or_expected`: the model's
    /// SQL (its inputs replaced by fixtures) projected on the expected columns, then the expected
    /// rows on the same columns.
    public static func comparison(actual: String, expected: String, columns: [String]) -> String {
        let list = columns.map(SQL.quoteIdentifier).joined(separator: ", ")
        return """
            with dbt_internal_unit_test_actual as (
              select \(list), 'actual' as "actual_or_expected"
              from (
            \(actual)
              ) _dbt_internal_unit_test_actual
            ),
            dbt_internal_unit_test_expected as (
              select \(list), 'expected' as "actual_or_expected"
              from (
            \(expected)
              ) _dbt_internal_unit_test_expected
            )
            select * from dbt_internal_unit_test_actual
            union all
            select * from dbt_internal_unit_test_expected
            """
    }

    /// The model's output columns without running it over data.
    public static func emptyResult(of sql: String) -> String {
        "select * from (\n\(sql)\n) as dbt_internal_unit_test_columns limit 0"
    }

    /// A type that can be written in `cast(… as T)`: DuckDB names some types by kind only.
    public static func castableType(_ type: String) -> String? {
        let bare = ["STRUCT", "MAP", "ARRAY", "ENUM", "UNION", "OTHER", "UNKNOWN", "NULL"]
        if bare.contains(type.uppercased()) || type.hasPrefix("OID ") { return nil }
        return type
    }

    static func typed(_ literal: String, _ type: String?) -> String {
        guard let type else { return literal }
        return "cast(\(literal) as \(type))"
    }

    /// A YAML value as a SQL literal: text quoted, numbers and booleans as written, lists and
    /// mappings as their JSON text.
    static func literal(_ value: ConfigValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d.isFinite ? "\(d)" : SQL.quoteLiteral("\(d)")
        case .string(let s): return SQL.quoteLiteral(s)
        case .list, .dict: return SQL.quoteLiteral(ManifestWriter.canonicalJSON(value))
        }
    }
}

extension Array where Element == String {
    /// `['a', 'b']`, as dbt prints a list of names in its messages.
    var pythonList: String { "[" + map { "'\($0)'" }.joined(separator: ", ") + "]" }
}
