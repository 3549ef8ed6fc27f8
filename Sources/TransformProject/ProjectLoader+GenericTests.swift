import Foundation
import Templating
import WarehouseKit
import Yams

// Generic tests (`unique`, `not_null`, … and the project's own) declared in YAML, as test nodes.
extension Loader {
    func buildGenericTests() throws {
        for definition in testDefinitions {
            let item = definition.node
            var testName: String
            var args: [(String, ConfigValue)] = []
            var configPairs: [(String, ConfigValue)] = []
            var customName: String?
            switch item {
            case .scalar(let s): testName = s.string
            case .mapping(let map):
                guard map.count >= 1, let first = map.first else { continue }
                testName = YAMLSupport.key(first.key)
                var body = first.value
                if map.count > 1 || YAMLSupport.key(first.key) == "name" || YAMLSupport.key(first.key) == "test_name" {
                    // The `- name: x\n  test_name: unique` form.
                    body = item
                    testName = YAMLSupport.string(item, "test_name") ?? testName
                    customName = YAMLSupport.string(item, "name")
                }
                for (k, v) in YAMLSupport.entries(body) {
                    let value = YAMLSupport.value(v)
                    switch k {
                    case "config": configPairs += value.dictValue ?? []
                    case "arguments": args += value.dictValue ?? []
                    case "name": if body == item { continue }; customName = value.stringValue
                    case "test_name": continue
                    default:
                        if Loader.testConfigKeys.contains(k) { configPairs.append((k, value)) } else { args.append((k, value)) }
                    }
                }
            default: continue
            }
            try addGenericTest(name: testName, args: args, configPairs: configPairs, customName: customName, definition: definition)
        }
    }

    func addGenericTest(name rawName: String, args: [(String, ConfigValue)], configPairs: [(String, ConfigValue)], customName: String?,
                        definition: (target: Node, file: String, node: Yams.Node, column: String?)) throws
    {
        var namespace: String?
        var name = rawName
        if let dot = rawName.firstIndex(of: ".") { namespace = String(rawName[..<dot]); name = String(rawName[rawName.index(after: dot)...]) }
        let macroName = "test_\(name)"
        let (macroPackage, found) = genericTestMacro(macroName, namespace: namespace)
        guard found else {
            if let namespace, namespace != settings.name, !packages.contains(where: { $0.name == namespace }) {
                throw TransformError(file: definition.file, line: YAMLSupport.line(definition.node), column: definition.node.mark?.column ?? 0,
                                     "generic test '\(rawName)' comes from package '\(namespace)', which is not installed; add it to packages.yml and run `storehouse deps`")
            }
            throw TransformError(file: definition.file, line: YAMLSupport.line(definition.node), column: definition.node.mark?.column ?? 0,
                                 "no generic test named '\(rawName)'; define {% test \(name)(model, column_name) %} in tests/generic or macros, or fix the name")
        }
        let target = definition.target
        var allArgs = args
        if let column = definition.column { allArgs.append(("column_name", .string(column))) }
        let targetName: String
        let modelExpression: String
        var typeName = namespace.map { "\($0)_\(name)" } ?? name
        if target.resourceType == .source {
            let sourceName = target.extra("source_name")?.stringValue ?? ""
            targetName = "\(sourceName)_\(target.name)"
            typeName = "source_" + typeName
            modelExpression = "source('\(sourceName)', '\(target.name)')"
        } else if let version = target.version {
            targetName = "\(target.name)_v\(version)"
            modelExpression = "ref('\(target.name)', version='\(version)')"
        } else {
            targetName = target.name
            modelExpression = "ref('\(target.name)')"
        }
        var (shortName, fullName) = TestNaming.synthesize(testType: typeName, targetName: targetName, args: allArgs)
        if let customName { shortName = customName; fullName = customName }
        let kwargs = args + (definition.column.map { [("column_name", ConfigValue.string($0))] } ?? [])
            + [("model", .string("{{ get_where_subquery(\(modelExpression)) }}"))]
        let metadata: ConfigValue = .dict([("name", .string(name)), ("kwargs", .dict(kwargs)), ("namespace", namespace.map(ConfigValue.string) ?? .null)])
        let hash = String(Digest.md5(fullName + TestNaming.hashableRepr(metadata)).suffix(10))
        // A test belongs to the package whose YAML declares it: a package's tests are its own.
        let owner = target.packageName
        let id = "test.\(owner).\(fullName).\(hash)"
        if nodes[id] != nil { return }
        let (folders, _, _) = split(definition.file, roots: settings.modelPaths + settings.seedPaths + settings.snapshotPaths)
        let fqn = [owner] + folders + [fullName]
        var node = Node(uniqueId: id, name: fullName, resourceType: .test, packageName: owner, path: shortName + ".sql",
                        originalFilePath: definition.file, fqn: fqn, line: YAMLSupport.line(definition.node))
        node.config = try baseConfig(kind: "tests", fqn: fqn)
        // `{{ config(fail_calc=…, severity=…) }}` inside the test's definition, below YAML's.
        for (k, v) in definitionConfig(macroName, package: macroPackage, args: args, column: definition.column, state: node.config) {
            node.config.applyWinning(k, v)
        }
        for (k, written) in configPairs {
            let v = try renderedConfig(written, file: definition.file, line: YAMLSupport.line(definition.node))
            if let problem = NodeConfig.typeProblem(key: k, value: v) {
                throw TransformError(file: definition.file, line: YAMLSupport.line(definition.node), problem)
            }
            node.config.apply(k, v)
        }
        if shortName != fullName, node.config.alias == nil { node.config["alias"] = .string(shortName) }
        // As written: a package's test named without its package is found here but, as in dbt,
        // does not render (the project's namespace does not hold package macros), so it errors.
        node.rawCode = "{{ \(namespace.map { "\($0)." } ?? "")\(macroName)(**_dbt_generic_test_kwargs) }}"
        node.testMetadata = TestMetadata(name: name, kwargs: args, modelExpression: modelExpression, namespace: namespace)
        node.columnName = definition.column
        node.attachedNode = target.uniqueId
        if target.resourceType == .source {
            node.sources = [[target.extra("source_name")?.stringValue ?? "", target.name]]
        } else {
            // A test on one version depends on that version, not on the latest.
            node.refs = [NodeRef(name: target.name, version: target.version)]
        }
        for (_, value) in args {
            for text in value.allStrings {
                let (refs, srcs) = RefScanner.scan(text)
                node.refs += refs
                node.sources += srcs
            }
        }
        node.dependsOnMacros = ["macro.dbt.\(macroName)", "macro.dbt.get_where_subquery"].filter { macros[$0] != nil }
        if let macroPackage { node.dependsOnMacros = ["macro.\(macroPackage).\(macroName)", "macro.dbt.get_where_subquery"] }
        else if projectMacroNames.contains(macroName) { node.dependsOnMacros = ["macro.\(settings.name).\(macroName)"] }
        nodes[id] = node
    }
}

extension Loader {
    /// Packages (and the project) with a macro whose text calls `config(`.
    var packagesCallingConfig: Set<String> {
        if let known = configCallingPackagesCache { return known }
        let found = Set(macros.values.filter { $0.macroSQL.contains("config(") }.map(\.packageName))
        configCallingPackagesCache = found
        return found
    }

    /// The `config()` calls a generic test's macro makes, found by rendering it once the way dbt's
    /// parser does (`execute` false, the model a relation). Only macros whose text calls
    /// `config(` are rendered; a macro that fails without a warehouse contributes what it set
    /// before failing, as its errors belong to the run, not to loading.
    func definitionConfig(_ macroName: String, package: String?, args: [(String, ConfigValue)], column: String?,
                          state config: NodeConfig) -> [(String, ConfigValue)] {
        let owner = package ?? (projectMacroNames.contains(macroName) ? settings.name : "dbt")
        // The call may sit in a macro the test dispatches to, so any macro of the package counts.
        guard let entry = macros["macro.\(owner).\(macroName)"], packagesCallingConfig.contains(owner),
              let macro = package.map({ environment.macro(named: macroName, inNamespace: $0) }) ?? environment.macro(named: macroName) else { return [] }
        let state = RenderState(config: config)
        let stub = Value.object(RelationObject(QualifiedRelation(database: target.database, schema: target.schema, identifier: "model")))
        var context: [String: Value] = [:]
        context["config"] = builder.configObject(state: state, file: entry.originalFilePath, parsing: true)
        context["execute"] = .bool(false)
        context["ref"] = .function(NativeFunction(name: "ref") { _ in stub })
        context["source"] = .function(NativeFunction(name: "source") { _ in stub })
        context["run_query"] = .function(NativeFunction(name: "run_query") { _ in .none })
        context["load_result"] = .function(NativeFunction(name: "load_result") { _ in .none })
        var keyword = args.map { ($0.0, $0.1.templateValue) } + [("model", stub)]
        if let column { keyword.append(("column_name", .string(column))) }
        _ = try? environment.call(macro, Arguments(positional: [], keyword: keyword), context: context)
        return state.configCalls
    }
}
