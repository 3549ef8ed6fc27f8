import Foundation
import Templating
import WarehouseKit
import Yams

/// Loads a dbt-layout project into a `Manifest`.
///
/// ```swift
/// let project = try ProjectLoader.load(LoadOptions(projectDir: "analytics"))
/// print(project.manifest.nodes.count)
/// ```
public enum ProjectLoader {
    /// Reads and parses everything; throws a `TransformError` naming file:line:col on the first problem.
    public static func load(_ options: LoadOptions) throws -> LoadedProject {
        try Loader(options: options).run()
    }

    /// `{{ env_var('X') }}` in a packages.yml value, as dbt renders that file (for `deps`).
    package static func renderEnvVars(_ text: String, environment: [String: String], file: String) throws -> String {
        try Loader.renderEnvVars(text, environment: environment, file: file)
    }
}

final class Loader {
    let options: LoadOptions
    /// The folder being loaded: the project's, or an installed package's while its models and
    /// seeds load (`loadPackageResources`), like `settings` and `scanner`.
    var root: String
    // Plain `let`s, not implicitly unwrapped optionals: reading a field through an optional
    // struct copied the whole struct on every access, thousands of times per load.
    var settings: ProjectSettings
    let environment = Environment()
    var builder: ContextBuilder!
    let target: TargetProfile
    var nodes: [String: Node] = [:]
    var sources: [String: Node] = [:]
    var exposures: [String: Node] = [:]
    var macros: [String: MacroEntry] = [:]
    var docs: [String: DocBlock] = [:]
    var templates: [String: Template] = [:]
    /// YAML `models:`/`seeds:`/`snapshots:` entries by name: (file, node).
    var patches: [String: (file: String, node: Yams.Node)] = [:]
    var testDefinitions: [(target: Node, file: String, node: Yams.Node, column: String?)] = []
    /// `unit_tests:` entries of property files, built once models are resolved.
    var unitTestEntries: [(file: String, node: Yams.Node)] = []
    /// Models switched off by `enabled: false`: their unit tests are switched off with them.
    var disabledModelNames: Set<String> = []
    var projectMacroNames: Set<String> = []
    /// Packages in the install path (`dbt_packages/`), in folder order.
    let packages: [InstalledPackage]
    /// Macro names per package, for the manifest's `depends_on.macros`.
    var packageMacroNames: [String: Set<String>] = [:]
    var configCallingPackagesCache: Set<String>?
    var warnings: [ProjectWarning] = []

    /// One walk per folder, shared by every resource kind's file search.
    var scanner: FileScanner
    /// The root project's dbt_project.yml: its config trees apply to package nodes too, over the
    /// package's own.
    var rootSettings: ProjectSettings
    /// The package whose resources are loading, nil for the project itself.
    var loadingPackage: InstalledPackage?

    init(options: LoadOptions) throws {
        self.options = options
        self.root = options.projectDir
        self.scanner = FileScanner(projectDir: options.projectDir)
        settings = try ProjectSettings.read(projectDir: root)
        rootSettings = settings
        try InstalledPackage.checkVersion(settings)
        packages = try InstalledPackage.discover(root: root, settings: settings)
        let envVars = options.environment
        target = try ProfileReader.read(profileName: settings.profile, options: options) { text, file in
            let template = try Template(source: text, name: file)
            let env = Environment()
            DbtFilters.install(on: env)
            env.globals["env_var"] = ContextBuilder.envVar(envVars)
            do { return try env.render(template, context: [:]) } catch let e as TemplateError {
                throw TransformError(file: file, e.message)
            }
        }
    }

    func read(_ relative: String) throws -> String {
        let path = (root as NSString).appendingPathComponent(relative)
        guard let text = try ProjectText.read(path: path, file: relative) else {
            throw TransformError(file: relative, "cannot read this file; check its permissions")
        }
        // dbt strips every file's contents before hashing and parsing; checksums and raw_code match only so.
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func run() throws -> LoadedProject {
        try checkPackagesInstalled()
        let vars = try ProjectVars.merge(settings.vars, projectName: settings.name, override: options.vars)
        let envVars = options.environment
        builder = ContextBuilder(projectName: settings.name, target: target, vars: vars, environmentVariables: envVars, environment: environment)
        builder.packageVars = try packageVars()
        builder.dispatcher = MacroDispatcher(rootProject: settings.name, rules: settings.dispatch,
                                             knownPackages: Set([settings.name, "dbt"] + packages.map(\.name)),
                                             adapterPrefixes: [target.type, "default"])
        builder.command = options.command
        builder.installGlobals()
        try renderProjectConfigs()
        rootSettings = settings

        try loadMacros()
        try loadDocs()
        try loadYAML()
        try loadModels()
        try loadSeeds()
        try loadSnapshots()
        try loadSingularTests()
        try loadAnalyses()
        try applyPatches()
        try loadPackageResources()
        try checkNameCollisions()
        try buildGenericTests()
        try resolveDependencies()
        try resolveRelations()
        try buildUnitTests()
        var manifest = Manifest(projectName: settings.name, projectRoot: root, profileName: settings.profile, target: target,
                                nodes: nodes, sources: sources, exposures: exposures, macros: macros, docs: docs,
                                vars: vars, targetPath: settings.targetPath,
                                packageRoots: Dictionary(uniqueKeysWithValues: packages.map { ($0.name, $0.directory) }),
                                latestVersions: Dictionary(nodes.values.compactMap { node in
                                    node.latestVersion.map { ("\(node.packageName).\(node.name)", $0) }
                                }, uniquingKeysWith: { a, _ in a }))
        let modelPaths = settings.modelPaths
        manifest.semanticResources = SemanticResourceBuilder(manifest: manifest, locate: { file in
            let (folders, _, path) = self.split(file, roots: modelPaths)
            return (folders, path)
        }).build(files: yamlFiles.map { (path: $0.0, document: $0.1) })
        let dag = try DAG(manifest: manifest)
        let dialect: SQLDialect = ["postgres": .postgres, "spark": .spark][target.type] ?? .duckdb
        return LoadedProject(manifest: manifest, dag: dag, dialect: dialect, environment: environment, contextBuilder: builder,
                             templates: templates, propertyFiles: yamlFiles.map { (path: $0.0, document: $0.1) },
                             warnings: warnings.sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) },
                             projectVars: settings.vars)
    }

    // MARK: files

    func parseTemplate(_ source: String, file: String, package: String? = nil) throws -> Template {
        do { return try Template(source: source, name: file, package: package) } catch let e as TemplateError {
            throw TransformError(file: file, line: e.line, column: e.column, e.message)
        }
    }

    func loadMacros() throws {
        let builtins = try parseTemplate(BuiltinMacros.all, file: BuiltinMacros.fileName)
        DbtFilters.install(on: environment)
        environment.addMacros(from: builtins, namespace: "dbt")
        for name in builtins.macroNames {
            macros["macro.dbt.\(name)"] = MacroEntry(uniqueId: "macro.dbt.\(name)", name: name, packageName: "dbt", originalFilePath: "macros/builtins.sql",
                                                     macroSQL: MacroBlocks.builtins[name] ?? "")
        }
        // The expectation tests are ours, not dbt's: their own package in the manifest.
        let expectations = try parseTemplate(ExpectationMacros.source, file: ExpectationMacros.fileName)
        environment.addMacros(from: expectations, namespace: "storehouse")
        for name in expectations.macroNames {
            macros["macro.storehouse.\(name)"] = MacroEntry(uniqueId: "macro.storehouse.\(name)", name: name, packageName: "storehouse",
                                                            originalFilePath: "macros/expectations.sql", macroSQL: MacroBlocks.expectations[name] ?? "")
        }
        let generic = settings.testPaths.map { "\($0)/generic" }
        let files = scanner.files(under: settings.macroPaths, extensions: ["sql"])
            + scanner.files(under: generic, extensions: ["sql"])
        // The project's macros are also `<project>.name` (dispatch searches the project by name),
        // unless that would hide a global such as `adapter`.
        let rootNamespace = environment.globals[settings.name] == nil ? settings.name : nil
        for file in files {
            let names = try registerMacros(try read(file), shownAs: file, path: file, package: settings.name, namespace: rootNamespace,
                                           isProject: true)
            projectMacroNames.formUnion(names)
        }
        try loadPackageMacros()
    }

    /// Parses one macro file and registers its macros: in the environment (a package's only under
    /// its namespace) and in the manifest as `macro.<package>.<name>`. Returns their names.
    func registerMacros(_ text: String, shownAs shown: String, path: String, package: String, namespace: String?, isProject: Bool) throws -> [String] {
        let template = try parseTemplate(text, file: shown, package: isProject ? nil : package)
        let blocks = MacroBlocks.blocks(in: text)
        environment.addMacros(from: template, namespace: namespace, unqualified: isProject)
        for name in template.macroNames {
            let id = "macro.\(package).\(name)"
            if let existing = macros[id] {
                // A package's paths are recorded from its own folder; errors name them from the project.
                let folder = shown.dropLast(path.count)
                throw TransformError(file: shown, "macro '\(name)'\(isProject ? "" : " of package '\(package)'") is defined twice, here and in \(folder)\(existing.originalFilePath); rename or remove one")
            }
            macros[id] = MacroEntry(uniqueId: id, name: name, packageName: package, originalFilePath: path, macroSQL: blocks[name] ?? "")
        }
        return template.macroNames
    }

    func loadDocs() throws {
        let roots = settings.docsPaths ?? (settings.modelPaths + settings.seedPaths + settings.snapshotPaths + settings.analysisPaths + settings.macroPaths + settings.testPaths)
        for file in scanner.files(under: roots, extensions: ["md"]) {
            let template = try parseTemplate(try read(file), file: file)
            for block in template.docsBlocks {
                let id = "doc.\(settings.name).\(block.name)"
                docs[id] = DocBlock(uniqueId: id, name: block.name, originalFilePath: file,
                                    content: block.contents.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
    }

    var yamlFiles: [(String, Yams.Node)] = []

    func loadYAML() throws {
        let roots = settings.modelPaths + settings.seedPaths + settings.snapshotPaths + settings.analysisPaths + settings.macroPaths
        for file in scanner.files(under: roots, extensions: ["yml", "yaml"]) {
            guard let doc = try YAMLSupport.parse(try read(file), file: file) else { continue }
            yamlFiles.append((file, doc))
            for item in YAMLSupport.items(YAMLSupport.lookup(doc, "unit_tests")) { unitTestEntries.append((file, item)) }
            for key in ["models", "seeds", "snapshots", "analyses"] {
                for item in YAMLSupport.items(YAMLSupport.lookup(doc, key)) {
                    guard let name = YAMLSupport.string(item, "name") else {
                        throw TransformError(file: file, line: YAMLSupport.line(item), "an entry under `\(key):` has no `name:`; add the \(key.dropLast())'s name")
                    }
                    if let earlier = patches["\(key):\(name)"] {
                        throw TransformError(file: file, line: YAMLSupport.line(item), column: item.mark?.column ?? 0,
                                             "\(key.dropLast()) '\(name)' is already described in \(earlier.file):\(YAMLSupport.line(earlier.node)); keep one entry per \(key.dropLast()) (dbt refuses two as well)")
                    }
                    patches["\(key):\(name)"] = (file, item)
                }
            }
        }
    }

    /// `models/marts/orders.sql` under root `models` → folders `["marts"]`, stem `orders`, path `marts/orders.sql`.
    func split(_ file: String, roots: [String]) -> (folders: [String], stem: String, path: String) {
        var relative = Substring(file)
        for r in roots {
            // `file` starts with "<root>/": compared on bytes, as `hasPrefix` on String compares graphemes slowly.
            let utf8 = file.utf8
            guard utf8.count > r.utf8.count, utf8.starts(with: r.utf8),
                  utf8[utf8.index(utf8.startIndex, offsetBy: r.utf8.count)] == UInt8(ascii: "/") else { continue }
            relative = file[utf8.index(utf8.startIndex, offsetBy: r.utf8.count + 1)...]
            break
        }
        var parts = relative.split(separator: "/").map(String.init)
        let last = parts.removeLast()
        // NSString's deletingPathExtension: drop the last `.ext`, unless the dot starts the name.
        var stem = last
        if let dot = last.utf8.lastIndex(of: UInt8(ascii: ".")), dot != last.utf8.startIndex, dot != last.utf8.index(before: last.utf8.endIndex) {
            stem = String(last[..<dot])
        }
        return (parts, stem, String(relative))
    }

    /// dbt refuses two ref-able resources (models, seeds, snapshots) of one name in one package:
    /// `ref('name')` could not tell them apart. The versions of one model share its name.
    func checkNameCollisions() throws {
        var first: [String: Node] = [:]
        for node in nodes.values where node.resourceType == .model || node.resourceType == .seed || node.resourceType == .snapshot {
            let key = node.packageName + "." + node.name
            guard let other = first[key] else { first[key] = node; continue }
            if other.resourceType == .model && node.resourceType == .model { continue }
            let (a, b) = other.uniqueId < node.uniqueId ? (other, node) : (node, other)
            throw TransformError(file: b.originalFilePath,
                                 "dbt found two resources with the name '\(node.name)': the \(a.resourceType.rawValue) in \(a.originalFilePath) and the \(b.resourceType.rawValue) here; ref('\(node.name)') could not tell them apart, so rename one of them")
        }
    }

    func checkDuplicate(_ id: String, file: String) throws {
        if let existing = nodes[id] {
            throw TransformError(file: file, "\(existing.resourceType.rawValue) '\(existing.name)' is defined twice, here and in \(existing.originalFilePath); names must be unique, so rename one of them")
        }
    }


    /// Renders a SQL node at parse time to capture its refs, sources and `config()` calls.
    func parseRender(_ node: inout Node, template: Template) throws {
        fileConfigs[node.uniqueId] = try parseRenderReturningConfigCalls(&node, template: template)
    }

    /// `parseRender` without touching the loader's state, so files can be rendered concurrently;
    /// returns the file's own `config()` calls.
    func parseRenderReturningConfigCalls(_ node: inout Node, template: Template) throws -> [(String, ConfigValue)] {
        let state = RenderState(config: node.config)
        let target = self.target
        var context: [String: Value] = [:]
        context["ref"] = .function(NativeFunction(name: "ref") { args in
            let positional = args.positional.compactMap(\.stringValue)
            guard !positional.isEmpty else { throw TemplateError.raised("ref() needs a model name, like ref('stg_orders')") }
            let version = (args.keyword("v") ?? args.keyword("version")).flatMap { $0.isNoneLike ? nil : $0.renderedString }
            let ref = positional.count >= 2 ? NodeRef(package: positional[0], name: positional[1], version: version)
                : NodeRef(name: positional[0], version: version)
            state.refs.append(ref)
            return .object(RelationObject(QualifiedRelation(database: target.database, schema: target.schema, identifier: ref.name)))
        })
        context["source"] = .function(NativeFunction(name: "source") { args in
            let s = try args.string(0, "source_name", of: "source")
            let t = try args.string(1, "table_name", of: "source")
            state.sources.append([s, t])
            return .object(RelationObject(QualifiedRelation(database: target.database, schema: s, identifier: t)))
        })
        context["config"] = builder.configObject(state: state, file: node.originalFilePath, parsing: true)
        context["this"] = .object(RelationObject(QualifiedRelation(database: target.database, schema: target.schema, identifier: node.name)))
        context["execute"] = .bool(false)
        context["is_incremental"] = .function(NativeFunction(name: "is_incremental") { _ in .bool(false) })
        context["run_query"] = .function(NativeFunction(name: "run_query") { _ in .none })
        context["load_result"] = .function(NativeFunction(name: "load_result") { _ in .none })
        context["model"] = node.contextValue
        let box = ContextBox()
        context["var"] = builder.nodeVar(builder.vars(for: node.packageName), lenient: true) { box.context }
        // dbt's graph is filled once parsing ends; while parsing, its sections are empty.
        context["graph"] = Loader.parsingGraph
        context["schema"] = .string(node.config.schema.map { "\(target.schema)_\($0)" } ?? target.schema)
        context["database"] = .string(target.database)
        box.context = context
        do { _ = try environment.render(template, context: context, lenientUndefined: true) } catch let e as TemplateError {
            throw TransformError(file: e.file.isEmpty ? node.originalFilePath : e.file, line: e.line, column: e.column,
                                 e.message + e.chain(calledBy: "\(node.resourceType.rawValue) \(node.name)", file: template.name))
        }
        node.refs = state.refs
        node.sources = state.sources
        node.config = state.config
        return state.configCalls
    }

    var fileConfigs: [String: [(String, ConfigValue)]] = [:]

    nonisolated(unsafe) static let parsingGraph = Value(orderedPairs: ["nodes", "sources", "exposures", "metrics", "groups", "semantic_models",
                                                                       "saved_queries", "unit_tests"].map { ($0, Value(orderedPairs: [])) })

    /// Folder configs by kind and folder path: every file of a folder shares them, so the project
    /// tree is walked once per folder rather than once per node.
    var folderConfigs: [String: (config: NodeConfig, levels: [Yams.Node])] = [:]

    /// The defaults of a kind, then dbt_project.yml's folder configs down to the node's own entry.
    func baseConfig(kind: String, fqn: [String]) throws -> NodeConfig {
        let folders = fqn.dropLast()
        let key = kind + "\u{0}" + folders.joined(separator: "/")
        let folder: (config: NodeConfig, levels: [Yams.Node])
        if let cached = folderConfigs[key] {
            folder = cached
        } else {
            var config = NodeConfig(Loader.defaults(kind: kind))
            // A package node: the package's own tree first, then the project's, which wins (dbt's order).
            var levels: [Yams.Node] = []
            if loadingPackage != nil, let level = try settings.folderConfig(kind: kind, fqn: folders, into: &config) { levels.append(level) }
            if let level = try rootSettings.folderConfig(kind: kind, fqn: folders, into: &config) { levels.append(level) }
            folder = (config, levels)
            folderConfigs[key] = folder
        }
        var config = folder.config
        for level in folder.levels {
            if let name = fqn.last, let own = YAMLSupport.lookup(level, name) { try rootSettings.apply(own, into: &config) }
        }
        return config
    }

    static func defaults(kind: String) -> [(String, ConfigValue)] {
        switch kind {
        case "tests": return testDefaults
        case "seeds": return [("materialized", .string("seed"))]
        case "snapshots": return [("materialized", .string("snapshot"))]
        case "unit_tests": return [("materialized", .string("unit"))]
        default: return [("materialized", .string("view"))]
        }
    }

    func macroDependencies(_ raw: String) -> [String] {
        var found: [String] = []
        var seen: Set<String> = []
        var wordStart = -1
        let bytes = Array(raw.utf8)
        for (i, b) in bytes.enumerated() {
            let isWordByte = (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95
            if isWordByte { if wordStart < 0 { wordStart = i }; continue }
            if b == 40, wordStart >= 0 {
                let word = String(decoding: bytes[wordStart..<i], as: UTF8.self)
                // `dbt_utils.star(` depends on the package's macro.
                var qualifier: String?
                if wordStart > 1, bytes[wordStart - 1] == 46 {
                    var start = wordStart - 1
                    while start > 0, case let c = bytes[start - 1], (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 { start -= 1 }
                    qualifier = String(decoding: bytes[start..<(wordStart - 1)], as: UTF8.self)
                }
                let key = (qualifier.map { $0 + "." } ?? "") + word
                if !seen.contains(key) {
                    if let qualifier {
                        if macros["macro.\(qualifier).\(word)"] != nil { found.append("macro.\(qualifier).\(word)"); seen.insert(key) }
                    } else if projectMacroNames.contains(word) { found.append("macro.\(settings.name).\(word)"); seen.insert(key) }
                    else if macros["macro.dbt.\(word)"] != nil { found.append("macro.dbt.\(word)"); seen.insert(key) }
                }
            }
            wordStart = -1
        }
        return found
    }

    func loadModels() throws {
        // Checks and configs that read or fill the loader's caches run in file order first; the
        // costly part (read, hash, parse, parse-time render) then runs on every core, and results
        // are taken in file order so the first error reported is the same as a serial load's.
        var prepared: [Node] = []
        var firstProblem: Error?
        var seen: [String: String] = [:]
        let versioned = try modelVersionsByFile()
        for file in scanner.files(under: settings.modelPaths, extensions: ["sql"]) {
            do {
                let (folders, stem, path) = split(file, roots: settings.modelPaths)
                // A file a versioned model's YAML names is that model at one version.
                let version = versioned[stem]
                let name = version?.name ?? stem
                let id = version.map { "model.\(settings.name).\(name).v\($0.version)" } ?? "model.\(settings.name).\(stem)"
                try checkDuplicate(id, file: file)
                if let other = seen[id] {
                    throw TransformError(file: file, "model '\(name)' is defined twice, here and in \(other); names must be unique, so rename one of them")
                }
                seen[id] = file
                let fqn = [settings.name] + folders + [name] + (version.map { ["v\($0.version)"] } ?? [])
                var node = Node(uniqueId: id, name: name, resourceType: .model, packageName: settings.name, path: path,
                                originalFilePath: file, fqn: fqn)
                node.config = try baseConfig(kind: "models", fqn: fqn)
                try applyYAMLConfig(&node, key: "models")
                if let version {
                    node.version = version.version
                    node.latestVersion = version.latest
                    try applyVersionConfig(&node, version)
                }
                prepared.append(node)
            } catch {
                firstProblem = error
                break
            }
        }
        let results = ParallelMap.map(prepared) { node -> Result<(Node, Template, [(String, ConfigValue)]), Error> in
            Result {
                var node = node
                let raw = try self.read(node.originalFilePath)
                node.rawCode = raw
                node.checksum = Digest.sha256(raw)
                let template = try self.parseTemplate(raw, file: self.shown(node.originalFilePath), package: self.loadingPackage?.name)
                let configCalls = try self.parseRenderReturningConfigCalls(&node, template: template)
                node.dependsOnMacros = self.macroDependencies(raw)
                return (node, template, configCalls)
            }
        }
        for result in results {
            let (node, template, configCalls) = try result.get()
            fileConfigs[node.uniqueId] = configCalls
            templates[node.uniqueId] = template
            nodes[node.uniqueId] = node
        }
        if let firstProblem { throw firstProblem }
    }

    /// YAML `config:` of a node sits between the project tree and the file's own `config()`.
    func applyYAMLConfig(_ node: inout Node, key: String) throws {
        guard let (file, item) = patches["\(key):\(node.name)"], let configNode = YAMLSupport.lookup(item, "config") else { return }
        for (k, child) in YAMLSupport.entries(configNode) {
            let value = try renderedConfig(YAMLSupport.value(child), file: file, line: YAMLSupport.line(child))
            if let problem = NodeConfig.typeProblem(key: k, value: value) {
                throw TransformError(file: file, line: YAMLSupport.line(child), column: child.mark?.column ?? 0, problem)
            }
            node.config.apply(k, value)
        }
    }

    func loadSeeds() throws {
        for file in scanner.files(under: settings.seedPaths, extensions: ["csv"]) {
            let (folders, name, path) = split(file, roots: settings.seedPaths)
            let id = "seed.\(settings.name).\(name)"
            try checkDuplicate(id, file: file)
            let text = try read(file)
            _ = try SeedCSV(parsing: text, file: file)
            let fqn = [settings.name] + folders + [name]
            var node = Node(uniqueId: id, name: name, resourceType: .seed, packageName: settings.name, path: path,
                            originalFilePath: file, fqn: fqn, rawCode: "", checksum: Digest.sha256(text))
            node.config = try baseConfig(kind: "seeds", fqn: fqn)
            try applyYAMLConfig(&node, key: "seeds")
            nodes[id] = node
        }
    }

    func loadSnapshots() throws {
        for file in scanner.files(under: settings.snapshotPaths, extensions: ["sql"]) {
            let (folders, stem, _) = split(file, roots: settings.snapshotPaths)
            let text = try read(file)
            let fileTemplate = try parseTemplate(text, file: file)
            for name in fileTemplate.snapshotNames {
                guard let (body, line) = SnapshotBlocks.body(of: name, in: text) else { continue }
                let id = "snapshot.\(settings.name).\(name)"
                try checkDuplicate(id, file: file)
                let fqn = [settings.name] + folders + [stem, name]
                var node = Node(uniqueId: id, name: name, resourceType: .snapshot, packageName: settings.name,
                                path: String(file.drop(while: { $0 != "/" }).dropFirst()), originalFilePath: file, fqn: fqn,
                                rawCode: body, checksum: Digest.sha256(text), line: line)
                node.config = try baseConfig(kind: "snapshots", fqn: fqn)
                try applyYAMLConfig(&node, key: "snapshots")
                // Line numbers in errors stay right: a comment of newlines stands in for the lines above the body.
                let padded = (line > 1 ? "{#" + String(repeating: "\n", count: line - 1) + "#}" : "") + body
                let template = try parseTemplate(padded, file: file)
                try parseRender(&node, template: template)
                node.dependsOnMacros = macroDependencies(body)
                templates[id] = template
                nodes[id] = node
            }
        }
    }

    func loadSingularTests() throws {
        let generic = settings.testPaths.map { "\($0)/generic/" }
        // `<test-path>/fixtures/` holds unit tests' fixture files, not tests (as in dbt).
        for file in scanner.files(under: settings.testPaths, extensions: ["sql"])
            where !generic.contains(where: { file.hasPrefix($0) }) && !file.contains("/fixtures/") {
            let (folders, name, path) = split(file, roots: settings.testPaths)
            let id = "test.\(settings.name).\(name)"
            try checkDuplicate(id, file: file)
            let raw = try read(file)
            let fqn = [settings.name] + folders + [name]
            var node = Node(uniqueId: id, name: name, resourceType: .test, packageName: settings.name, path: path,
                            originalFilePath: file, fqn: fqn, rawCode: raw, checksum: Digest.sha256(raw))
            node.config = try baseConfig(kind: "tests", fqn: fqn)
            let template = try parseTemplate(raw, file: file)
            try parseRender(&node, template: template)
            node.dependsOnMacros = macroDependencies(raw)
            templates[id] = template
            nodes[id] = node
        }
    }

    static let testDefaults: [(String, ConfigValue)] = [
        ("materialized", .string("test")), ("severity", .string("ERROR")), ("schema", .string("dbt_test__audit")),
        ("fail_calc", .string("count(*)")), ("warn_if", .string("!= 0")), ("error_if", .string("!= 0")),
    ]

    func loadAnalyses() throws {
        for file in scanner.files(under: settings.analysisPaths, extensions: ["sql"]) {
            let (folders, name, path) = split(file, roots: settings.analysisPaths)
            let id = "analysis.\(settings.name).\(name)"
            try checkDuplicate(id, file: file)
            let raw = try read(file)
            let fqn = [settings.name, "analysis"] + folders + [name]
            var node = Node(uniqueId: id, name: name, resourceType: .analysis, packageName: settings.name, path: "analysis/" + path,
                            originalFilePath: file, fqn: fqn, rawCode: raw, checksum: Digest.sha256(raw))
            node.config = NodeConfig([("materialized", .string("view"))])
            let template = try parseTemplate(raw, file: file)
            try parseRender(&node, template: template)
            templates[id] = template
            nodes[id] = node
        }
    }
}

extension ConfigValue {
    /// Every string inside the value.
    var allStrings: [String] {
        switch self {
        case .string(let s): return [s]
        case .list(let l): return l.flatMap(\.allStrings)
        case .dict(let d): return d.flatMap(\.1.allStrings)
        default: return []
        }
    }
}
