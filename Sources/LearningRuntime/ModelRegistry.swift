import Foundation
import Learning
import WarehouseKit

/// Trained models kept in the warehouse itself (`ml.model_versions`), beside the scores they
/// produce: every version with its artefact (JSON), whether it was promoted and why. The accepted
/// version of a model is its latest promoted one. Kept in the warehouse so DuckDB files and
/// PostgreSQL servers carry their models with them, and a model and its scores commit together.
public enum ModelRegistry {
    public static let schema = "ml"
    public static let table = RelationName(schema: schema, name: "model_versions")

    /// One stored version, without its artefact.
    public struct Version: Sendable, Equatable {
        public var model: String
        public var version: Int
        public var promoted: Bool
        public var decision: String
        public var createdAt: Date
        public var metricName: String
        public var metricValue: Double?
        public var trainingRows: Int
        public var trainingFingerprint: String
    }

    static func ensure(on connection: any WarehouseConnection) async throws {
        try await connection.execute(SQL(unsafeRaw: "create schema if not exists \(SQL.quoteIdentifier(schema))"))
        try await connection.execute(connection.dialect.createTable(table, columns: [
            ColumnDefinition("model", .text, nullable: false),
            ColumnDefinition("version", .bigint, nullable: false),
            ColumnDefinition("promoted", .boolean, nullable: false),
            ColumnDefinition("decision", .text, nullable: false),
            ColumnDefinition("created_at", .timestamp, nullable: false),
            ColumnDefinition("metric_name", .text, nullable: false),
            ColumnDefinition("metric_value", .double),
            ColumnDefinition("training_rows", .bigint, nullable: false),
            ColumnDefinition("training_fingerprint", .text, nullable: false),
            ColumnDefinition("artefact", .text, nullable: false),
        ], ifNotExists: true))
    }

    static func exists(on connection: any WarehouseConnection) async throws -> Bool {
        try await !connection.columns(of: table).isEmpty
    }

    /// Every version of `model` (all models when nil), newest first.
    public static func versions(of model: String?, on connection: any WarehouseConnection) async throws -> [Version] {
        guard try await exists(on: connection) else { return [] }
        var sql = SQL(unsafeRaw: """
            select model, version, promoted, decision, created_at, metric_name, metric_value, training_rows, training_fingerprint \
            from \(table.quoted)
            """)
        if let model { sql = sql + " where model = \(model)" }
        sql = sql + " order by model, version desc"
        return try await connection.query(sql).rows.map { row in
            let micros: Int64
            switch row[4] {
            case .timestamp(let value), .timestampTZ(let value): micros = value
            default: micros = 0
            }
            return Version(
                model: row[0].string ?? "", version: Int(row[1].int64 ?? 0), promoted: row[2].bool ?? false,
                decision: row[3].string ?? "", createdAt: Date(timeIntervalSince1970: Double(micros) / 1_000_000),
                metricName: row[5].string ?? "", metricValue: row[6].double, trainingRows: Int(row[7].int64 ?? 0),
                trainingFingerprint: row[8].string ?? "")
        }
    }

    /// The artefact of `model` at `version`, or of its accepted version when `version` is nil.
    public static func load(_ model: String, version: Int? = nil, on connection: any WarehouseConnection) async throws -> TrainedModel? {
        guard try await exists(on: connection) else { return nil }
        let sql: SQL = version.map { "select artefact from \(unsafeRaw: table.quoted) where model = \(model) and version = \(Int64($0))" }
            ?? "select artefact from \(unsafeRaw: table.quoted) where model = \(model) and promoted order by version desc limit 1"
        guard let text = try await connection.query(sql).scalar?.string else { return nil }
        do {
            return try JSONDecoder.artefacts.decode(TrainedModel.self, from: Data(text.utf8))
        } catch {
            throw LearningRuntimeError(
                "the stored artefact of \(model)\(version.map { " v\($0)" } ?? "") cannot be read: \(error)",
                hint: "it was written by another version of storehouse; retrain with storehouse ml train \(model)")
        }
    }

    static func nextVersion(of model: String, on connection: any WarehouseConnection) async throws -> Int {
        guard try await exists(on: connection) else { return 1 }
        let latest = try await connection.query("select max(version) from \(unsafeRaw: table.quoted) where model = \(model)").scalar?.int64
        return Int(latest ?? 0) + 1
    }

    static func record(_ model: TrainedModel, decision: PromotionDecision, on connection: any WarehouseConnection) async throws {
        try await ensure(on: connection)
        let artefact = String(decoding: try JSONEncoder.artefacts.encode(model), as: UTF8.self)
        let headline = model.evaluation.headline
        let created = WarehouseValue.timestamp(micros: Int64((model.createdAt.timeIntervalSince1970 * 1_000_000).rounded()))
        try await connection.execute("""
            insert into \(unsafeRaw: table.quoted) values (\(model.name), \(Int64(model.version)), \(decision.promoted), \(decision.reason), \
            \(created), \(headline.name), \(headline.value.isFinite ? WarehouseValue.double(headline.value) : .null), \
            \(Int64(model.trainingRows)), \(model.trainingFingerprint), \(artefact))
            """)
    }
}

extension JSONEncoder {
    static var artefacts: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        // Validation metrics can be NaN (one class in the validation rows); JSON has no NaN.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }
}

extension JSONDecoder {
    static var artefacts: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
