import Foundation

extension PlanBuilder {
    /// One measure aggregated by the query's groups, as MetricFlow computes it: its model's rows,
    /// joined to what the groups and filters name, filtered, aggregated; an offset reads that
    /// aggregate from an earlier period of the time spine; a running total sums the rows of
    /// each spine day's window. Returns the common table expression's name.
    mutating func planMeasure(_ input: MeasureInput, filters: [String], shift: TimeShift?, cumulative: CumulativeSpec?) throws -> AggregateColumn {
        if let shift {
            guard let target = metricTimeGroup else {
                throw SemanticError(.invalidQuery, "measure '\(input.name)' is read from an earlier period (an offset), which needs metric_time in the group-by; add --group-by metric_time__<grain>")
            }
            let unshifted = try aggregateMeasure(input, filters: filters, cumulative: nil, constrainStart: false, constrainEnd: false)
            return AggregateColumn(cte: addCTE(try offset(unshifted, by: shift, target: target, measure: input.name)), column: "value")
        }
        if let cumulative, metricTimeGroup == nil {
            if cumulative.window != nil || cumulative.grainToDate != nil {
                throw SemanticError(.invalidQuery, "measure '\(input.name)' is a running total over a window or to a grain's start, which needs metric_time in the group-by; add --group-by metric_time__<grain>")
            }
            // An all-time running total without metric_time is everything up to the end.
            return try aggregateMeasure(input, filters: filters, cumulative: nil, constrainStart: false, constrainEnd: true)
        }
        return try aggregateMeasure(input, filters: filters, cumulative: cumulative, constrainStart: true, constrainEnd: true)
    }

    /// The time spine's periods at the query grain, each with the aggregate of the period the
    /// offset points back to (MetricFlow aggregates first, then shifts whole periods).
    func offset(_ aggregate: AggregateColumn, by shift: TimeShift, target: GroupByName, measure: String) throws -> String {
        let spine = try requireTimeSpine(for: measure)
        let column = SQLText.quote(target.description)
        let periods = "select distinct \(sql.truncate(SQLText.quote(spine.dayColumn), to: target.grain ?? .day)) as \(column) from \(spine.relation)"
        let on: String
        switch shift {
        case .window(let window): on = "\(sql.subtract(window, from: "sp.\(column)")) = a.\(column)"
        case .toGrain(let grain): on = "\(sql.truncate("sp.\(column)", to: grain)) = a.\(column)"
        }
        let others = groups.filter { !$0.isMetricTime }.map { "a.\(SQLText.quote($0.description))" }
        let bounds = try timeConstraint(column: "sp.\(column)")
        return "select " + (["sp.\(column)"] + others + ["a.\(aggregate.column) as value"]).joined(separator: ", ")
            + "\nfrom (\(periods)) sp\ninner join \(aggregate.cte) a on \(on)" + (bounds.isEmpty ? "" : "\nwhere " + bounds.joined(separator: " and "))
    }

    mutating func aggregateMeasure(_ input: MeasureInput, filters metricFilters: [String], cumulative: CumulativeSpec?,
                                   constrainStart: Bool, constrainEnd: Bool) throws -> AggregateColumn {
        guard let (model, measure) = semantics.measure(named: input.name) else {
            throw SemanticError(.unknownMetric, "measure '\(input.name)' is not defined by any semantic model")
        }
        let scope = SourceScope(semantics: semantics, root: model)
        let filters = try (metricFilters + input.filters).enumerated().map { try FilterRenderer.render($0.element, origin: "of metric input '\(input.name)'") }
            + queryFilters.map { try FilterRenderer.render($0, origin: "--where") }
        var filterNames = filters.flatMap(\.names)
        var valueConditions: [String] = []
        for (dimension, values) in query.dimensionValues.sorted(by: { $0.key < $1.key }) where !values.isEmpty {
            let name = try GroupByName(parsing: dimension)
            filterNames.append(name)
            valueConditions.append("\(SQLText.quote(name.description)) in (\(values.map(SQLText.literal).joined(separator: ", ")))")
        }

        // Time: the measure's day, and the day it counts for (moved by an offset or spread by a running total).
        let needsTime = groups.contains(where: \.isMetricTime) || filterNames.contains(where: \.isMetricTime)
            || query.startTime != nil || query.endTime != nil || cumulative != nil || input.joinToTimeSpine
        var metricDay: String?
        var spineJoin = ""
        if needsTime {
            guard let timeName = measure.aggTimeDimension ?? model.defaultAggTimeDimension else {
                throw SemanticError(.invalidDefinition, "measure '\(measure.name)' has no time dimension to aggregate over; set `defaults: {agg_time_dimension: …}` on semantic model '\(model.name)' or `agg_time_dimension` on the measure", at: measure.location)
            }
            let measureDay = sql.truncate(try scope.rootTimeDimension(timeName).column, to: .day)
            if let spec = cumulative {
                // Each spine day with at least one row in its window; the spine's extent bounds
                // the days, as in MetricFlow (the project's spine ends at its as-of date).
                let spine = try requireTimeSpine(for: input.name)
                let spineDay = "ts.\(SQLText.quote(spine.dayColumn))"
                metricDay = spineDay
                var conditions = ["\(measureDay) <= \(spineDay)"]
                if let window = spec.window { conditions.append("\(measureDay) > \(sql.subtract(window, from: spineDay))") }
                if let grain = spec.grainToDate { conditions.append("\(measureDay) >= \(sql.truncate(spineDay, to: grain))") }
                spineJoin = "\ninner join \(spine.relation) ts on " + conditions.joined(separator: " and ")
            } else {
                metricDay = measureDay
            }
        }

        // Columns of the rows before aggregation: groups, then anything only filters use.
        var baseColumns: [(name: String, expr: String)] = []
        func add(_ name: GroupByName) throws {
            let column = name.description
            guard !baseColumns.contains(where: { $0.name == column }) else { return }
            if name.isMetricTime {
                guard let metricDay else { return }
                let grain = name.grain ?? .day
                baseColumns.append((column, grain == .day ? metricDay : sql.truncate(metricDay, to: grain)))
            } else {
                let resolved = try scope.resolve(name)
                var expr = resolved.column
                if let dimension = resolved.dimension, dimension.type == .time {
                    expr = sql.truncate(expr, to: name.grain ?? dimension.timeGranularity ?? .day)
                }
                baseColumns.append((column, expr))
            }
        }
        var effectiveGroups = groups
        // A running total is computed per day, then brought to the query's grain.
        let coarseCumulative = cumulative != nil && (metricTimeGroup?.grain ?? .day) > .day
        if coarseCumulative, let index = effectiveGroups.firstIndex(where: \.isMetricTime) {
            effectiveGroups[index].grain = .day
        }
        for name in effectiveGroups { try add(name) }
        for name in filterNames { try add(name) }
        if let metricDay, !baseColumns.contains(where: { $0.name == "metric_time__day" }) {
            baseColumns.append(("metric_time__day", metricDay))
        }
        var nonAdditive: (column: String, choice: NonAdditiveDimension.WindowChoice, partition: [String])?
        if let spec = measure.nonAdditiveDimension {
            let (column, _) = try scope.rootTimeDimension(spec.name)
            baseColumns.append(("__non_additive", sql.truncate(column, to: .day)))
            var partition = effectiveGroups.filter(\.isMetricTime).map { SQLText.quote($0.description) }
            for entity in spec.windowGroupings {
                let name = GroupByName(entityPath: [entity], element: nil)
                try add(name)
                partition.append(SQLText.quote(name.description))
            }
            nonAdditive = ("__non_additive", spec.windowChoice, partition)
        }
        var conditions = filters.map { "(\($0.sql))" } + valueConditions
        if metricDay != nil { conditions += try timeConstraint(start: constrainStart, end: constrainEnd) }
        let groupList = effectiveGroups.map { SQLText.quote($0.description) }
        let text = sql
        let aggregate: (String) -> String = { text.aggregate(measure, $0) }

        if nonAdditive == nil, !coarseCumulative, !input.joinToTimeSpine {
            let scan = SharedScan(columns: baseColumns.map { "\($0.expr) as \(SQLText.quote($0.name))" },
                                  from: scope.fromClause() + spineJoin, conditions: conditions, groups: groupList)
            return addMeasure(SharedScan.Measure(definition: measure, aggregate: aggregate), to: scan, scope: scope, spineJoin: spineJoin)
        }

        baseColumns.append(("__measure", scope.measureColumn(measure)))
        let select = baseColumns.map { "\($0.expr) as \(SQLText.quote($0.name))" }.joined(separator: ",\n  ")
        let base = "select\n  \(select)\n\(scope.fromClause())\(spineJoin)"
        var rows = "(\(base)) b" + (conditions.isEmpty ? "" : "\nwhere " + conditions.joined(separator: " and "))
        if let nonAdditive {
            let function = nonAdditive.choice == .max ? "max" : "min"
            let over = nonAdditive.partition.isEmpty ? "" : "partition by " + nonAdditive.partition.joined(separator: ", ")
            rows = "(select *, \(function)(\(SQLText.quote(nonAdditive.column))) over (\(over)) as \"__pick\" from \(rows)) b\nwhere \"__non_additive\" = \"__pick\""
        }
        var aggregated = "select " + (groupList + ["\(aggregate("\"__measure\"")) as value"]).joined(separator: ", ")
            + "\nfrom " + rows + (groupList.isEmpty ? "" : "\ngroup by " + groupList.joined(separator: ", "))
        if coarseCumulative, let cumulative, let target = metricTimeGroup {
            aggregated = periodAggregate(aggregated, spec: cumulative, target: target)
        }
        if input.joinToTimeSpine, let target = metricTimeGroup {
            aggregated = try joinToTimeSpine(aggregated, target: target, measure: input.name)
        }
        return AggregateColumn(cte: addCTE(aggregated), column: "value")
    }

    /// The day-level running totals brought to a coarser grain: the first, last or average
    /// daily value of each period.
    func periodAggregate(_ daily: String, spec: CumulativeSpec, target: GroupByName) -> String {
        let day = SQLText.quote("metric_time__day")
        let others = groups.filter { !$0.isMetricTime }.map { SQLText.quote($0.description) }
        let period = sql.truncate(day, to: target.grain ?? .day)
        let partition = ([period] + others).joined(separator: ", ")
        let value: String
        switch spec.periodAgg {
        case .first: value = "first_value(value) over (partition by \(partition) order by \(day))"
        case .last: value = "first_value(value) over (partition by \(partition) order by \(day) desc)"
        case .average: value = "avg(value) over (partition by \(partition))"
        }
        let columns = groups.map { $0.isMetricTime ? "\(period) as \(SQLText.quote($0.description))" : SQLText.quote($0.description) }
        return "select distinct " + (columns + ["\(value) as value"]).joined(separator: ", ") + "\nfrom (\(daily)) d"
    }

    /// Every period of the spine (in the query's range, else all of it) with the measure's rows
    /// for that period, or one row of NULLs where it has none; joined on metric_time only, as
    /// MetricFlow does.
    func joinToTimeSpine(_ aggregated: String, target: GroupByName, measure: String) throws -> String {
        let spine = try requireTimeSpine(for: measure)
        let column = SQLText.quote(target.description)
        let periods = "select distinct \(sql.truncate(SQLText.quote(spine.dayColumn), to: target.grain ?? .day)) as \(column) from \(spine.relation)"
        let others = groups.filter { !$0.isMetricTime }.map { "a.\(SQLText.quote($0.description))" }
        let bounds = try timeConstraint(column: "sp.\(column)")
        return "select " + (["sp.\(column)"] + others + ["a.value"]).joined(separator: ", ")
            + "\nfrom (\(periods)) sp\nleft outer join (\(aggregated)) a on a.\(column) = sp.\(column)"
            + (bounds.isEmpty ? "" : "\nwhere " + bounds.joined(separator: " and "))
    }

    /// `--start-time`/`--end-time` on the day a row counts for, widened to whole periods.
    func timeConstraint(column: String = "\"metric_time__day\"", start useStart: Bool = true, end useEnd: Bool = true) throws -> [String] {
        let grain = metricTimeGroup?.grain ?? .day
        var conditions: [String] = []
        if useStart, let start = query.startTime {
            conditions.append("\(column) >= \(sql.truncate("cast(\(SQLText.literal(try PlanBuilder.checkedTime(start))) as timestamp)", to: grain))")
        }
        if useEnd, let end = query.endTime {
            let endPeriod = sql.truncate("cast(\(SQLText.literal(try PlanBuilder.checkedTime(end))) as timestamp)", to: grain)
            conditions.append("\(column) < \(grain == .day ? "cast(\(endPeriod) + interval '1 day' as date)" : "cast(\(endPeriod) + interval '1 \(grain.rawValue)' as date)")")
        }
        return conditions
    }

    static func checkedTime(_ text: String) throws -> String {
        let pattern = #"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$"#
        guard text.range(of: pattern, options: .regularExpression) != nil else {
            throw SemanticError(.invalidQuery, "'\(text)' is not a date or time; write 2024-01-31 or 2024-01-31T12:00:00")
        }
        return text.replacingOccurrences(of: "T", with: " ")
    }

    func requireTimeSpine(for measure: String) throws -> TimeSpine {
        guard let spine = semantics.timeSpine else {
            throw SemanticError(.noTimeSpine, "measure '\(measure)' needs a time spine (for a running total or an offset), and the project defines none; "
                + "add a model with one row per day and declare it in YAML with `time_spine: {standard_granularity_column: date_day}`")
        }
        return spine
    }
}
