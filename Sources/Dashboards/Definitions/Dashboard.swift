import SemanticLayer

/// A dashboard as code (`dashboards:` in a project's YAML): a title, the filters that apply to
/// every tile, a default date range and grain, and tiles that each show one query.
public struct Dashboard: Sendable {
    public var name: String
    public var title: String
    public var description: String
    /// The grain `metric_time` takes until the reader zooms (day, week, month, quarter, year).
    public var grain: TimeGranularity
    /// The default date range: the last this-many days up to the latest day with data; nil = all time.
    public var rangeDays: Int?
    public var filters: [DashboardFilter]
    public var tiles: [Tile]
    public var location: SourceLocation
    /// Related pages on this server, shown under the description
    /// (`links: [{title: Model graph, href: /models/graph}]`).
    public var links: [DashboardLink] = []

    public func tile(named name: String) -> Tile? { tiles.first { $0.name == name } }
}

/// A link from a dashboard's header to another page of the server.
public struct DashboardLink: Sendable, Hashable {
    public var title: String
    /// A path on this server, starting with `/`.
    public var href: String
}

/// A dimension the reader can filter every tile by (each tile whose metrics reach it).
public struct DashboardFilter: Sendable, Hashable {
    /// `customer__segment`.
    public var dimension: String
    public var label: String
}

/// One chart or table of a dashboard.
public struct Tile: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case kpi, line, bar, stackedBar = "stacked_bar", table, funnel, heatmap, distribution
    }

    public enum Source: Sendable {
        /// A metrics query; `metric_time` in `groupBy` follows the dashboard's grain.
        case metrics(metrics: [String], groupBy: [String], filters: [String], orderBy: [String], limit: Int?)
        /// A named SQL query over the marts, `{{ ref('model') }}` for relations and
        /// `{{ date_range('column') }}` for the dashboard's date range.
        case sql(String)
    }

    public var name: String
    public var title: String
    public var description: String
    public var kind: Kind
    public var source: Source
    /// Share of the row the tile takes: 1 (full), 2 (half), 3 (third).
    public var columnsPerRow: Int
    /// For bars: horizontal bars read better with long category names.
    public var horizontal: Bool
    /// For SQL tiles: which columns play which part (`x`, `y`, `split`; `cohort`, `period`,
    /// `value` for heatmaps).
    public var columns: [String: String]
    /// For tables: column → link for its cells, `{value}` standing for the cell's value
    /// (`links: {customer_id: /customers/{value}}`).
    public var links: [String: String] = [:]
    /// How numbers read: number, integer, currency, percent, days, hours.
    public var format: String
    /// For KPIs: whether a rise is good news (revenue) or bad (return rate).
    public var higherIsBetter: Bool
    public var location: SourceLocation

    /// The metrics a metrics tile shows.
    public var metricNames: [String] {
        if case .metrics(let metrics, _, _, _, _) = source { return metrics }
        return []
    }
}
