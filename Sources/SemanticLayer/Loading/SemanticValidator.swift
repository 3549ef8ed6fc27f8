import WarehouseKit

/// Checks a semantic manifest once, when it loads, so a broken definition stops `serve` and the
/// CLI at start-up with file:line instead of breaking a tile later.
struct SemanticValidator {
    let semantics: SemanticManifest

    init(_ semantics: SemanticManifest) { self.semantics = semantics }

    func validate() throws {
        try checkUniqueNames()
        for model in semantics.semanticModels { try check(model) }
        for metric in semantics.metrics { try check(metric) }
        for saved in semantics.savedQueries { try check(saved) }
    }

    func checkUniqueNames() throws {
        var models: [String: SemanticModel] = [:]
        var measures: [String: (SemanticModel, Measure)] = [:]
        for model in semantics.semanticModels {
            if let other = models[model.name] {
                throw SemanticError(.invalidDefinition, "semantic model '\(model.name)' is defined twice (also at \(other.location)); rename one", at: model.location)
            }
            models[model.name] = model
            var local: [String: SourceLocation] = [:]
            let named = model.entities.map { ($0.name, $0.location) } + model.dimensions.map { ($0.name, $0.location) }
            for (name, location) in named {
                if let first = local[name] {
                    throw SemanticError(.invalidDefinition, "'\(name)' is defined twice in semantic model '\(model.name)' (also at \(first)); entity and dimension names must differ", at: location)
                }
                local[name] = location
            }
            for measure in model.measures {
                if let (otherModel, other) = measures[measure.name] {
                    throw SemanticError(.invalidDefinition, "measure '\(measure.name)' is defined twice, here and in semantic model '\(otherModel.name)' (\(other.location)); measure names are project-wide, rename one", at: measure.location)
                }
                measures[measure.name] = (model, measure)
            }
        }
        var metrics: [String: Metric] = [:]
        for metric in semantics.metrics {
            if let other = metrics[metric.name] {
                throw SemanticError(.invalidDefinition, "metric '\(metric.name)' is defined twice (also at \(other.location)); rename one", at: metric.location)
            }
            metrics[metric.name] = metric
        }
    }

    func check(_ model: SemanticModel) throws {
        func timeDimension(_ name: String, usedBy what: String, at location: SourceLocation) throws {
            guard let dimension = model.dimension(named: name) else {
                throw SemanticError(.unknownDimension, "\(what) names time dimension '\(name)', which semantic model '\(model.name)' does not define"
                    + SemanticError.suggestion(for: name, among: model.dimensions.map(\.name)), at: location)
            }
            guard dimension.type == .time else {
                throw SemanticError(.invalidDefinition, "\(what) names '\(name)', a categorical dimension; it must be a time dimension", at: location)
            }
        }
        if let name = model.defaultAggTimeDimension {
            try timeDimension(name, usedBy: "semantic model '\(model.name)'s defaults.agg_time_dimension", at: model.location)
        }
        if !model.measures.isEmpty, model.entities.isEmpty, model.declaredPrimaryEntity == nil {
            throw SemanticError(.invalidDefinition, "semantic model '\(model.name)' has measures but no entities; add its primary entity (or `primary_entity: name` when no column identifies its rows)", at: model.location)
        }
        for measure in model.measures {
            if let name = measure.aggTimeDimension {
                try timeDimension(name, usedBy: "measure '\(measure.name)'", at: measure.location)
            }
            if let spec = measure.nonAdditiveDimension {
                try timeDimension(spec.name, usedBy: "the non_additive_dimension of measure '\(measure.name)'", at: measure.location)
                for entity in spec.windowGroupings where model.entity(named: entity) == nil {
                    throw SemanticError(.unknownDimension, "window_groupings of measure '\(measure.name)' names '\(entity)', which is not an entity of '\(model.name)'", at: measure.location)
                }
            }
        }
    }

    /// Every reference resolves and the metric plans on its own (which also resolves its filters'
    /// dimensions through joins and refuses fan-out).
    func check(_ metric: Metric) throws {
        func requireMeasure(_ name: String) throws {
            guard semantics.measure(named: name) != nil else {
                let all = semantics.semanticModels.flatMap { $0.measures.map(\.name) }
                throw SemanticError(.unknownMetric, "metric '\(metric.name)' reads measure '\(name)', which no semantic model defines"
                    + SemanticError.suggestion(for: name, among: all), at: metric.location)
            }
        }
        func requireMetric(_ name: String) throws {
            guard semantics.metric(named: name) != nil else {
                throw SemanticError(.unknownMetric, "metric '\(metric.name)' uses metric '\(name)', which is not defined"
                    + SemanticError.suggestion(for: name, among: semantics.metrics.map(\.name)), at: metric.location)
            }
        }
        switch metric.kind {
        case .simple(let input), .cumulative(let input, _, _, _): try requireMeasure(input.name)
        case .ratio(let numerator, let denominator): try requireMetric(numerator.name); try requireMetric(denominator.name)
        case .derived(_, let inputs): for input in inputs { try requireMetric(input.name) }
        }
        // Offsets and windowed running totals need metric_time; plan by it where every measure has a time.
        let timed = semantics.canGroupByMetricTime(metric)
        do {
            _ = try MetricQueryPlanner(semantics, dialect: .duckdb).plan(MetricQuery(metrics: [metric.name], groupBy: timed ? ["metric_time"] : []))
        } catch let error as SemanticError where error.location == nil {
            throw SemanticError(error.code, "metric '\(metric.name)': \(error.message)", at: metric.location)
        }
    }

    func check(_ saved: SavedQuery) throws {
        do {
            _ = try MetricQueryPlanner(semantics, dialect: .duckdb).plan(MetricQuery(metrics: saved.metrics, groupBy: saved.groupBy, filters: saved.filters))
        } catch let error as SemanticError where error.location == nil {
            throw SemanticError(error.code, "saved query '\(saved.name)': \(error.message)", at: saved.location)
        }
    }
}
