import TransformProject

/// Where a definition was written, for messages: `models/semantic/orders.yml:12`.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }
    public var description: String { line > 0 ? "\(file):\(line)" : file }
}

/// Calendar grains, finest first. Their raw values are how dbt's YAML and query names spell them.
public enum TimeGranularity: String, Sendable, CaseIterable, Comparable {
    case hour, day, week, month, quarter, year

    private var rank: Int { TimeGranularity.allCases.firstIndex(of: self)! }
    public static func < (a: TimeGranularity, b: TimeGranularity) -> Bool { a.rank < b.rank }
}

/// A semantic model: one dbt model described as entities, dimensions and measures
/// (dbt's `semantic_models:` entry, as MetricFlow reads it).
public struct SemanticModel: Sendable {
    public var name: String
    public var description: String
    /// The dbt model it reads (`model: ref('fact_orders')`) and where that model is built.
    public var modelName: String
    public var relation: QualifiedRelation
    /// The time dimension measures aggregate over unless a measure names its own.
    public var defaultAggTimeDimension: String?
    public var entities: [Entity]
    public var dimensions: [Dimension]
    public var measures: [Measure]
    /// `primary_entity:` — a name for the model's rows when no column identifies them (a daily
    /// table): dimensions are named through it, nothing joins on it.
    public var declaredPrimaryEntity: String?
    public var location: SourceLocation

    public var primaryEntity: Entity? { entities.first { $0.type == .primary } ?? entities.first { $0.type == .natural } }

    /// Whether `name` names this model's own rows (its primary, unique or natural entity, or its
    /// declared `primary_entity`), so `name__dimension` is one of its local dimensions.
    public func isOwnEntity(_ name: String) -> Bool {
        name == declaredPrimaryEntity || entity(named: name)?.isOneRowPerValue == true
    }
    public func entity(named name: String) -> Entity? { entities.first { $0.name == name } }
    public func dimension(named name: String) -> Dimension? { dimensions.first { $0.name == name } }
}

/// A key of a semantic model, used to join models (MetricFlow's entity types).
public struct Entity: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// One row per value, every value present.
        case primary
        /// At most one row per value.
        case unique
        /// Many rows may share a value: a reference to another model's primary entity.
        case foreign
        /// One row per value at a point in time (slowly changing dimensions).
        case natural
    }
    public var name: String
    public var type: Kind
    /// SQL over the model's columns; the name itself when not given.
    public var expr: String
    public var location: SourceLocation

    /// Joining to a model on this entity gives at most one row per key.
    public var isOneRowPerValue: Bool { type == .primary || type == .unique || type == .natural }
}

public struct Dimension: Sendable {
    public enum Kind: String, Sendable { case categorical, time }
    public var name: String
    public var type: Kind
    public var expr: String
    public var label: String?
    public var description: String
    /// For time dimensions: the finest grain the column holds.
    public var timeGranularity: TimeGranularity?
    public var location: SourceLocation
}

/// How a measure aggregates its rows (MetricFlow's `agg:`).
public enum Aggregation: String, Sendable, CaseIterable {
    case sum, count, countDistinct = "count_distinct", average, min, max, sumBoolean = "sum_boolean", median, percentile

    /// Partial results cannot be re-aggregated (an average of averages is not an average).
    public var isAdditive: Bool { self == .sum || self == .count || self == .sumBoolean }
}

public struct Measure: Sendable {
    public var name: String
    public var agg: Aggregation
    public var expr: String
    public var label: String?
    public var description: String
    /// Overrides the model's `defaults.agg_time_dimension`.
    public var aggTimeDimension: String?
    /// `agg_params.percentile` (0…1) and `use_discrete_percentile`, for percentile measures.
    public var percentile: Double?
    public var useDiscretePercentile: Bool
    /// A semi-additive measure (a balance, a count of active things): only the rows at the
    /// first or last value of this time dimension count, per group.
    public var nonAdditiveDimension: NonAdditiveDimension?
    public var location: SourceLocation
}

public struct NonAdditiveDimension: Sendable {
    public enum WindowChoice: String, Sendable { case min, max }
    public var name: String
    public var windowChoice: WindowChoice
    /// Entities within which the first/last rows are taken (e.g. each customer's latest balance).
    public var windowGroupings: [String]
}
