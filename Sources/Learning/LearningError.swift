import Foundation

/// Everything that can go wrong while encoding features, fitting or scoring a model. Each case
/// says what is wrong, where (column, row) and what to do.
public enum LearningError: Error, Equatable, CustomStringConvertible {
    /// A feature the model needs is not a column of the table.
    case missingColumn(table: String, column: String, available: [String])
    /// A numeric feature holds NULL where the model declares no way to fill it.
    case nullFeature(table: String, column: String, row: Int)
    /// A numeric feature holds NaN or an infinity.
    case nonFiniteFeature(table: String, column: String, row: Int, value: Double)
    /// A feature value the declared transform cannot take.
    case invalidFeature(table: String, column: String, row: Int, detail: String)
    /// The target holds one class only (or, for a count model, only zeros).
    case degenerateTarget(table: String, column: String, detail: String)
    /// The target holds a value the model cannot learn from (NULL, negative, not 0/1).
    case invalidTarget(table: String, column: String, row: Int, detail: String)
    /// Nothing to learn from or to score.
    case emptyTable(table: String)
    /// Newton's method did not settle within its iteration budget.
    case didNotConverge(model: String, iterations: Int, gradientNorm: Double)
    /// The Hessian is singular: features are exact copies of each other and nothing regularises them.
    case singularSystem(model: String)
    /// A stored model was trained on other features than the table offers.
    case featureSetMismatch(model: String, version: Int, detail: String)

    public var description: String {
        switch self {
        case let .missingColumn(table, column, available):
            return "\(table) has no column \(column) (it has \(available.joined(separator: ", "))); rebuild the table or drop \(column) from the model's features"
        case let .nullFeature(table, column, row):
            return "\(table) row \(row): \(column) is NULL and the model declares no fill for it; add `missing: mean` (or `zero`) to the feature, or fix the column upstream"
        case let .nonFiniteFeature(table, column, row, value):
            return "\(table) row \(row): \(column) is \(value); features must be finite numbers, fix the column upstream"
        case let .invalidFeature(table, column, row, detail):
            return "\(table) row \(row): \(column) \(detail)"
        case let .degenerateTarget(table, column, detail):
            return "\(table).\(column) \(detail): there is nothing to learn; check the label's definition and the cutoff"
        case let .invalidTarget(table, column, row, detail):
            return "\(table) row \(row): target \(column) \(detail)"
        case let .emptyTable(table):
            return "\(table) has no rows; build it first (storehouse build --select \(table))"
        case let .didNotConverge(model, iterations, gradientNorm):
            return "\(model) did not converge in \(iterations) Newton steps (gradient norm \(gradientNorm)); raise l2 or remove features that separate the classes perfectly"
        case let .singularSystem(model):
            return "\(model): the features are linearly dependent and l2 is 0, so the fit has no unique answer; set l2 above 0 or drop duplicated features"
        case let .featureSetMismatch(model, version, detail):
            return "model \(model) v\(version) does not fit this table: \(detail); retrain it with storehouse ml train \(model)"
        }
    }
}
