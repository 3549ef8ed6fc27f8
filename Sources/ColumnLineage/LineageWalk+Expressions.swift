import Foundation

extension Walk {
    /// Keywords the parser reads as column references when no column has the name.
    static let keywordValues: Set<String> = ["current_date", "current_timestamp", "current_time", "current_user", "localtimestamp",
                                             "localtime", "user", "session_user", "current_role"]

    mutating func expression(_ e: JSON, scope: Scope) -> Value {
        switch e["class"] as? String {
        case "COLUMN_REF":
            return columnReference(e["column_names"] as? [String] ?? [], scope: scope)
        case "CONSTANT", "PARAMETER", "TYPE":
            return Value(derivation: .transformation, isConstant: true)
        case "FUNCTION":
            var value = Value(derivation: .transformation)
            let name = (e["function_name"] as? String ?? "").lowercased()
            let orders = ((e["order_bys"] as? JSON)?["orders"] as? [JSON]) ?? []
            let isAggregate = analyzer.aggregates.contains(name) || e["distinct"] as? Bool == true || e["filter"] is JSON || !orders.isEmpty
            for argument in (e["arguments"] as? [JSON]) ?? [] {
                if let inner = argument["expression"] as? JSON { value.absorb(expression(inner, scope: scope)) }
            }
            for order in orders { if let inner = order["expression"] as? JSON { value.absorb(expression(inner, scope: scope)) } }
            if let filter = e["filter"] as? JSON { value.absorb(expression(filter, scope: scope)) }
            if isAggregate { value.derivation = max(value.derivation, .aggregation) }
            return value
        case "WINDOW":
            var value = Value(derivation: .window)
            for argument in (e["arguments"] as? [JSON]) ?? [] {
                if let inner = argument["expression"] as? JSON { value.absorb(expression(inner, scope: scope)) }
            }
            for child in (e["children"] as? [JSON]) ?? [] { value.absorb(expression(child, scope: scope)) }
            // Partitions and orders decide which rows, not the values: they are inputs all the same.
            for partition in (e["partitions"] as? [JSON]) ?? [] { value.absorb(expression(partition, scope: scope)) }
            for order in (e["orders"] as? [JSON]) ?? [] { if let inner = order["expression"] as? JSON { value.absorb(expression(inner, scope: scope)) } }
            for key in ["filter_expr", "start_expr", "end_expr", "offset_expr", "default_expr"] {
                if let inner = e[key] as? JSON { value.absorb(expression(inner, scope: scope)) }
            }
            value.derivation = .window
            return value
        case "SUBQUERY":
            var value = Value(derivation: .transformation)
            if let child = e["child"] as? JSON { value.absorb(expression(child, scope: scope)) }
            if let node = (e["subquery"] as? JSON)?["node"] as? JSON {
                let inner = query(node, scope: scope)
                // A scalar subquery's value, or the values `x in (…)` compares with; EXISTS has none.
                if ["SCALAR", "ANY"].contains(e["subquery_type"] as? String ?? ""), let first = inner.columns.first?.output {
                    value.sources.formUnion(first.sources)
                    value.derivation = max(value.derivation, first.derivation)
                    if let problem = first.untraceable { value.problems.append(problem) }
                }
            }
            return value
        case "LAMBDA":
            // `x -> x * 2` inside a list function; `j -> 'key'` outside one is JSON access.
            let parameters = lambdaParameters(e["lhs"] as? JSON)
            let before = scope.lambdaParameters
            scope.lambdaParameters.formUnion(parameters)
            defer { scope.lambdaParameters = before }
            var value = Value(derivation: .transformation)
            if let lhs = e["lhs"] as? JSON, parameters.isEmpty { value.absorb(expression(lhs, scope: scope)) }
            if let body = e["expr"] as? JSON { value.absorb(expression(body, scope: scope)) }
            return value
        case "STAR":
            // COLUMNS(*) or a star inside a function: every column in scope.
            var value = Value(derivation: .transformation)
            for column in star(e, scope: scope) { value.sources.formUnion(column.output.sources) }
            return value
        case "POSITIONAL_REFERENCE":
            return Value(derivation: .transformation, problems: ["a positional reference (#n) is not traced"])
        default:
            // CASE, CAST, OPERATOR, COMPARISON, CONJUNCTION, BETWEEN, COLLATE: computed from their children.
            var value = Value(derivation: .transformation)
            for child in children(of: e) { value.absorb(expression(child, scope: scope)) }
            value.derivation = max(value.derivation, .transformation)
            value.isConstant = value.sources.isEmpty && value.problems.isEmpty
            return value
        }
    }

    /// The sub-expressions of a CASE, CAST, operator, comparison, conjunction or BETWEEN; a
    /// cast's target type is not one.
    func children(of e: JSON) -> [JSON] {
        var found: [JSON] = []
        for key in ["child", "left", "right", "input", "lower", "upper", "else_expr"] { if let c = e[key] as? JSON { found.append(c) } }
        found += (e["children"] as? [JSON]) ?? []
        for check in (e["case_checks"] as? [JSON]) ?? [] {
            if let when = check["when_expr"] as? JSON { found.append(when) }
            if let then = check["then_expr"] as? JSON { found.append(then) }
        }
        return found
    }

    func lambdaParameters(_ lhs: JSON?) -> Set<String> {
        guard let lhs else { return [] }
        if lhs["class"] as? String == "COLUMN_REF", let parts = lhs["column_names"] as? [String], parts.count == 1 { return [parts[0].lowercased()] }
        if lhs["class"] as? String == "FUNCTION", (lhs["function_name"] as? String) == "row" {
            return Set(((lhs["arguments"] as? [JSON]) ?? []).compactMap { (($0["expression"] as? JSON)?["column_names"] as? [String])?.first?.lowercased() })
        }
        return []
    }

    /// `c`, `t.c`, `schema.t.c`, `t.c.field`: the innermost scope that has it, else an enclosing
    /// query's (a correlated reference), else a select alias, else untraceable.
    func columnReference(_ written: [String], scope: Scope) -> Value {
        let parts = written.map { $0.lowercased() }
        guard let first = parts.first else { return Value(problems: ["an empty column reference"]) }
        if parts.count == 1, scope.lambdaParameters.contains(first) { return Value(derivation: .transformation, isConstant: true) }
        var level: Scope? = scope
        while let current = level {
            if let found = resolve(parts, in: current) { return found }
            level = current.parent
        }
        if parts.count == 1, let alias = scope.selectAliases[first] {
            return Value(derivation: alias.derivation, sources: alias.sources)
        }
        if parts.count == 1, Self.keywordValues.contains(first) { return Value(derivation: .transformation, isConstant: true) }
        let candidates = scope.relations.map(\.scopeName).filter { !$0.isEmpty }
        return Value(problems: ["no relation in scope has a column \(written.joined(separator: ".")) (in scope: \(candidates.isEmpty ? "none" : candidates.joined(separator: ", ")))"])
    }

    func resolve(_ parts: [String], in scope: Scope) -> Value? {
        // Longest prefix naming a relation: alias or table name, or a path suffix (schema.table).
        if parts.count >= 2 {
            for length in stride(from: min(parts.count - 1, 3), through: 1, by: -1) {
                let prefix = Array(parts.prefix(length))
                let matches = scope.relations.filter { relation in
                    length == 1 ? relation.scopeName == prefix[0] : (relation.path.count >= length && Array(relation.path.suffix(length)) == prefix)
                }
                if let relation = matches.first, let column = relation.column(parts[length]) {
                    var value = Value(derivation: column.derivation, sources: column.sources)
                    if let problem = column.untraceable { value.problems.append(problem) }
                    if parts.count > length + 1 { value.derivation = max(value.derivation, .transformation) } // a struct field
                    return value
                }
            }
        }
        // An unqualified name (or a struct column with its fields): in the relations that have it.
        let named = scope.relations.filter { $0.openName == nil && $0.columns.contains { $0.key == parts[0] } }
        let found: [ScopedRelation]
        if !named.isEmpty {
            found = named
        } else {
            let open = scope.relations.filter { $0.openName != nil }
            found = open.count == 1 ? open : []
        }
        guard !found.isEmpty else { return nil }
        var value = Value()
        for relation in found.prefix(scope.usingColumns.contains(parts[0]) ? found.count : 1) {
            guard let column = relation.column(parts[0]) else { continue }
            value.sources.formUnion(column.sources)
            value.derivation = max(value.derivation, column.derivation)
            if let problem = column.untraceable { value.problems.append(problem) }
        }
        if named.count > 1, !scope.usingColumns.contains(parts[0]) {
            value.problems.append("column \(parts[0]) is in more than one relation (\(named.map(\.scopeName).joined(separator: ", "))); qualify it")
        }
        if parts.count > 1 { value.derivation = max(value.derivation, .transformation) }
        return value
    }
}
