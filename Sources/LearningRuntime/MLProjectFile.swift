import Foundation
import Learning
import TransformProject
import Yams

/// A model the project declares in `ml.yml`: the learning definition plus where its rows come
/// from and where its scores go.
public struct DeclaredModel: Sendable, Equatable {
    public var definition: ModelDefinition
    public var description: String
    /// The project model (by name) holding training, validation and (unless `scoring` is set) scoring rows.
    public var training: String
    /// The project model whose rows are scored, when they live apart from the training rows.
    public var scoring: String?
    /// Columns identifying a scored row, copied into the scores table.
    public var key: [String]
    /// Table in schema `ml` the scores replace.
    public var scoresTable: String
    /// The scores table's column holding the score.
    public var scoreColumn: String
    /// Column of the training model saying which rows train, validate and get scored.
    public var windowColumn: String
    /// Where the declaration is (`ml.yml:12:5`), for messages.
    public var location: String

    public var name: String { definition.name }
}

/// `ml.yml` at the project's root: the models `storehouse ml train` fits.
///
/// ```yaml
/// promotion_margin: 0.01
/// models:
///   - name: churn
///     kind: classifier
///     training: churn_features
///     target: is_churned
///     key: [customer_id]
///     scores: churn_scores
///     features:
///       numeric: [recency_days, {name: average_satisfaction, missing: mean}]
///       categorical: [gender]
/// ```
public struct MLProjectFile: Sendable, Equatable {
    public static let fileName = "ml.yml"

    public var models: [DeclaredModel]
    /// How far a new version's validation figure may fall below the accepted one's and still be
    /// promoted (absolute AUC for classifiers, relative deviance for regressors).
    public var promotionMargin: Double
    public var path: String

    public func model(named name: String) throws -> DeclaredModel {
        guard let model = models.first(where: { $0.name == name }) else {
            throw LearningRuntimeError(
                "no model named '\(name)' in \(path)", hint: "declared: \(models.map(\.name).joined(separator: ", "))")
        }
        return model
    }

    /// Reads `ml.yml` from `projectRoot`; nil when the project declares no models.
    public static func load(projectRoot: String) throws -> MLProjectFile? {
        let path = (projectRoot as NSString).appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    public static func parse(_ text: String, path: String) throws -> MLProjectFile {
        let reader = YAMLReader(file: (path as NSString).lastPathComponent)
        let root: Yams.Node
        do {
            guard let composed = try Yams.compose(yaml: text, .basic) else {
                throw LearningRuntimeError("\(reader.file) is empty", hint: "declare `models:` (see the README's Machine learning section)")
            }
            root = composed
        } catch let error as LearningRuntimeError {
            throw error
        } catch {
            throw LearningRuntimeError("\(reader.file) is not valid YAML: \(error)")
        }
        let top = try reader.mapping(root, "the file", allowed: ["promotion_margin", "models"])
        var margin = 0.01
        var models: [DeclaredModel] = []
        for entry in top {
            switch entry.key {
            case "promotion_margin": margin = try reader.number(entry.value, "promotion_margin", minimum: 0)
            default:
                for node in try reader.sequence(entry.value, "models") { models.append(try model(node, reader: reader)) }
            }
        }
        var seen: Set<String> = []
        for model in models where !seen.insert(model.name).inserted {
            throw LearningRuntimeError("\(model.location): a second model named '\(model.name)'", hint: "model names are unique")
        }
        return MLProjectFile(models: models, promotionMargin: margin, path: path)
    }

    private static func model(_ node: Yams.Node, reader: YAMLReader) throws -> DeclaredModel {
        let allowed = ["name", "description", "kind", "training", "scoring", "target", "key", "scores", "score_column",
                       "window_column", "l2", "class_weight", "threshold", "features"]
        let entries = try reader.mapping(node, "a model", allowed: allowed)
        func value(_ key: String) -> Yams.Node? { entries.first { $0.key == key }?.value }
        func required(_ key: String) throws -> Yams.Node {
            guard let found = value(key) else { throw reader.error(at: node, "a model needs `\(key)`") }
            return found
        }
        let name = try reader.identifier(try required("name"), "name")
        let kindText = try reader.string(value("kind") ?? .scalar(.init("classifier")), "kind")
        guard let kind = ModelDefinition.Kind(rawValue: kindText) else {
            throw reader.error(at: value("kind"), "kind '\(kindText)' is not one of \(ModelDefinition.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let weightText = try value("class_weight").map { try reader.string($0, "class_weight") } ?? "none"
        guard let classWeight = ModelDefinition.ClassWeight(rawValue: weightText) else {
            throw reader.error(at: value("class_weight"), "class_weight '\(weightText)' is not one of none, balanced")
        }
        let features = try self.features(try required("features"), reader: reader)
        let definition = ModelDefinition(
            name: name, kind: kind, target: try reader.identifier(try required("target"), "target"), features: features,
            l2: try value("l2").map { try reader.number($0, "l2", minimum: 0) } ?? 1,
            classWeight: classWeight,
            threshold: try value("threshold").map { try reader.number($0, "threshold", minimum: 0, maximum: 1) } ?? 0.5)
        let key = try reader.sequence(try required("key"), "key").map { try reader.identifier($0, "key") }
        guard !key.isEmpty else { throw reader.error(at: value("key"), "key needs at least one column") }
        return DeclaredModel(
            definition: definition,
            description: try value("description").map { try reader.string($0, "description") } ?? "",
            training: try reader.identifier(try required("training"), "training"),
            scoring: try value("scoring").map { try reader.identifier($0, "scoring") },
            key: key,
            scoresTable: try value("scores").map { try reader.identifier($0, "scores") } ?? "\(name)_scores",
            scoreColumn: try value("score_column").map { try reader.identifier($0, "score_column") } ?? "score",
            windowColumn: try value("window_column").map { try reader.identifier($0, "window_column") } ?? "ml_window",
            location: reader.position(of: node))
    }

    private static func features(_ node: Yams.Node, reader: YAMLReader) throws -> FeatureSpec {
        var numeric: [FeatureSpec.Numeric] = [], categorical: [String] = [], minimumCount = 1
        for entry in try reader.mapping(node, "features", allowed: ["numeric", "categorical", "min_category_count"]) {
            switch entry.key {
            case "numeric":
                for item in try reader.sequence(entry.value, "features.numeric") {
                    if case .mapping = item {
                        let fields = try reader.mapping(item, "a numeric feature", allowed: ["name", "missing", "transform"])
                        guard let nameNode = fields.first(where: { $0.key == "name" })?.value else {
                            throw reader.error(at: item, "a numeric feature needs `name`")
                        }
                        var missing = FeatureSpec.MissingValues.fail
                        if let missingNode = fields.first(where: { $0.key == "missing" })?.value {
                            let text = try reader.string(missingNode, "missing")
                            guard let parsed = FeatureSpec.MissingValues(rawValue: text) else {
                                throw reader.error(at: missingNode, "missing '\(text)' is not one of fail, mean, zero")
                            }
                            missing = parsed
                        }
                        var transform = FeatureSpec.Transform.none
                        if let transformNode = fields.first(where: { $0.key == "transform" })?.value {
                            let text = try reader.string(transformNode, "transform")
                            guard let parsed = FeatureSpec.Transform(rawValue: text) else {
                                throw reader.error(at: transformNode, "transform '\(text)' is not one of none, log")
                            }
                            transform = parsed
                        }
                        numeric.append(.init(try reader.identifier(nameNode, "name"), missing: missing, transform: transform))
                    } else {
                        numeric.append(.init(try reader.identifier(item, "features.numeric")))
                    }
                }
            case "categorical":
                categorical = try reader.sequence(entry.value, "features.categorical").map { try reader.identifier($0, "features.categorical") }
            default:
                minimumCount = Int(try reader.number(entry.value, "min_category_count", minimum: 1))
            }
        }
        guard !(numeric.isEmpty && categorical.isEmpty) else { throw reader.error(at: node, "features lists no column") }
        return FeatureSpec(numeric: numeric, categorical: categorical, minCategoryCount: minimumCount)
    }
}

/// `ml.yml`'s reader: typed reads whose errors are `LearningRuntimeError`s.
typealias YAMLReader = YAMLNodeReader<LearningRuntimeError>

extension YAMLNodeReader where Failure == LearningRuntimeError {
    init(file: String) { self.init(file: file, makeError: { LearningRuntimeError($0) }) }
}
