/// Columns of feature rows as read from the warehouse: numbers (NULL as nil) or category labels.
/// The learning code never reads a warehouse itself; the CLI fills a `FeatureTable` and hands it over.
public struct FeatureTable: Sendable {
    public enum Column: Sendable, Equatable {
        case numbers([Double?])
        case labels([String?])

        var count: Int {
            switch self {
            case let .numbers(values): return values.count
            case let .labels(values): return values.count
            }
        }
    }

    /// Where the rows came from, for error messages (`analytics.churn_features`).
    public let name: String
    public private(set) var columns: [String: Column]
    public private(set) var columnOrder: [String]
    public let rowCount: Int

    /// - Precondition: every column holds `rowCount` values.
    public init(name: String, columns: [(String, Column)]) {
        self.name = name
        self.columnOrder = columns.map(\.0)
        self.columns = Dictionary(columns, uniquingKeysWith: { first, _ in first })
        self.rowCount = columns.first?.1.count ?? 0
        precondition(columns.allSatisfy { $0.1.count == rowCount }, "FeatureTable \(name): columns of different lengths")
    }

    /// The numbers of `column`; booleans and integers arrive as numbers too.
    public func numbers(_ column: String) throws -> [Double?] {
        switch try self.column(column) {
        case let .numbers(values): return values
        case let .labels(values):
            // A numeric feature stored as text ('12.5') still reads; anything else is a wrong type.
            return try values.enumerated().map { row, label in
                guard let label else { return nil }
                guard let value = Double(label) else {
                    throw LearningError.invalidFeature(table: name, column: column, row: row + 1, detail: "is '\(label)', not a number")
                }
                return value
            }
        }
    }

    /// The labels of `column`; numbers are written as text so a numeric code can be a category.
    public func labels(_ column: String) throws -> [String?] {
        switch try self.column(column) {
        case let .labels(values): return values
        case let .numbers(values): return values.map { $0.map { $0.rounded() == $0 ? String(Int($0)) : String($0) } }
        }
    }

    public func column(_ column: String) throws -> Column {
        guard let found = columns[column] else {
            throw LearningError.missingColumn(table: name, column: column, available: columnOrder)
        }
        return found
    }

    /// The rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> FeatureTable {
        FeatureTable(name: name, columns: columnOrder.map { name in
            switch columns[name]! {
            case let .numbers(values): return (name, .numbers(indices.map { values[$0] }))
            case let .labels(values): return (name, .labels(indices.map { values[$0] }))
            }
        })
    }
}
