import Foundation

/// The rows behind a metric: the rows of the semantic model its (first) measure aggregates,
/// kept where the query's date range, filters and chosen dimension values hold. A dashboard's
/// "rows" link reads them, so a reader can see what a bar or a number was made of.
///
/// ```swift
/// let plan = try MetricQueryPlanner(semantics, dialect: .duckdb).rows(MetricRowsQuery(
///     metric: "revenue", columns: ["order_id", "customer_id", "amount"],
///     startTime: "2024-01-01", endTime: "2024-01-31", dimensionValues: ["customer__segment": ["VIP"]]))
/// // plan.sql: the model's columns, filtered, newest first, 500 rows; plan.countSQL: how many match
/// ```
public struct MetricRowsQuery: Sendable, Hashable {
    public var metric: String
    /// The model's columns as the warehouse has them, in order: the rows show these.
    public var columns: [String]
    /// Inclusive days on the measure's aggregation time dimension.
    public var startTime: String?
    public var endTime: String?
    /// Dimension → values to keep (bound as SQL literals, never read as SQL or Jinja).
    public var dimensionValues: [String: [String]]
    /// Jinja filters over dimensions (a tile's `where:`), as `--where` takes them.
    public var filters: [String]
    public var limit: Int?
    public var offset: Int

    public init(metric: String, columns: [String], startTime: String? = nil, endTime: String? = nil,
                dimensionValues: [String: [String]] = [:], filters: [String] = [], limit: Int? = 500, offset: Int = 0) {
        self.metric = metric
        self.columns = columns
        self.startTime = startTime
        self.endTime = endTime
        self.dimensionValues = dimensionValues
        self.filters = filters
        self.limit = limit
        self.offset = offset
    }
}

/// The SQL for a metric's rows, and what could and could not be applied to them.
public struct MetricRowsPlan: Sendable {
    /// A filter the rows do not honour, and why (said on the page, so nobody reads unfiltered
    /// rows as filtered ones).
    public struct Unapplied: Sendable, Hashable {
        public var filter: String
        public var reason: String
    }

    public var model: SemanticModel
    /// The time dimension the date range applies to; nil when the model has none.
    public var timeDimension: String?
    /// The rows: the model's columns, filtered, newest first, limited and offset.
    public var sql: String
    /// One row, one column (`row_count`): how many rows match in all.
    public var countSQL: String
    /// Dimensions whose values were applied.
    public var appliedDimensions: [String]
    /// Jinja filters applied (the metric's own and the query's), as written.
    public var appliedFilters: [String]
    public var unapplied: [Unapplied]
}

extension MetricQueryPlanner {
    /// The semantic model whose rows a metric aggregates (its first measure's).
    public func rowsModel(of metricName: String) throws -> SemanticModel {
        let metric = try semantics.requireMetric(metricName)
        guard let measureName = semantics.measures(of: metric).first, let (model, _) = semantics.measure(named: measureName) else {
            throw SemanticError(.invalidDefinition, "metric '\(metricName)' reads no measure, so it has no rows to show", at: metric.location)
        }
        return model
    }

    /// The rows behind `query.metric`. Filters are joined in the way the metric's own query
    /// joins them (entities, one row per key, never fan-out); a dimension that cannot be reached
    /// from the model is reported in `unapplied`, not an error.
    public func rows(_ query: MetricRowsQuery) throws -> MetricRowsPlan {
        let metric = try semantics.requireMetric(query.metric)
        guard let measureName = semantics.measures(of: metric).first, let (model, measure) = semantics.measure(named: measureName) else {
            throw SemanticError(.invalidDefinition, "metric '\(query.metric)' reads no measure, so it has no rows to show", at: metric.location)
        }
        guard !query.columns.isEmpty else {
            throw SemanticError(.invalidQuery, "the rows of semantic model '\(model.name)' need its columns; none were given")
        }
        let sql = SQLText(dialect: dialect)
        let scope = SourceScope(semantics: semantics, root: model)
        var columns: [(name: String, expr: String)] = query.columns.map { ($0, scope.rootExpression(SQLText.quote($0), name: $0)) }
        var conditions: [String] = []
        var unapplied: [MetricRowsPlan.Unapplied] = []
        let timeName = measure.aggTimeDimension ?? model.defaultAggTimeDimension
        var day: String?
        var dayExpr = ""
        if let timeName {
            dayExpr = sql.truncate(try scope.rootTimeDimension(timeName).column, to: .day)
            columns.append(("metric_time__day", dayExpr))
            day = SQLText.quote("metric_time__day")
        }

        /// Makes `name` a column of the rows (joining what it needs); false when it cannot be reached.
        func expose(_ name: GroupByName) throws -> Bool {
            guard !columns.contains(where: { $0.name == name.description }) else { return true }
            if name.isMetricTime {
                guard day != nil else { return false }
                columns.append((name.description, sql.truncate(dayExpr, to: name.grain ?? .day)))
                return true
            }
            let resolved = try scope.resolve(name)
            var expr = resolved.column
            if let dimension = resolved.dimension, dimension.type == .time {
                expr = sql.truncate(expr, to: name.grain ?? dimension.timeGranularity ?? .day)
            }
            columns.append((name.description, expr))
            return true
        }
        func reason(_ error: Error) -> String { (error as? SemanticError)?.message ?? "\(error)" }

        if query.startTime != nil || query.endTime != nil {
            if let day {
                if let start = query.startTime {
                    conditions.append("\(day) >= \(sql.truncate("cast(\(SQLText.literal(try PlanBuilder.checkedTime(start))) as timestamp)", to: .day))")
                }
                if let end = query.endTime {
                    let last = sql.truncate("cast(\(SQLText.literal(try PlanBuilder.checkedTime(end))) as timestamp)", to: .day)
                    conditions.append("\(day) < cast(\(last) + interval '1 day' as date)")
                }
            } else {
                unapplied.append(.init(filter: "date range", reason: "semantic model '\(model.name)' has no time dimension to aggregate over"))
            }
        }

        // The metric's own filters (a simple metric's apply to its rows) and the query's.
        var appliedFilters: [String] = []
        var filterTexts = query.filters.map { ($0, "--where") }
        if case .simple(let input) = metric.kind { filterTexts = (metric.filters + input.filters).map { ($0, "of metric '\(metric.name)'") } + filterTexts }
        if case .cumulative(let input, _, _, _) = metric.kind { filterTexts = (metric.filters + input.filters).map { ($0, "of metric '\(metric.name)'") } + filterTexts }
        for (text, origin) in filterTexts where !text.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                let rendered = try FilterRenderer.render(text, origin: origin)
                guard try rendered.names.allSatisfy(expose) else {
                    unapplied.append(.init(filter: text, reason: "it names metric_time and semantic model '\(model.name)' has no time dimension"))
                    continue
                }
                conditions.append("(\(rendered.sql))")
                appliedFilters.append(text)
            } catch {
                unapplied.append(.init(filter: text, reason: reason(error)))
            }
        }

        var applied: [String] = []
        for (dimension, values) in query.dimensionValues.sorted(by: { $0.key < $1.key }) where !values.isEmpty {
            do {
                let name = try GroupByName(parsing: dimension)
                guard try expose(name) else {
                    unapplied.append(.init(filter: dimension, reason: "semantic model '\(model.name)' has no time dimension"))
                    continue
                }
                conditions.append("\(SQLText.quote(name.description)) in (\(values.map(SQLText.literal).joined(separator: ", ")))")
                applied.append(dimension)
            } catch {
                unapplied.append(.init(filter: dimension, reason: reason(error)))
            }
        }

        // Newest first, then by the model's key, so pages do not overlap.
        var order: [String] = []
        if let day { order.append("\(day) desc nulls last") }
        if let key = model.primaryEntity {
            columns.append(("__row_key", scope.rootExpression(key.expr, name: "__row_key")))
            order.append(SQLText.quote("__row_key"))
        }
        order += query.columns.prefix(3).map(SQLText.quote).filter { !order.contains($0) }

        let base = "select\n  " + columns.map { "\($0.expr) as \(SQLText.quote($0.name))" }.joined(separator: ",\n  ") + "\n" + scope.fromClause()
        let filtered = "from (\(base)) b" + (conditions.isEmpty ? "" : "\nwhere " + conditions.joined(separator: "\n  and "))
        var rows = "select " + query.columns.map { "b." + SQLText.quote($0) }.joined(separator: ", ") + "\n" + filtered
            + "\norder by " + order.joined(separator: ", ")
        if let limit = query.limit { rows += "\nlimit \(max(0, limit))" }
        if query.offset > 0 { rows += "\noffset \(query.offset)" }
        return MetricRowsPlan(model: model, timeDimension: timeName, sql: rows, countSQL: "select count(*) as row_count\n" + filtered,
                              appliedDimensions: applied, appliedFilters: appliedFilters, unapplied: unapplied)
    }
}
