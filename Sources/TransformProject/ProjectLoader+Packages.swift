import Foundation
import Templating

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

    /// Each package's models, seeds and property files (descriptions, columns, tests, sources),
    /// loaded with the package's own paths and config tree under the project's, as dbt loads
    /// them: ids and fqn carry the package's name, file paths are the package's own
    /// (`models/x.sql`), and a package model's plain macro names resolve in its package first.
    func loadPackageResources() throws {
        let project = (settings: settings, scanner: scanner, root: root, yamlFiles: yamlFiles, unitTests: unitTestEntries)
        defer {
            settings = project.settings
            scanner = project.scanner
            root = project.root
            yamlFiles = project.yamlFiles
            unitTestEntries = project.unitTests
            loadingPackage = nil
        }
        for package in packages {
            settings = package.settings
            scanner = FileScanner(projectDir: package.directory)
            root = package.directory
            loadingPackage = package
            patches = [:]
            yamlFiles = []
            try loadYAML()
            try loadModels()
            try loadSeeds()
            try applyPatches()
        }
    }

    /// Each package's vars as its nodes see them, in dbt's order: the package's own
    /// dbt_project.yml (its global vars and its own block), then the project's global vars, then
    /// the project's block for the package (`vars: {shop_pkg: {min_amount: 6}}`), then `--vars`.
    func packageVars() throws -> [String: [(String, ConfigValue)]] {
        var result: [String: [(String, ConfigValue)]] = [:]
        for package in packages {
            var merged = try ProjectVars.merge(package.settings.vars, projectName: package.name, override: nil)
            for (key, value) in try ProjectVars.merge(settings.vars, projectName: package.name, override: options.vars) {
                if let index = merged.firstIndex(where: { $0.0 == key }) { merged[index].1 = value } else { merged.append((key, value)) }
            }
            result[package.name] = merged
        }
        return result
    }

    /// How errors name a file of the folder being loaded: a package's from the project
    /// (`dbt_packages/shop_pkg/models/x.sql`), the project's as they are.
    func shown(_ file: String) -> String {
        loadingPackage.map { "\($0.relativeDirectory)/\(file)" } ?? file
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
