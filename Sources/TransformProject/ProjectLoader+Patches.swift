import Foundation
import Templating
import Yams

// Property files (`models:`, `seeds:`, … entries): descriptions, columns and tests laid over the
// nodes the SQL and CSV files made, versioned models included.
extension Loader {
    /// Renders `{{ doc('name') }}` (and other Jinja) in a description.
    func renderDescription(_ text: String, file: String) throws -> String {
        guard text.utf8.contains(UInt8(ascii: "{")) else { return text }
        let docs = self.docs
        let project = settings.name
        let template = try parseTemplate(text, file: file)
        let doc = Value.function(NativeFunction(name: "doc") { args in
            let name = try args.string(args.positional.count > 1 ? 1 : 0, "name", of: "doc")
            guard let block = docs["doc.\(project).\(name)"] else {
                throw TemplateError.raised("doc('\(name)') names no docs block; add {% docs \(name) %}…{% enddocs %} to a .md file")
            }
            return .string(block.content)
        })
        do { return try environment.render(template, context: ["doc": doc]) } catch let e as TemplateError {
            throw TransformError(file: file, e.message)
        }
    }

    func testEntries(_ item: Yams.Node) -> [Yams.Node] {
        YAMLSupport.items(YAMLSupport.lookup(item, "data_tests")) + YAMLSupport.items(YAMLSupport.lookup(item, "tests"))
    }

    func applyPatches() throws {
        for (key, type) in [("models", "model"), ("seeds", "seed"), ("snapshots", "snapshot"), ("analyses", "analysis")] {
            for (patchKey, patch) in patches where patchKey.hasPrefix(key + ":") {
                let name = String(patchKey.dropFirst(key.count + 1))
                let id = "\(type).\(settings.name).\(name)"
                if key == "models", let versions = YAMLSupport.lookup(patch.node, "versions") {
                    try applyVersionedPatch(name: name, patch: patch, versions: YAMLSupport.items(versions))
                    continue
                }
                guard var node = nodes[id] else {
                    let others = Set(nodes.values.filter { $0.resourceType.rawValue == type }.map(\.name))
                    let near = NearMatches.find(name, among: others)
                    warnings.append(ProjectWarning(file: patch.file, line: YAMLSupport.line(patch.node), column: patch.node.mark?.column ?? 0,
                                                   "no \(type) named '\(name)' for this entry under `\(key):`, so its description, columns and tests are ignored; "
                                                       + (near.isEmpty ? "fix the name or remove the entry" : "did you mean \(near.map { "'\($0)'" }.joined(separator: ", "))?")))
                    continue
                }
                node.description = try renderDescription(YAMLSupport.string(patch.node, "description") ?? "", file: patch.file)
                node.columns = try columns(patch.node, file: patch.file)
                // The file's own config() wins over YAML, so re-apply it after the YAML config.
                for (k, v) in fileConfigs[id] ?? [] { node.config.applyWinning(k, v) }
                nodes[id] = node
                for test in testEntries(patch.node) { testDefinitions.append((node, patch.file, test, nil)) }
                for column in YAMLSupport.items(YAMLSupport.lookup(patch.node, "columns")) {
                    let columnName = YAMLSupport.string(column, "name")
                    for test in testEntries(column) { testDefinitions.append((node, patch.file, test, columnName)) }
                }
            }
        }
        for (file, doc) in yamlFiles {
            try loadSources(file: file, doc: doc)
            try loadExposures(file: file, doc: doc)
        }
    }

    /// A versioned model's entry, laid over each version: the version's description or the
    /// model's, its columns (see `versionColumnEntries`), the model's tests and its columns'.
    func applyVersionedPatch(name: String, patch: (file: String, node: Yams.Node), versions: [Yams.Node]) throws {
        for entry in versions {
            guard let v = YAMLSupport.lookup(entry, "v").map({ YAMLSupport.value($0).pythonString }) else { continue }
            let id = "model.\(settings.name).\(name).v\(v)"
            guard var node = nodes[id] else {
                let file = YAMLSupport.string(entry, "defined_in") ?? "\(name)_v\(v)"
                throw TransformError(file: patch.file, line: YAMLSupport.line(entry), column: entry.mark?.column ?? 0,
                                     "version \(v) of model '\(name)' has no SQL file: add \(file).sql under \(settings.modelPaths.joined(separator: ", ")), or set `defined_in:` to the file's name")
            }
            let description = YAMLSupport.string(entry, "description") ?? YAMLSupport.string(patch.node, "description") ?? ""
            node.description = try renderDescription(description, file: patch.file)
            let columnEntries = versionColumnEntries(model: patch.node, version: entry)
            node.columns = try columns(entries: columnEntries, file: patch.file)
            for (k, value) in fileConfigs[id] ?? [] { node.config.applyWinning(k, value) }
            nodes[id] = node
            for test in testEntries(patch.node) + testEntries(entry) { testDefinitions.append((node, patch.file, test, nil)) }
            for column in columnEntries {
                let columnName = YAMLSupport.string(column, "name")
                for test in testEntries(column) { testDefinitions.append((node, patch.file, test, columnName)) }
            }
        }
    }
}
