import Foundation
import Templating
import Yams

// Config values written as Jinja, in dbt_project.yml and in property files.
extension Loader {
    /// dbt renders the config values of dbt_project.yml (`+materialized: "{{ 'view' if target.name
    /// == 'dev' else 'table' }}"`, `+enabled: "{{ var('x', false) }}"`) with `target`, `var` and
    /// `env_var`; a value that renders to `True`/`False`/a number becomes that, as dbt's native
    /// rendering gives it. Hooks are left for when their node runs.
    func renderProjectConfigs() throws {
        for (kind, tree) in settings.configTrees where Loader.holdsJinja(tree) {
            settings.configTrees[kind] = try renderJinja(in: tree)
        }
    }

    /// Whether any scalar of the tree is a template; most projects have none, and then nothing is rebuilt.
    static func holdsJinja(_ node: Yams.Node) -> Bool {
        switch node {
        case .scalar(let scalar): return scalar.string.contains("{{") || scalar.string.contains("{%")
        case .mapping(let mapping): return mapping.contains { holdsJinja($0.value) }
        case .sequence(let sequence): return sequence.contains(where: holdsJinja)
        case .alias: return false
        }
    }

    /// One config value's text rendered with `target`, `var` and `env_var`, as a plain YAML scalar
    /// (so `False` and numbers type as YAML types them); an error names the file and place.
    func renderConfigText(_ text: String, file: String, line: Int, column: Int) throws -> Yams.Node.Scalar {
        do {
            let rendered = try environment.render(try Template(source: text, name: file), context: [:])
            return Yams.Node.Scalar(rendered.trimmingCharacters(in: .whitespacesAndNewlines), .implicit, .plain)
        } catch let e as TemplateError {
            throw TransformError(file: file, line: line, column: column, e.message)
        }
    }

    private func renderJinja(in node: Yams.Node) throws -> Yams.Node {
        switch node {
        case .scalar(let scalar):
            let text = scalar.string
            guard text.contains("{{") || text.contains("{%") else { return node }
            var plain = try renderConfigText(text, file: settings.fileLabel, line: scalar.mark?.line ?? 0, column: scalar.mark?.column ?? 0)
            plain.mark = scalar.mark
            return .scalar(plain)
        case .mapping(let mapping):
            var pairs: [(Yams.Node, Yams.Node)] = []
            for (key, value) in mapping {
                // Hooks render when the node runs (they read `this`), as dbt defers them.
                let name = YAMLSupport.key(key).trimmingCharacters(in: ["+"])
                let deferred = ["pre-hook", "post-hook", "pre_hook", "post_hook"].contains(name)
                pairs.append((key, deferred ? value : try renderJinja(in: value)))
            }
            var rebuilt = Yams.Node.Mapping(pairs)
            rebuilt.mark = mapping.mark
            return .mapping(rebuilt)
        case .sequence(let sequence):
            var rebuilt = Yams.Node.Sequence(try sequence.map { try renderJinja(in: $0) })
            rebuilt.mark = sequence.mark
            return .sequence(rebuilt)
        case .alias: return node
        }
    }
}

extension Loader {
    /// A YAML config value written as Jinja (`enabled: "{{ target.type != 'spark' }}"`), rendered
    /// as dbt renders configs in property files; `True`/`False`/numbers become those.
    func renderedConfig(_ value: ConfigValue, file: String, line: Int) throws -> ConfigValue {
        guard case .string(let text) = value, text.contains("{{") || text.contains("{%") else { return value }
        return YAMLSupport.value(.scalar(try renderConfigText(text, file: file, line: line, column: 0)))
    }
}
