import Foundation
import SemanticLayer
import TransformProject
import WarehouseKit

/// The SQL a tile needs for a dashboard state, by role: `main` for every tile; KPIs add
/// `previous` (the same span just before) and `trend` (by the dashboard's grain). Pure.
public struct TilePlanner: Sendable {
    public let semantics: SemanticManifest
    public let dialect: SQLDialect
    public let models: [String: QualifiedRelation]
    let catalogue: MetricCatalogue

    public init(semantics: SemanticManifest, dialect: SQLDialect, models: [String: QualifiedRelation]) {
        self.semantics = semantics
        self.dialect = dialect
        self.models = models
        self.catalogue = MetricCatalogue(semantics)
    }

    public struct PlannedTile: Sendable {
        public var tile: Tile
        /// Role → (SQL, column roles from the metrics plan; empty for SQL tiles).
        public var queries: [String: PlannedQuery]
        /// Dashboard filters that could not apply to this tile.
        public var unappliedFilters: [String]
    }

    public struct PlannedQuery: Sendable {
        public var sql: String
        public var columns: [MetricQueryPlan.Column]
    }

    public func plan(_ tile: Tile, in dashboard: Dashboard, state: DashboardState) throws -> PlannedTile {
        var queries: [String: PlannedQuery] = [:]
        let planner = MetricQueryPlanner(semantics, dialect: dialect)
        switch tile.source {
        case .sql(let text):
            let sql = try TileQuery.renderSQL(text, tile: tile, models: models, range: (state.start, state.end))
            queries["main"] = PlannedQuery(sql: sql, columns: [])
        case .metrics:
            guard var query = try TileQuery.metricQuery(for: tile, in: dashboard, state: state, catalogue: catalogue) else { break }
            if tile.kind == .kpi {
                // The headline is the whole range's value; the trend and the previous span give context.
                query.groupBy = []
                let main = try planner.plan(query)
                queries["main"] = PlannedQuery(sql: main.sql, columns: main.columns)
                if let previous = Self.previousSpan(start: state.start, end: state.end) {
                    var before = query
                    before.startTime = previous.start
                    before.endTime = previous.end
                    let plan = try planner.plan(before)
                    queries["previous"] = PlannedQuery(sql: plan.sql, columns: plan.columns)
                }
                var trend = query
                trend.groupBy = ["metric_time__\((state.grain ?? dashboard.grain).rawValue)"]
                if let plan = try? planner.plan(trend) { queries["trend"] = PlannedQuery(sql: plan.sql, columns: plan.columns) }
            } else {
                let plan = try planner.plan(query)
                queries["main"] = PlannedQuery(sql: plan.sql, columns: plan.columns)
            }
        }
        return PlannedTile(tile: tile, queries: queries, unappliedFilters: TileQuery.unappliedFilters(for: tile, state: state, catalogue: catalogue))
    }

    /// The query whose answer is the latest day with data for a dashboard (its first metric),
    /// from which a default range of "the last N days" counts back.
    public func latestDayQuery(for dashboard: Dashboard) -> String? {
        for tile in dashboard.tiles {
            guard let metric = tile.metricNames.first,
                  let plan = try? MetricQueryPlanner(semantics, dialect: dialect).plan(
                    MetricQuery(metrics: [metric], groupBy: ["metric_time__day"], orderBy: ["-metric_time__day"], limit: 1)) else { continue }
            return plan.sql
        }
        return nil
    }

    /// Values a filter offers: the dimension's values as the dashboard's first metric that reaches it sees them.
    public func filterValuesQuery(for filter: DashboardFilter, in dashboard: Dashboard) -> String? {
        for tile in dashboard.tiles where !tile.metricNames.isEmpty {
            for metric in tile.metricNames {
                guard (try? catalogue.dimensions(of: [metric]).contains { $0.name == filter.dimension }) == true,
                      let plan = try? MetricQueryPlanner(semantics, dialect: dialect).plan(
                        MetricQuery(metrics: [metric], groupBy: [filter.dimension], orderBy: [filter.dimension], limit: 200)) else { continue }
                return plan.sql
            }
        }
        return nil
    }

    /// The span of the same length just before `start…end` (inclusive days), or nil when open.
    public static func previousSpan(start: String?, end: String?) -> (start: String, end: String)? {
        guard let start, let end, let first = CivilDate(iso: start), let last = CivilDate(iso: end), last >= first else { return nil }
        let length = last.daysSinceEpoch - first.daysSinceEpoch + 1
        return (first.adding(days: -length).description, first.adding(days: -1).description)
    }
}
