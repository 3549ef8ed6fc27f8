import TransformProject

/// Everything a project's semantic layer defines, checked: every reference resolves, every
/// dimension a metric's filter names can be reached without fan-out.
///
/// ```swift
/// let semantics = try SemanticManifest.load(from: project)
/// let plan = try MetricQueryPlanner(semantics, dialect: .duckdb).plan(MetricQuery(metrics: ["revenue"]))
/// ```
public struct SemanticManifest: Sendable {
    public var semanticModels: [SemanticModel]
    public var metrics: [Metric]
    public var savedQueries: [SavedQuery]
    public var timeSpine: TimeSpine?

    public init(semanticModels: [SemanticModel], metrics: [Metric], savedQueries: [SavedQuery] = [], timeSpine: TimeSpine? = nil) throws {
        self.semanticModels = semanticModels
        self.metrics = metrics
        self.savedQueries = savedQueries
        self.timeSpine = timeSpine
        try SemanticValidator(self).validate()
    }

    public func metric(named name: String) -> Metric? { metrics.first { $0.name == name } }
    public func semanticModel(named name: String) -> SemanticModel? { semanticModels.first { $0.name == name } }
    public func savedQuery(named name: String) -> SavedQuery? { savedQueries.first { $0.name == name } }

    /// The semantic model defining `measure`, and the measure.
    public func measure(named name: String) -> (model: SemanticModel, measure: Measure)? {
        for model in semanticModels {
            if let measure = model.measures.first(where: { $0.name == name }) { return (model, measure) }
        }
        return nil
    }

    /// A metric by name, or an error naming the closest metrics.
    public func requireMetric(_ name: String) throws -> Metric {
        if let metric = metric(named: name) { return metric }
        throw SemanticError(.unknownMetric, "unknown metric '\(name)'\(SemanticError.suggestion(for: name, among: metrics.map(\.name)))"
            + "; `storehouse metrics list` shows the metrics this project defines")
    }

    /// Every measure the metric reads has a time to aggregate over, so it can be grouped by
    /// metric_time (offsets and windowed running totals must be).
    public func canGroupByMetricTime(_ metric: Metric) -> Bool {
        measures(of: metric).allSatisfy { name in
            guard let (model, measure) = self.measure(named: name) else { return false }
            return (measure.aggTimeDimension ?? model.defaultAggTimeDimension) != nil
        }
    }

    /// The measures a metric reads, through ratio and derived inputs, each once.
    public func measures(of metric: Metric) -> [String] {
        var seen: [String] = []
        func visit(_ metric: Metric, depth: Int) {
            guard depth < 32 else { return }
            switch metric.kind {
            case .simple(let input), .cumulative(let input, _, _, _):
                if !seen.contains(input.name) { seen.append(input.name) }
            case .ratio(let numerator, let denominator):
                for input in [numerator, denominator] { if let m = self.metric(named: input.name) { visit(m, depth: depth + 1) } }
            case .derived(_, let inputs):
                for input in inputs { if let m = self.metric(named: input.name) { visit(m, depth: depth + 1) } }
            }
        }
        visit(metric, depth: 0)
        return seen
    }
}
