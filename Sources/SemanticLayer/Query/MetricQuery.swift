import WarehouseKit

/// A metrics query, in the shape of MetricFlow's `mf query`: metrics by names, grouped by
/// dimensions, filtered, ordered and limited.
///
/// ```swift
/// let query = MetricQuery(metrics: ["revenue", "orders"], groupBy: ["metric_time__month", "customer__segment"],
///                         filters: ["{{ Dimension('customer__segment') }} = 'VIP'"], orderBy: ["-metric_time__month"])
/// ```
public struct MetricQuery: Sendable, Hashable {
    public var metrics: [String]
    public var groupBy: [String]
    /// `--where`: Jinja filters over dimensions, all applied to every metric's rows.
    public var filters: [String]
    /// Group-by or metric names; a leading `-` sorts descending.
    public var orderBy: [String]
    public var limit: Int?
    /// Inclusive bounds on `metric_time` (`2024-01-01` or an ISO timestamp), widened to whole
    /// periods of the query's grain.
    public var startTime: String?
    public var endTime: String?
    /// Dimension → the values to keep, for filters whose values come from people (a dashboard's
    /// filter bar, a clicked bar): the values are bound as SQL literals, never read as Jinja or SQL.
    public var dimensionValues: [String: [String]]

    public init(metrics: [String], groupBy: [String] = [], filters: [String] = [], orderBy: [String] = [],
                limit: Int? = nil, startTime: String? = nil, endTime: String? = nil, dimensionValues: [String: [String]] = [:])
    {
        self.dimensionValues = dimensionValues
        self.metrics = metrics
        self.groupBy = groupBy
        self.filters = filters
        self.orderBy = orderBy
        self.limit = limit
        self.startTime = startTime
        self.endTime = endTime
    }
}

/// The SQL for a query and what its columns are.
public struct MetricQueryPlan: Sendable {
    public struct Column: Sendable, Hashable {
        public enum Role: String, Sendable { case groupBy = "group_by", metric }
        public var name: String
        public var role: Role
        public var label: String
        /// For group-by columns on time: the grain.
        public var grain: TimeGranularity?
    }

    public var sql: String
    public var columns: [Column]
}
