import Learning
import WarehouseKit

/// Rows read from a feature table: the features (and target) for the learning code, and the key
/// columns as the warehouse gave them, to write beside the scores.
public struct FeatureRows: Sendable {
    public var features: FeatureTable
    /// The key columns' values as read, one column each.
    public var keys: [BatchColumn]
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
        // Column by column: a feature table is many rows of few types, and boxing each value
        // was most of a model's training time.
        let result = try await connection.queryColumns(sql)
        var table: [(String, FeatureTable.Column)] = []
        for (index, name) in wanted.enumerated() where columns.contains(name) {
            table.append((name, featureColumn(result.values[index])))
        }
        let suffix = window.map { " (\($0.column) = '\($0.value)')" } ?? ""
        return FeatureRows(
            features: FeatureTable(name: relation.description + suffix, columns: table),
            keys: Array(result.values.prefix(keys.count)), keyColumns: keys)
    }

    /// Text as labels; everything else as numbers: booleans as 0/1, dates as days and
    /// timestamps as seconds since 1970.
    static func featureColumn(_ column: BatchColumn) -> FeatureTable.Column {
        func numbers<T>(_ values: [T], _ convert: (T) -> Double) -> FeatureTable.Column {
            guard let nulls = column.nulls else { return .numbers(values.map { convert($0) }) }
            var out = [Double?](repeating: nil, count: values.count)
            for row in values.indices where !nulls[row] { out[row] = convert(values[row]) }
            return .numbers(out)
        }
        switch column.values {
        case .text(let values):
            guard let nulls = column.nulls else { return .labels(values) }
            return .labels(values.indices.map { nulls[$0] ? nil : values[$0] })
        case .bool(let values): return numbers(values) { $0 ? 1 : 0 }
        case .int32(let values), .date(let values): return numbers(values) { Double($0) }
        case .int64(let values): return numbers(values) { Double($0) }
        case .double(let values): return numbers(values) { $0 }
        case .timestamp(let values), .timestampTZ(let values): return numbers(values) { Double($0) / 1_000_000 }
        }
    }
}
