import Foundation

/// Previous artifacts that `state:` and `result:` selectors compare against.
public struct SelectionState: Sendable {
    /// Unique id → (checksum, config JSON) from a previous manifest.json.
    public var previousNodes: [String: (checksum: String, config: String)]?
    /// Unique id → status from a previous run_results.json.
    public var previousResults: [String: String]?

    public init(previousNodes: [String: (checksum: String, config: String)]? = nil, previousResults: [String: String]? = nil) {
        self.previousNodes = previousNodes
        self.previousResults = previousResults
    }

    /// Reads `manifest.json` and/or `run_results.json` from a state folder (either may be missing).
    public static func read(directory: String) throws -> SelectionState {
        var state = SelectionState()
        let manifestPath = (directory as NSString).appendingPathComponent("manifest.json")
        if let data = FileManager.default.contents(atPath: manifestPath) {
            guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw TransformError(file: manifestPath, "not a JSON manifest; point --state at a folder with dbt's target/ artifacts")
            }
            var nodes: [String: (String, String)] = [:]
            for section in ["nodes", "sources", "exposures"] {
                for (id, value) in json[section] as? [String: Any] ?? [:] {
                    let node = value as? [String: Any] ?? [:]
                    let checksum = (node["checksum"] as? [String: Any])?["checksum"] as? String ?? ""
                    let config = ManifestWriter.canonicalJSON(ConfigValue(json: node["config"] ?? [:]))
                    nodes[id] = (checksum, config)
                }
            }
            state.previousNodes = nodes
        }
        let resultsPath = (directory as NSString).appendingPathComponent("run_results.json")
        if let data = FileManager.default.contents(atPath: resultsPath),
           let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        {
            var results: [String: String] = [:]
            for r in json["results"] as? [[String: Any]] ?? [] {
                if let id = r["unique_id"] as? String, let status = r["status"] as? String { results[id] = status }
            }
            state.previousResults = results
        }
        return state
    }
}

/// dbt's node selection syntax over a manifest.
///
/// `"stg_orders+ tag:nightly"` is a union, `"tag:a,path:models/marts"` an intersection;
/// `+x`, `x+`, `2+x`, `x+1`, `@x` walk the graph; methods are `tag:`, `path:`, `config.<key>:`,
/// `resource_type:`, `source:`, `fqn:`, `state:modified[.body|.configs]`, `state:new`, `result:<status>`.
public struct Selector {
    public let manifest: Manifest
    public let dag: DAG
    public let state: SelectionState
    /// `column:schema.relation.column` (`+` after it: with every column built from it): the
    /// nodes whose columns derive from the column. Set by commands that traced the project's
    /// column lineage, which needs the warehouse.
    public var columnImpact: ((_ column: String, _ downstream: Bool) throws -> Set<String>)?

    public init(manifest: Manifest, state: SelectionState = SelectionState()) throws {
        self.init(manifest: manifest, dag: try DAG(manifest: manifest), state: state)
    }

    /// With the DAG a loaded project already has: a server answering selections builds none.
    public init(manifest: Manifest, dag: DAG, state: SelectionState = SelectionState()) {
        self.manifest = manifest
        self.dag = dag
        self.state = state
        everything = manifest.allResources
    }

    /// Unique ids selected by `select` (all nodes when empty) minus `exclude`, sorted.
    /// Selection never returns macros or docs; sources and exposures only when named.
    public func select(_ select: [String], exclude: [String] = [], resourceTypes: Set<ResourceType>? = nil) throws -> [String] {
        var chosen: Set<String>
        if select.isEmpty {
            chosen = Set(manifest.nodes.keys)
        } else {
            chosen = try union(select)
        }
        if !select.isEmpty {
            // dbt's default "eager" indirect selection: a test comes along when any of its parents is selected.
            for node in manifest.nodes.values where (node.resourceType == .test || node.resourceType == .unitTest) && !chosen.contains(node.uniqueId) {
                if node.dependsOnNodes.contains(where: chosen.contains) { chosen.insert(node.uniqueId) }
            }
        }
        if !exclude.isEmpty { chosen.subtract(try union(exclude)) }
        if let resourceTypes { chosen = chosen.filter { manifest.resource($0).map { resourceTypes.contains($0.resourceType) } ?? false } }
        return chosen.sorted()
    }

    func union(_ expressions: [String]) throws -> Set<String> {
        var result: Set<String> = []
        for expression in expressions {
            for term in expression.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }) {
                result.formUnion(try intersection(String(term)))
            }
        }
        return result
    }

    func intersection(_ term: String) throws -> Set<String> {
        var result: Set<String>?
        for part in term.split(separator: ",") {
            let s = try atom(String(part))
            result = result.map { $0.intersection(s) } ?? s
        }
        return result ?? []
    }

    func atom(_ raw: String) throws -> Set<String> {
        var text = raw
        var at = false
        var up: Int?? = nil
        var down: Int?? = nil
        if text.hasPrefix("@") { at = true; text.removeFirst() }
        if let plus = text.firstIndex(of: "+"), plus < text.index(text.startIndex, offsetBy: min(text.count, 12)),
           text[text.startIndex..<plus].allSatisfy(\.isNumber)
        {
            let digits = String(text[text.startIndex..<plus])
            up = .some(digits.isEmpty ? nil : Int(digits))
            text = String(text[text.index(after: plus)...])
        }
        if let plus = text.lastIndex(of: "+"), text[text.index(after: plus)...].allSatisfy(\.isNumber) {
            let digits = String(text[text.index(after: plus)...])
            down = .some(digits.isEmpty ? nil : Int(digits))
            text = String(text[..<plus])
        }
        if text.hasPrefix("column:") {
            guard let columnImpact else {
                throw TransformError("`\(raw)` selects by column lineage, which is traced from the warehouse: use it with storehouse ls (e.g. storehouse ls --select column:raw.orders.status+), or see storehouse lineage COLUMN --downstream")
            }
            return try columnImpact(String(text.dropFirst("column:".count)), down != nil).filter { manifest.resource($0) != nil }
        }
        let base = try method(text)
        var result = base
        for id in base {
            if let up { result.formUnion(dag.ancestors(of: id, depth: up)) }
            if let down { result.formUnion(dag.descendants(of: id, depth: down)) }
            if at {
                let descendants = dag.descendants(of: id)
                result.formUnion(descendants)
                for d in descendants.union([id]) { result.formUnion(dag.ancestors(of: d)) }
            }
        }
        return result.filter { manifest.resource($0) != nil }
    }

    /// Every node and source, listed once: each selector method walks it.
    let everything: [Node]

    func method(_ text: String) throws -> Set<String> {
        guard let colon = text.firstIndex(of: ":") else {
            return try byName(text)
        }
        let name = String(text[..<colon])
        let value = String(text[text.index(after: colon)...])
        switch name {
        case "tag": return Set(everything.filter { n in n.config.tags.contains(where: { wildcard(value, $0) }) }.map(\.uniqueId))
        case "path":
            let trimmed = value.hasSuffix("/") ? String(value.dropLast()) : value
            return Set(everything.filter { n in
                n.originalFilePath == trimmed || n.originalFilePath.hasPrefix(trimmed + "/") || wildcard(trimmed, n.originalFilePath)
            }.map(\.uniqueId))
        case "resource_type":
            return Set(everything.filter { $0.resourceType.rawValue == value }.map(\.uniqueId))
        case "source":
            let parts = value.split(separator: ".").map(String.init)
            return Set(manifest.sources.values.filter { s in
                let sourceName = s.extra("source_name")?.stringValue ?? ""
                if parts.count == 1 { return wildcard(parts[0], sourceName) }
                return wildcard(parts[0], sourceName) && wildcard(parts[1], s.name)
            }.map(\.uniqueId))
        case "fqn": return Set(everything.filter { fqnMatches(value, $0.fqn) }.map(\.uniqueId))
        case "test_type":
            // `unit` for unit tests; `data` for both kinds of data test, `generic` and `singular` for each.
            if value == "unit" { return Set(manifest.nodes.values.filter { $0.resourceType == .unitTest }.map(\.uniqueId)) }
            return Set(manifest.nodes.values.filter { node in
                node.resourceType == .test && (value == "data" || (value == "generic") == (node.testMetadata != nil))
            }.map(\.uniqueId))
        case "unit_test":
            return Set(manifest.nodes.values.filter { $0.resourceType == .unitTest && (wildcard(value, $0.name) || fqnMatches(value, $0.fqn)) }.map(\.uniqueId))
        case "test_name":
            return Set(manifest.nodes.values.filter { $0.testMetadata.map { wildcard(value, $0.name) } ?? false }.map(\.uniqueId))
        case "state": return try byState(value)
        case "result":
            guard let results = state.previousResults else {
                throw TransformError("'result:\(value)' needs a previous run_results.json; pass --state pointing at the previous run's target folder")
            }
            return Set(results.filter { $0.value == value }.map(\.key))
        default:
            if name.hasPrefix("config.") {
                let key = String(name.dropFirst("config.".count))
                return Set(everything.filter { n in
                    guard let v = n.config[key] else { return false }
                    switch v {
                    case .list(let l): return l.contains { wildcard(value, $0.pythonString.lowercased()) || $0.pythonString == value }
                    case .bool(let b): return value.lowercased() == (b ? "true" : "false")
                    default: return v.pythonString == value || wildcard(value, v.pythonString)
                    }
                }.map(\.uniqueId))
            }
            throw TransformError("unknown selector method '\(name):'; use one of tag:, path:, config.<key>:, resource_type:, source:, fqn:, test_type:, test_name:, unit_test:, state:, result:")
        }
    }

    func byName(_ pattern: String) throws -> Set<String> {
        var result: Set<String> = []
        for n in everything {
            if wildcard(pattern, n.name) || fqnMatches(pattern, n.fqn) { result.insert(n.uniqueId) }
            else if n.resourceType == .source, let s = n.extra("source_name")?.stringValue, pattern == "\(s).\(n.name)" { result.insert(n.uniqueId) }
            else if pattern.contains("/") || pattern.hasSuffix(".sql"), n.originalFilePath == pattern || n.originalFilePath.hasPrefix(pattern + "/") { result.insert(n.uniqueId) }
        }
        return result
    }

    func byState(_ value: String) throws -> Set<String> {
        guard let previous = state.previousNodes else {
            throw TransformError("'state:\(value)' needs a previous manifest.json; pass --state pointing at the previous run's target folder")
        }
        var result: Set<String> = []
        for n in everything {
            guard let old = previous[n.uniqueId] else {
                if value == "new" || value.hasPrefix("modified") { result.insert(n.uniqueId) }
                continue
            }
            let bodyChanged = old.checksum != n.checksum && !(n.checksum.isEmpty)
            let configChanged = old.config != ManifestWriter.canonicalJSON(ManifestWriter.configJSON(n))
            switch value {
            case "modified": if bodyChanged || configChanged { result.insert(n.uniqueId) }
            case "modified.body": if bodyChanged { result.insert(n.uniqueId) }
            case "modified.configs": if configChanged { result.insert(n.uniqueId) }
            case "new": break
            default: throw TransformError("unknown state selector 'state:\(value)'; use state:modified, state:modified.body, state:modified.configs or state:new")
            }
        }
        return result
    }

    /// dbt's qualified-name match: the selector is the node's name, or its dot-separated parts
    /// equal the node's fqn from the start — with or without the package name, so `marts` and
    /// `shop.marts.core` select folders — up to a part with a wildcard, from which the rest of
    /// the fqn is matched as a pattern.
    func fqnMatches(_ selector: String, _ fqn: [String]) -> Bool {
        let parts = selector.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        func matches(_ fqn: ArraySlice<String>) -> Bool {
            guard let last = fqn.last else { return false }
            if last == selector { return true }
            let flat = fqn.flatMap { $0.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
            guard flat.count >= parts.count else { return false }
            for (index, part) in parts.enumerated() {
                if part.contains(where: { "*?".contains($0) }) {
                    return wildcard(parts[index...].joined(separator: "."), flat[index...].joined(separator: "."))
                }
                if flat[index] != part { return false }
            }
            return true
        }
        return matches(fqn[...]) || matches(fqn.dropFirst())
    }

    /// Shell-style `*` and `?` matching.
    func wildcard(_ pattern: String, _ text: String) -> Bool {
        if !pattern.contains("*") && !pattern.contains("?") { return pattern == text }
        let regex = "^" + NSRegularExpression.escapedPattern(for: pattern).replacingOccurrences(of: "\\*", with: ".*").replacingOccurrences(of: "\\?", with: ".") + "$"
        return text.range(of: regex, options: .regularExpression) != nil
    }
}
