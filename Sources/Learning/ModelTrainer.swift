import Foundation

/// Fits a declared model on the training rows and judges it on rows from a later period.
public enum ModelTrainer {
    /// A model fitted on its training rows, not yet judged.
    public struct Fitted: Sendable {
        public let definition: ModelDefinition
        let encoder: FeatureEncoder
        let coefficients: GLMCoefficients
        /// The training target's mean: the naive baseline a regressor is compared with.
        let trainingMean: Double
        let trainingRows: Int
        let trainingPositives: Int?
        let trainingFingerprint: String
        let fitSeconds: Double
    }

    /// Fits on `training`, then judges the fit on `validation` (`fit`, then `evaluate`).
    public static func train(
        _ definition: ModelDefinition, training: FeatureTable, validation: FeatureTable, version: Int, now: Date
    ) throws -> TrainedModel {
        guard validation.rowCount > 0 else { throw LearningError.emptyTable(table: validation.name) }
        return try evaluate(try fit(definition, training: training), validation: validation, version: version, now: now)
    }

    /// Encodes the training rows and fits the coefficients. Needs nothing of the later rows, so
    /// a caller can read those while this runs.
    public static func fit(_ definition: ModelDefinition, training: FeatureTable) throws -> Fitted {
        let started = ContinuousClock.now
        let target = try targetValues(definition, in: training)
        let (encoder, design) = try FeatureEncoder.fitAndEncode(definition.features, on: training)
        let positives = definition.kind == .classifier ? target.filter { $0 == 1 }.count : nil
        var sampleWeights: [Double]?
        if definition.kind == .classifier, definition.classWeight == .balanced, let positives {
            let n = Double(target.count)
            let positiveWeight = n / (2 * Double(positives)), negativeWeight = n / (2 * Double(target.count - positives))
            sampleWeights = target.map { $0 == 1 ? positiveWeight : negativeWeight }
        }
        let coefficients = try GLMSolver(family: definition.kind.family, l2: definition.l2)
            .fit(design, target: target, sampleWeights: sampleWeights, model: definition.name)
        return Fitted(
            definition: definition, encoder: encoder, coefficients: coefficients,
            trainingMean: target.reduce(0, +) / Double(target.count), trainingRows: training.rowCount, trainingPositives: positives,
            trainingFingerprint: try DataFingerprint.of(training, columns: definition.features.columns + [definition.target]),
            fitSeconds: (ContinuousClock.now - started) / .seconds(1))
    }

    /// Judges a fit on rows from a later period: the model as it is recorded.
    public static func evaluate(_ fitted: Fitted, validation: FeatureTable, version: Int, now: Date) throws -> TrainedModel {
        guard validation.rowCount > 0 else { throw LearningError.emptyTable(table: validation.name) }
        let definition = fitted.definition
        let validationTarget = try targetValues(definition, in: validation, requireBothClasses: false)
        let family = definition.kind.family
        let scores = try fitted.encoder.linearPredictors(validation, coefficients: fitted.coefficients).map { family.mean($0) }
        let evaluation: TrainedModel.Evaluation
        switch definition.kind {
        case .classifier:
            evaluation = .classification(ClassificationMetrics(scores: scores, labels: validationTarget.map { $0 == 1 }, threshold: definition.threshold))
        case .regressor:
            evaluation = .regression(RegressionMetrics(predictions: scores, targets: validationTarget, baseline: fitted.trainingMean))
        }
        return TrainedModel(
            definition: definition, version: version, encoder: fitted.encoder, coefficients: fitted.coefficients, evaluation: evaluation,
            trainingRows: fitted.trainingRows, trainingPositives: fitted.trainingPositives, validationRows: validation.rowCount,
            trainingFingerprint: fitted.trainingFingerprint, fitSeconds: fitted.fitSeconds, createdAt: now)
    }

    /// The target as numbers, checked: 0/1 for a classifier (both classes present when training),
    /// non-negative and not all zero for a regressor; never NULL.
    public static func targetValues(_ definition: ModelDefinition, in table: FeatureTable, requireBothClasses: Bool = true) throws -> [Double] {
        guard table.rowCount > 0 else { throw LearningError.emptyTable(table: table.name) }
        let column = definition.target
        var values: [Double] = []
        values.reserveCapacity(table.rowCount)
        for (row, value) in try table.numbers(column).enumerated() {
            guard let value else { throw LearningError.invalidTarget(table: table.name, column: column, row: row + 1, detail: "is NULL; every row needs a label") }
            switch definition.kind {
            case .classifier where value != 0 && value != 1:
                throw LearningError.invalidTarget(table: table.name, column: column, row: row + 1, detail: "is \(value), not 0/1 (false/true)")
            case .regressor where !(value >= 0) || !value.isFinite:
                throw LearningError.invalidTarget(table: table.name, column: column, row: row + 1, detail: "is \(value); a Poisson model needs a non-negative amount")
            default: values.append(value)
            }
        }
        switch definition.kind {
        case .classifier where requireBothClasses:
            let positives = values.filter { $0 == 1 }.count
            if positives == 0 || positives == values.count {
                throw LearningError.degenerateTarget(
                    table: table.name, column: column, detail: "is \(positives == 0 ? "false" : "true") on all \(values.count) rows")
            }
        case .regressor where requireBothClasses && values.allSatisfy({ $0 == 0 }):
            throw LearningError.degenerateTarget(table: table.name, column: column, detail: "is 0 on all \(values.count) rows")
        default: break
        }
        return values
    }
}

/// Whether a newly trained model replaces the accepted one: not when its headline validation
/// figure is worse than the accepted model's by more than `margin` (absolute for AUC, relative
/// for deviance).
public struct PromotionDecision: Codable, Sendable, Equatable {
    public let promoted: Bool
    public let reason: String

    public static func decide(candidate: TrainedModel, accepted: TrainedModel?, margin: Double) -> PromotionDecision {
        let new = candidate.evaluation.headline
        guard let accepted else { return PromotionDecision(promoted: true, reason: "first version of \(candidate.name)") }
        let old = accepted.evaluation.headline
        guard old.name == new.name, old.value.isFinite else {
            return PromotionDecision(promoted: true, reason: "v\(accepted.version) has no comparable \(new.name)")
        }
        guard new.value.isFinite else {
            return PromotionDecision(promoted: false, reason: "\(new.name) could not be computed on the validation rows")
        }
        let figures = "\(new.name) \(format(new.value)) vs \(format(old.value)) for v\(accepted.version)"
        let worse = new.higherIsBetter ? old.value - new.value > margin : (new.value - old.value) > margin * abs(old.value)
        return worse
            ? PromotionDecision(promoted: false, reason: "\(figures): worse by more than the margin \(format(margin)); v\(accepted.version) stays")
            : PromotionDecision(promoted: true, reason: figures)
    }

    private static func format(_ value: Double) -> String { String(format: "%.4f", value) }
}
