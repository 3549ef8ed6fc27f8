/// Which columns a model learns from and how each becomes numbers: the declaration, before any data.
public struct FeatureSpec: Codable, Sendable, Equatable {
    /// What to do with a NULL in a numeric feature.
    public enum MissingValues: String, Codable, Sendable, CaseIterable {
        /// NULL is an error naming the row: the column should never be empty.
        case fail
        /// NULL becomes the training mean, and a `<name>_missing` 0/1 column says it was NULL.
        case mean
        /// NULL becomes 0, with the same indicator column.
        case zero
    }

    /// A change of scale applied before imputation and standardisation.
    public enum Transform: String, Codable, Sendable, CaseIterable {
        case none
        /// log(1 + x), for counts and amounts with long right tails (x must be ≥ 0): one huge
        /// customer otherwise dominates a log-link model's predictions.
        case log
    }

    public struct Numeric: Codable, Sendable, Equatable {
        public var name: String
        public var missing: MissingValues
        public var transform: Transform
        public init(_ name: String, missing: MissingValues = .fail, transform: Transform = .none) {
            self.name = name
            self.missing = missing
            self.transform = transform
        }
    }

    public var numeric: [Numeric]
    public var categorical: [String]
    /// A category seen fewer times than this in training shares the `(other)` column with the
    /// categories first seen when scoring.
    public var minCategoryCount: Int

    public init(numeric: [Numeric], categorical: [String] = [], minCategoryCount: Int = 1) {
        self.numeric = numeric
        self.categorical = categorical
        self.minCategoryCount = max(1, minCategoryCount)
    }

    /// Every column the spec reads.
    public var columns: [String] { numeric.map(\.name) + categorical }
}

/// The rows of encoded features, row-major and contiguous: one pass over it per Newton step.
public struct DesignMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public internal(set) var values: [Double]

    /// How many trailing columns are known to hold only 0s and 1s (one-hot levels and missing
    /// indicators, as the encoder lays them out); nil when unknown.
    public let binaryColumns: Int?

    public init(rows: Int, columns: Int, values: [Double], binaryColumns: Int? = nil) {
        precondition(values.count == rows * columns, "DesignMatrix: \(values.count) values for \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.values = values
        self.binaryColumns = binaryColumns
    }

    public subscript(row: Int, column: Int) -> Double { values[row * columns + column] }
}
