import ColumnLineage
import Foundation
import TransformProject
import WarehouseKit

/// Column lineage across a project: each model's compiled SQL traced one step (to the columns of
/// the relations it reads), model by model in DAG order so a model's columns are known before its
/// children are traced; then chained from any column up to sources and seeds, or down to every
/// column built from it. Relations are named `schema.identifier`, as users write them.
public struct ProjectLineage: Sendable {
    /// Each traced model's lineage, by the relation it builds.
    public var relations: [String: QueryLineage] = [:]
    /// Relation name → the node that builds or declares it.
    public var nodes: [String: String] = [:]
    /// Models that could not be traced, with why.
    public var failures: [String: String] = [:]
    /// The columns of each relation of the project (traced, or as the warehouse has them).
    public var columns: [String: [String]] = [:]

    /// `parse` gives DuckDB's `json_serialize_sql` of a query; `aggregates` are the parser's
    /// aggregate function names. The warehouse gives the columns of sources, seeds and built models.
    public static func compute(project: LoadedProject, warehouse: any Warehouse, aggregates: Set<String>,
                               parse: @Sendable (String) async throws -> Data) async throws -> ProjectLineage {
        let manifest = project.manifest
        var lineage = ProjectLineage()
        var identifiers: [String: [String]] = [:]
        for node in manifest.allResources {
            guard let relation = node.relation, !node.isEphemeral, [.model, .seed, .snapshot, .source].contains(node.resourceType) else { continue }
            let name = Self.name(relation)
            lineage.nodes[name] = node.uniqueId
            identifiers[relation.identifier.lowercased(), default: []].append(name)
        }
        let built = try await warehouseColumns(warehouse).mapValues { $0.map { $0.lowercased() } }
        var known: [String: [String]] = built
        func relation(for path: [String]) -> KnownRelation? {
            let name = path.count >= 2 ? path.suffix(2).joined(separator: ".") : (identifiers[path[0]]?.count == 1 ? identifiers[path[0]]![0] : path[0])
            return known[name].map { KnownRelation(name: name, columns: $0) }
        }
        let compiler = Compiler(project: project, host: OfflineHost(dialect: project.dialect))
        for id in project.dag.topologicalOrder {
            guard let node = manifest.nodes[id], node.resourceType == .model, !node.isEphemeral, let target = node.relation else { continue }
            let name = Self.name(target)
            do {
                let sql = try compiler.compile(id).sql
                let tree = try await parse(sql)
                let analyzer = LineageAnalyzer(aggregates: aggregates, catalog: relation(for:))
                let traced = try analyzer.analyze(json: tree, outputNames: built[name])
                lineage.relations[name] = traced
                known[name] = traced.columns.map { $0.name.lowercased() }
            } catch {
                lineage.failures[name] = "\(error)"
            }
        }
        lineage.columns = known.filter { lineage.nodes[$0.key] != nil }
        return lineage
    }

    static func name(_ relation: QualifiedRelation) -> String { relation.lowercasedName }

    /// Every relation's columns in the warehouse, in order, by `schema.table`.
    static func warehouseColumns(_ warehouse: any Warehouse) async throws -> [String: [String]] {
        let rows = try await warehouse.read { db in
            try await db.query(SQL(unsafeRaw: """
                select table_schema, table_name, column_name from information_schema.columns
                where table_schema not in ('information_schema', 'pg_catalog')
                order by table_schema, table_name, ordinal_position
                """)).rows
        }
        var columns: [String: [String]] = [:]
        for row in rows where row.count == 3 {
            guard let schema = row[0].string, let table = row[1].string, let column = row[2].string else { continue }
            columns["\(schema).\(table)".lowercased(), default: []].append(column)
        }
        return columns
    }

    // MARK: walking the graph

    /// A column and what it comes from (upstream) or feeds (downstream), as a tree.
    public struct Step: Sendable {
        public var column: ColumnSource
        /// How this column comes from the one above it in the tree (upstream), or how the one
        /// below comes from it (downstream); nil at the root.
        public var derivation: ColumnDerivation?
        /// Why the column's lineage stops here: it could not be traced.
        public var untraceable: String?
        public var next: [Step]
    }

    /// `schema.relation.column` (or `relation.column` when the name is unique) as a column.
    public func column(named text: String) -> ColumnSource? {
        let parts = text.lowercased().split(separator: ".").map(String.init)
        guard parts.count >= 2 else { return nil }
        let column = parts.last!
        var relation = parts.dropLast().suffix(2).joined(separator: ".")
        if nodes[relation] == nil, relations[relation] == nil {
            let matches = nodes.keys.filter { $0.hasSuffix("." + relation) }
            guard matches.count == 1 else { return nil }
            relation = matches[0]
        }
        guard columns[relation]?.contains(column) ?? false else { return nil }
        return ColumnSource(relation, column)
    }

    /// Every column of the project's relations that lineage can start from, `schema.relation.column`.
    public var columnNames: [String] {
        columns.flatMap { relation, names in names.map { "\(relation).\($0)" } }.sorted()
    }

    public func upstream(of column: ColumnSource, seen: Set<ColumnSource> = []) -> Step {
        guard let traced = relations[column.relation] else {
            return Step(column: column, derivation: nil, untraceable: failures[column.relation], next: [])
        }
        guard let output = traced.column(column.column) else {
            return Step(column: column, derivation: nil, untraceable: "\(column.relation) has no column \(column.column)", next: [])
        }
        let next = output.sources.sorted().filter { !seen.contains($0) }.map { source -> Step in
            var step = upstream(of: source, seen: seen.union([column]))
            step.derivation = output.derivation
            return step
        }
        return Step(column: column, derivation: nil, untraceable: output.untraceable, next: next)
    }

    public func downstream(of column: ColumnSource, seen: Set<ColumnSource> = []) -> Step {
        var next: [Step] = []
        for (relation, traced) in relations.sorted(by: { $0.key < $1.key }) {
            for output in traced.columns where output.sources.contains(column) {
                let child = ColumnSource(relation, output.name.lowercased())
                guard !seen.contains(child) else { continue }
                var step = downstream(of: child, seen: seen.union([column]))
                step.derivation = output.derivation
                next.append(step)
            }
        }
        return Step(column: column, derivation: nil, untraceable: nil, next: next)
    }

    /// The columns a change to `column` touches, by relation: the column itself and every
    /// column built from it (impact analysis).
    public func affectedColumns(by column: ColumnSource) -> [String: Set<String>] {
        var columns: [String: Set<String>] = [:]
        func visit(_ step: Step) {
            columns[step.column.relation, default: []].insert(step.column.column)
            step.next.forEach(visit)
        }
        visit(downstream(of: column))
        return columns
    }

    /// The sources and seeds a column comes from in the end (the leaves of its upstream tree),
    /// and the reasons where the chain breaks.
    public func origins(of column: ColumnSource) -> (columns: Set<ColumnSource>, untraceable: [String]) {
        var columns: Set<ColumnSource> = []
        var problems: [String] = []
        func visit(_ step: Step) {
            if let problem = step.untraceable { problems.append("\(step.column): \(problem)") }
            if step.next.isEmpty, step.untraceable == nil, relations[step.column.relation] == nil { columns.insert(step.column) }
            step.next.forEach(visit)
        }
        visit(upstream(of: column))
        return (columns, problems)
    }
}
