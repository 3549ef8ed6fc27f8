import Foundation

/// A trained model as an artefact: everything needed to score new rows the way the training rows
/// were encoded, and everything needed to judge it (validation metrics, data fingerprint, when).
public struct TrainedModel: Codable, Sendable, Equatable {
    /// Validation figures: a classifier's or a regressor's.
    public enum Evaluation: Codable, Sendable, Equatable {
        case classification(ClassificationMetrics)
        case regression(RegressionMetrics)

        /// The figure promotion compares: AUC for classifiers (higher is better), mean Poisson
        /// deviance for regressors (lower is better).
        public var headline: (name: String, value: Double, higherIsBetter: Bool) {
            switch self {
            case let .classification(metrics): return ("validation AUC", metrics.rocAUC, true)
            case let .regression(metrics): return ("validation Poisson deviance", metrics.meanPoissonDeviance, false)
            }
        }
    }

    public let definition: ModelDefinition
    public var version: Int
    public let encoder: FeatureEncoder
    public let coefficients: GLMCoefficients
    public let evaluation: Evaluation
    public let trainingRows: Int
    public let trainingPositives: Int?
    public let validationRows: Int
    public let trainingFingerprint: String
    /// Seconds spent fitting (encoding + Newton), for the record.
    public let fitSeconds: Double
    public let createdAt: Date

    public var name: String { definition.name }

    /// Each encoded feature's coefficient, largest effect first.
    public var rankedCoefficients: [(feature: String, weight: Double)] {
        zip(encoder.featureNames, coefficients.weights).map { ($0, $1) }.sorted { abs($0.1) > abs($1.1) }
    }

    /// Scores for every row of `table`: probabilities for a classifier, expected amounts for a regressor.
    public func score(_ table: FeatureTable) throws -> [Double] {
        let family = definition.kind.family
        return try encoder.linearPredictors(table, coefficients: coefficients).map { family.mean($0) }
    }

    /// Throws when the project's current declaration of the model no longer matches the features
    /// this artefact was trained on: scoring with it would read the wrong columns.
    public func checkMatches(_ declared: ModelDefinition) throws {
        guard declared.features != definition.features || declared.target != definition.target || declared.kind != definition.kind else { return }
        let trained = Set(definition.features.columns), wanted = Set(declared.features.columns)
        var differences: [String] = []
        if declared.kind != definition.kind { differences.append("kind \(definition.kind.rawValue) → \(declared.kind.rawValue)") }
        if declared.target != definition.target { differences.append("target \(definition.target) → \(declared.target)") }
        let added = wanted.subtracting(trained).sorted(), removed = trained.subtracting(wanted).sorted()
        if !added.isEmpty { differences.append("features added: \(added.joined(separator: ", "))") }
        if !removed.isEmpty { differences.append("features removed: \(removed.joined(separator: ", "))") }
        if added.isEmpty && removed.isEmpty { differences.append("feature encoding changed (missing-value handling, transforms or category rules)") }
        throw LearningError.featureSetMismatch(
            model: name, version: version, detail: "it was trained on other features than the project declares (\(differences.joined(separator: "; ")))")
    }
}
