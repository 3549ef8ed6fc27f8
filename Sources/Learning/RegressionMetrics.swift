import Foundation

/// How close predicted amounts come to the observed ones, next to a naive baseline that predicts
/// the training mean for everyone: a model is worth keeping only if it beats the baseline.
public struct RegressionMetrics: Codable, Sendable, Equatable {
    public let rows: Int
    public let meanAbsoluteError: Double
    public let rootMeanSquaredError: Double
    /// Mean Poisson deviance: 2·mean(y·log(y/ŷ) − y + ŷ); the loss a Poisson GLM minimises.
    public let meanPoissonDeviance: Double
    public let baselineMeanAbsoluteError: Double
    public let baselineRootMeanSquaredError: Double
    public let baselineMeanPoissonDeviance: Double
    /// Observed and predicted totals: a calibrated model predicts the total it will see.
    public let observedTotal: Double
    public let predictedTotal: Double

    /// - Parameter baseline: the constant the naive model predicts (the training mean).
    public init(predictions: [Double], targets: [Double], baseline: Double) {
        precondition(predictions.count == targets.count && !targets.isEmpty, "metrics need as many targets as predictions")
        rows = targets.count
        let constant = [Double](repeating: baseline, count: targets.count)
        meanAbsoluteError = Self.meanAbsoluteError(predictions, targets)
        rootMeanSquaredError = Self.rootMeanSquaredError(predictions, targets)
        meanPoissonDeviance = Self.meanPoissonDeviance(predictions, targets)
        baselineMeanAbsoluteError = Self.meanAbsoluteError(constant, targets)
        baselineRootMeanSquaredError = Self.rootMeanSquaredError(constant, targets)
        baselineMeanPoissonDeviance = Self.meanPoissonDeviance(constant, targets)
        observedTotal = targets.reduce(0, +)
        predictedTotal = predictions.reduce(0, +)
    }

    public static func meanAbsoluteError(_ predictions: [Double], _ targets: [Double]) -> Double {
        zip(predictions, targets).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(targets.count)
    }

    public static func rootMeanSquaredError(_ predictions: [Double], _ targets: [Double]) -> Double {
        (zip(predictions, targets).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(targets.count)).squareRoot()
    }

    public static func meanPoissonDeviance(_ predictions: [Double], _ targets: [Double]) -> Double {
        var total = 0.0
        for (prediction, target) in zip(predictions, targets) {
            let mu = max(prediction, 1e-300)
            total += 2 * ((target > 0 ? target * log(target / mu) : 0) - target + mu)
        }
        return total / Double(targets.count)
    }
}
