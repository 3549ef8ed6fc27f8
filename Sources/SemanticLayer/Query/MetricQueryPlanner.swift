import Foundation
import WarehouseKit

/// Turns a metrics query into one SQL statement, following MetricFlow's semantics: each measure
/// is aggregated from its own model's rows (joined many-to-one to the dimensions asked for),
/// ratio and derived metrics combine already-aggregated inputs, offsets and running totals read
/// the time spine. Pure: it reads definitions, never the warehouse.
public struct MetricQueryPlanner {
    public let semantics: SemanticManifest
    public let dialect: SQLDialect

    public init(_ semantics: SemanticManifest, dialect: SQLDialect) {
        self.semantics = semantics
        self.dialect = dialect
    }

    public func plan(_ query: MetricQuery) throws -> MetricQueryPlan {
        var builder = try PlanBuilder(semantics: semantics, sql: SQLText(dialect: dialect), query: query)
        return try builder.build()
    }
}

/// How a metric's time is moved before aggregation.
enum TimeShift: Hashable {
    case window(TimeWindow)
    case toGrain(TimeGranularity)
}

/// A running total's reach.
struct CumulativeSpec {
    var window: TimeWindow?
    var grainToDate: TimeGranularity?
    var periodAgg: PeriodAggregation
}

/// One query's planning state: the common table expressions made so far, each once.
struct PlanBuilder {
    let semantics: SemanticManifest
    let sql: SQLText
    let query: MetricQuery
    /// Query group-by names with grains settled, in the query's order.
    let groups: [GroupByName]
    let queryFilters: [String]
    private var ctes: [(name: String, body: String)] = []
    /// The scans measures share (see `SharedScan`), by the index of their common table expression.
    private var sharedScans: [SharedScan: Int] = [:]
    private var sharedMeasures: [Int: (scope: SourceScope, spineJoin: String, measures: [SharedScan.Measure])] = [:]

    /// A planned metric: its common table expression (group columns + a value column) and what
    /// to show where it has no row.
    struct Planned {
        var cte: String
        var column = "value"
        var fillNullsWith: Double?

        init(_ aggregate: AggregateColumn, fillNullsWith: Double?) {
            self.cte = aggregate.cte
            self.column = aggregate.column
            self.fillNullsWith = fillNullsWith
        }

        init(cte: String, fillNullsWith: Double?) {
            self.cte = cte
            self.fillNullsWith = fillNullsWith
        }
    }

    init(semantics: SemanticManifest, sql: SQLText, query: MetricQuery) throws {
        self.semantics = semantics
        self.sql = sql
        self.query = query
        guard !query.metrics.isEmpty else {
            throw SemanticError(.invalidQuery, "the query names no metrics; pass --metrics name[,name…] (`storehouse metrics list` shows them)")
        }
        var groups: [GroupByName] = []
        for text in query.groupBy {
            var name = try GroupByName(parsing: text)
            if name.grain == nil { name.grain = PlanBuilder.defaultGrain(of: name, in: semantics) }
            guard !groups.contains(name) else { continue }
            groups.append(name)
        }
        if groups.filter(\.isMetricTime).count > 1 {
            throw SemanticError(.invalidQuery, "group by metric_time at one grain per query (got \(groups.filter(\.isMetricTime).map(\.description).joined(separator: ", ")))")
        }
        // MetricFlow's column order: time dimensions, then entities, then the other dimensions,
        // each in the query's order.
        func rank(_ name: GroupByName) -> Int { name.grain != nil ? 0 : name.isEntity ? 1 : 2 }
        self.groups = groups.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
        self.queryFilters = query.filters.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// `metric_time` without a grain means days; a time dimension without one, its own grain.
    static func defaultGrain(of name: GroupByName, in semantics: SemanticManifest) -> TimeGranularity? {
        if name.isMetricTime { return .day }
        guard let element = name.element else { return nil }
        for model in semantics.semanticModels {
            if let dimension = model.dimension(named: element), dimension.type == .time { return dimension.timeGranularity }
        }
        return nil
    }

    var groupColumns: [String] { groups.map { SQLText.quote($0.description) } }
    var metricTimeGroup: GroupByName? { groups.first(where: \.isMetricTime) }

    mutating func build() throws -> MetricQueryPlan {
        var planned: [(Metric, Planned)] = []
        for name in query.metrics {
            let metric = try semantics.requireMetric(name)
            guard !planned.contains(where: { $0.0.name == name }) else { continue }
            planned.append((metric, try plan(metric, filters: [], shift: nil, depth: 0)))
        }
        let outputs = planned.map { (metric, p) in (column: SQLText.quote(metric.name), planned: p) }
        var select = combine(outputs.map { ($0.column, $0.planned) }, expression: nil)
        select += try orderAndLimit(metricNames: planned.map(\.0.name))
        let with = ctes.isEmpty ? "" : "with " + ctes.map { "\($0.name) as (\n\($0.body)\n)" }.joined(separator: ",\n") + "\n"
        var columns = groups.map { MetricQueryPlan.Column(name: $0.description, role: .groupBy, label: $0.description, grain: $0.grain) }
        columns += planned.map { MetricQueryPlan.Column(name: $0.0.name, role: .metric, label: $0.0.label ?? $0.0.name, grain: nil) }
        return MetricQueryPlan(sql: with + select, columns: columns)
    }

    // MARK: metrics

    mutating func plan(_ metric: Metric, filters: [String], shift: TimeShift?, depth: Int) throws -> Planned {
        guard depth < 16 else {
            throw SemanticError(.invalidDefinition, "metric '\(metric.name)' refers to itself through its inputs; break the cycle", at: metric.location)
        }
        let filters = filters + metric.filters
        switch metric.kind {
        case .simple(let input):
            return Planned(try planMeasure(input, filters: filters, shift: shift, cumulative: nil), fillNullsWith: input.fillNullsWith)
        case .cumulative(let input, let window, let grain, let periodAgg):
            if shift != nil {
                throw SemanticError(.invalidQuery, "metric '\(metric.name)' is a running total used with an offset; offsets of cumulative metrics are not supported")
            }
            let spec = CumulativeSpec(window: window, grainToDate: grain, periodAgg: periodAgg)
            return Planned(try planMeasure(input, filters: filters, shift: nil, cumulative: spec), fillNullsWith: input.fillNullsWith)
        case .ratio(let numerator, let denominator):
            let n = try planInput(numerator, filters: filters, shift: shift, depth: depth)
            let d = try planInput(denominator, filters: filters, shift: shift, depth: depth)
            let expression = "\(sql.asDouble("n")) / \(sql.asDouble("nullif(d, 0)"))"
            return Planned(cte: addCTE(combine([("n", n), ("d", d)], expression: expression)), fillNullsWith: nil)
        case .derived(let expr, let inputs):
            var parts: [(String, Planned)] = []
            for input in inputs {
                guard !parts.contains(where: { $0.0 == input.referenceName }) else { continue }
                parts.append((input.referenceName, try planInput(input, filters: filters, shift: shift, depth: depth)))
            }
            return Planned(cte: addCTE(combine(parts, expression: expr)), fillNullsWith: nil)
        }
    }

    mutating func planInput(_ input: MetricInput, filters: [String], shift: TimeShift?, depth: Int) throws -> Planned {
        guard let metric = semantics.metric(named: input.name) else {
            throw SemanticError(.unknownMetric, "metric input '\(input.name)' is not a metric")
        }
        var inputShift = shift
        if let window = input.offsetWindow { inputShift = .window(window) }
        if let grain = input.offsetToGrain { inputShift = .toGrain(grain) }
        if shift != nil, inputShift != shift {
            throw SemanticError(.invalidQuery, "metric '\(input.name)' would be offset twice; nested offsets are not supported")
        }
        return try plan(metric, filters: filters + input.filters, shift: inputShift, depth: depth + 1)
    }

    /// Joins planned parts on the group columns; with an expression, evaluates it over the
    /// parts' values (named by the parts' names), else selects each part's value as its name.
    /// Each common table expression is joined once, however many of its columns are used:
    /// columns of one shared scan have the same groups.
    func combine(_ parts: [(String, Planned)], expression: String?) -> String {
        var sources: [String] = []
        for part in parts where !sources.contains(part.1.cte) { sources.append(part.1.cte) }
        let value: (Planned) -> String = { planned in
            let column = "p\(sources.firstIndex(of: planned.cte)!).\(planned.column)"
            return planned.fillNullsWith.map { "coalesce(\(column), \(PlanBuilder.number($0)))" } ?? column
        }
        var from: String
        var keys: [String]
        if sources.count == 1 {
            from = "\(sources[0]) p0"
            keys = groupColumns.map { "p0.\($0)" }
        } else if groups.isEmpty {
            from = sources.indices.map { "\(sources[$0]) p\($0)" }.joined(separator: " cross join ")
            keys = []
        } else {
            let keyList = groupColumns.joined(separator: ", ")
            let union = sources.map { "select \(keyList) from \($0)" }.joined(separator: " union ")
            from = "(\(union)) k"
            for (index, source) in sources.enumerated() {
                let on = groupColumns.map { "k.\($0) is not distinct from p\(index).\($0)" }.joined(separator: " and ")
                from += "\nleft outer join \(source) p\(index) on \(on)"
            }
            keys = groupColumns.map { "k.\($0)" }
        }
        let keyColumns = zip(keys, groupColumns).map { "\($0) as \($1)" }
        let values = parts.map { "\(value($0.1)) as \(expression == nil ? $0.0 : PlanBuilder.bare($0.0))" }
        guard let expression else {
            return "select " + (keyColumns + values).joined(separator: ", ") + "\nfrom " + from
        }
        let inner = "select " + (keyColumns + values).joined(separator: ", ") + "\nfrom " + from
        return "select " + (groupColumns + ["(\(expression)) as value"]).joined(separator: ", ") + "\nfrom (\(inner)) j"
    }

    /// An input's name as the derived expression writes it (a plain identifier).
    static func bare(_ name: String) -> String {
        name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } ? name : SQLText.quote(name)
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    mutating func addCTE(_ body: String) -> String {
        if let existing = ctes.first(where: { $0.body == body }) { return existing.name }
        let name = "q\(ctes.count + 1)"
        ctes.append((name, body))
        return name
    }

    /// A measure aggregated in the scan it shares with the query's other measures over the
    /// same rows: the first one makes the scan's common table expression, later ones add a
    /// column to it (its text is rendered again, in place, so what refers to it stays valid).
    mutating func addMeasure(_ measure: SharedScan.Measure, to scan: SharedScan, scope: SourceScope, spineJoin: String) -> AggregateColumn {
        let index: Int
        if let known = sharedScans[scan] {
            index = known
        } else {
            index = ctes.count
            ctes.append(("q\(index + 1)", ""))
            sharedScans[scan] = index
            sharedMeasures[index] = (scope, spineJoin, [])
        }
        var shared = sharedMeasures[index]!
        let position = shared.measures.firstIndex(where: { $0.definition.name == measure.definition.name }) ?? {
            shared.measures.append(measure)
            return shared.measures.count - 1
        }()
        sharedMeasures[index] = shared
        ctes[index].body = scan.render(shared.measures, scope: shared.scope, spineJoin: shared.spineJoin)
        return AggregateColumn(cte: ctes[index].name, column: SharedScan.valueColumn(position))
    }

    func orderAndLimit(metricNames: [String]) throws -> String {
        var text = ""
        let known = groups.map(\.description) + metricNames
        var terms: [String] = []
        for item in query.orderBy {
            let descending = item.hasPrefix("-")
            var name = descending ? String(item.dropFirst()) : item
            if !known.contains(name), let parsed = try? GroupByName(parsing: name),
               let match = groups.first(where: { $0.baseName == parsed.baseName && (parsed.grain == nil || parsed.grain == $0.grain) }) {
                name = match.description
            }
            guard known.contains(name) else {
                throw SemanticError(.invalidQuery, "cannot order by '\(name)': it is not a metric or group-by of this query"
                    + SemanticError.suggestion(for: name, among: known) + "; order by one of \(known.joined(separator: ", "))")
            }
            terms.append(SQLText.quote(name) + (descending ? " desc" : "") + " nulls last")
        }
        if terms.isEmpty { terms = groupColumns }
        if !terms.isEmpty { text += "\norder by " + terms.joined(separator: ", ") }
        if let limit = query.limit {
            guard limit >= 0 else { throw SemanticError(.invalidQuery, "--limit must be 0 or more") }
            // As `mf query`: a limit of 0 means no limit.
            if limit > 0 { text += "\nlimit \(limit)" }
        }
        return text
    }
}
