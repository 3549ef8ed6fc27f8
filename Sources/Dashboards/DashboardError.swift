/// What went wrong turning query results into a dashboard, and what to do about it.
public enum DashboardError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A chart names a column the result does not have.
    case unknownColumn(String, available: [String])
    /// Splitting into series by a column's values needs exactly one measure to split.
    case splitNeedsOneMeasure(splitBy: String, measures: [String])
    /// A chart that plots measures was given none.
    case noMeasures

    /// What went wrong and what to do, for the person reading the error.
    public var description: String {
        switch self {
        case .unknownColumn(let name, let available):
            return "the result has no column '\(name)'; it has: \(available.joined(separator: ", ")). Check the chart's column names against the query."
        case .splitNeedsOneMeasure(let split, let measures):
            return "splitting by '\(split)' needs exactly one measure, but \(measures.count) were given (\(measures.joined(separator: ", "))). Chart one measure, or drop the split."
        case .noMeasures:
            return "the chart names no measure columns; give at least one y column."
        }
    }
}
