import Foundation

/// A fitted encoding of a `FeatureSpec`: numeric features imputed and standardised with the
/// training rows' mean and (population) standard deviation, categories one-hot over the levels
/// seen in training. Stored inside the model so scoring encodes rows exactly as training did.
public struct FeatureEncoder: Codable, Sendable, Equatable {
    public struct NumericScaling: Codable, Sendable, Equatable {
        public let name: String
        public let transform: FeatureSpec.Transform
        public let missing: FeatureSpec.MissingValues
        /// The value a NULL becomes (training mean, or 0).
        public let fill: Double
        /// Whether a `<name>_missing` column follows: training saw NULLs here.
        public let indicator: Bool
        public let mean: Double
        /// Standard deviation of the filled training values; 1 when the column is constant.
        public let scale: Double
    }

    public struct CategoryLevels: Codable, Sendable, Equatable {
        public let name: String
        /// Levels with a column each, sorted; NULL is the level `(missing)`.
        public let levels: [String]
        /// Whether training held rare levels, which (with unseen ones) share an `(other)` column.
        public let hasOther: Bool

        /// Finds a label's column among the levels: a few levels are compared one by one (cheaper
        /// than hashing every row's label), many are looked up in a dictionary.
        func positionOfLevel() -> (String) -> Int? {
            let levels = self.levels
            guard levels.count > 16 else { return { label in levels.firstIndex(of: label) } }
            let index = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, $0) })
            return { index[$0] }
        }
    }

    public static let missingLevel = "(missing)"
    public static let otherLevel = "(other)"

    public let numeric: [NumericScaling]
    public let categorical: [CategoryLevels]

    /// The encoded columns' names, in the design matrix's order: numbers, then missing
    /// indicators, then `category=level` one-hot columns.
    public var featureNames: [String] {
        numeric.map(\.name) + numeric.filter(\.indicator).map { "\($0.name)_missing" }
            + categorical.flatMap { levels in
                levels.levels.map { "\(levels.name)=\($0)" } + (levels.hasOther ? ["\(levels.name)=\(Self.otherLevel)"] : [])
            }
    }

    /// Learns means, scales and levels from the training rows.
    public static func fit(_ spec: FeatureSpec, on table: FeatureTable) throws -> FeatureEncoder {
        try fit(spec, on: table, numericInputs: spec.numeric.map { try transformed(table, $0.name, $0.transform) })
    }

    /// Learns the encoding from the training rows and encodes them: each numeric column is
    /// transformed once for both.
    public static func fitAndEncode(_ spec: FeatureSpec, on table: FeatureTable) throws -> (FeatureEncoder, DesignMatrix) {
        let inputs = try spec.numeric.map { try transformed(table, $0.name, $0.transform) }
        let encoder = try fit(spec, on: table, numericInputs: inputs)
        return (encoder, try encoder.encode(table, numericInputs: inputs))
    }

    /// - Parameter numericInputs: each numeric feature's values after its transform, in `spec.numeric`'s order.
    private static func fit(_ spec: FeatureSpec, on table: FeatureTable, numericInputs: [[Double?]]) throws -> FeatureEncoder {
        guard table.rowCount > 0 else { throw LearningError.emptyTable(table: table.name) }
        let numeric = try zip(spec.numeric, numericInputs).map { feature, values -> NumericScaling in
            var sum = 0.0, present = 0
            for (row, value) in values.enumerated() {
                guard let value else {
                    if feature.missing == .fail { throw LearningError.nullFeature(table: table.name, column: feature.name, row: row + 1) }
                    continue
                }
                guard value.isFinite else { throw LearningError.nonFiniteFeature(table: table.name, column: feature.name, row: row + 1, value: value) }
                sum += value
                present += 1
            }
            let fill = feature.missing == .zero ? 0 : (present > 0 ? sum / Double(present) : 0)
            // Two passes over the filled values: the mean, then squared deviations from it (stable).
            var filledSum = 0.0
            for value in values { filledSum += value ?? fill }
            let mean = filledSum / Double(values.count)
            var squares = 0.0
            for value in values { let d = (value ?? fill) - mean; squares += d * d }
            let deviation = (squares / Double(values.count)).squareRoot()
            return NumericScaling(
                name: feature.name, transform: feature.transform, missing: feature.missing, fill: fill, indicator: present < values.count,
                mean: mean, scale: deviation > 1e-12 * max(1, abs(mean)) ? deviation : 1)
        }
        let categorical = try spec.categorical.map { name -> CategoryLevels in
            var counts: [String: Int] = [:]
            for label in try table.labels(name) { counts[label ?? missingLevel, default: 0] += 1 }
            let kept = counts.filter { $0.value >= spec.minCategoryCount }.keys.sorted()
            return CategoryLevels(name: name, levels: kept, hasOther: kept.count < counts.count)
        }
        return FeatureEncoder(numeric: numeric, categorical: categorical)
    }

    /// The column's numbers after `transform`; a value the transform cannot take names its row.
    static func transformed(_ table: FeatureTable, _ column: String, _ transform: FeatureSpec.Transform) throws -> [Double?] {
        let values = try table.numbers(column)
        guard transform == .log else { return values }
        return try values.enumerated().map { row, value in
            guard let value else { return nil }
            guard value >= 0 || value.isNaN else {
                throw LearningError.invalidFeature(table: table.name, column: column, row: row + 1, detail: "is \(value); `transform: log` takes amounts ≥ 0")
            }
            return log1p(value)
        }
    }

    /// Encodes `table` with the training statistics. A NULL where the feature declares `fail`, a
    /// non-finite number or a missing column is an error naming the column and row.
    public func encode(_ table: FeatureTable) throws -> DesignMatrix {
        try encode(table, numericInputs: numeric.map { try Self.transformed(table, $0.name, $0.transform) })
    }

    private func encode(_ table: FeatureTable, numericInputs: [[Double?]]) throws -> DesignMatrix {
        let width = featureNames.count
        let rows = table.rowCount
        var values = [Double](repeating: 0, count: rows * width)
        // Numbers are checked and scaled column by column (an error names the first bad row of
        // the first bad column), then laid into the rows block by block: writing a whole column
        // down a row-major matrix at once would stream it through the cache once per feature.
        var scaled: [[Double]] = []
        scaled.reserveCapacity(numeric.count)
        var indicatorColumn = numeric.count
        for (feature, input) in zip(numeric, numericInputs) {
            let (column, missingRows) = try Self.scale(input, feature, table: table)
            if feature.indicator {
                for row in missingRows { values[row * width + indicatorColumn] = 1 }
                indicatorColumn += 1
            }
            scaled.append(column)
        }
        values.withUnsafeMutableBufferPointer { out in
            for blockStart in stride(from: 0, to: rows, by: 64) {
                let block = blockStart..<min(rows, blockStart + 64)
                for (index, column) in scaled.enumerated() {
                    column.withUnsafeBufferPointer { column in
                        for row in block { out[row * width + index] = column[row] }
                    }
                }
            }
        }
        var column = indicatorColumn
        for levels in categorical {
            let positions = try Self.levelColumns(table, levels)
            for row in 0..<rows where positions[row] >= 0 { values[row * width + column + positions[row]] = 1 }
            column += levels.levels.count + (levels.hasOther ? 1 : 0)
        }
        return DesignMatrix(rows: rows, columns: width, values: values, binaryColumns: width - numeric.count)
    }

    /// The linear predictor of every row of `table`, as `coefficients.linearPredictors(encode(table))`
    /// gives it to the bit (the same terms added in the same order, a one-hot column's zeros
    /// adding nothing), without laying out the encoded rows: column by column into one array.
    public func linearPredictors(_ table: FeatureTable, coefficients: GLMCoefficients) throws -> [Double] {
        precondition(featureNames.count == coefficients.weights.count, "encoder has \(featureNames.count) columns, model \(coefficients.weights.count)")
        let rows = table.rowCount
        let weights = coefficients.weights
        var eta = [Double](repeating: coefficients.intercept, count: rows)
        var missing: [[Int]] = []
        for (index, feature) in numeric.enumerated() {
            let (column, missingRows) = try Self.scale(try Self.transformed(table, feature.name, feature.transform), feature, table: table)
            if feature.indicator { missing.append(missingRows) }
            let weight = weights[index]
            for row in 0..<rows { eta[row] += weight * column[row] }
        }
        var column = numeric.count
        for missingRows in missing {
            let weight = weights[column]
            for row in missingRows { eta[row] += weight }
            column += 1
        }
        for levels in categorical {
            let positions = try Self.levelColumns(table, levels)
            for row in 0..<rows where positions[row] >= 0 { eta[row] += weights[column + positions[row]] }
            column += levels.levels.count + (levels.hasOther ? 1 : 0)
        }
        return eta
    }

    /// One numeric feature's values filled and standardised, and the rows that were NULL. A NULL
    /// where the feature declares `fail` or a non-finite number is an error naming the row.
    private static func scale(_ input: [Double?], _ feature: NumericScaling, table: FeatureTable) throws -> ([Double], [Int]) {
        var column = [Double](repeating: 0, count: input.count)
        var missingRows: [Int] = []
        for row in input.indices {
            let value: Double
            if let present = input[row] {
                guard present.isFinite else {
                    throw LearningError.nonFiniteFeature(table: table.name, column: feature.name, row: row + 1, value: present)
                }
                value = present
            } else {
                if feature.missing == .fail { throw LearningError.nullFeature(table: table.name, column: feature.name, row: row + 1) }
                value = feature.fill
                missingRows.append(row)
            }
            column[row] = (value - feature.mean) / feature.scale
        }
        return (column, missingRows)
    }

    /// Each row's one-hot column within the category's block (its level, or `(other)`), or -1
    /// for a label seen in no column (an unseen level where training had no rare ones).
    private static func levelColumns(_ table: FeatureTable, _ levels: CategoryLevels) throws -> [Int] {
        let input = try table.labels(levels.name)
        let position = levels.positionOfLevel()
        return input.map { label in
            if let found = position(label ?? missingLevel) { return found }
            return levels.hasOther ? levels.levels.count : -1
        }
    }
}
