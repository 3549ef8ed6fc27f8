import Foundation
import Templating
import Yams

/// One entry of `dispatch:` in dbt_project.yml: the packages searched, in order, when a macro
/// calls `adapter.dispatch('x', macro_namespace)`.
///
/// ```yaml
/// dispatch:
///   - macro_namespace: dbt_utils
///     search_order: ['my_project', 'dbt_utils']
/// ```
struct DispatchRule: Equatable {
    var macroNamespace: String
    var searchOrder: [String]

    static func read(_ node: Yams.Node?, file: String) throws -> [DispatchRule] {
        guard let node else { return [] }
        func fail(_ at: Yams.Node, _ message: String) -> TransformError {
            TransformError(file: file, line: YAMLSupport.line(at), column: at.mark?.column ?? 0, message)
        }
        guard case .sequence = node else {
            throw fail(node, "`dispatch:` must be a list of entries like `- {macro_namespace: dbt_utils, search_order: [my_project, dbt_utils]}`")
        }
        return try YAMLSupport.items(node).map { item in
            guard let namespace = YAMLSupport.string(item, "macro_namespace"), !namespace.isEmpty else {
                throw fail(item, "a `dispatch:` entry has no `macro_namespace:`; name the package whose macros it re-routes, e.g. `macro_namespace: dbt_utils`")
            }
            guard let orderNode = YAMLSupport.lookup(item, "search_order"), case .sequence = orderNode else {
                throw fail(item, "the `dispatch:` entry for '\(namespace)' has no `search_order:` list; give the packages to search in order, e.g. `search_order: [my_project, \(namespace)]`")
            }
            let order = YAMLSupport.value(orderNode).asList.compactMap(\.stringValue)
            guard !order.isEmpty else {
                throw fail(orderNode, "the `search_order:` for '\(namespace)' is empty; list at least one package, e.g. `[\(namespace)]`")
            }
            return DispatchRule(macroNamespace: namespace, searchOrder: order)
        }
    }
}

/// dbt's `adapter.dispatch(macro_name, macro_namespace)`: for each package of the search order,
/// the adapter's own implementation (`duckdb__x`) and then the default one (`default__x`).
///
/// The search order is the project's `dispatch:` entry for the namespace; without one, a known
/// package (an installed package, or `dbt` itself) is searched after the root project, so a
/// project overrides a package's implementation by defining `default__x` or `duckdb__x` — the
/// rule that lets a project's `default__x` win over the engine's built-in `duckdb__x`. Without
/// a namespace, plain names are searched (the project's macros, then the built-ins).
struct MacroDispatcher {
    var rootProject: String
    var rules: [DispatchRule]
    /// Packages whose macros are loaded: the root project, installed packages and `dbt`.
    var knownPackages: Set<String>
    var adapterPrefixes: [String]

    func searchOrder(for namespace: String?) -> [String?] {
        guard let namespace else { return [nil] }
        if let rule = rules.first(where: { $0.macroNamespace == namespace }) { return rule.searchOrder }
        if knownPackages.contains(namespace), namespace != rootProject { return [rootProject, namespace] }
        return [namespace]
    }

    func resolve(_ name: String, namespace: String?, in environment: Environment) throws -> Value {
        var searched: [String] = []
        for package in searchOrder(for: namespace) {
            if let package, !knownPackages.contains(package) {
                throw TemplateError.raised("adapter.dispatch('\(name)', '\(namespace ?? "")') searches package '\(package)', which is neither this project nor an installed package; fix the `dispatch:` search_order in dbt_project.yml or run `storehouse deps`")
            }
            for prefix in adapterPrefixes {
                let candidate = "\(prefix)__\(name)"
                let found = package.map { environment.macro(named: candidate, inNamespace: $0) } ?? environment.macro(named: candidate)
                if let found { return found }
                searched.append(package.map { "'\($0).\(candidate)'" } ?? "'\(candidate)'")
            }
        }
        throw TemplateError.raised("In dispatch: No macro named '\(name)' found within namespace: '\(namespace ?? "None")'; searched for \(searched.joined(separator: ", ")). Define one of these macros, or add a package that does to `dispatch:`")
    }
}
