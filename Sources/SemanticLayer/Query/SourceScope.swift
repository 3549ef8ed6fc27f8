/// The rows one measure is aggregated over: its semantic model, joined to the models that hold
/// the dimensions a query asks for. Joins follow entities and only ever reach one row per key
/// (foreign → primary/unique/natural), as MetricFlow's do; a join that would repeat the
/// measure's rows (fan-out) is refused.
///
/// Every model enters as a subquery naming its expressions (`e__customer`, `d__segment`,
/// `m__revenue`), so `expr:` text is written against the model's own columns and never clashes
/// with another model's.
final class SourceScope {
    let semantics: SemanticManifest
    let root: SemanticModel
    private(set) var joins: [Join] = []
    /// Columns each alias's subquery must expose: (expression over the model, exposed name).
    private var exposed: [String: [(expr: String, name: String)]] = [:]

    struct Join {
        var path: [String]
        var model: SemanticModel
        var alias: String
        var parentAlias: String
        var parentEntity: Entity
        var entity: Entity
    }

    static let rootAlias = "s0"

    init(semantics: SemanticManifest, root: SemanticModel) {
        self.semantics = semantics
        self.root = root
    }

    /// `s0."m__revenue"` for a measure of the root model.
    func measureColumn(_ measure: Measure) -> String {
        column(alias: Self.rootAlias, expr: measure.expr, name: "m__" + measure.name)
    }

    /// An expression over the root model's own columns, exposed as `name` (a model column as
    /// itself, for reading the model's rows).
    func rootExpression(_ expr: String, name: String) -> String {
        column(alias: Self.rootAlias, expr: expr, name: name)
    }

    /// A time dimension of the root model, as a column.
    func rootTimeDimension(_ name: String) throws -> (column: String, dimension: Dimension) {
        guard let dimension = root.dimension(named: name), dimension.type == .time else {
            throw SemanticError(.invalidDefinition, "semantic model '\(root.name)' has no time dimension '\(name)'"
                + SemanticError.suggestion(for: name, among: root.dimensions.filter { $0.type == .time }.map(\.name)), at: root.location)
        }
        return (column(alias: Self.rootAlias, expr: dimension.expr, name: "d__" + name), dimension)
    }

    /// The SQL for a dimension or entity named from this measure's point of view (not metric_time).
    func resolve(_ name: GroupByName) throws -> (column: String, dimension: Dimension?) {
        precondition(!name.isMetricTime)
        if name.isEntity {
            let entityName = name.entityPath[0]
            guard let entity = root.entity(named: entityName) else {
                throw unknown(name)
            }
            return (column(alias: Self.rootAlias, expr: entity.expr, name: "e__" + entity.name), nil)
        }
        let element = name.element!
        // A dimension of the measure's own model, named through the model's own key.
        if name.entityPath.count == 1, let local = root.dimension(named: element), root.isOwnEntity(name.entityPath[0]) {
            return (column(alias: Self.rootAlias, expr: local.expr, name: "d__" + element), local)
        }
        var alias = Self.rootAlias
        var current = root
        for (index, entityName) in name.entityPath.enumerated() {
            guard let parentEntity = current.entity(named: entityName) else { throw unknown(name) }
            let isLast = index == name.entityPath.count - 1
            let nextNeeded = isLast ? nil : name.entityPath[index + 1]
            let holders = semantics.semanticModels.filter { model in
                model.name != current.name && model.entity(named: entityName) != nil
                    && (isLast ? model.dimension(named: element) != nil : model.entity(named: nextNeeded!) != nil)
            }
            guard let target = holders.first(where: { $0.entity(named: entityName)!.isOneRowPerValue }) else {
                if let fanning = holders.first {
                    throw SemanticError(.fanOut, "'\(name)' cannot be grouped by for measures of '\(root.name)': semantic model "
                        + "'\(fanning.name)' has entity '\(entityName)' as \(fanning.entity(named: entityName)!.type.rawValue), so joining it "
                        + "would repeat each row of '\(current.name)' once per matching row and count it several times. Group by a "
                        + "dimension of a model where '\(entityName)' is primary or unique, or define the metric on '\(fanning.name)'")
                }
                throw unknown(name)
            }
            let path = Array(name.entityPath[...index])
            if let existing = joins.first(where: { $0.path == path && $0.model.name == target.name }) {
                alias = existing.alias
            } else {
                let join = Join(path: path, model: target, alias: "s\(joins.count + 1)", parentAlias: alias,
                                parentEntity: parentEntity, entity: target.entity(named: entityName)!)
                joins.append(join)
                _ = column(alias: join.parentAlias, expr: parentEntity.expr, name: "e__" + entityName)
                _ = column(alias: join.alias, expr: join.entity.expr, name: "e__" + entityName)
                alias = join.alias
            }
            current = target
        }
        let dimension = current.dimension(named: element)!
        return (column(alias: alias, expr: dimension.expr, name: "d__" + element), dimension)
    }

    /// `from (select …) s0 left join (select …) s1 on …`, with only the columns used.
    func fromClause() -> String {
        var text = "from " + subquery(root, alias: Self.rootAlias)
        for join in joins {
            text += "\nleft outer join " + subquery(join.model, alias: join.alias)
                + " on \(join.parentAlias).\(SQLText.quote("e__" + join.parentEntity.name)) = \(join.alias).\(SQLText.quote("e__" + join.entity.name))"
        }
        return text
    }

    private func subquery(_ model: SemanticModel, alias: String) -> String {
        let columns = exposed[alias, default: []]
        let list = columns.isEmpty ? "1 as \(SQLText.quote("__row"))" : columns.map { "\($0.expr) as \(SQLText.quote($0.name))" }.joined(separator: ", ")
        return "(select \(list) from \(model.relation)) \(alias)"
    }

    private func column(alias: String, expr: String, name: String) -> String {
        if !exposed[alias, default: []].contains(where: { $0.name == name }) {
            exposed[alias, default: []].append((expr, name))
        }
        return "\(alias).\(SQLText.quote(name))"
    }

    /// Every name this measure can be grouped by, for suggestions.
    func reachableNames() -> [String] {
        var names: [String] = root.entities.map(\.name)
        for entity in root.entities.map(\.name) + [root.declaredPrimaryEntity].compactMap({ $0 }) where root.isOwnEntity(entity) {
            names += root.dimensions.map { "\(entity)__\($0.name)" }
        }
        for entity in root.entities {
            for model in semantics.semanticModels where model.name != root.name {
                guard let other = model.entity(named: entity.name), other.isOneRowPerValue else { continue }
                names += model.dimensions.map { "\(entity.name)__\($0.name)" }
            }
        }
        return names + [GroupByName.metricTimeName]
    }

    private func unknown(_ name: GroupByName) -> SemanticError {
        SemanticError(.unknownDimension, "'\(name.baseName)' is not a dimension or entity reachable from semantic model '\(root.name)'"
            + SemanticError.suggestion(for: name.baseName, among: reachableNames())
            + "; `storehouse metrics dimensions --metrics …` lists what a metric can be grouped by")
    }
}
