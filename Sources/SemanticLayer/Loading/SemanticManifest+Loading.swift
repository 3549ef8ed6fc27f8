import Foundation
import TransformProject
import Yams

extension SemanticManifest {
    /// Reads `semantic_models:`, `metrics:`, `saved_queries:` and the time spine from the
    /// project's YAML property files, resolving `model: ref('…')` against its manifest.
    public static func load(from project: LoadedProject) throws -> SemanticManifest {
        let relations = Dictionary(project.manifest.nodes.values.compactMap { node -> (String, QualifiedRelation)? in
            guard node.resourceType == .model, let relation = node.relation else { return nil }
            // Schema-qualified only: a metrics query runs on whichever database file or server
            // the caller opened, which need not carry the profile's database name.
            return (node.name, QualifiedRelation(database: nil, schema: relation.schema, identifier: relation.identifier))
        }, uniquingKeysWith: { first, _ in first })
        var reader = DefinitionReader(modelRelations: relations)
        for file in project.propertyFiles {
            try reader.read(file.document, file: file.path)
        }
        return try SemanticManifest(semanticModels: reader.semanticModels, metrics: reader.metrics,
                                    savedQueries: reader.savedQueries, timeSpine: reader.timeSpine(relations: relations))
    }
}

/// Turns YAML entries into definitions, one resource kind per method; every error names file:line.
struct DefinitionReader {
    let modelRelations: [String: QualifiedRelation]
    var semanticModels: [SemanticModel] = []
    var metrics: [Metric] = []
    var savedQueries: [SavedQuery] = []
    var declaredTimeSpine: (model: String, column: String, location: SourceLocation)?

    init(modelRelations: [String: QualifiedRelation]) { self.modelRelations = modelRelations }

    mutating func read(_ document: Yams.Node, file: String) throws {
        for item in YAMLSupport.items(YAMLSupport.lookup(document, "semantic_models")) {
            semanticModels.append(try semanticModel(item, file: file))
        }
        for item in YAMLSupport.items(YAMLSupport.lookup(document, "metrics")) {
            metrics.append(try metric(item, file: file))
        }
        for item in YAMLSupport.items(YAMLSupport.lookup(document, "saved_queries")) {
            savedQueries.append(try savedQuery(item, file: file))
        }
        for item in YAMLSupport.items(YAMLSupport.lookup(document, "models")) {
            guard let spine = YAMLSupport.lookup(item, "time_spine"), let model = YAMLSupport.string(item, "name") else { continue }
            let column = YAMLSupport.string(spine, "standard_granularity_column") ?? "date_day"
            declaredTimeSpine = (model, column, SourceLocation(file: file, line: YAMLSupport.line(spine)))
        }
    }

    /// The model declared with `time_spine:` (dbt 1.9+), else MetricFlow's legacy
    /// `metricflow_time_spine` model with its `date_day` column.
    func timeSpine(relations: [String: QualifiedRelation]) throws -> TimeSpine? {
        if let declared = declaredTimeSpine {
            guard let relation = relations[declared.model] else {
                throw SemanticError(.unknownModel, "the time spine names model '\(declared.model)', which the project does not define", at: declared.location)
            }
            return TimeSpine(relation: relation, dayColumn: declared.column, location: declared.location)
        }
        return relations["metricflow_time_spine"].map { TimeSpine(relation: $0, dayColumn: "date_day", location: SourceLocation(file: "", line: 0)) }
    }

    // MARK: semantic models

    func semanticModel(_ item: Yams.Node, file: String) throws -> SemanticModel {
        let location = SourceLocation(file: file, line: YAMLSupport.line(item))
        let name = try required(item, "name", in: "a semantic model", at: location)
        let reference = try required(item, "model", in: "semantic model '\(name)'", at: location)
        let modelName = try Self.refTarget(reference, at: location, what: "semantic model '\(name)'")
        guard let relation = modelRelations[modelName] else {
            throw SemanticError(.unknownModel, "semantic model '\(name)' reads model '\(modelName)', which the project does not define"
                + SemanticError.suggestion(for: modelName, among: Array(modelRelations.keys)) + "; fix `model: ref('…')`",
                at: SourceLocation(file: file, line: YAMLSupport.line(YAMLSupport.lookup(item, "model") ?? item)))
        }
        return SemanticModel(
            name: name, description: YAMLSupport.string(item, "description") ?? "", modelName: modelName, relation: relation,
            defaultAggTimeDimension: YAMLSupport.string(YAMLSupport.lookup(item, "defaults"), "agg_time_dimension"),
            entities: try YAMLSupport.items(YAMLSupport.lookup(item, "entities")).map { try entity($0, model: name, file: file) },
            dimensions: try YAMLSupport.items(YAMLSupport.lookup(item, "dimensions")).map { try dimension($0, model: name, file: file) },
            measures: try YAMLSupport.items(YAMLSupport.lookup(item, "measures")).map { try measure($0, model: name, file: file) },
            declaredPrimaryEntity: YAMLSupport.string(item, "primary_entity"), location: location)
    }

    func entity(_ item: Yams.Node, model: String, file: String) throws -> Entity {
        let location = SourceLocation(file: file, line: YAMLSupport.line(item))
        let name = try required(item, "name", in: "an entity of semantic model '\(model)'", at: location)
        let typeText = try required(item, "type", in: "entity '\(name)'", at: location)
        guard let type = Entity.Kind(rawValue: typeText.lowercased()) else {
            throw SemanticError(.invalidDefinition, "entity '\(name)' has type '\(typeText)'; use one of \(Entity.Kind.allCases.map(\.rawValue).joined(separator: ", "))", at: location)
        }
        return Entity(name: name, type: type, expr: scalar(item, "expr") ?? name, location: location)
    }

    func dimension(_ item: Yams.Node, model: String, file: String) throws -> Dimension {
        let location = SourceLocation(file: file, line: YAMLSupport.line(item))
        let name = try required(item, "name", in: "a dimension of semantic model '\(model)'", at: location)
        let typeText = try required(item, "type", in: "dimension '\(name)'", at: location)
        guard let type = Dimension.Kind(rawValue: typeText.lowercased()) else {
            throw SemanticError(.invalidDefinition, "dimension '\(name)' has type '\(typeText)'; use categorical or time", at: location)
        }
        var granularity: TimeGranularity?
        if type == .time {
            guard let text = YAMLSupport.string(YAMLSupport.lookup(item, "type_params"), "time_granularity") else {
                throw SemanticError(.invalidDefinition, "time dimension '\(name)' has no `type_params: {time_granularity: …}`; add the finest grain its column holds (day, for a date)", at: location)
            }
            granularity = try Self.granularity(text, at: location)
        }
        return Dimension(name: name, type: type, expr: scalar(item, "expr") ?? name, label: YAMLSupport.string(item, "label"),
                         description: YAMLSupport.string(item, "description") ?? "", timeGranularity: granularity, location: location)
    }

    func measure(_ item: Yams.Node, model: String, file: String) throws -> Measure {
        let location = SourceLocation(file: file, line: YAMLSupport.line(item))
        let name = try required(item, "name", in: "a measure of semantic model '\(model)'", at: location)
        let aggText = try required(item, "agg", in: "measure '\(name)'", at: location)
        guard let agg = Aggregation(rawValue: aggText.lowercased()) else {
            throw SemanticError(.invalidDefinition, "measure '\(name)' has agg '\(aggText)'; use one of \(Aggregation.allCases.map(\.rawValue).joined(separator: ", "))", at: location)
        }
        let params = YAMLSupport.lookup(item, "agg_params")
        var percentile = YAMLSupport.lookup(params, "percentile").flatMap { Self.number(YAMLSupport.value($0)) }
        if agg == .median { percentile = 0.5 }
        if agg == .percentile {
            guard let p = percentile, p > 0, p < 1 else {
                throw SemanticError(.invalidDefinition, "percentile measure '\(name)' needs `agg_params: {percentile: p}` with 0 < p < 1", at: location)
            }
        }
        var nonAdditive: NonAdditiveDimension?
        if let node = YAMLSupport.lookup(item, "non_additive_dimension") {
            let where_ = SourceLocation(file: file, line: YAMLSupport.line(node))
            let dimension = try required(node, "name", in: "the non_additive_dimension of measure '\(name)'", at: where_)
            let choiceText = YAMLSupport.string(node, "window_choice") ?? "min"
            guard let choice = NonAdditiveDimension.WindowChoice(rawValue: choiceText.lowercased()) else {
                throw SemanticError(.invalidDefinition, "window_choice '\(choiceText)' of measure '\(name)' must be min or max", at: where_)
            }
            let groupings = YAMLSupport.items(YAMLSupport.lookup(node, "window_groupings")).compactMap { YAMLSupport.value($0).stringValue }
            nonAdditive = NonAdditiveDimension(name: dimension, windowChoice: choice, windowGroupings: groupings)
        }
        return Measure(name: name, agg: agg, expr: scalar(item, "expr") ?? name, label: YAMLSupport.string(item, "label"),
                       description: YAMLSupport.string(item, "description") ?? "", aggTimeDimension: YAMLSupport.string(item, "agg_time_dimension"),
                       percentile: percentile, useDiscretePercentile: YAMLSupport.lookup(params, "use_discrete_percentile").map { YAMLSupport.value($0).boolValue ?? false } ?? false,
                       nonAdditiveDimension: nonAdditive, location: location)
    }

    // MARK: metrics

    func metric(_ item: Yams.Node, file: String) throws -> Metric {
        let location = SourceLocation(file: file, line: YAMLSupport.line(item))
        let name = try required(item, "name", in: "a metric", at: location)
        let typeText = try required(item, "type", in: "metric '\(name)'", at: location).lowercased()
        let params = YAMLSupport.lookup(item, "type_params")
        let kind: Metric.Kind
        switch typeText {
        case "simple":
            kind = .simple(try measureInput(YAMLSupport.lookup(params, "measure"), metric: name, at: location))
        case "ratio":
            kind = .ratio(numerator: try metricInput(YAMLSupport.lookup(params, "numerator"), role: "numerator", metric: name, at: location),
                          denominator: try metricInput(YAMLSupport.lookup(params, "denominator"), role: "denominator", metric: name, at: location))
        case "derived":
            guard let expr = scalar(params, "expr") else {
                throw SemanticError(.invalidDefinition, "derived metric '\(name)' has no `type_params.expr`; write the expression over its input metrics", at: location)
            }
            let inputs = try YAMLSupport.items(YAMLSupport.lookup(params, "metrics")).map { try metricInput($0, role: "input", metric: name, at: location) }
            guard !inputs.isEmpty else {
                throw SemanticError(.invalidDefinition, "derived metric '\(name)' lists no `type_params.metrics`; name the metrics its expr uses", at: location)
            }
            kind = .derived(expr: expr, inputs: inputs)
        case "cumulative":
            let cumulative = YAMLSupport.lookup(params, "cumulative_type_params")
            let windowText = YAMLSupport.string(cumulative, "window") ?? YAMLSupport.string(params, "window")
            let grainText = YAMLSupport.string(cumulative, "grain_to_date") ?? YAMLSupport.string(params, "grain_to_date")
            var window: TimeWindow?
            if let windowText {
                guard let parsed = TimeWindow(parsing: windowText) else {
                    throw SemanticError(.invalidDefinition, "cumulative metric '\(name)' has window '\(windowText)'; write a count and a grain, like `7 days`", at: location)
                }
                window = parsed
            }
            let grain = try grainText.map { try Self.granularity($0, at: location) }
            if window != nil, grain != nil {
                throw SemanticError(.invalidDefinition, "cumulative metric '\(name)' sets both window and grain_to_date; keep one", at: location)
            }
            let periodText = YAMLSupport.string(cumulative, "period_agg") ?? "first"
            guard let periodAgg = PeriodAggregation(rawValue: periodText.lowercased()) else {
                throw SemanticError(.invalidDefinition, "period_agg '\(periodText)' of metric '\(name)' must be first, last or average", at: location)
            }
            kind = .cumulative(try measureInput(YAMLSupport.lookup(params, "measure"), metric: name, at: location),
                               window: window, grainToDate: grain, periodAgg: periodAgg)
        default:
            throw SemanticError(.invalidDefinition, "metric '\(name)' has type '\(typeText)'; Storehouse runs simple, ratio, derived and cumulative metrics", at: location)
        }
        return Metric(name: name, label: YAMLSupport.string(item, "label"), description: YAMLSupport.string(item, "description") ?? "",
                      kind: kind, filters: filters(YAMLSupport.lookup(item, "filter")), location: location)
    }

    func measureInput(_ node: Yams.Node?, metric: String, at location: SourceLocation) throws -> MeasureInput {
        if let node, case .scalar(let s) = node { return MeasureInput(name: s.string, filters: [], fillNullsWith: nil, joinToTimeSpine: false) }
        guard let node, let name = YAMLSupport.string(node, "name") else {
            throw SemanticError(.invalidDefinition, "metric '\(metric)' names no measure; add `type_params: {measure: name}`", at: location)
        }
        return MeasureInput(name: name, filters: filters(YAMLSupport.lookup(node, "filter")),
                            fillNullsWith: YAMLSupport.lookup(node, "fill_nulls_with").flatMap { Self.number(YAMLSupport.value($0)) },
                            joinToTimeSpine: YAMLSupport.lookup(node, "join_to_timespine").flatMap { YAMLSupport.value($0).boolValue } ?? false)
    }

    func metricInput(_ node: Yams.Node?, role: String, metric: String, at location: SourceLocation) throws -> MetricInput {
        if let node, case .scalar(let s) = node { return MetricInput(name: s.string, alias: nil, filters: []) }
        guard let node, let name = YAMLSupport.string(node, "name") else {
            throw SemanticError(.invalidDefinition, "metric '\(metric)' has a \(role) without a metric name; write `name: other_metric`", at: location)
        }
        let here = SourceLocation(file: location.file, line: YAMLSupport.line(node))
        var window: TimeWindow?
        if let text = YAMLSupport.string(node, "offset_window") {
            guard let parsed = TimeWindow(parsing: text) else {
                throw SemanticError(.invalidDefinition, "offset_window '\(text)' of metric '\(metric)' must be a count and a grain, like `1 year`", at: here)
            }
            window = parsed
        }
        let grain = try YAMLSupport.string(node, "offset_to_grain").map { try Self.granularity($0, at: here) }
        return MetricInput(name: name, alias: YAMLSupport.string(node, "alias"), filters: filters(YAMLSupport.lookup(node, "filter")),
                           offsetWindow: window, offsetToGrain: grain)
    }

    func savedQuery(_ item: Yams.Node, file: String) throws -> SavedQuery {
        let location = SourceLocation(file: file, line: YAMLSupport.line(item))
        let name = try required(item, "name", in: "a saved query", at: location)
        let params = YAMLSupport.lookup(item, "query_params")
        let metrics = YAMLSupport.items(YAMLSupport.lookup(params, "metrics")).compactMap { YAMLSupport.value($0).stringValue }
        guard !metrics.isEmpty else {
            throw SemanticError(.invalidDefinition, "saved query '\(name)' lists no metrics under `query_params.metrics`", at: location)
        }
        let groupBy = try YAMLSupport.items(YAMLSupport.lookup(params, "group_by")).compactMap { YAMLSupport.value($0).stringValue }
            .map { try GroupByName.fromJinjaReference($0, at: location) }
        return SavedQuery(name: name, label: YAMLSupport.string(item, "label"), description: YAMLSupport.string(item, "description") ?? "",
                          metrics: metrics, groupBy: groupBy, filters: filters(YAMLSupport.lookup(params, "where")), location: location)
    }

    // MARK: helpers

    func filters(_ node: Yams.Node?) -> [String] {
        guard let node else { return [] }
        if case .scalar(let s) = node { return s.string.isEmpty ? [] : [s.string] }
        return YAMLSupport.items(node).compactMap { YAMLSupport.value($0).stringValue }
    }

    func scalar(_ node: Yams.Node?, _ key: String) -> String? {
        guard let value = YAMLSupport.lookup(node, key), case .scalar(let s) = value else { return nil }
        return s.string
    }

    func required(_ node: Yams.Node, _ key: String, in what: String, at location: SourceLocation) throws -> String {
        guard let value = scalar(node, key), !value.isEmpty else {
            throw SemanticError(.invalidDefinition, "\(what) has no `\(key):`; add it", at: location)
        }
        return value
    }

    static func granularity(_ text: String, at location: SourceLocation) throws -> TimeGranularity {
        guard let grain = TimeGranularity(rawValue: text.lowercased()) else {
            throw SemanticError(.invalidDefinition, "'\(text)' is not a time grain; use one of \(TimeGranularity.allCases.map(\.rawValue).joined(separator: ", "))", at: location)
        }
        return grain
    }

    static func number(_ value: ConfigValue) -> Double? {
        switch value {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .string(let s): return Double(s)
        default: return nil
        }
    }

    /// `ref('fact_orders')` or `ref("fact_orders")` → `fact_orders`.
    static func refTarget(_ text: String, at location: SourceLocation, what: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let pattern = #"^ref\(\s*['"]([^'"]+)['"]\s*\)$"#
        guard let match = trimmed.range(of: pattern, options: .regularExpression) else {
            throw SemanticError(.invalidDefinition, "\(what) has `model: \(text)`; write `model: ref('model_name')`", at: location)
        }
        let inner = trimmed[match].drop { $0 != "(" }.dropFirst().trimmingCharacters(in: CharacterSet(charactersIn: " )'\""))
        return inner
    }
}
