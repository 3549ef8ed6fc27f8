import Foundation

/// One walk over a parse tree. Query nodes give relations; expressions give the derivation and
/// sources of a value; column references resolve through the scopes.
struct Walk {
    let analyzer: LineageAnalyzer
    var joinKeys: Set<ColumnSource> = []
    var filters: Set<ColumnSource> = []
    var groupKeys: Set<ColumnSource> = []

    init(analyzer: LineageAnalyzer) { self.analyzer = analyzer }

    typealias JSON = [String: Any]

    /// The value an expression computes: how, from what, and what could not be traced.
    struct Value {
        var derivation: ColumnDerivation = .identity
        var sources: Set<ColumnSource> = []
        var problems: [String] = []
        /// True for a bare constant (no column at all).
        var isConstant = false

        mutating func absorb(_ other: Value) {
            derivation = max(derivation, other.derivation)
            sources.formUnion(other.sources)
            problems += other.problems
        }
    }

    // MARK: queries

    mutating func query(_ node: JSON, scope parent: Scope?) -> ScopedRelation {
        let scope = Scope(parent: parent)
        defineCTEs(node, in: scope)
        switch node["type"] as? String {
        case "SELECT_NODE": return select(node, scope: scope)
        case "SET_OPERATION_NODE": return setOperation(node, scope: scope)
        case "RECURSIVE_CTE_NODE": return recursive(node, scope: scope)
        default:
            return ScopedRelation(scopeName: "", columns: [])
        }
    }

    mutating func defineCTEs(_ node: JSON, in scope: Scope) {
        for entry in ((node["cte_map"] as? JSON)?["map"] as? [JSON]) ?? [] {
            guard let name = (entry["key"] as? String)?.lowercased(), let value = entry["value"] as? JSON,
                  let inner = value["query_node"] as? JSON else { continue }
            var relation = query(inner, scope: scope)
            relation.scopeName = name
            rename(&relation, to: value["aliases"] as? [String] ?? [])
            scope.ctes[name] = relation
        }
    }

    func rename(_ relation: inout ScopedRelation, to aliases: [String]) {
        for (index, alias) in aliases.enumerated() where relation.columns.indices.contains(index) {
            relation.columns[index].output.name = alias
        }
    }

    mutating func select(_ node: JSON, scope: Scope) -> ScopedRelation {
        if let from = node["from_table"] as? JSON { bind(from, into: scope) }
        var columns: [ScopedRelation.Column] = []
        for item in (node["select_list"] as? [JSON]) ?? [] {
            if item["class"] as? String == "STAR", item["columns"] as? Bool != true || item["expr"] == nil {
                columns += star(item, scope: scope)
                continue
            }
            let value = expression(item, scope: scope)
            let name = outputName(item, position: columns.count)
            let output = OutputColumn(name: name, derivation: value.isConstant ? .transformation : value.derivation, sources: value.sources,
                                      untraceable: value.problems.isEmpty ? nil : value.problems.joined(separator: "; "))
            columns.append(.init(output: output))
            if !(item["alias"] as? String ?? "").isEmpty { scope.selectAliases[name.lowercased()] = output }
        }
        let aggregated = (node["aggregate_handling"] as? String) == "FORCE_AGGREGATES"
        if let condition = node["where_clause"] as? JSON { filters.formUnion(expression(condition, scope: scope).sources) }
        if let condition = node["having"] as? JSON { filters.formUnion(expression(condition, scope: scope).sources) }
        if let condition = node["qualify"] as? JSON { filters.formUnion(expression(condition, scope: scope).sources) }
        for group in (node["group_expressions"] as? [JSON]) ?? [] {
            if let ordinal = integerConstant(group), columns.indices.contains(ordinal - 1) {
                groupKeys.formUnion(columns[ordinal - 1].output.sources)
            } else {
                groupKeys.formUnion(expression(group, scope: scope).sources)
            }
        }
        if aggregated {
            for column in columns where column.output.derivation < .aggregation { groupKeys.formUnion(column.output.sources) }
        }
        return ScopedRelation(scopeName: "", columns: columns)
    }

    mutating func setOperation(_ node: JSON, scope: Scope) -> ScopedRelation {
        let children = ((node["children"] as? [JSON]) ?? [node["left"] as? JSON, node["right"] as? JSON].compactMap { $0 })
        let byName = (node["setop_type"] as? String) == "UNION_BY_NAME"
        var result: ScopedRelation?
        for child in children {
            let relation = query(child, scope: scope)
            guard var merged = result else { result = relation; continue }
            for index in merged.columns.indices {
                let other: OutputColumn?
                if byName { other = relation.column(merged.columns[index].output.name) } else {
                    other = relation.columns.indices.contains(index) ? relation.columns[index].output : nil
                }
                guard let other else { continue }
                merged.columns[index].output = Self.union(merged.columns[index].output, other)
            }
            result = merged
        }
        return result ?? ScopedRelation(scopeName: "", columns: [])
    }

    mutating func recursive(_ node: JSON, scope: Scope) -> ScopedRelation {
        let name = (node["cte_name"] as? String ?? "").lowercased()
        var anchor = (node["left"] as? JSON).map { query($0, scope: scope) } ?? ScopedRelation(scopeName: name, columns: [])
        rename(&anchor, to: node["aliases"] as? [String] ?? [])
        anchor.scopeName = name
        scope.ctes[name] = anchor
        guard let step = node["right"] as? JSON else { return anchor }
        let recursive = query(step, scope: scope)
        for index in anchor.columns.indices where recursive.columns.indices.contains(index) {
            anchor.columns[index].output = Self.union(anchor.columns[index].output, recursive.columns[index].output)
        }
        return anchor
    }

    /// A column of a union: the values of both branches. A branch of constants adds no source
    /// and does not make copied values computed ones.
    static func union(_ a: OutputColumn, _ b: OutputColumn) -> OutputColumn {
        func isConstant(_ c: OutputColumn) -> Bool { c.sources.isEmpty && c.untraceable == nil }
        var merged = a
        if isConstant(a) { merged.derivation = b.derivation } else if !isConstant(b) { merged.derivation = max(a.derivation, b.derivation) }
        merged.sources.formUnion(b.sources)
        if let problem = b.untraceable { merged.untraceable = [a.untraceable, problem].compactMap { $0 }.joined(separator: "; ") }
        return merged
    }

    // MARK: FROM

    mutating func bind(_ ref: JSON, into scope: Scope) {
        let alias = (ref["alias"] as? String ?? "").lowercased()
        switch ref["type"] as? String {
        case "BASE_TABLE":
            let table = (ref["table_name"] as? String ?? "")
            var path = [ref["catalog_name"] as? String, ref["schema_name"] as? String, table].compactMap { $0 }.filter { !$0.isEmpty }
                .map { $0.lowercased() }
            if path.isEmpty { path = [table.lowercased()] }
            var relation: ScopedRelation
            if path.count == 1, let cte = scope.cte(path[0]) {
                relation = cte
            } else if let known = analyzer.catalog(path) {
                relation = ScopedRelation(scopeName: "", path: path, columns: known.columns.map {
                    .init(output: OutputColumn(name: $0, derivation: .identity, sources: [ColumnSource(known.name, $0)]))
                })
            } else {
                relation = ScopedRelation(scopeName: "", path: path, columns: [], openName: path.joined(separator: "."))
            }
            relation.path = path
            relation.scopeName = alias.isEmpty ? table.lowercased() : alias
            rename(&relation, to: ref["column_name_alias"] as? [String] ?? [])
            scope.relations.append(relation)
        case "SUBQUERY":
            guard let node = (ref["subquery"] as? JSON)?["node"] as? JSON else { return }
            var relation = query(node, scope: scope)
            relation.scopeName = alias.isEmpty ? "unnamed_subquery" : alias
            rename(&relation, to: ref["column_name_alias"] as? [String] ?? [])
            scope.relations.append(relation)
        case "TABLE_FUNCTION":
            // range(…), unnest(…), read_csv(…): their columns come from their arguments.
            var value = Value(derivation: .transformation)
            for argument in ((ref["function"] as? JSON)?["arguments"] as? [JSON]) ?? [] {
                if let expression = argument["expression"] as? JSON, expression["class"] as? String != "COMPARISON" {
                    value.absorb(self.expression(expression, scope: scope))
                }
            }
            let names = ref["column_name_alias"] as? [String] ?? []
            let columns = (names.isEmpty ? [((ref["function"] as? JSON)?["function_name"] as? String) ?? "value"] : names).map {
                ScopedRelation.Column(output: OutputColumn(name: $0, derivation: value.derivation, sources: value.sources))
            }
            scope.relations.append(ScopedRelation(scopeName: alias, columns: columns))
        case "EXPRESSION_LIST":
            let rows = ref["values"] as? [[JSON]] ?? []
            let width = rows.first?.count ?? 0
            let columns = (0..<width).map { index -> ScopedRelation.Column in
                var value = Value(derivation: .transformation)
                for row in rows where row.indices.contains(index) { value.absorb(expression(row[index], scope: scope)) }
                return .init(output: OutputColumn(name: "col\(index)", derivation: .transformation, sources: value.sources))
            }
            scope.relations.append(ScopedRelation(scopeName: alias.isEmpty ? "valueslist" : alias, columns: columns))
        case "JOIN":
            if let left = ref["left"] as? JSON { bind(left, into: scope) }
            if let right = ref["right"] as? JSON { bind(right, into: scope) }
            if let condition = ref["condition"] as? JSON {
                let value = expression(condition, scope: scope)
                if ["SEMI", "ANTI"].contains(ref["join_type"] as? String ?? "") { filters.formUnion(value.sources) }
                joinKeys.formUnion(value.sources)
            }
            for name in ref["using_columns"] as? [String] ?? [] {
                scope.usingColumns.insert(name.lowercased())
                for relation in scope.relations.suffix(2) {
                    if let column = relation.column(name) { joinKeys.formUnion(column.sources) }
                }
            }
        default:
            break
        }
    }

    // MARK: select items

    /// `*`, `t.*`, with `exclude`, `replace` and `rename`.
    mutating func star(_ item: JSON, scope: Scope) -> [ScopedRelation.Column] {
        let qualifier = (item["relation_name"] as? String ?? "").lowercased()
        let excluded = Set((item["exclude_list"] as? [String] ?? []).map { $0.lowercased() })
            .union(((item["qualified_exclude_list"] as? [JSON]) ?? []).compactMap { ($0["column"] as? String)?.lowercased() })
        var replaced: [String: Value] = [:]
        for entry in (item["replace_list"] as? [JSON]) ?? [] {
            if let key = entry["key"] as? String, let value = entry["value"] as? JSON { replaced[key.lowercased()] = expression(value, scope: scope) }
        }
        var renamed: [String: String] = [:]
        for entry in (item["rename_list"] as? [JSON]) ?? [] {
            if let column = (entry["key"] as? JSON)?["column"] as? String, let to = entry["value"] as? String { renamed[column.lowercased()] = to }
        }
        let relations = qualifier.isEmpty ? scope.relations : scope.relations.filter { $0.scopeName == qualifier }
        var columns: [ScopedRelation.Column] = []
        var seen: Set<String> = []
        for relation in relations {
            if let open = relation.openName {
                columns.append(.init(output: OutputColumn(name: "*", derivation: .identity, sources: [],
                                                          untraceable: "`*` over \(open), whose columns are not known; build it first or name the columns")))
                continue
            }
            for column in relation.columns where !excluded.contains(column.key) {
                // A `using (k)` join shows its key once, as DuckDB does.
                if qualifier.isEmpty, !seen.insert(column.key).inserted, scope.usingColumns.contains(column.key) { continue }
                var output = column.output
                if let value = replaced[column.key] {
                    output = OutputColumn(name: output.name, derivation: max(.transformation, value.derivation), sources: value.sources,
                                          untraceable: value.problems.isEmpty ? nil : value.problems.joined(separator: "; "))
                }
                if let to = renamed[column.key] { output.name = to }
                columns.append(.init(output: output))
            }
        }
        return columns
    }

    func outputName(_ item: JSON, position: Int) -> String {
        if let alias = item["alias"] as? String, !alias.isEmpty { return alias }
        if item["class"] as? String == "COLUMN_REF", let parts = item["column_names"] as? [String], let last = parts.last { return last }
        return "column\(position)"
    }

    func integerConstant(_ expression: JSON) -> Int? {
        guard expression["class"] as? String == "CONSTANT", let literal = expression["value"] as? JSON ?? expression["literal"] as? JSON else { return nil }
        if let text = literal["text"] as? String { return Int(text) }
        if let value = literal["value"] as? Int { return value }
        return nil
    }
}
