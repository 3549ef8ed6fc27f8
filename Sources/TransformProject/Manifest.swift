import Foundation

/// The kinds of things a project defines, spelled as dbt spells them in unique ids.
public enum ResourceType: String, Sendable, CaseIterable, Comparable {
    case model, seed, snapshot, test, source, exposure, macro, analysis
    case unitTest = "unit_test"

    public static func < (a: ResourceType, b: ResourceType) -> Bool { a.rawValue < b.rawValue }
}

/// A `ref('name')` or `ref('package', 'name')` found in a node.
public struct NodeRef: Sendable, Hashable {
    public var package: String?
    public var name: String
    /// `ref('dim_customers', v=1)`: a version of a versioned model; nil for its latest.
    public var version: String?
    public init(package: String? = nil, name: String, version: String? = nil) {
        self.package = package
        self.name = name
        self.version = version
    }
}

/// A column documented in YAML.
public struct ColumnDoc: Sendable, Equatable {
    public var name: String
    public var description: String
    public var dataType: String?
    public var meta: ConfigValue
    public init(name: String, description: String = "", dataType: String? = nil, meta: ConfigValue = .dict([])) {
        self.name = name
        self.description = description
        self.dataType = dataType
        self.meta = meta
    }
}

/// What a generic test was called with: `unique` on `stg_orders.order_id`, and so on.
public struct TestMetadata: Sendable, Equatable {
    /// The test's name without the `test_` prefix: `unique`, `accepted_values`, a custom name.
    public var name: String
    /// Arguments as written in YAML (plus `column_name`), without `model`.
    public var kwargs: [(String, ConfigValue)]
    /// `ref('orders')` or `source('jaffle', 'raw_orders')`: what `model` points at.
    public var modelExpression: String
    /// The package named in YAML (`dbt_utils.expression_is_true` → `dbt_utils`), nil without one.
    public var namespace: String? = nil

    public static func == (a: TestMetadata, b: TestMetadata) -> Bool {
        a.name == b.name && a.modelExpression == b.modelExpression && ConfigValue.dict(a.kwargs) == ConfigValue.dict(b.kwargs)
            && a.namespace == b.namespace
    }
}

/// A relation's three-part name as the warehouse sees it, rendered `"db"."schema"."alias"`.
public struct QualifiedRelation: Sendable, Hashable, CustomStringConvertible {
    public var database: String?
    public var schema: String
    public var identifier: String
    /// Which parts are written in quotes (all, unless a source's `quoting:` says otherwise).
    public var quoting = Quoting()

    /// dbt's quote policy: a part written without quotes is folded to the warehouse's case.
    public struct Quoting: Sendable, Hashable {
        public var database = true
        public var schema = true
        public var identifier = true
        public init(database: Bool = true, schema: Bool = true, identifier: Bool = true) {
            self.database = database
            self.schema = schema
            self.identifier = identifier
        }
    }

    public init(database: String?, schema: String, identifier: String) {
        self.database = database
        self.schema = schema
        self.identifier = identifier
    }

    /// `schema.identifier`, lowercased: how lineage, the catalog and the semantic layer match
    /// a relation whatever the case it was written in.
    public var lowercasedName: String { "\(schema).\(identifier)".lowercased() }

    public var description: String {
        func quoted(_ part: String, _ quote: Bool) -> String {
            guard quote else { return part }
            return "\"" + (part.utf8.contains(UInt8(ascii: "\"")) ? part.replacingOccurrences(of: "\"", with: "\"\"") : part) + "\""
        }
        let tail = quoted(schema, quoting.schema) + "." + quoted(identifier, quoting.identifier)
        // Spark has no database level (dbt-spark leaves it out); an empty name is never valid.
        guard let database, !database.isEmpty else { return tail }
        return quoted(database, quoting.database) + "." + tail
    }
}

/// One resource of the project: a model, seed, snapshot, test, source, exposure, analysis or macro.
///
/// Fields a resource type does not use stay empty (a seed has no refs, a source no raw code).
public struct Node: Sendable {
    /// `model.jaffle_shop.orders`, `test.jaffle_shop.unique_orders_order_id.fd1b9b1e73`, …
    public var uniqueId: String
    public var name: String
    public var resourceType: ResourceType
    public var packageName: String
    /// Path inside the resource's folder (`marts/orders.sql`), as dbt's manifest `path`.
    public var path: String
    /// Path from the project root (`models/marts/orders.sql`).
    public var originalFilePath: String
    public var fqn: [String]
    public var config: NodeConfig
    /// The file's text (for a model) or the synthesized call (for a generic test).
    public var rawCode: String
    /// SHA-256 of the file's text, hex; empty for generic tests, whose file is YAML.
    public var checksum: String
    public var refs: [NodeRef]
    /// `[source_name, table_name]` pairs.
    public var sources: [[String]]
    /// Unique ids of the nodes this one depends on, in first-use order.
    public var dependsOnNodes: [String]
    public var dependsOnMacros: [String]
    public var description: String
    public var columns: [ColumnDoc]
    /// Where the node is built; nil for tests, analyses, ephemerals' real relation, exposures.
    public var relation: QualifiedRelation?
    /// Set for tests: the YAML test's details (generic tests only).
    public var testMetadata: TestMetadata?
    /// Set for unit tests: the given rows, the expected rows and the overrides.
    public var unitTest: UnitTestDefinition?
    /// A versioned model's version (`dim_customers.v2` is `dim_customers` at version "2"), and
    /// the version a plain `ref('dim_customers')` resolves to.
    public var version: String?
    public var latestVersion: String?
    public var columnName: String?
    /// The model or source a generic test is attached to.
    public var attachedNode: String?
    /// Line in the original file where the node is defined (1 for whole-file nodes).
    public var line: Int
    /// Extra fields specific to sources and exposures (`source_name`, `identifier`, `loaded_at_field`,
    /// `freshness`, `type`, `owner`, …), in manifest.json's spelling.
    public var extra: [(String, ConfigValue)]

    public init(uniqueId: String, name: String, resourceType: ResourceType, packageName: String, path: String,
                originalFilePath: String, fqn: [String], config: NodeConfig = NodeConfig(), rawCode: String = "",
                checksum: String = "", line: Int = 1)
    {
        self.uniqueId = uniqueId
        self.name = name
        self.resourceType = resourceType
        self.packageName = packageName
        self.path = path
        self.originalFilePath = originalFilePath
        self.fqn = fqn
        self.config = config
        self.rawCode = rawCode
        self.checksum = checksum
        self.refs = []
        self.sources = []
        self.dependsOnNodes = []
        self.dependsOnMacros = []
        self.description = ""
        self.columns = []
        self.relation = nil
        self.testMetadata = nil
        self.unitTest = nil
        self.version = nil
        self.latestVersion = nil
        self.columnName = nil
        self.attachedNode = nil
        self.line = line
        self.extra = []
    }

    /// An extra field (sources, exposures).
    public func extra(_ key: String) -> ConfigValue? { extra.first(where: { $0.0 == key })?.1 }

    /// True for models materialized as `ephemeral`: they are inlined as CTEs, never built.
    public var isEphemeral: Bool { resourceType == .model && config.materialized == "ephemeral" }
}

/// A `{% docs name %}…{% enddocs %}` block.
public struct DocBlock: Sendable, Equatable {
    public var uniqueId: String
    public var name: String
    public var originalFilePath: String
    public var content: String
}

/// A macro as the manifest lists it.
public struct MacroEntry: Sendable, Equatable {
    public var uniqueId: String
    public var name: String
    public var packageName: String
    public var originalFilePath: String
    /// The block as written, from `{% macro …` through its `{% endmacro %}` (dbt's `macro_sql`).
    public var macroSQL: String = ""
}

/// The profile target the project runs against (`profiles.yml` → `outputs.<target>`).
public struct TargetProfile: Sendable {
    /// The target's name (`dev`).
    public var name: String
    /// `duckdb` or `postgres`.
    public var type: String
    public var database: String
    public var schema: String
    public var threads: Int
    /// Every key of the output as written (rendered), e.g. `path`, `host`, `port`, `user`.
    public var settings: [(String, ConfigValue)]

    public init(name: String, type: String, database: String, schema: String, threads: Int, settings: [(String, ConfigValue)]) {
        self.name = name
        self.type = type
        self.database = database
        self.schema = schema
        self.threads = threads
        self.settings = settings
    }

    public func setting(_ key: String) -> ConfigValue? { settings.first(where: { $0.0 == key })?.1 }
    /// DuckDB's database file (`path`), resolved as written.
    public var path: String? { setting("path")?.stringValue }
    public var host: String? { setting("host")?.stringValue }
    public var port: Int? { setting("port")?.intValue ?? setting("port")?.stringValue.flatMap { Int($0) } }
    public var user: String? { setting("user")?.stringValue }
    public var password: String? { setting("password")?.stringValue ?? setting("pass")?.stringValue }
}

/// Everything a project defines, resolved: the output of `ProjectLoader.load`.
/// Pure data; writing it to disk is `ManifestWriter`'s job.
public struct Manifest: Sendable {
    public var projectName: String
    public var projectRoot: String
    public var profileName: String
    public var target: TargetProfile
    /// Models, seeds, snapshots, tests, analyses by unique id.
    public var nodes: [String: Node]
    public var sources: [String: Node]
    public var exposures: [String: Node]
    public var macros: [String: MacroEntry]
    public var docs: [String: DocBlock]
    /// Project vars after `--vars` overrides.
    public var vars: [(String, ConfigValue)]
    /// Semantic models, metrics and saved queries in manifest.json's form.
    public var semanticResources: [SemanticResource] = []
    /// Paths from dbt_project.yml, for the runtime (target-path and the like).
    public var targetPath: String

    /// Any node, source or exposure by unique id.
    public func resource(_ id: String) -> Node? { nodes[id] ?? sources[id] ?? exposures[id] }

    /// All nodes, sources and exposures, sorted by unique id.
    public var allResources: [Node] {
        // Sorting ids and then fetching avoids moving whole `Node` values around during the sort.
        let ids = (Array(nodes.keys) + Array(sources.keys) + Array(exposures.keys)).sorted()
        return ids.map { nodes[$0] ?? sources[$0] ?? exposures[$0]! }
    }

    /// Folder of each installed package whose models or seeds the manifest holds (package name →
    /// absolute path); a package node's `originalFilePath` is relative to it, as in dbt.
    public var packageRoots: [String: String] = [:]

    /// Where a node's file is on disk: under the project, or under its package's folder.
    public func absolutePath(of node: Node) -> String {
        let base = node.packageName == projectName ? projectRoot : packageRoots[node.packageName] ?? projectRoot
        return (base as NSString).appendingPathComponent(node.originalFilePath)
    }

    /// The model, seed or snapshot `ref()` names, searched as dbt searches: in `package` when the
    /// ref names one (`ref('dbt_utils', 'x')`); otherwise in the project, then in the package of
    /// the node that refers (`from`), then in any installed package.
    public func refTarget(_ name: String, package: String? = nil, from nodePackage: String? = nil, version: String? = nil) -> Node? {
        for candidate in Self.searchOrder(package: package, project: projectName, nodePackage: nodePackage, all: packageRoots.keys.sorted()) {
            if version == nil {
                for type in ["model", "seed", "snapshot"] {
                    if let n = nodes["\(type).\(candidate).\(name)"] { return n }
                }
            }
            if let latest = latestVersions["\(candidate).\(name)"], let n = nodes["model.\(candidate).\(name).v\(version ?? latest)"] { return n }
        }
        return nil
    }

    /// Versioned models (`package.name` → the version a plain ref means).
    public var latestVersions: [String: String] = [:]

    /// The source table `source()` names, in the same search order as `refTarget`.
    public func sourceTarget(_ source: String, _ table: String, from nodePackage: String? = nil) -> Node? {
        for candidate in Self.searchOrder(package: nil, project: projectName, nodePackage: nodePackage, all: packageRoots.keys.sorted()) {
            if let n = sources["source.\(candidate).\(source).\(table)"] { return n }
        }
        return nil
    }

    static func searchOrder(package: String?, project: String, nodePackage: String?, all: [String]) -> [String] {
        if let package { return [package] }
        var order = [project]
        if let nodePackage, nodePackage != project { order.append(nodePackage) }
        return order + all.filter { !order.contains($0) }
    }

    /// Unique id of each resource's parents (`depends_on.nodes`).
    public var parentMap: [String: [String]] {
        var map: [String: [String]] = [:]
        for n in allResources { map[n.uniqueId] = n.dependsOnNodes.sorted() }
        for r in semanticResources { map[r.uniqueId] = r.parents.sorted() }
        return map
    }

    /// Unique id of each resource's children.
    public var childMap: [String: [String]] {
        var map: [String: [String]] = [:]
        for n in allResources { map[n.uniqueId] = map[n.uniqueId] ?? [] }
        for n in allResources { for p in n.dependsOnNodes { map[p, default: []].append(n.uniqueId) } }
        for r in semanticResources { map[r.uniqueId] = map[r.uniqueId] ?? [] }
        for r in semanticResources { for p in r.parents { map[p, default: []].append(r.uniqueId) } }
        return map.mapValues { $0.sorted() }
    }
}
