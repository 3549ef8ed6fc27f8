import Foundation

/// Where templates are rendered: global names, project macros and custom filters.
///
/// ```swift
/// let env = Environment()
/// env.addMacros(from: try Template(source: macrosSource, name: "macros/cents.sql"))
/// env.globals["var"] = .function(NativeFunction(name: "var") { args in ... })
/// let sql = try env.render(model, context: ["this": .object(relation)])
/// ```
///
/// Names resolve at call time in this order: local variables, macros of the template being run,
/// project macros (`addMacros`), the render `context`, macro namespaces (`dbt.name`), `globals`,
/// then Jinja built-ins (`range`, `dict`, `namespace`, `return`).
public final class Environment {
    /// Names visible in every render.
    public var globals: [String: Value] = [:]
    /// Extra filters, `{{ x | name(args) }}`, receiving the filtered value and the arguments;
    /// they take precedence over built-in filters of the same name.
    public var filters: [String: (Value, Arguments) throws -> Value] = [:]

    private(set) var macros: [String: Value] = [:]
    private var namespaces: [String: [String: Value]] = [:]
    private var namespaceObjects: [String: Value] = [:]

    public init() {}

    /// Registers the top-level macros of `template` so every template can call them by name.
    /// A later registration of the same name replaces an earlier one for unqualified calls.
    /// With a `namespace` (e.g. "dbt"), they are also reachable as `namespace.name`, and stay so
    /// even when a later project macro takes over the plain name. A package's macros pass
    /// `unqualified: false`: as in dbt, the project calls them as `package.name`, and only the
    /// package's own templates see them by their plain names.
    public func addMacros(from template: Template, namespace: String? = nil, unqualified: Bool = true) {
        for name in template.macroNames {
            guard let definition = template.macroDefinitions[name] else { continue }
            let value = Value.macro(Macro(definition: definition, template: template, capturedScope: nil))
            if unqualified { macros[name] = value }
            if let namespace { namespaces[namespace, default: [:]][name] = value }
        }
        if let namespace {
            namespaceObjects[namespace] = .object(MacroNamespace(name: namespace, macros: namespaces[namespace] ?? [:]))
        }
    }

    /// The macro registered as `name`, or as `namespace.name` when the name has a dot
    /// (what `adapter.dispatch` needs to find `duckdb__x` or `dbt.default__x`).
    public func macro(named name: String) -> Value? {
        if let dot = name.firstIndex(of: ".") {
            let namespace = String(name[..<dot])
            let rest = String(name[name.index(after: dot)...])
            return namespaces[namespace]?[rest]
        }
        return macros[name]
    }

    /// The macro `name` registered under `namespace` (a package, the project, or "dbt").
    public func macro(named name: String, inNamespace namespace: String) -> Value? {
        namespaces[namespace]?[name]
    }

    /// Whether any macro was registered under `namespace`.
    public func hasNamespace(_ namespace: String) -> Bool { namespaces[namespace] != nil }

    /// Names of all registered macros (unqualified), sorted.
    public var macroNames: [String] { macros.keys.sorted() }

    func namespaceObject(_ name: String) -> Value? { namespaceObjects[name] }

    /// Renders `template` with `context` (the per-render names, e.g. dbt's `this`, `ref`, `config`).
    /// `overrides` win over every macro of the same name, at any depth of calls (dbt's unit
    /// tests replace `is_incremental` or a project macro this way).
    /// `lenientUndefined` is dbt's parse-time rendering (see `Renderer.lenientUndefined`).
    public func render(_ template: Template, context: [String: Value] = [:], overrides: [String: Value] = [:],
                       lenientUndefined: Bool = false) throws -> String {
        let renderer = Renderer(environment: self, context: context, overrides: overrides, lenientUndefined: lenientUndefined)
        return try renderer.renderTop(template)
    }

    /// Calls a macro, native function or callable object from host code, as a template would
    /// (e.g. dbt's `generate_schema_name`, or a macro `adapter.dispatch` found). A macro yields its
    /// `return(...)` value or its rendered text as a string.
    public func call(_ callable: Value, _ arguments: Arguments = Arguments(), context: [String: Value] = [:]) throws -> Value {
        let renderer = Renderer(environment: self, context: context)
        return try renderer.callFromHost(callable, arguments)
    }
}

/// `dbt.some_macro`: the macros registered under one namespace.
final class MacroNamespace: TemplateObject {
    let name: String
    let macros: [String: Value]

    init(name: String, macros: [String: Value]) {
        self.name = name
        self.macros = macros
    }

    func attribute(_ attribute: String) -> Value? { macros[attribute] }
    var renderedString: String { "<namespace \(name)>" }
}

/// Jinja's `namespace(...)`: an object whose attributes `{% set ns.x = ... %}` may change from
/// inside a loop.
final class NamespaceObject: TemplateObject {
    var values: DictBox

    init(values: DictBox) { self.values = values }

    func attribute(_ name: String) -> Value? { values[name] }
    var renderedString: String { "<Namespace \(Value.dict(values).pythonRepr)>" }
}
