/// A model as the project declares it: what it predicts, from which features, how regularised.
public struct ModelDefinition: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// A 0/1 target, logistic regression; scores are probabilities.
        case classifier
        /// A non-negative amount or count, Poisson GLM with a log link; scores are expected values.
        case regressor

        public var family: GLMFamily { self == .classifier ? .binomial : .poisson }
    }

    public enum ClassWeight: String, Codable, Sendable, CaseIterable {
        case none
        /// Each class weighs n / (2·nᶜ), as scikit-learn's `class_weight='balanced'`.
        case balanced
    }

    public var name: String
    public var kind: Kind
    public var target: String
    public var features: FeatureSpec
    /// L2 penalty on the standardised coefficients (see `GLMSolver`).
    public var l2: Double
    public var classWeight: ClassWeight
    /// Scores at or above it count as positive in precision, recall and F1.
    public var threshold: Double

    public init(
        name: String, kind: Kind, target: String, features: FeatureSpec, l2: Double = 1,
        classWeight: ClassWeight = .none, threshold: Double = 0.5
    ) {
        self.name = name
        self.kind = kind
        self.target = target
        self.features = features
        self.l2 = l2
        self.classWeight = classWeight
        self.threshold = threshold
    }
}
