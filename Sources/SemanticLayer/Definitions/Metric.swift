import TransformProject

/// A metric: the one place a number is defined (dbt's `metrics:` entry).
public struct Metric: Sendable {
    public var name: String
    public var label: String?
    public var description: String
    public var kind: Kind
    /// `filter:` expressions, Jinja with `{{ Dimension('entity__name') }}` and friends; all apply.
    public var filters: [String]
    public var location: SourceLocation

    public enum Kind: Sendable {
        /// One measure, aggregated.
        case simple(MeasureInput)
        /// Numerator ÷ denominator, each aggregated on its own first.
        case ratio(numerator: MetricInput, denominator: MetricInput)
        /// An expression over other metrics, which may be shifted in time.
        case derived(expr: String, inputs: [MetricInput])
        /// A running total over a trailing window, to the start of a grain, or over all time.
        case cumulative(MeasureInput, window: TimeWindow?, grainToDate: TimeGranularity?, periodAgg: PeriodAggregation)
    }

    public var typeName: String {
        switch kind {
        case .simple: return "simple"
        case .ratio: return "ratio"
        case .derived: return "derived"
        case .cumulative: return "cumulative"
        }
    }
}

/// A measure as a simple or cumulative metric takes it.
public struct MeasureInput: Sendable {
    public var name: String
    public var filters: [String]
    /// Shown instead of NULL where the measure has no rows (`fill_nulls_with`).
    public var fillNullsWith: Double?
    /// Every period of the time spine appears, even without rows (`join_to_timespine`).
    public var joinToTimeSpine: Bool
}

/// A metric as a ratio or derived metric takes it.
public struct MetricInput: Sendable {
    public var name: String
    public var alias: String?
    public var filters: [String]
    /// The input's value from this far back (`offset_window: 1 year`).
    public var offsetWindow: TimeWindow?
    /// The input's value at the start of this grain (`offset_to_grain: month`).
    public var offsetToGrain: TimeGranularity?
    /// The name the derived metric's `expr` uses for this input.
    public var referenceName: String { alias ?? name }
}

/// `7 days`, `1 month`, `1 year`.
public struct TimeWindow: Sendable, Hashable, CustomStringConvertible {
    public var count: Int
    public var granularity: TimeGranularity
    public var description: String { "\(count) \(granularity.rawValue)\(count == 1 ? "" : "s")" }

    /// Reads `7 days`, `1 year`, `2 weeks`; nil for anything else.
    public init?(parsing text: String) {
        let parts = text.lowercased().split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let count = Int(parts[0]), count > 0 else { return nil }
        var unit = String(parts[1])
        if unit.hasSuffix("s") { unit.removeLast() }
        guard let granularity = TimeGranularity(rawValue: unit) else { return nil }
        self.count = count
        self.granularity = granularity
    }

    public init(count: Int, granularity: TimeGranularity) {
        self.count = count
        self.granularity = granularity
    }
}

/// How a cumulative metric's daily values become one value per coarser period.
public enum PeriodAggregation: String, Sendable {
    case first, last, average
}

/// A named query kept in the project (`saved_queries:`), runnable by name.
public struct SavedQuery: Sendable {
    public var name: String
    public var label: String?
    public var description: String
    public var metrics: [String]
    public var groupBy: [String]
    public var filters: [String]
    public var location: SourceLocation
}

/// The project's time spine: one row per day, so running totals and offsets have every day.
public struct TimeSpine: Sendable {
    public var relation: QualifiedRelation
    public var dayColumn: String
    public var location: SourceLocation
}
