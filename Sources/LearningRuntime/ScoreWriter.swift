import Foundation
import WarehouseKit

/// Replaces a model's scores table in schema `ml` as a whole: the rows go into a fresh table
/// that is swapped in inside one transaction, so readers see the old scores or the new ones,
/// never half of each, and a failed scoring run leaves the old table in place.
enum ScoreWriter {
    struct Scores {
        var keyColumns: [String]
        /// The key columns' values, one column each, in `keyColumns`' order.
        var keys: [BatchColumn]
        var scoreColumn: String
        var scores: [Double]
        var model: String
        var version: Int
        var scoredAt: Date
    }

    static func replace(_ table: String, with scores: Scores, on connection: any WarehouseConnection) async throws -> Int {
        let target = RelationName(schema: ModelRegistry.schema, name: table)
        let staging = RelationName(schema: ModelRegistry.schema, name: table + "__next")
        let definitions = zip(scores.keyColumns, scores.keys.map(\.columnType)).map { ColumnDefinition($0, $1) } + [
            ColumnDefinition(scores.scoreColumn, .double, nullable: false),
            ColumnDefinition("model_name", .text, nullable: false),
            ColumnDefinition("model_version", .bigint, nullable: false),
            ColumnDefinition("scored_at", .timestamp, nullable: false),
        ]
        try await connection.execute(SQL(unsafeRaw: "create schema if not exists \(SQL.quoteIdentifier(ModelRegistry.schema))"))
        try await connection.execute("drop table if exists \(staging)")
        try await connection.execute(connection.dialect.createTable(staging, columns: definitions))
        let count = scores.scores.count
        let scoredAt = Int64((scores.scoredAt.timeIntervalSince1970 * 1_000_000).rounded())
        var columns = scores.keys
        columns.append(BatchColumn(.double(scores.scores)))
        columns.append(BatchColumn(.text([String](repeating: scores.model, count: count))))
        columns.append(BatchColumn(.int64([Int64](repeating: Int64(scores.version), count: count))))
        columns.append(BatchColumn(.timestamp([Int64](repeating: scoredAt, count: count))))
        let written = try await connection.bulkLoad(into: staging, batches: [ColumnBatch(columns: columns)])
        try await connection.transaction {
            try await connection.execute("drop table if exists \(target)")
            try await connection.execute("alter table \(staging) rename to \(unsafeRaw: SQL.quoteIdentifier(table))")
        }
        return written
    }
}
