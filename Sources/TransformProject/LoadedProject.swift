import Foundation
import Templating
import WarehouseKit
import Yams

/// Where and how to load a project (the CLI's `--project-dir`, `--profiles-dir`, `--target`, `--vars`).
public struct LoadOptions: Sendable {
    public var projectDir: String
    public var profilesDir: String?
    public var target: String?
    /// YAML or JSON mapping that overrides project vars, as `--vars` takes it.
    public var vars: String?
    /// Environment variables `env_var` reads.
    public var environment: [String: String]
    /// Where `~/.dbt/profiles.yml` is looked for.
    public var homeDirectory: String
    /// The verb the project loads for (`build`, `run`, …), which templates read as `flags.WHICH`
    /// while parsing too, as in dbt.
    public var command = "compile"

    public init(projectDir: String, profilesDir: String? = nil, target: String? = nil, vars: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                homeDirectory: String = NSHomeDirectory())
    {
        self.projectDir = projectDir
        self.profilesDir = profilesDir
        self.target = target
        self.vars = vars
        self.environment = environment
        self.homeDirectory = homeDirectory
    }
}

/// A loaded project: its manifest plus the parsed templates and macro environment the compiler
/// renders with. Loading reads files once; nothing after that touches the disk.
public final class LoadedProject: @unchecked Sendable {
    public let manifest: Manifest
    /// The engine the profile's target names.
    public let dialect: SQLDialect
    let environment: Environment
    let contextBuilder: ContextBuilder
    /// Parsed SQL of models, snapshots, singular tests and analyses, by unique id.
    let templates: [String: Template]
    /// The manifest's dependency graph, built once while loading.
    public let dag: DAG
    /// The YAML property files under the project's resource paths, parsed once while loading, for
    /// readers of the resources dbt keeps beside models (`semantic_models:`, `metrics:`, …).
    package let propertyFiles: [(path: String, document: Yams.Node)]
    /// Parallel lock: the template environment is not thread-safe.
    let renderLock = NSLock()
    /// What loaded but looks like a mistake (a column entry with keys dbt does not know, …).
    public let warnings: [ProjectWarning]
    /// manifest.json as last encoded for this project (and its `withVars` copies: vars are not
    /// in it), for runs that write it again.
    public let manifestBytes: ManifestBytesCache
    /// True when a template called `var()` while the project loaded: then other vars could load
    /// other nodes, configs or refs, and `withVars` must not be used.
    public let loadingReadVars: Bool
    /// The project's own vars (dbt_project.yml) before `--vars`, for `withVars`.
    let projectVars: [(String, ConfigValue)]
    /// Vars that replace the loaded ones when compiling: set by `withVars`.
    let compileVars: [(String, ConfigValue)]?
    /// `graph` for templates, built from the manifest when first read.
    let graph: GraphObject

    init(manifest: Manifest, dag: DAG, dialect: SQLDialect, environment: Environment, contextBuilder: ContextBuilder,
         templates: [String: Template], propertyFiles: [(path: String, document: Yams.Node)] = [], warnings: [ProjectWarning] = [],
         projectVars: [(String, ConfigValue)] = [], compileVars: [(String, ConfigValue)]? = nil,
         manifestBytes: ManifestBytesCache = ManifestBytesCache(), loadingReadVars: Bool? = nil) {
        self.manifest = manifest
        self.graph = GraphObject(manifest: manifest)
        self.projectVars = projectVars
        self.compileVars = compileVars
        // Read once loading ends: the builder's flag also counts `var()` calls made later, compiling.
        self.loadingReadVars = loadingReadVars ?? contextBuilder.varReads.happened
        self.manifestBytes = manifestBytes
        self.warnings = warnings
        self.dag = dag
        self.propertyFiles = propertyFiles
        self.dialect = dialect
        self.environment = environment
        self.contextBuilder = contextBuilder
        self.templates = templates
    }

    /// This project with other `--vars` (a YAML or JSON mapping), without loading it again; nil
    /// when loading read a var, since then the vars may change what loads.
    public func withVars(_ text: String?) throws -> LoadedProject? {
        guard !loadingReadVars else { return nil }
        var manifest = self.manifest
        manifest.vars = try ProjectVars.merge(projectVars, projectName: manifest.projectName, override: text)
        return LoadedProject(manifest: manifest, dag: dag, dialect: dialect, environment: environment, contextBuilder: contextBuilder,
                             templates: templates, propertyFiles: propertyFiles, warnings: warnings,
                             projectVars: projectVars, compileVars: manifest.vars, manifestBytes: manifestBytes,
                             loadingReadVars: false)
    }
}

/// A project's vars: dbt_project.yml's, its project-scoped block flattened, then `--vars` on top.
enum ProjectVars {
    static func merge(_ projectVars: [(String, ConfigValue)], projectName: String, override: String?) throws -> [(String, ConfigValue)] {
        var vars = projectVars
        if let scoped = vars.first(where: { $0.0 == projectName })?.1.dictValue {
            vars.removeAll { $0.0 == projectName }
            for (k, v) in scoped { vars.append((k, v)) }
        }
        if let override, !override.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let node = try YAMLSupport.parse(override, file: "--vars"), case .dict(let pairs) = YAMLSupport.value(node) else {
                throw TransformError("--vars must be a YAML or JSON mapping, like '{start_date: 2024-01-01}'")
            }
            for (k, v) in pairs {
                if let i = vars.firstIndex(where: { $0.0 == k }) { vars[i].1 = v } else { vars.append((k, v)) }
            }
        }
        return vars
    }
}
