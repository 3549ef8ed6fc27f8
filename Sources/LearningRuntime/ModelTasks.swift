import Foundation
import Learning
import TransformProject
import WarehouseKit

/// `storehouse ml train` and `ml score` against a warehouse: read the declared model's rows,
/// fit or apply it, record the version or replace the scores. Each step either completes or
/// leaves what was there: a failed fit records nothing, a failed scoring keeps the old scores.
public struct ModelTasks: Sendable {
    public struct Trained: Sendable {
        public var model: TrainedModel
        public var decision: PromotionDecision
        public var relation: RelationName
    }

    public struct Scored: Sendable {
        public var model: String
        public var version: Int
        public var rows: Int
        public var table: RelationName
        public var meanScore: Double
    }

    public let project: MLProjectFile
    public let warehouse: any Warehouse
    /// Where a project model is built, by its name; nil for a name the project does not have.
    private let relationOfModel: @Sendable (String) -> RelationName?
    private let projectName: String
    /// The project's target folder, where each train and score is noted in `ScoringRecord`'s
    /// file; nil (nothing noted) when not built from a manifest.
    public private(set) var targetDirectory: String?

    /// - Parameter relationOfModel: where each project model is built (see the manifest-based init).
    public init(project: MLProjectFile, projectName: String, warehouse: any Warehouse, relationOfModel: @escaping @Sendable (String) -> RelationName?) {
        self.project = project
        self.projectName = projectName
        self.warehouse = warehouse
        self.relationOfModel = relationOfModel
    }

    public init(project: MLProjectFile, manifest: Manifest, warehouse: any Warehouse) {
        let relations: [String: RelationName] = Dictionary(
            manifest.nodes.values.compactMap { node in
                guard [.model, .seed, .snapshot].contains(node.resourceType), let relation = node.relation else { return nil }
                return (node.name, RelationName(schema: relation.schema, name: relation.identifier))
            }, uniquingKeysWith: { first, _ in first })
        self.init(project: project, projectName: manifest.projectName, warehouse: warehouse, relationOfModel: { relations[$0] })
        targetDirectory = (manifest.projectRoot as NSString).appendingPathComponent(manifest.targetPath)
    }

    /// The declared models named (all when `names` is empty), unknown names refused up front.
    public func selected(_ names: [String]) throws -> [DeclaredModel] {
        names.isEmpty ? project.models : try names.map { try project.model(named: $0) }
    }

    /// Where a project model named in `ml.yml` is built.
    public func relation(of modelName: String, for declared: DeclaredModel) throws -> RelationName {
        guard let relation = relationOfModel(modelName) else {
            throw LearningRuntimeError(
                "\(declared.location): model \(declared.name) reads \(modelName), which is not a model of \(projectName)",
                hint: "name a model of the project (storehouse ls --resource-type model)")
        }
        return relation
    }

    /// Fits `declared` on its 'train' rows, judges it on its 'validate' rows and records it as
    /// the next version, promoted unless it falls behind the accepted version by more than the margin.
    public func train(_ declared: DeclaredModel, now: Date) async throws -> Trained {
        try await train(declared, now: now, noting: true)
    }

    /// - Parameter noting: whether to note the version in `ml_results.json` (a batch notes all at once).
    func train(_ declared: DeclaredModel, now: Date, noting: Bool) async throws -> Trained {
        let relation = try relation(of: declared.training, for: declared)
        let columns = declared.definition.features.columns + [declared.definition.target]
        let window = declared.windowColumn
        let training = try await warehouse.read { connection in
            try await FeatureTableReader.read(relation, columns: columns, keys: declared.key, window: (window, "train"), on: connection)
        }
        // The later rows are read while the model is fitted: the fit needs only the training rows.
        async let later = warehouse.read { connection in
            let validation = try await FeatureTableReader.read(relation, columns: columns, keys: declared.key, window: (window, "validate"), on: connection)
            let accepted = try await ModelRegistry.load(declared.name, on: connection)
            let version = try await ModelRegistry.nextVersion(of: declared.name, on: connection)
            return (validation.features, accepted, version)
        }
        let fitted = try ModelTrainer.fit(declared.definition, training: training.features)
        let (validation, accepted, version) = try await later
        let model = try ModelTrainer.evaluate(fitted, validation: validation, version: version, now: now)
        let decision = PromotionDecision.decide(candidate: model, accepted: accepted, margin: project.promotionMargin)
        try await warehouse.write { connection in
            try await ModelRegistry.record(model, decision: decision, on: connection)
        }
        let trained = Trained(model: model, decision: decision, relation: relation)
        if noting, let targetDirectory { try? ScoringRecord.write([trained], targetDirectory: targetDirectory, at: now) }
        return trained
    }

    /// Scores the rows of `declared` with its accepted version and replaces its scores table.
    public func score(_ declared: DeclaredModel, now: Date) async throws -> Scored {
        try await score(declared, now: now, noting: true)
    }

    /// - Parameter noting: whether to note the table in `ml_results.json` (a batch notes all at once).
    func score(_ declared: DeclaredModel, now: Date, noting: Bool) async throws -> Scored {
        try await score(declared, rows: try await rowsToScore(declared), now: now, noting: noting)
    }

    /// The rows `declared` scores: its training table's 'score' window, or every row of a separate scoring table.
    func rowsToScore(_ declared: DeclaredModel) async throws -> FeatureRows {
        let source = try relation(of: declared.scoring ?? declared.training, for: declared)
        let window = declared.windowColumn
        return try await warehouse.read { connection in
            let hasWindow = try await connection.columns(of: source).contains { $0.name == window }
            return try await FeatureTableReader.read(
                source, columns: declared.definition.features.columns, keys: declared.key,
                window: hasWindow ? (window, "score") : nil, on: connection)
        }
    }

    /// Scores `rows` with the accepted version of `declared` (checked against its declaration).
    func score(_ declared: DeclaredModel, rows: FeatureRows, now: Date, noting: Bool) async throws -> Scored {
        let model = try await warehouse.read { connection -> TrainedModel in
            guard let model = try await ModelRegistry.load(declared.name, on: connection) else {
                throw LearningRuntimeError("model \(declared.name) has no accepted version to score with", hint: "train it first: storehouse ml train \(declared.name)")
            }
            try model.checkMatches(declared.definition)
            return model
        }
        guard rows.features.rowCount > 0 else { throw LearningError.emptyTable(table: rows.features.name) }
        let scores = try model.score(rows.features)
        let written = try await warehouse.write { connection in
            try await ScoreWriter.replace(declared.scoresTable, with: ScoreWriter.Scores(
                keyColumns: declared.key, keys: rows.keys, scoreColumn: declared.scoreColumn, scores: scores,
                model: declared.name, version: model.version, scoredAt: now), on: connection)
        }
        let scored = Scored(
            model: declared.name, version: model.version, rows: written,
            table: RelationName(schema: ModelRegistry.schema, name: declared.scoresTable),
            meanScore: scores.reduce(0, +) / Double(scores.count))
        if noting, let targetDirectory { try? ScoringRecord.write([scored], targetDirectory: targetDirectory, at: now) }
        return scored
    }
}
