import Foundation

/// Column-level lineage of one SELECT from DuckDB's parse tree (`json_serialize_sql`): for each
/// output column, the columns of the query's relations it comes from and how; for the query, the
/// columns it joins, filters and groups on. Pure: the tree and a catalog in, lineage out.
///
/// Names are matched without regard to case, as DuckDB does. `select *` expands through the
/// catalog; a relation the catalog does not know accepts any qualified column name but cannot
/// be expanded, and a column that cannot be resolved is reported as untraceable with the reason,
/// never guessed.
public struct LineageAnalyzer {
    /// The relation a path in FROM names (`["wh", "main", "orders"]`, lowercased), if known.
    let catalog: ([String]) -> KnownRelation?
    /// Lowercased names of aggregate functions (sum, count, …): the parse tree does not say.
    let aggregates: Set<String>

    public init(aggregates: Set<String>, catalog: @escaping ([String]) -> KnownRelation?) {
        self.aggregates = aggregates
        self.catalog = catalog
    }

    /// Lineage of the first statement of `json_serialize_sql`'s output.
    public func analyze(json: Data, outputNames: [String]? = nil) throws -> QueryLineage {
        guard let root = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw LineageError("the parser's answer is not a JSON object")
        }
        if root["error"] as? Bool == true {
            throw LineageError((root["error_message"] as? String) ?? "the statement could not be parsed")
        }
        guard let statement = (root["statements"] as? [[String: Any]])?.first, let node = statement["node"] as? [String: Any] else {
            throw LineageError("no statement to trace")
        }
        var walk = Walk(analyzer: self)
        let relation = walk.query(node, scope: nil)
        var columns = relation.columns.map(\.output)
        if let outputNames, outputNames.count == columns.count {
            for index in columns.indices { columns[index].name = outputNames[index] }
        }
        return QueryLineage(columns: columns, joinKeys: walk.joinKeys, filters: walk.filters, groupKeys: walk.groupKeys)
    }
}

/// A relation in scope while walking: a catalog table, a CTE or a subquery's result.
struct ScopedRelation {
    struct Column {
        var output: OutputColumn
        var key: String { output.name.lowercased() }
    }

    /// The names a query may qualify its columns with (the alias, else the table name).
    var scopeName: String
    /// For tables: the path as written, lowercased, to match `schema.table.column` references.
    var path: [String] = []
    var columns: [Column]
    /// A table the catalog does not know: any column name resolves to `catalogName.column`.
    var openName: String?

    func column(_ name: String) -> OutputColumn? {
        let key = name.lowercased()
        if let found = columns.first(where: { $0.key == key }) { return found.output }
        if let openName { return OutputColumn(name: name, derivation: .identity, sources: [ColumnSource(openName, key)]) }
        return nil
    }
}

/// What is visible where a query is walked: its FROM relations, its CTEs, and the enclosing
/// query's scope (for correlated references).
final class Scope {
    var relations: [ScopedRelation] = []
    var ctes: [String: ScopedRelation] = [:]
    /// The select list's aliases, visible in WHERE, GROUP BY, HAVING, QUALIFY and ORDER BY.
    var selectAliases: [String: OutputColumn] = [:]
    /// Keys of `join … using (k)`, shown once by `select *`.
    var usingColumns: Set<String> = []
    /// Parameters of the lambdas being walked: names that are not columns.
    var lambdaParameters: Set<String> = []
    let parent: Scope?

    init(parent: Scope?) { self.parent = parent }

    func cte(_ name: String) -> ScopedRelation? { ctes[name] ?? parent?.cte(name) }
}
