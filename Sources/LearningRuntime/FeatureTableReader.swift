import Learning
import WarehouseKit

/// Rows read from a feature table: the features (and target) for the learning code, and the key
/// columns as the warehouse gave them, to write beside the scores.
public struct FeatureRows: Sendable {
    public var features: FeatureTable
    public var keys: [[WarehouseValue]]
    public var keyColumns: [String]
}

/// Reads a model's columns out of a warehouse relation, one window's rows at a time.
enum FeatureTableReader {
    /// - Parameters:
    ///   - window: `(column, value)` to keep only that window's rows, or nil for all rows.
    static func read(
        _ relation: RelationName, columns: [String], keys: [String], window: (column: String, value: String)?,
        on connection: any WarehouseConnection
    ) async throws -> FeatureRows {
        let available = try await connection.columns(of: relation).map(\.name)
        guard !available.isEmpty else {
            throw LearningRuntimeError("\(relation) does not exist in the warehouse", hint: "build it first: storehouse build --select \(relation.name)")
        }
        let wanted = keys + columns.filter { !keys.contains($0) }
        for column in wanted + (window.map { [$0.column] } ?? []) where !available.contains(column) {
            throw LearningError.missingColumn(table: relation.description, column: column, available: available)
        }
        let list = wanted.map(SQL.quoteIdentifier).joined(separator: ", ")
        let order = keys.map(SQL.quoteIdentifier).joined(separator: ", ")
        var sql = SQL(unsafeRaw: "select \(list) from \(relation.quoted)")
        if let window { sql = sql + " where \(unsafeRaw: SQL.quoteIdentifier(window.column)) = \(window.value)" }
        sql = sql + " order by \(unsafeRaw: order)"
        let result = try await connection.query(sql)
        let rows = result.rows
        var table: [(String, FeatureTable.Column)] = []
        for (index, name) in wanted.enumerated() where columns.contains(name) {
            let values = rows.map { $0[index] }
            let isText = values.contains { if case .text = $0 { return true } else { return false } }
            if isText {
                table.append((name, .labels(values.map(\.string))))
            } else {
                table.append((name, .numbers(values.map(number))))
            }
        }
        let suffix = window.map { " (\($0.column) = '\($0.value)')" } ?? ""
        return FeatureRows(
            features: FeatureTable(name: relation.description + suffix, columns: table),
            keys: rows.map { Array($0.prefix(keys.count)) }, keyColumns: keys)
    }

    /// A value as a number: booleans as 0/1, dates as days and timestamps as seconds since 1970.
    private static func number(_ value: WarehouseValue) -> Double? {
        switch value {
        case .null: return nil
        case .bool(let flag): return flag ? 1 : 0
        case .date(let days): return Double(days)
        case .timestamp(let micros), .timestampTZ(let micros): return Double(micros) / 1_000_000
        default: return value.double
        }
    }
}
