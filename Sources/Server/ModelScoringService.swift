import Foundation
import Learning
import LearningRuntime
import WarehouseKit

/// Scores feature rows posted as JSON with a model's accepted version: `POST
/// /api/v1/ml/{model}/score`, for a shop's own services that want a score for a row the
/// warehouse has not seen. The accepted artefacts are read from ml.model_versions once per data
/// version and kept in memory; every row is checked against the model's feature list.
final class ModelScoringService: Sendable {
    static let maxRows = 1_000

    let served: ServedProject
    let warehouse: any Warehouse
    private let accepted = VersionedValue<[String: TrainedModel]>()

    init(served: ServedProject, warehouse: any Warehouse) {
        self.served = served
        self.warehouse = warehouse
    }

    struct Answer: Encodable, Sendable {
        var model: String
        var version: Int
        var scoreColumn: String
        var scores: [Double]

        enum CodingKeys: String, CodingKey {
            case model, version, scores
            case scoreColumn = "score_column"
        }
    }

    /// The accepted version of every model of ml.yml that has one.
    func acceptedModels() async throws -> [String: TrainedModel] {
        let warehouse = self.warehouse, names = served.machineLearning?.models.map(\.name) ?? []
        return try await accepted.get(version: served.dataVersion) {
            guard !names.isEmpty else { return [:] }
            return try await warehouse.read { connection in
                var models: [String: TrainedModel] = [:]
                for name in names {
                    if let model = try await ModelRegistry.load(name, on: connection) { models[name] = model }
                }
                return models
            }
        }
    }

    func score(model name: String, body: Data) async throws -> Answer {
        let declaredModels = served.machineLearning?.models ?? []
        guard let declared = declaredModels.first(where: { $0.name == name }) else {
            throw APIError.notFound("there is no model '\(name)' in the project's ml.yml",
                                    hint: declaredModels.isEmpty ? "the project declares no models" : "declared: \(declaredModels.map(\.name).joined(separator: ", "))")
        }
        guard let model = try await acceptedModels()[name] else {
            throw APIError(.conflict, code: "not_trained", "model \(name) has no accepted version yet", hint: "train it: storehouse ml train \(name)")
        }
        do { try model.checkMatches(declared.definition) } catch {
            throw APIError(.conflict, code: "model_mismatch", "\(error)")
        }
        let table = try Self.table(try Self.rows(body), for: model)
        do {
            return Answer(model: name, version: model.version, scoreColumn: declared.scoreColumn, scores: try model.score(table))
        } catch let error as LearningError {
            throw APIError.badRequest("\(error)", code: "invalid_row")
        }
    }

    /// The body's `rows`: a non-empty list of at most `maxRows` JSON objects.
    static func rows(_ body: Data) throws -> [[String: Any]] {
        let usage = "send {\"rows\": [{\"feature\": value, …}, …]} with every feature the model reads"
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw APIError.badRequest("the body is not a JSON object", hint: usage)
        }
        if let unknown = object.keys.sorted().first(where: { $0 != "rows" }) {
            throw APIError.badRequest("unknown field '\(unknown)'", hint: usage)
        }
        guard let list = object["rows"] as? [Any] else { throw APIError.badRequest("field 'rows' is missing or not a list", code: "missing_field", hint: usage) }
        guard (1...maxRows).contains(list.count) else {
            throw APIError.badRequest("rows holds \(list.count) rows; send between 1 and \(maxRows) a request")
        }
        return try list.enumerated().map { index, item in
            guard let row = item as? [String: Any] else { throw APIError.badRequest("row \(index + 1) is not an object of feature values", hint: usage) }
            return row
        }
    }

    /// The rows as the model's feature table: every feature present (null for unknown), no other key.
    static func table(_ rows: [[String: Any]], for model: TrainedModel) throws -> FeatureTable {
        let features = model.definition.features
        let reads = features.columns
        let known = Set(reads)
        for (index, row) in rows.enumerated() {
            if let unknown = row.keys.sorted().first(where: { !known.contains($0) }) {
                throw APIError.badRequest("row \(index + 1): unknown feature '\(unknown)'", code: "invalid_row",
                                          hint: "model \(model.name) reads \(reads.joined(separator: ", "))")
            }
            if let missing = reads.first(where: { row[$0] == nil }) {
                throw APIError.badRequest("row \(index + 1): feature '\(missing)' is missing", code: "invalid_row",
                                          hint: "send every feature the model reads (null where unknown): \(reads.joined(separator: ", "))")
            }
        }
        var columns: [(String, FeatureTable.Column)] = []
        for feature in features.numeric {
            columns.append((feature.name, .numbers(try rows.enumerated().map { index, row in
                switch row[feature.name] {
                case is NSNull: return nil
                case let number as NSNumber: return number.doubleValue
                default:
                    throw APIError.badRequest("row \(index + 1): feature '\(feature.name)' must be a number or null, not \(describe(row[feature.name]))", code: "invalid_row")
                }
            })))
        }
        for name in features.categorical {
            columns.append((name, .labels(try rows.enumerated().map { index, row in
                switch row[name] {
                case is NSNull: return nil
                case let text as String: return text
                case let number as NSNumber: return number.description
                default:
                    throw APIError.badRequest("row \(index + 1): feature '\(name)' must be a text, a number or null, not \(describe(row[name]))", code: "invalid_row")
                }
            })))
        }
        return FeatureTable(name: "the request", columns: columns)
    }

    private static func describe(_ value: Any?) -> String {
        switch value {
        case let text as String: return "the text \"\(text.prefix(40))\""
        case is [Any]: return "a list"
        case is [String: Any]: return "an object"
        default: return "\(value.map { "\($0)" } ?? "nothing")"
        }
    }
}
