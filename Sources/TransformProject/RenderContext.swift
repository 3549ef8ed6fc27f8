import Foundation
import Templating
import WarehouseKit

/// What a render records or needs to know about the node being rendered.
final class RenderState {
    var refs: [NodeRef] = []
    var sources: [[String]] = []
    /// `config(...)` calls in order (parse phase).
    var configCalls: [(String, ConfigValue)] = []
    /// Ephemeral models referenced while compiling, in first-use order.
    var ephemeralRefs: [String] = []
    var config: NodeConfig
    init(config: NodeConfig) { self.config = config }
}

/// Builds the Jinja names dbt provides: globals once per project, and `ref`/`source`/`config`/
/// `this`/`execute`/`is_incremental`/`run_query` per render.
/// Whether `var()` was called: set from template rendering, read once loading ends.
final class VarReads: @unchecked Sendable {
    private let lock = NSLock()
    private var read = false
    func mark() { lock.withLock { read = true } }
    var happened: Bool { lock.withLock { read } }
}

final class ContextBuilder {
    let projectName: String
    let target: TargetProfile
    let dialectName: String
    let vars: [(String, ConfigValue)]
    let environmentVariables: [String: String]
    let environment: Environment
    /// How `adapter.dispatch` searches; set by the loader once the packages are known.
    var dispatcher: MacroDispatcher?
    /// The verb the project loads for: `flags.WHICH` while parsing.
    var command = "compile"
    /// Installed packages' vars (see `Loader.packageVars`), for their nodes.
    var packageVars: [String: [(String, ConfigValue)]] = [:]

    /// The vars a node of `package` sees: the project's, or its package's.
    func vars(for package: String) -> [(String, ConfigValue)] {
        package == projectName ? vars : packageVars[package] ?? vars
    }

    init(projectName: String, target: TargetProfile, vars: [(String, ConfigValue)], environmentVariables: [String: String], environment: Environment) {
        self.projectName = projectName
        self.target = target
        self.dialectName = target.type
        self.vars = vars
        self.environmentVariables = environmentVariables
        self.environment = environment
    }

    /// Whether a template has called `var()` since the project started loading. A project whose
    /// loading read no var loads the same with any vars, so `serve` can reuse it for a run whose
    /// vars differ (a landing sensor's file list) instead of loading it again.
    let varReads = VarReads()

    /// `var(name, default)` over `vars`, with dbt's `var.has_var(name)`. A value that is text
    /// holding Jinja (`"{{ source('shopify', 'order') }}"`, as packages set their vars) is
    /// rendered by `render` in the calling node's context, as dbt renders it, so its refs and
    /// sources count as the node's.
    static func varFunction(_ vars: [(String, ConfigValue)], render: ((String) throws -> Value)? = nil,
                            onRead: @escaping @Sendable () -> Void = {}) -> Value {
        let hasVar = Value.function(NativeFunction(name: "has_var") { args in
            onRead()
            let name = try args.string(0, "name", of: "var.has_var")
            return .bool(vars.contains { $0.0 == name })
        })
        return .object(HostObject(name: "var", members: ["has_var": hasVar]) { args in
            onRead()
            let name = try args.string(0, "name", of: "var")
            if let v = vars.first(where: { $0.0 == name })?.1 {
                if let render, case .string(let text) = v, text.contains("{{") || text.contains("{%") { return try render(text) }
                return v.templateValue
            }
            if let fallback = args.arg(1, "default") { return fallback }
            throw TemplateError.raised("var('\(name)') is not set; define it under `vars:` in dbt_project.yml, pass --vars '{\(name): ...}', or give a default: var('\(name)', ...)")
        })
    }

    /// The `target` object: name, schema, type, threads, database, and every profile setting.
    var targetValue: Value {
        var pairs: [(String, Value)] = target.settings.filter { $0.0 != "password" && $0.0 != "pass" }.map { ($0.0, $0.1.templateValue) }
        func put(_ key: String, _ value: Value) {
            if let i = pairs.firstIndex(where: { $0.0 == key }) { pairs[i].1 = value } else { pairs.append((key, value)) }
        }
        put("name", .string(target.name)); put("target_name", .string(target.name))
        put("schema", .string(target.schema)); put("type", .string(target.type))
        put("threads", .int(target.threads)); put("database", .string(target.database))
        put("profile_name", .string(projectName))
        return Value(orderedPairs: pairs)
    }

    static func envVar(_ env: [String: String]) -> Value {
        .function(NativeFunction(name: "env_var") { args in
            let name = try args.string(0, "var", of: "env_var")
            if let v = env[name] { return .string(v) }
            if let fallback = args.arg(1, "default") { return fallback }
            throw TemplateError.raised("env_var('\(name)') is not set and has no default; export \(name) or give a default: env_var('\(name)', 'value')")
        })
    }

    /// `var` for one render: values holding Jinja render with `context()` (the render's names,
    /// read when a var is first asked for, once they are all in place).
    func nodeVar(_ vars: [(String, ConfigValue)], lenient: Bool, context: @escaping () -> [String: Value]) -> Value {
        let env = environment
        let reads = varReads
        return ContextBuilder.varFunction(vars, render: { text in
            let template = try Template(source: text, name: "var value")
            return .string(try env.render(template, context: context(), lenientUndefined: lenient))
        }, onRead: { reads.mark() })
    }

    /// Installs the names that are the same for every node.
    func installGlobals() {
        let env = environment
        env.globals["target"] = targetValue
        env.globals["env_var"] = ContextBuilder.envVar(environmentVariables)
        let reads = varReads
        env.globals["var"] = ContextBuilder.varFunction(vars, onRead: { reads.mark() })
        let silent = Value.function(NativeFunction(name: "log") { _ in .string("") })
        env.globals["log"] = silent
        env.globals["print"] = .function(NativeFunction(name: "print") { _ in .string("") })
        env.globals["exceptions"] = .object(HostObject(name: "exceptions", members: [
            "raise_compiler_error": .function(NativeFunction(name: "raise_compiler_error") { args in
                throw TemplateError.raised(args.arg(0, "msg")?.renderedString ?? "compilation error")
            }),
            "warn": .function(NativeFunction(name: "warn") { _ in .string("") }),
            "raise_not_implemented": .function(NativeFunction(name: "raise_not_implemented") { args in
                throw TemplateError.raised(args.arg(0, "msg")?.renderedString ?? "not implemented")
            }),
        ]))
        env.globals["adapter"] = adapterObject(relationExists: nil)
        env.globals["load_relation"] = ContextBuilder.loadRelation(relationExists: nil)
        // dbt's Column.TYPE_LABELS: the base Column spells string as TEXT; dbt-spark's
        // SparkColumn keeps Spark's own names (only LONG becomes BIGINT).
        let isSpark = dialectName == "spark"
        let translate = Value.function(NativeFunction(name: "translate_type") { args in
            let t = args.arg(0, "dtype")?.renderedString ?? ""
            if isSpark { return .string(t.uppercased() == "LONG" ? "BIGINT" : t) }
            return .string(t.uppercased() == "STRING" ? "TEXT" : t)
        })
        let numeric = Value.function(NativeFunction(name: "numeric_type") { args in
            let t = args.arg(0, "dtype")?.renderedString ?? "numeric"
            guard let p = args.arg(1, "precision"), let s = args.arg(2, "scale"), !(p.renderedString == "None") else { return .string(t) }
            return .string("\(t)(\(p.renderedString),\(s.renderedString))")
        })
        let createRelation = Value.function(NativeFunction(name: "create") { args in
            let database = args.keyword("database").flatMap { $0.isNoneLike ? nil : $0.renderedString }
            let schema = args.keyword("schema").flatMap { $0.isNoneLike ? nil : $0.renderedString } ?? ""
            guard let identifier = args.keyword("identifier").flatMap({ $0.isNoneLike ? nil : $0.renderedString }) else {
                throw TemplateError.raised("api.Relation.create needs identifier=, like api.Relation.create(database=target.database, schema='raw', identifier='orders')")
            }
            return .object(RelationObject(QualifiedRelation(database: database, schema: schema, identifier: identifier)))
        })
        env.globals["api"] = .object(HostObject(name: "api", members: [
            "Column": .object(HostObject(name: "Column", members: ["translate_type": translate, "numeric_type": numeric])),
            "Relation": .object(HostObject(name: "Relation", members: ["create": createRelation])),
        ]))
        env.globals["flags"] = .object(HostObject(name: "flags", members: [
            "STORE_FAILURES": .bool(false), "FULL_REFRESH": .bool(false), "WHICH": .string(command),
        ]))
        env.globals["modules"] = .object(HostObject(name: "modules", members: [
            "datetime": PythonDatetime.module, "pytz": PythonDatetime.pytz, "re": PythonRegexModule.value, "itertools": PythonItertools.value,
        ]))
        env.globals["fromjson"] = .function(NativeFunction(name: "fromjson") { args in
            let text = args.arg(0, "string")?.renderedString ?? ""
            guard let data = text.data(using: .utf8), let obj = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
                return args.arg(1, "default") ?? .none
            }
            return ConfigValue(json: obj).templateValue
        })
        env.globals["tojson"] = .function(NativeFunction(name: "tojson") { args in
            .string(pythonJSON(args.arg(0, "value") ?? .none, sortKeys: args.keyword("sort_keys")?.isTruthy ?? false))
        })
        env.globals["project_name"] = .string(projectName)
        env.globals["local_md5"] = .function(NativeFunction(name: "local_md5") { args in
            .string(Digest.md5(args.arg(0, "value")?.renderedString ?? ""))
        })
        env.globals["fromyaml"] = .function(NativeFunction(name: "fromyaml") { args in
            let text = args.arg(0, "value")?.renderedString ?? ""
            guard let node = try? YAMLSupport.parse(text, file: "fromyaml") else { return args.arg(1, "default") ?? .none }
            return YAMLSupport.value(node).templateValue
        })
        env.globals["toyaml"] = .function(NativeFunction(name: "toyaml") { args in
            .string(YAMLText.dump(ConfigValue(template: args.arg(0, "value") ?? .none), sortKeys: args.keyword("sort_keys")?.isTruthy ?? false))
        })
        env.globals["zip"] = .function(NativeFunction(name: "zip") { args in
            let lists = args.positional.map { $0.listValue ?? [] }
            let n = lists.map(\.count).min() ?? 0
            return Value((0..<n).map { i in Value.list(ListBox(lists.map { $0[i] }, isTuple: true)) })
        })
        env.globals["dbt_version"] = .string(DbtCompatibility.version)
        env.globals["invocation_id"] = .string(UUID().uuidString.lowercased())
        // dbt's `datetime.now(pytz.utc)`: an aware datetime, printing `… +00:00`.
        env.globals["run_started_at"] = .object(PyDateTime(wall: (Date().timeIntervalSince1970 * 1_000_000).rounded() / 1_000_000, tz: PyTimeZone.utc))
    }

    /// The `adapter` object: `dispatch`, `quote`, `type`, and `get_relation(database, schema,
    /// identifier)`, which returns the relation when the warehouse has it and `none` otherwise
    /// (always `none` while parsing, as in dbt, where nothing is looked up before execution).
    func adapterObject(relationExists: ((QualifiedRelation) -> Bool)?, execute: ((String) throws -> Void)? = nil,
                       columnsOf: ((QualifiedRelation) throws -> [(name: String, type: String)])? = nil) -> Value {
        let env = environment
        let dialect = dialectName
        let dispatcher = self.dispatcher ?? MacroDispatcher(rootProject: projectName, rules: [], knownPackages: [projectName, "dbt"],
                                                            adapterPrefixes: [dialect, "default"])
        return .object(HostObject(name: "adapter", members: [
            "dispatch": .function(NativeFunction(name: "dispatch") { [unowned env] args in
                let name = try args.string(0, "macro_name", of: "adapter.dispatch")
                let namespace = args.arg(1, "macro_namespace").flatMap { value -> String? in
                    switch value { case .none, .undefined: return nil; default: return value.renderedString }
                }
                return try dispatcher.resolve(name, namespace: namespace, in: env)
            }),
            "quote": .function(NativeFunction(name: "quote") { args in
                .string("\"" + (args.arg(0, "identifier")?.renderedString ?? "") + "\"")
            }),
            "type": .function(NativeFunction(name: "type") { _ in .string(dialect) }),
            "get_relation": .function(NativeFunction(name: "get_relation") { args in
                let database = args.arg(0, "database").flatMap { $0.isTruthy ? $0.renderedString : nil }
                guard let schema = args.arg(1, "schema")?.stringValue, let identifier = args.arg(2, "identifier")?.stringValue else {
                    throw TemplateError.raised("adapter.get_relation needs schema and identifier, like adapter.get_relation(database=none, schema='raw', identifier='orders')")
                }
                let relation = QualifiedRelation(database: database, schema: schema, identifier: identifier)
                return relationExists?(relation) == true ? .object(RelationObject(relation)) : .none
            }),
            // Runs at once, as in dbt; while parsing (no warehouse) it does nothing.
            "drop_relation": .function(NativeFunction(name: "drop_relation") { args in
                guard case .object(let object as RelationObject)? = args.arg(0, "relation") else {
                    throw TemplateError.raised("adapter.drop_relation needs a relation, like adapter.drop_relation(this)")
                }
                let kind = object.kind == "view" ? "view" : "table"
                try execute?("drop \(kind) if exists \(object.relation.description)")
                return .none
            }),
            // dbt's Column objects, in the table's order; none (an empty list) while parsing.
            "get_columns_in_relation": .function(NativeFunction(name: "get_columns_in_relation") { args in
                guard case .object(let object as RelationObject)? = args.arg(0, "relation") else {
                    throw TemplateError.raised("adapter.get_columns_in_relation needs a relation, like adapter.get_columns_in_relation(ref('orders'))")
                }
                guard let columnsOf else { return Value([]) }
                return Value(try columnsOf(object.relation).map { ColumnObject.value(name: $0.name, type: $0.type) })
            }),
        ]))
    }

    /// `load_relation(relation)`: the relation when it exists in the warehouse, else `none`.
    static func loadRelation(relationExists: ((QualifiedRelation) -> Bool)?) -> Value {
        .function(NativeFunction(name: "load_relation") { args in
            guard case .object(let object as RelationObject)? = args.arg(0, "relation") else {
                throw TemplateError.raised("load_relation needs a relation, like load_relation(ref('orders')) or load_relation(this)")
            }
            return relationExists?(object.relation) == true ? .object(object) : .none
        })
    }

    /// The per-node `config` object: callable at parse (records), with `get` and `require`.
    func configObject(state: RenderState, file: String, parsing: Bool) -> Value {
        .object(HostObject(name: "config", members: [
            "get": .function(NativeFunction(name: "get") { args in
                let key = try args.string(0, "name", of: "config.get")
                if let v = state.config[key] { return v.templateValue }
                return args.arg(1, "default") ?? .none
            }),
            "require": .function(NativeFunction(name: "require") { args in
                let key = try args.string(0, "name", of: "config.require")
                guard let v = state.config[key] else { throw TemplateError.raised("config '\(key)' is required but not set") }
                return v.templateValue
            }),
            "set": .function(NativeFunction(name: "set") { _ in .string("") }),
        ], call: { args in
            guard parsing else { return .string("") }
            var pairs = args.keyword
            if let first = args.positional.first, case .dict(let d) = first {
                pairs = d.entries.map { ($0.key.renderedString, $0.value) } + pairs
            }
            for (key, value) in pairs {
                let config = ConfigValue(template: value)
                if let problem = NodeConfig.typeProblem(key: key, value: config) { throw TemplateError.raised(problem) }
                state.configCalls.append((key, config))
                state.config.apply(key, config)
            }
            return .string("")
        }))
    }
}

extension Node {
    /// `model` while the node renders: what dbt's node dict offers templates most.
    var contextValue: Value {
        Value(orderedPairs: [
            ("name", .string(name)), ("unique_id", .string(uniqueId)), ("resource_type", .string(resourceType.rawValue)),
            ("package_name", .string(packageName)), ("path", .string(path)), ("original_file_path", .string(originalFilePath)),
            ("fqn", Value(fqn.map(Value.string))), ("config", ConfigValue.dict(config.entries).templateValue),
            ("tags", Value(config.tags.map(Value.string))), ("version", version.map(Value.string) ?? .none),
            ("latest_version", latestVersion.map(Value.string) ?? .none),
            ("alias", .string(relation?.identifier ?? name)), ("schema", relation.map { .string($0.schema) } ?? .none),
            ("database", relation?.database.map(Value.string) ?? .none), ("description", .string(description)),
        ])
    }
}

extension HostObject {
    /// The same object printing as `text`.
    func withString(_ text: String) -> Value {
        .object(PrintableHostObject(base: self, text: text))
    }
}

final class PrintableHostObject: TemplateObject {
    let base: HostObject
    let text: String
    init(base: HostObject, text: String) { self.base = base; self.text = text }
    var renderedString: String { text }
    func attribute(_ name: String) -> Value? { base.attribute(name) }
}

/// A render's names, handed to functions built before the names were all in place (`var`
/// renders its Jinja values with them).
final class ContextBox: @unchecked Sendable {
    var context: [String: Value] = [:]
}
