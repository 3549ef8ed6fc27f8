/// A column of a planned common table expression: the query's group columns and this value.
struct AggregateColumn: Hashable {
    var cte: String
    var column: String
}

/// The rows a measure is aggregated from (a model's rows with their joins, filters and
/// groups), without the measure itself. Measures of one model asked for together usually read
/// the same rows: net revenue, orders and net orders for the same months and segments. They
/// are aggregated in one scan and join, each into a column of its own, instead of one scan per
/// measure — as MetricFlow aggregates the measures of one source together.
struct SharedScan: Hashable {
    /// `expr as "name"` for every column before aggregation.
    var columns: [String]
    /// The model's relation with its joins (and a time spine for a running total), before any
    /// measure's column is added to the model's subquery.
    var from: String
    var conditions: [String]
    /// The group columns, quoted.
    var groups: [String]

    struct Measure {
        var definition: SemanticLayer.Measure
        /// The aggregate over a column name: `sum(x)`, `count(distinct x)` …
        var aggregate: (String) -> String
    }

    /// The first measure keeps the names a scan of one measure has (`__measure`, `value`).
    static func valueColumn(_ position: Int) -> String { position == 0 ? "value" : "value_\(position + 1)" }
    static func inputColumn(_ position: Int) -> String { position == 0 ? "\"__measure\"" : "\"__measure_\(position + 1)\"" }

    /// The scan's SQL with every measure's column: `scope` is the source scope the scan was
    /// first planned with, which adds each measure to its model's subquery.
    func render(_ measures: [Measure], scope: SourceScope, spineJoin: String) -> String {
        let inputs = measures.enumerated().map { "\(scope.measureColumn($0.element.definition)) as \(SharedScan.inputColumn($0.offset))" }
        let base = "select\n  \((columns + inputs).joined(separator: ",\n  "))\n\(scope.fromClause())\(spineJoin)"
        let rows = "(\(base)) b" + (conditions.isEmpty ? "" : "\nwhere " + conditions.joined(separator: " and "))
        let values = measures.enumerated().map { "\($0.element.aggregate(SharedScan.inputColumn($0.offset))) as \(SharedScan.valueColumn($0.offset))" }
        return "select " + (groups + values).joined(separator: ", ")
            + "\nfrom " + rows + (groups.isEmpty ? "" : "\ngroup by " + groups.joined(separator: ", "))
    }
}
