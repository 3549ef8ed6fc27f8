import Foundation
import Yams

/// One version of a versioned model, as its property file declares it.
struct ModelVersion {
    var name: String
    var version: String
    /// The version a plain `ref(name)` resolves to (`latest_version:`, else the highest).
    var latest: String
    /// Its entry under `versions:`, and the property file.
    var entry: Yams.Node
    var file: String
}

// Versioned models (dbt 1.5+): a `models:` entry with `versions:` turns the files it names
// (`defined_in:`, else `<name>_v<version>.sql`) into `model.<project>.<name>.v<version>` nodes
// sharing the entry's description, columns, tests and config, each version adding its own.
extension Loader {
    /// Versioned models' files by stem.
    func modelVersionsByFile() throws -> [String: ModelVersion] {
        var found: [String: ModelVersion] = [:]
        for (key, patch) in patches where key.hasPrefix("models:") {
            guard let versions = YAMLSupport.lookup(patch.node, "versions") else { continue }
            let name = String(key.dropFirst("models:".count))
            let entries = YAMLSupport.items(versions)
            let numbers = try entries.map { entry -> String in
                guard let v = YAMLSupport.lookup(entry, "v") else {
                    throw TransformError(file: patch.file, line: YAMLSupport.line(entry), column: entry.mark?.column ?? 0,
                                         "a version of model '\(name)' has no `v:`; give each entry under `versions:` its version, like `- v: 2`")
                }
                return YAMLSupport.value(v).pythonString
            }
            let latest = YAMLSupport.lookup(patch.node, "latest_version").map { YAMLSupport.value($0).pythonString }
                ?? numbers.max { (Double($0) ?? 0, $0) < (Double($1) ?? 0, $1) } ?? ""
            for (entry, version) in zip(entries, numbers) {
                let stem = YAMLSupport.string(entry, "defined_in") ?? "\(name)_v\(version)"
                found[stem] = ModelVersion(name: name, version: version, latest: latest, entry: entry, file: patch.file)
            }
        }
        return found
    }

    /// A version's own `config:`, over the model entry's.
    func applyVersionConfig(_ node: inout Node, _ version: ModelVersion) throws {
        for (key, child) in YAMLSupport.entries(YAMLSupport.lookup(version.entry, "config")) {
            let value = try renderedConfig(YAMLSupport.value(child), file: version.file, line: YAMLSupport.line(child))
            if let problem = NodeConfig.typeProblem(key: key, value: value) {
                throw TransformError(file: version.file, line: YAMLSupport.line(child), column: child.mark?.column ?? 0, problem)
            }
            node.config.apply(key, value)
        }
    }

    /// The column entries a version has: the model's (all, or as `include:`/`exclude:` say),
    /// each replaced by the version's own entry of the same name, then the version's others.
    func versionColumnEntries(model: Yams.Node, version: Yams.Node) -> [Yams.Node] {
        let top = YAMLSupport.items(YAMLSupport.lookup(model, "columns"))
        guard let listed = YAMLSupport.lookup(version, "columns") else { return top }
        let items = YAMLSupport.items(listed)
        var include: Set<String>? = nil
        var exclude: Set<String> = []
        for item in items where YAMLSupport.lookup(item, "include") != nil || YAMLSupport.lookup(item, "exclude") != nil {
            if let value = YAMLSupport.lookup(item, "include").map(YAMLSupport.value), value.stringValue != "all" && value.stringValue != "*" {
                include = Set(value.asList.compactMap(\.stringValue))
            }
            exclude.formUnion(YAMLSupport.lookup(item, "exclude").map(YAMLSupport.value)?.asList.compactMap(\.stringValue) ?? [])
        }
        let own = items.filter { YAMLSupport.string($0, "name") != nil }
        let ownNames = Set(own.compactMap { YAMLSupport.string($0, "name") })
        let inherited = top.filter { column in
            guard let name = YAMLSupport.string(column, "name") else { return false }
            return (include?.contains(name) ?? true) && !exclude.contains(name) && !ownNames.contains(name)
        }
        return inherited + own
    }
}
