import Foundation
import Templating
import WarehouseKit
import Yams

// After loading: `ref`/`source` dependencies and each node's relation (database, schema, alias macros).
extension Loader {
    func resolveDependencies() throws {
        let refNames = nodes.values.filter { [.model, .seed, .snapshot].contains($0.resourceType) }.map(\.name)
        var latestVersions: [String: String] = [:]
        for node in nodes.values { if let latest = node.latestVersion { latestVersions["\(node.packageName).\(node.name)"] = latest } }
        let packageNames = packages.map(\.name)
        func searchOrder(_ package: String?, from node: Node) -> [String] {
            Manifest.searchOrder(package: package, project: settings.name, nodePackage: node.packageName, all: packageNames)
        }
        for id in Array(nodes.keys) + Array(exposures.keys) {
            var node = nodes[id] ?? exposures[id]!
            var deps: [String] = []
            for ref in node.refs {
                if let package = ref.package, package != settings.name, !packageNames.contains(package) {
                    throw TransformError(file: node.originalFilePath, line: RefScanner.line(of: "ref", name: ref.name, in: node.rawCode) ?? node.line,
                                         "ref('\(package)', '\(ref.name)') names package '\(package)', which is not installed\(packageNames.isEmpty ? "" : " (installed: \(packageNames.joined(separator: ", ")))"); add it to packages.yml and run `storehouse deps`, or use ref('\(ref.name)')")
                }
                let order = searchOrder(ref.package, from: node)
                func versioned(_ package: String) -> Node? {
                    guard let latest = latestVersions["\(package).\(ref.name)"] else { return nil }
                    return nodes["model.\(package).\(ref.name).v\(ref.version ?? latest)"]
                }
                let found = order.lazy.compactMap { package in
                    (ref.version == nil ? ["model", "seed", "snapshot"].lazy.compactMap { self.nodes["\($0).\(package).\(ref.name)"] }.first : nil)
                        ?? versioned(package)
                }.first
                if let version = ref.version, found == nil, order.contains(where: { latestVersions["\($0).\(ref.name)"] != nil }) {
                    let known = nodes.values.filter { $0.name == ref.name && $0.version != nil }.compactMap(\.version).sorted()
                    throw TransformError(file: node.originalFilePath, line: RefScanner.line(of: "ref", name: ref.name, in: node.rawCode) ?? node.line,
                                         "\(node.resourceType.rawValue) '\(node.name)' refers to version \(version) of '\(ref.name)', which has versions \(known.joined(separator: ", "))")
                }
                guard let parent = found else {
                    let suggestion = Suggest.closest(to: ref.name, among: refNames).map { " — did you mean '\($0)'?" } ?? ""
                    let location = RefScanner.location(of: "ref", name: ref.name, in: node.rawCode)
                    throw TransformError(file: node.originalFilePath, line: location?.line ?? node.line, column: location?.column ?? 0,
                                         "\(node.resourceType.rawValue) '\(node.name)' refers to '\(ref.name)', which is not a model, seed or snapshot of this project\(suggestion)")
                }
                if !deps.contains(parent.uniqueId) { deps.append(parent.uniqueId) }
            }
            for source in node.sources {
                let candidates = searchOrder(nil, from: node).map { "source.\($0).\(source[0]).\(source[1])" }
                guard let sid = candidates.first(where: { sources[$0] != nil }) else {
                    let known = sources.values.map { "\($0.extra("source_name")?.stringValue ?? "").\($0.name)" }
                    let suggestion = Suggest.closest(to: "\(source[0]).\(source[1])", among: known).map { " — did you mean '\($0)'?" } ?? ""
                    let location = RefScanner.location(of: "source", name: source[0], in: node.rawCode)
                    throw TransformError(file: node.originalFilePath, line: location?.line ?? node.line, column: location?.column ?? 0,
                                         "\(node.resourceType.rawValue) '\(node.name)' uses source('\(source[0])', '\(source[1])'), which no YAML file defines\(suggestion); declare it under `sources:`")
                }
                if !deps.contains(sid) { deps.append(sid) }
            }
            node.dependsOnNodes = deps
            if node.resourceType == .exposure { exposures[id] = node } else { nodes[id] = node }
        }
        for (id, node) in nodes where !node.config.enabled {
            if node.resourceType == .model { disabledModelNames.insert(node.name) }
            nodes[id] = nil
        }
    }

    func resolveRelations() throws {
        let targetValue = builder.targetValue
        let schemaMacro = environment.macro(named: "generate_schema_name")!
        let aliasMacro = environment.macro(named: "generate_alias_name")!
        let databaseMacro = environment.macro(named: "generate_database_name")!
        let overridden = !projectMacroNames.isDisjoint(with: ["generate_schema_name", "generate_alias_name", "generate_database_name",
                                                               "default__generate_schema_name", "\(target.type)__generate_schema_name"])
        var schemaCache: [String: String] = [:]
        // A project that overrides these macros calls them three times for every node: `model` is
        // built once per node, and the result trimmed natively (Foundation's trimming goes
        // through UTF-16, and was a tenth of loading the bundled project).
        func call(_ macro: Value, _ custom: String?, _ node: Node, _ model: Value) throws -> String {
            let context: [String: Value] = ["target": targetValue, "model": model]
            do {
                let value = try environment.call(macro, Arguments(positional: [custom.map(Value.string) ?? .none, model]), context: context)
                return value.renderedString.trimmingWhitespace()
            } catch let e as TemplateError {
                throw TransformError(file: e.file.isEmpty ? node.originalFilePath : e.file, line: e.line, column: e.column, e.message)
            }
        }
        for id in nodes.keys.sorted() {
            var node = nodes[id]!
            if node.resourceType == .analysis { continue }
            lazy var model = node.contextValue
            var schema: String
            let key = node.config.schema ?? "\u{0}"
            if node.resourceType == .snapshot, let targetSchema = node.config.targetSchema {
                schema = targetSchema
            } else if !overridden, let cached = schemaCache[key] {
                schema = cached
            } else {
                schema = try call(schemaMacro, node.config.schema, node, model)
                schemaCache[key] = schema
            }
            let database = node.resourceType == .snapshot && node.config.targetDatabase != nil ? node.config.targetDatabase!
                : (node.config.database == nil && !overridden ? target.database : try call(databaseMacro, node.config.database, node, model))
            let alias = node.config.alias == nil && !overridden ? node.version.map { "\(node.name)_v\($0.replacingOccurrences(of: ".", with: "_"))" } ?? node.name
                : try call(aliasMacro, node.config.alias, node, model)
            node.relation = QualifiedRelation(database: database, schema: schema, identifier: alias)
            nodes[id] = node
        }
    }
}
