import Foundation
import Templating
import Yams

// Installed packages (`dbt_packages/`): their macros and generic tests, each package in its own
// namespace, as dbt loads them.
extension Loader {
    /// A project that lists packages in packages.yml must have them installed; dbt refuses to
    /// load otherwise, and so do we, naming the file and what to run.
    func checkPackagesInstalled() throws {
        let renderEnv = options.environment
        guard let declared = try PackagesFile.read(projectDir: root, render: { text in
            try Loader.renderEnvVars(text, environment: renderEnv, file: "packages.yml")
        }) else { return }
        guard declared.specs.count > packages.count else { return }
        let installed = packages.map(\.name)
        throw TransformError(file: declared.file,
                             "\(declared.file) lists \(declared.specs.count) package(s) but \(settings.packagesInstallPath)/ holds \(installed.count)"
                                 + (installed.isEmpty ? "" : " (\(installed.joined(separator: ", ")))")
                                 + "; run `storehouse deps` to install them")
    }

    /// `{{ env_var('X') }}` in a packages.yml value, as dbt renders that file.
    static func renderEnvVars(_ text: String, environment: [String: String], file: String) throws -> String {
        guard text.contains("{{") else { return text }
        let env = Environment()
        env.globals["env_var"] = ContextBuilder.envVar(environment)
        do { return try env.render(try Template(source: text, name: file), context: [:]) } catch let e as TemplateError {
            throw TransformError(file: file, e.message)
        }
    }

    func loadPackageMacros() throws {
        for package in packages {
            let scanner = FileScanner(projectDir: package.directory)
            let generic = package.settings.testPaths.map { "\($0)/generic" }
            let files = scanner.files(under: package.settings.macroPaths, extensions: ["sql"]) + scanner.files(under: generic, extensions: ["sql"])
            var names: Set<String> = []
            for file in files {
                let shown = "\(package.relativeDirectory)/\(file)"
                let path = (package.directory as NSString).appendingPathComponent(file)
                guard let text = try ProjectText.read(path: path, file: shown) else { continue }
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                names.formUnion(try registerMacros(trimmed, shownAs: shown, path: file, package: package.name, namespace: package.name, isProject: false))
            }
            packageMacroNames[package.name] = names
        }
    }

    /// Where a generic test's macro lives: `namespace.test_x` when the YAML names a package;
    /// otherwise the project's or the built-in `test_x`, then the first installed package that
    /// has one (dbt's parser finds package tests by their plain names too, though rendering
    /// them then fails).
    func genericTestMacro(_ macroName: String, namespace: String?) -> (package: String?, found: Bool) {
        if let namespace {
            return (namespace, environment.macro(named: macroName, inNamespace: namespace) != nil)
        }
        if environment.macro(named: macroName) != nil { return (nil, true) }
        for package in packages where packageMacroNames[package.name]?.contains(macroName) == true {
            return (package.name, true)
        }
        return (nil, false)
    }
}

extension Loader {
    /// dbt renders the config values of dbt_project.yml (`+materialized: "{{ 'view' if target.name
    /// == 'dev' else 'table' }}"`, `+enabled: "{{ var('x', false) }}"`) with `target`, `var` and
    /// `env_var`; a value that renders to `True`/`False`/a number becomes that, as dbt's native
    /// rendering gives it. Hooks are left for when their node runs.
    func renderProjectConfigs() throws {
        for (kind, tree) in settings.configTrees {
            settings.configTrees[kind] = try renderJinja(in: tree)
        }
    }

    private func renderJinja(in node: Yams.Node) throws -> Yams.Node {
        switch node {
        case .scalar(let scalar):
            let text = scalar.string
            guard text.contains("{{") || text.contains("{%") else { return node }
            let file = settings.fileLabel
            do {
                let rendered = try environment.render(try Template(source: text, name: file), context: [:])
                var plain = Yams.Node.Scalar(rendered.trimmingCharacters(in: .whitespacesAndNewlines), .implicit, .plain)
                plain.mark = scalar.mark
                return .scalar(plain)
            } catch let e as TemplateError {
                throw TransformError(file: file, line: scalar.mark?.line ?? 0, column: scalar.mark?.column ?? 0, e.message)
            }
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
        do {
            let rendered = try environment.render(try Template(source: text, name: file), context: [:])
            return YAMLSupport.value(.scalar(Yams.Node.Scalar(rendered.trimmingCharacters(in: .whitespacesAndNewlines), .implicit, .plain)))
        } catch let e as TemplateError {
            throw TransformError(file: file, line: line, e.message)
        }
    }
}
