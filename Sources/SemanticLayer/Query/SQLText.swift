import WarehouseKit

/// The SQL spellings the planner needs, per engine. DuckDB and PostgreSQL agree on most; where
/// they differ (type names) the dialect says.
struct SQLText {
    let dialect: SQLDialect

    static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// The period containing `expr`, as a date for day and coarser grains (both engines'
    /// `date_trunc` give a timestamp for some inputs; a date reads and compares the same way).
    func truncate(_ expr: String, to grain: TimeGranularity) -> String {
        let truncated = "date_trunc('\(grain.rawValue)', \(expr))"
        return grain == .hour ? "cast(\(truncated) as timestamp)" : "cast(\(truncated) as date)"
    }

    func interval(_ window: TimeWindow) -> String {
        "interval '\(window.count) \(window.granularity.rawValue)'"
    }

    /// `date - interval`, back to a date.
    func subtract(_ window: TimeWindow, from expr: String) -> String {
        "cast(\(expr) - \(interval(window)) as date)"
    }

    func asDouble(_ expr: String) -> String { "cast(\(expr) as \(dialect.doubleTypeName))" }

    func aggregate(_ measure: Measure, _ column: String) -> String {
        switch measure.agg {
        case .sum: return "sum(\(column))"
        // MetricFlow's spellings: 0 rather than NULL for a group whose values are all NULL.
        case .count: return "sum(case when \(column) is not null then 1 else 0 end)"
        case .countDistinct: return "count(distinct \(column))"
        case .average: return "avg(\(column))"
        case .min: return "min(\(column))"
        case .max: return "max(\(column))"
        case .sumBoolean: return "sum(case when \(column) then 1 else 0 end)"
        case .median, .percentile:
            let function = measure.useDiscretePercentile ? "percentile_disc" : "percentile_cont"
            return "\(function)(\(measure.percentile ?? 0.5)) within group (order by \(column))"
        }
    }
}
