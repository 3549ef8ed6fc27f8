/// What a user can ask of the semantic layer: which dimensions metrics can be grouped by.
public struct MetricCatalogue: Sendable {
    public let semantics: SemanticManifest

    public init(_ semantics: SemanticManifest) { self.semantics = semantics }

    public struct GroupableDimension: Sendable, Hashable {
        public var name: String
        public var isTime: Bool
        /// The grains a time dimension can be grouped at (its own and coarser).
        public var grains: [TimeGranularity]
        public var description: String
    }

    /// Dimensions every one of `metrics` can be grouped by (each of their measures reaches it
    /// without fan-out), `metric_time` first, then by name.
    public func dimensions(of metrics: [String]) throws -> [GroupableDimension] {
        var common: [String: GroupableDimension]?
        for name in metrics {
            let metric = try semantics.requireMetric(name)
            for measureName in semantics.measures(of: metric) {
                guard let (model, measure) = semantics.measure(named: measureName) else { continue }
                var reachable = reachableDimensions(from: model)
                if measure.aggTimeDimension ?? model.defaultAggTimeDimension != nil {
                    reachable[GroupByName.metricTimeName] = GroupableDimension(name: GroupByName.metricTimeName, isTime: true,
                        grains: TimeGranularity.allCases.filter { $0 >= .day }, description: "The time each metric aggregates over")
                }
                common = common.map { $0.filter { reachable[$0.key] != nil } } ?? reachable
            }
        }
        return (common ?? [:]).values.sorted {
            ($0.name == GroupByName.metricTimeName ? 0 : 1, $0.name) < ($1.name == GroupByName.metricTimeName ? 0 : 1, $1.name)
        }
    }

    func reachableDimensions(from root: SemanticModel) -> [String: GroupableDimension] {
        var found: [String: GroupableDimension] = [:]
        func add(_ prefix: String, _ dimension: Dimension) {
            let grains = dimension.type == .time ? TimeGranularity.allCases.filter { $0 >= (dimension.timeGranularity ?? .day) } : []
            found["\(prefix)__\(dimension.name)"] = GroupableDimension(name: "\(prefix)__\(dimension.name)", isTime: dimension.type == .time,
                                                                     grains: grains, description: dimension.description)
        }
        if let declared = root.declaredPrimaryEntity { root.dimensions.forEach { add(declared, $0) } }
        for entity in root.entities {
            found[entity.name] = GroupableDimension(name: entity.name, isTime: false, grains: [], description: "The \(entity.name) key")
            if entity.isOneRowPerValue { root.dimensions.forEach { add(entity.name, $0) } }
            for model in semantics.semanticModels where model.name != root.name {
                guard let other = model.entity(named: entity.name), other.isOneRowPerValue else { continue }
                model.dimensions.forEach { add(entity.name, $0) }
            }
        }
        return found
    }
}
