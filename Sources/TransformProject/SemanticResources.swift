import Foundation
import Yams

/// A semantic model, metric or saved query as dbt-core writes it into manifest.json: dbt parses
/// these MetricFlow definitions with the project, and tools built on dbt's artifacts (MetricFlow,
/// catalogues, lineage tools) read them from there. Querying them is the SemanticLayer's job;
/// this is only their manifest form.
public struct SemanticResource: Sendable, Equatable {
    /// `semantic_model`, `metric` or `saved_query`.
    public var resourceType: String
    public var uniqueId: String
    /// The entry in dbt's key order, without `created_at` (added when written).
    public var json: ConfigValue
    /// Unique ids of what it reads: a model, semantic models or metrics (`depends_on.nodes`).
    public var parents: [String]
}

/// Builds `SemanticResource`s from the project's property files, filling in every default dbt-core
/// 1.11 writes (the fixture `semantic_manifest` holds dbt's own output for each construct).
struct SemanticResourceBuilder {
    /// The project's manifest: its models (`model: ref('…')` resolves as any ref) and target.
    let manifest: Manifest
    /// A property file's folders under its model path and its path there (`Loader.split`).
    let locate: (String) -> (folders: [String], path: String)

    var projectName: String { manifest.projectName }
    var target: TargetProfile { manifest.target }

    /// A metric as read, before the measures behind ratios and derived metrics are resolved.
    private struct PendingMetric {
        var name: String
        var id: String
        var entries: [(String, ConfigValue)]
        var type: String
        var measures: [ConfigValue]  // input measures of simple, cumulative and conversion metrics
        var metricInputs: [String]   // metric names of ratio and derived metrics
    }

    func build(files: [(path: String, document: Yams.Node)]) -> [SemanticResource] {
        var semanticModels: [SemanticResource] = []
        var measureOwner: [String: String] = [:]
        var pending: [PendingMetric] = []
        var savedQueries: [(path: String, item: Yams.Node)] = []
        for (path, document) in files {
            for item in YAMLSupport.items(YAMLSupport.lookup(document, "semantic_models")) where enabled(item) {
                guard let (model, created) = semanticModel(item, path: path) else { continue }
                semanticModels.append(model)
                for measure in YAMLSupport.items(YAMLSupport.lookup(item, "measures")) {
                    if let name = YAMLSupport.string(measure, "name") { measureOwner[name] = model.uniqueId }
                }
                pending += created
            }
            for item in YAMLSupport.items(YAMLSupport.lookup(document, "metrics")) where enabled(item) {
                if let metric = metric(item, path: path) { pending.append(metric) }
            }
            for item in YAMLSupport.items(YAMLSupport.lookup(document, "saved_queries")) where enabled(item) {
                savedQueries.append((path, item))
            }
        }
        let byName = Dictionary(pending.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        // A ratio or derived metric lists the measures of the metrics it reads, each once.
        func inputMeasures(_ metric: PendingMetric, seen: Set<String>) -> [ConfigValue] {
            guard metric.type == "ratio" || metric.type == "derived" else { return metric.measures }
            var out: [ConfigValue] = []
            for name in metric.metricInputs where !seen.contains(name) {
                guard let input = byName[name] else { continue }
                for measure in inputMeasures(input, seen: seen.union([name])) where !out.contains(measure) { out.append(measure) }
            }
            return out
        }
        var metrics: [SemanticResource] = []
        for metric in pending {
            var parents: [String] = []
            if metric.type == "ratio" || metric.type == "derived" {
                parents = metric.metricInputs.compactMap { byName[$0]?.id }
            } else {
                parents = metric.measures.compactMap { $0["name"]?.stringValue.flatMap { measureOwner[$0] } }
            }
            parents = parents.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
            var entries = metric.entries
            if let at = entries.firstIndex(where: { $0.0 == "type_params" }), case .dict(var params) = entries[at].1,
               let slot = params.firstIndex(where: { $0.0 == "input_measures" }) {
                params[slot].1 = .list(inputMeasures(metric, seen: [metric.name]))
                entries[at].1 = .dict(params)
            }
            if let at = entries.firstIndex(where: { $0.0 == "depends_on" }) {
                entries[at].1 = .dict([("macros", .list([])), ("nodes", .list(parents.map(ConfigValue.string)))])
            }
            metrics.append(SemanticResource(resourceType: "metric", uniqueId: metric.id, json: .dict(entries), parents: parents))
        }
        let queries = savedQueries.map { savedQuery($0.item, path: $0.path, metricIds: byName.mapValues(\.id)) }
        return semanticModels + metrics + queries
    }

    // MARK: semantic models

    private func semanticModel(_ item: Yams.Node, path: String) -> (SemanticResource, [PendingMetric])? {
        guard let name = YAMLSupport.string(item, "name") else { return nil }
        let id = "semantic_model.\(projectName).\(name)"
        let reference = YAMLSupport.string(item, "model") ?? ""
        let ref = RefScanner.scan(reference).0.first
        let model = ref.flatMap { manifest.refTarget($0.name, package: $0.package, from: projectName) }
        let config = value(item, "config")
        let meta = config["meta"] ?? .dict([])
        func part(_ node: Yams.Node, _ keys: [(String, (Yams.Node) -> ConfigValue)]) -> ConfigValue {
            .dict(keys.map { ($0.0, $0.1(node)) } + [("config", .dict([("meta", merged(meta, value(node, "config")["meta"]))]))])
        }
        let entities = YAMLSupport.items(YAMLSupport.lookup(item, "entities")).map { entity in
            part(entity, [("name", { value($0, "name") }), ("type", { value($0, "type") }), ("description", { value($0, "description") }),
                          ("label", { value($0, "label") }), ("role", { value($0, "role") }), ("expr", { value($0, "expr") })])
        }
        var created: [PendingMetric] = []
        let measures = YAMLSupport.items(YAMLSupport.lookup(item, "measures")).map { measure -> ConfigValue in
            let percentile = value(measure, "agg_params")
            let nonAdditive = value(measure, "non_additive_dimension")
            if value(measure, "create_metric") == .bool(true), let measureName = YAMLSupport.string(measure, "name") {
                created.append(createdMetric(measure, name: measureName, path: path, meta: meta))
            }
            return part(measure, [
                ("name", { value($0, "name") }), ("agg", { value($0, "agg") }), ("description", { value($0, "description") }),
                ("label", { value($0, "label") }), ("create_metric", { _ in .bool(false) }), ("expr", { value($0, "expr") }),
                ("agg_params", { _ in percentile.isNull ? .null : .dict([
                    ("percentile", percentile["percentile"] ?? .null),
                    ("use_discrete_percentile", percentile["use_discrete_percentile"] ?? .bool(false)),
                    ("use_approximate_percentile", percentile["use_approximate_percentile"] ?? .bool(false)),
                ]) }),
                ("non_additive_dimension", { _ in nonAdditive.isNull ? .null : .dict([
                    ("name", nonAdditive["name"] ?? .null), ("window_choice", nonAdditive["window_choice"] ?? .string("min")),
                    ("window_groupings", nonAdditive["window_groupings"] ?? .list([])),
                ]) }),
                ("agg_time_dimension", { value($0, "agg_time_dimension") }),
            ])
        }
        let dimensions = YAMLSupport.items(YAMLSupport.lookup(item, "dimensions")).map { dimension -> ConfigValue in
            let params = value(dimension, "type_params")
            return part(dimension, [
                ("name", { value($0, "name") }), ("type", { value($0, "type") }), ("description", { value($0, "description") }),
                ("label", { value($0, "label") }), ("is_partition", { value($0, "is_partition").isNull ? .bool(false) : value($0, "is_partition") }),
                ("type_params", { _ in params.isNull ? .null : .dict([
                    ("time_granularity", params["time_granularity"] ?? .null), ("validity_params", params["validity_params"] ?? .null),
                ]) }),
                ("expr", { value($0, "expr") }), ("metadata", { _ in .null }),
            ])
        }
        let relation: ConfigValue = model?.relation.map { relation in
            .dict([("alias", .string(relation.identifier)), ("schema_name", .string(relation.schema)),
                   ("database", relation.database.map(ConfigValue.string) ?? .null), ("relation_name", .string(relation.description))])
        } ?? .null
        let defaults = value(item, "defaults")
        let json = ConfigValue.dict(header(name: name, type: "semantic_model", id: id, path: path) + [
            ("model", .string(reference)), ("node_relation", relation),
            ("description", value(item, "description")), ("label", value(item, "label")),
            ("defaults", defaults.isNull ? .null : .dict([("agg_time_dimension", defaults["agg_time_dimension"] ?? .null)])),
            ("entities", .list(entities)), ("measures", .list(measures)), ("dimensions", .list(dimensions)), ("metadata", .null),
            ("depends_on", .dict([("macros", .list([])), ("nodes", .list(model.map { [.string($0.uniqueId)] } ?? []))])),
            ("refs", .list(ref.map { [.dict([("name", .string($0.name)), ("package", $0.package.map(ConfigValue.string) ?? .null), ("version", .null)])] } ?? [])),
            ("config", .dict([("enabled", .bool(true)), ("group", config["group"] ?? .null), ("meta", meta)])),
            ("unrendered_config", config.isNull ? .dict([]) : config),
            ("primary_entity", value(item, "primary_entity")), ("group", config["group"] ?? .null),
        ])
        return (SemanticResource(resourceType: "semantic_model", uniqueId: id, json: json, parents: model.map { [$0.uniqueId] } ?? []), created)
    }

    /// The simple metric `create_metric: true` makes of a measure.
    private func createdMetric(_ measure: Yams.Node, name: String, path: String, meta: ConfigValue) -> PendingMetric {
        let input = Self.measureInput(.string(name))
        let label = value(measure, "label")
        var unrendered: [(String, ConfigValue)] = [("enabled", .bool(true))]
        if meta != .dict([]) { unrendered.append(("meta", meta)) }
        let description = value(measure, "description")
        return metricEntries(name: name, path: path, type: "simple", description: description.isNull ? .string("") : description,
                             label: label.isNull ? .string(name) : label, typeParams: [("measure", input), ("expr", value(measure, "expr"))],
                             filter: .null, timeGranularity: .null, meta: meta, tags: .list([]), unrendered: .dict(unrendered),
                             measures: [input], metricInputs: [])
    }

    // MARK: metrics

    private func metric(_ item: Yams.Node, path: String) -> PendingMetric? {
        guard let name = YAMLSupport.string(item, "name") else { return nil }
        let type = (YAMLSupport.string(item, "type") ?? "simple").lowercased()
        let params = value(item, "type_params")
        var typeParams: [(String, ConfigValue)] = []
        var measures: [ConfigValue] = []
        var metricInputs: [String] = []
        switch type {
        case "ratio":
            let numerator = Self.metricInput(params["numerator"] ?? .null), denominator = Self.metricInput(params["denominator"] ?? .null)
            typeParams = [("numerator", numerator), ("denominator", denominator)]
            metricInputs = [numerator, denominator].compactMap { $0["name"]?.stringValue }
        case "derived":
            let inputs = (params["metrics"]?.listValue ?? []).map(Self.metricInput)
            typeParams = [("expr", params["expr"] ?? .null), ("metrics", .list(inputs))]
            metricInputs = inputs.compactMap { $0["name"]?.stringValue }
        case "conversion":
            let conversion = params["conversion_type_params"] ?? .null
            let base = Self.measureInput(conversion["base_measure"] ?? .null), converted = Self.measureInput(conversion["conversion_measure"] ?? .null)
            measures = [base, converted]
            typeParams = [("conversion_type_params", .dict([
                ("base_measure", base), ("conversion_measure", converted), ("entity", conversion["entity"] ?? .null),
                ("calculation", conversion["calculation"] ?? .string("conversion_rate")),
                ("window", Self.window(conversion["window"] ?? .null)),
                ("constant_properties", conversion["constant_properties"] ?? .null),
            ]))]
        default:
            let measure = Self.measureInput(params["measure"] ?? .null)
            measures = [measure]
            typeParams = [("measure", measure)]
            if type == "cumulative" {
                let cumulative = params["cumulative_type_params"] ?? .dict([])
                typeParams.append(("cumulative_type_params", .dict([
                    ("window", Self.window(cumulative["window"] ?? params["window"] ?? .null)),
                    ("grain_to_date", cumulative["grain_to_date"] ?? params["grain_to_date"] ?? .null),
                    ("period_agg", cumulative["period_agg"] ?? .string("first")), ("metric", .null),
                ])))
            }
        }
        let config = value(item, "config")
        let meta = merged(value(item, "meta").isNull ? .dict([]) : value(item, "meta"), config["meta"])
        let tags = value(item, "tags")
        let description = value(item, "description")
        return metricEntries(name: name, path: path, type: type, description: description.isNull ? .string("") : description,
                             label: value(item, "label"), typeParams: typeParams, filter: Self.whereFilters(value(item, "filter")),
                             timeGranularity: value(item, "time_granularity"), meta: meta,
                             tags: tags.stringValue.map { .list([.string($0)]) } ?? (tags.isNull ? .list([]) : tags),
                             unrendered: config.isNull ? .dict([]) : config, measures: measures, metricInputs: metricInputs)
    }

    private func metricEntries(name: String, path: String, type: String, description: ConfigValue, label: ConfigValue,
                               typeParams: [(String, ConfigValue)], filter: ConfigValue, timeGranularity: ConfigValue, meta: ConfigValue,
                               tags: ConfigValue, unrendered: ConfigValue, measures: [ConfigValue], metricInputs: [String]) -> PendingMetric {
        let id = "metric.\(projectName).\(name)"
        func param(_ key: String, _ fallback: ConfigValue = .null) -> ConfigValue { typeParams.first { $0.0 == key }?.1 ?? fallback }
        let cumulative = param("cumulative_type_params")
        let entries: [(String, ConfigValue)] = header(name: name, type: "metric", id: id, path: path) + [
            ("description", description), ("label", label), ("type", .string(type)),
            ("type_params", .dict([
                ("measure", param("measure")), ("input_measures", .list([])), ("numerator", param("numerator")),
                ("denominator", param("denominator")), ("expr", param("expr")), ("window", .null), ("grain_to_date", .null),
                ("metrics", param("metrics", .list([]))), ("conversion_type_params", param("conversion_type_params")),
                ("cumulative_type_params", cumulative), ("metric_aggregation_params", .null),
            ])),
            ("filter", filter), ("metadata", .null), ("time_granularity", timeGranularity), ("meta", meta), ("tags", tags),
            ("config", .dict([("enabled", .bool(true)), ("group", unrendered["group"] ?? .null), ("meta", meta)])),
            ("unrendered_config", unrendered), ("sources", .list([])),
            ("depends_on", .dict([("macros", .list([])), ("nodes", .list([]))])), ("refs", .list([])), ("metrics", .list([])),
            ("group", unrendered["group"] ?? .null),
        ]
        return PendingMetric(name: name, id: id, entries: entries, type: type, measures: measures, metricInputs: metricInputs)
    }

    // MARK: saved queries

    private func savedQuery(_ item: Yams.Node, path: String, metricIds: [String: String]) -> SemanticResource {
        let name = YAMLSupport.string(item, "name") ?? ""
        let id = "saved_query.\(projectName).\(name)"
        let params = value(item, "query_params")
        let metrics = (params["metrics"]?.listValue ?? []).compactMap(\.stringValue)
        let config = value(item, "config")
        let exports = YAMLSupport.items(YAMLSupport.lookup(item, "exports")).map { export -> ConfigValue in
            let exportName = value(export, "name")
            let written = value(export, "config")
            return .dict([("name", exportName), ("config", .dict([
                ("export_as", written["export_as"] ?? config["export_as"] ?? .string("table")),
                ("schema_name", written["schema"] ?? config["schema"] ?? .string(target.schema)),
                ("alias", written["alias"] ?? exportName), ("database", .string(target.database)),
            ])), ("unrendered_config", written.isNull ? .dict([]) : written)])
        }
        let parents = metrics.compactMap { metricIds[$0] }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let cache = config["cache"]
        let json = ConfigValue.dict(header(name: name, type: "saved_query", id: id, path: path) + [
            ("query_params", .dict([
                ("metrics", .list(metrics.map(ConfigValue.string))), ("group_by", params["group_by"] ?? .list([])),
                ("where", Self.whereFilters(params["where"] ?? .null)), ("order_by", params["order_by"] ?? .list([])),
                ("limit", params["limit"] ?? .null),
            ])),
            ("exports", .list(exports)), ("description", value(item, "description")), ("label", value(item, "label")), ("metadata", .null),
            ("config", .dict([
                ("enabled", .bool(true)), ("group", config["group"] ?? .null), ("meta", config["meta"] ?? .dict([])),
                ("export_as", config["export_as"] ?? .null), ("schema", config["schema"] ?? .null),
                ("cache", .dict([("enabled", cache?["enabled"] ?? .bool(false))])),
            ])),
            ("unrendered_config", config.isNull ? .dict([]) : config), ("group", config["group"] ?? .null),
            ("depends_on", .dict([("macros", .list([])), ("nodes", .list(parents.map(ConfigValue.string)))])),
            ("refs", .list([])), ("tags", .list([])),
        ])
        return SemanticResource(resourceType: "saved_query", uniqueId: id, json: json, parents: parents)
    }

    // MARK: pieces

    private func header(name: String, type: String, id: String, path: String) -> [(String, ConfigValue)] {
        let (folders, relative) = locate(path)
        return [("name", .string(name)), ("resource_type", .string(type)), ("package_name", .string(projectName)),
                ("path", .string(relative)), ("original_file_path", .string(path)), ("unique_id", .string(id)),
                ("fqn", .list(([projectName] + folders + [name]).map(ConfigValue.string)))]
    }

    private func value(_ node: Yams.Node?, _ key: String) -> ConfigValue {
        YAMLSupport.lookup(node, key).map(YAMLSupport.value) ?? .null
    }

    private func enabled(_ item: Yams.Node) -> Bool { value(item, "config")["enabled"] != .bool(false) }

    /// `base` with the entries of `override` on top (a child's meta over its semantic model's).
    private func merged(_ base: ConfigValue, _ override: ConfigValue?) -> ConfigValue {
        guard case .dict(var entries) = base, case .dict(let extra)? = override else { return base.isNull ? (override ?? .dict([])) : base }
        for (key, value) in extra {
            if let at = entries.firstIndex(where: { $0.0 == key }) { entries[at].1 = value } else { entries.append((key, value)) }
        }
        return .dict(entries)
    }

    /// A measure named by a string or a mapping, with dbt's defaults.
    static func measureInput(_ written: ConfigValue) -> ConfigValue {
        if written.isNull { return .null }
        let name = written.stringValue.map(ConfigValue.string) ?? written["name"] ?? .null
        return .dict([("name", name), ("filter", whereFilters(written["filter"] ?? .null)), ("alias", written["alias"] ?? .null),
                      ("join_to_timespine", written["join_to_timespine"] ?? .bool(false)), ("fill_nulls_with", written["fill_nulls_with"] ?? .null)])
    }

    /// A metric named by a string or a mapping (ratio numerators, derived inputs).
    static func metricInput(_ written: ConfigValue) -> ConfigValue {
        if written.isNull { return .null }
        let name = written.stringValue.map(ConfigValue.string) ?? written["name"] ?? .null
        return .dict([("name", name), ("filter", whereFilters(written["filter"] ?? .null)), ("alias", written["alias"] ?? .null),
                      ("offset_window", window(written["offset_window"] ?? .null)), ("offset_to_grain", written["offset_to_grain"] ?? .null)])
    }

    /// `filter:` as one string or a list → `{"where_filters": [{"where_sql_template": …}]}`.
    static func whereFilters(_ written: ConfigValue) -> ConfigValue {
        let templates: [ConfigValue]
        switch written {
        case .string: templates = [written]
        case .list(let items): templates = items
        default: return .null
        }
        return .dict([("where_filters", .list(templates.map { .dict([("where_sql_template", $0)]) }))])
    }

    /// `7 days` → {"count": 7, "granularity": "day"}.
    static func window(_ written: ConfigValue) -> ConfigValue {
        guard let text = written.stringValue else { return written.isNull ? .null : written }
        let parts = text.split(separator: " ")
        guard parts.count == 2, let count = Int(parts[0]) else { return .dict([("count", .null), ("granularity", written)]) }
        var granularity = parts[1].lowercased()
        if granularity.hasSuffix("s") { granularity.removeLast() }
        return .dict([("count", .int(count)), ("granularity", .string(granularity))])
    }
}
