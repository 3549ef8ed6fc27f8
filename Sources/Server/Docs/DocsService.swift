import ColumnLineage
import Dashboards
import Foundation
import SemanticLayer
import TransformProject
import TransformRuntime
import WarehouseKit

/// DuckDB's parser, for tracing column lineage whatever the served warehouse is: the statement's
/// tree as JSON (`json_serialize_sql`) and the parser's aggregate function names. The CLI gives
/// one backed by an in-memory DuckDB; without it the docs show no column lineage and say why.
public struct SQLParseTrees: Sendable {
    public var aggregates: Set<String>
    public var parse: @Sendable (String) async throws -> Data

    public init(aggregates: Set<String>, parse: @escaping @Sendable (String) async throws -> Data) {
        self.aggregates = aggregates
        self.parse = parse
    }
}

/// What the docs pages read: the manifest (fixed while serve runs), and what changes with each
/// build — the warehouse's catalog (types, row counts, sizes), column lineage (`select *` expands
/// through the built columns) and the search index over both. Those are worked out on first
/// use and again after a build lands (run_results.json changes), once however many requests ask.
final class DocsService: Sendable {
    let served: ServedProject
    let warehouse: any Warehouse
    let parser: SQLParseTrees?
    let runs: RunsService
    /// Node → the nodes built from it (models, seeds, snapshots), and → the tests on it.
    let children: [String: [String]]
    let tests: [String: [String]]
    /// The graph page's data, as JSON text: it changes only with the project.
    let graphJSON: String

    private let catalogCache = VersionedValue<[String: CatalogRelation]>()
    private let lineageCache = VersionedValue<LineageState>()
    private let indexCache = VersionedValue<DocsSearchIndex>()

    /// Lineage, or why there is none.
    enum LineageState: Sendable {
        case traced(ProjectLineage)
        case unavailable(String)
    }

    init(served: ServedProject, warehouse: any Warehouse, parser: SQLParseTrees?, runs: RunsService) {
        self.served = served
        self.warehouse = warehouse
        self.parser = parser
        self.runs = runs
        let manifest = served.project.manifest
        var children: [String: [String]] = [:]
        var tests: [String: [String]] = [:]
        for node in manifest.nodes.values {
            // A model's data tests and unit tests are listed on its page.
            if node.resourceType == .test || node.resourceType == .unitTest {
                for parent in Set(node.attachedNode.map { [$0] } ?? node.dependsOnNodes) { tests[parent, default: []].append(node.uniqueId) }
            } else if DocsGraph.kinds.contains(node.resourceType) {
                for parent in Set(node.dependsOnNodes) { children[parent, default: []].append(node.uniqueId) }
            }
        }
        self.children = children.mapValues { $0.sorted() }
        self.tests = tests.mapValues { $0.sorted() }
        graphJSON = DocsGraph(manifest: manifest).json()
    }

    var manifest: Manifest { served.project.manifest }

    /// A node or source by unique id.
    func resource(_ id: String) -> Node? { manifest.resource(id) }

    /// The nodes the docs describe: models, seeds, snapshots, sources.
    var documented: [Node] {
        (Array(manifest.nodes.values) + Array(manifest.sources.values)).filter { DocsGraph.kinds.contains($0.resourceType) }
    }

    /// The warehouse's description of each built node (by unique id): type, columns, row count, size.
    func catalog() async throws -> [String: CatalogRelation] {
        let manifest = self.manifest
        let warehouse = self.warehouse
        return try await catalogCache.get(version: served.dataVersion) {
            let relations = try await WarehouseCatalog.relations(in: CatalogArtifact.schemas(of: manifest), of: warehouse)
            return CatalogArtifact.relationsByNode(CatalogArtifact.describable(manifest) + Array(manifest.sources.values), relations: relations)
        }
    }

    /// Column lineage of the whole project, traced once per build.
    func lineage() async -> LineageState {
        guard let parser else { return .unavailable("this server has no SQL parser for lineage (serve from the storehouse binary gives one)") }
        let project = served.project
        let warehouse = self.warehouse
        return (try? await lineageCache.get(version: served.dataVersion) {
            do {
                return .traced(try await ProjectLineage.compute(project: project, warehouse: warehouse, aggregates: parser.aggregates, parse: parser.parse))
            } catch {
                return .unavailable("lineage could not be traced: \(error)")
            }
        }) ?? .unavailable("lineage could not be traced")
    }

    /// The search index over nodes, their columns (documented and built) and metrics.
    func index() async -> DocsSearchIndex {
        let catalog = (try? await catalog()) ?? [:]
        let documented = self.documented
        let semantics = served.semantics
        return (try? await indexCache.get(version: served.dataVersion) {
            DocsSearchIndex(DocsSearchDocuments.make(nodes: documented, catalog: catalog, metrics: semantics.metrics))
        }) ?? DocsSearchIndex([])
    }

    /// The nodes `select` (dbt's selection syntax, as `--select` takes it) picks, among those
    /// the graph shows.
    func select(_ select: String, exclude: String) throws -> [String] {
        let split = { (text: String) in text.split(whereSeparator: \.isWhitespace).map(String.init) }
        let chosen = try Selector(manifest: manifest, dag: served.project.dag).select(split(select).isEmpty ? ["*"] : split(select), exclude: split(exclude))
        return chosen.filter { resource($0).map { DocsGraph.kinds.contains($0.resourceType) } ?? false }
    }

    /// A model's (or snapshot's) compiled SQL, or why it could not be compiled.
    func compiledSQL(_ id: String) -> Result<String, DocsProblem> {
        do {
            return .success(try Compiler(project: served.project, host: OfflineHost(dialect: served.project.dialect)).compile(id).sql)
        } catch {
            return .failure(DocsProblem(message: "\(error)"))
        }
    }

    /// Each node's newest result (the run store's or the last build's).
    func latestResults() -> LatestResults {
        LatestResults(statuses: (try? runs.nodeStatuses()) ?? [:], lastBuild: BuildRecord.read(path: served.runResultsPath))
    }

    /// The node's profile from the last `build --profile` (target/profiles.json).
    func profile(of id: String) -> (entry: ProfileArtifact.Entry, at: Date, warehouse: String)? {
        let target = (manifest.projectRoot as NSString).appendingPathComponent(manifest.targetPath)
        guard let document = ProfileArtifact.read(targetDirectory: target), let entry = document.entry(for: id) else { return nil }
        return (entry, document.generatedAt, document.warehouse)
    }

    /// The last ten stored results of each of `nodes`, newest first (none without a run store).
    func history(of nodes: [String]) -> [String: [LatestResults.Latest]] {
        guard let store = runs.context?.store, let history = try? store.nodeHistory(nodes, limit: 10) else { return [:] }
        return history.mapValues { $0.map(LatestResults.latest) }
    }

    /// The semantic models built on `node`'s relation, with their metrics.
    func metrics(on node: Node) -> [Metric] {
        guard let name = node.relation?.lowercasedName else { return [] }
        let semantics = served.semantics
        let measures = Set(semantics.semanticModels.filter { $0.relation.lowercasedName == name }
            .flatMap { $0.measures.map(\.name) })
        guard !measures.isEmpty else { return [] }
        return semantics.metrics.filter { !measures.isDisjoint(with: semantics.measures(of: $0)) }.sorted { $0.name < $1.name }
    }

    /// The dashboard tiles that show one of `metrics`, or whose SQL reads one of `models`.
    func tiles(showing metrics: Set<String>, readingModels models: Set<String>) -> [(dashboard: Dashboard, tile: Tile)] {
        var out: [(Dashboard, Tile)] = []
        for dashboard in served.dashboards {
            for tile in dashboard.tiles {
                switch tile.source {
                case .metrics(let names, _, _, _, _):
                    if !metrics.isDisjoint(with: names) { out.append((dashboard, tile)) }
                case .sql(let text):
                    if models.contains(where: { text.contains("ref('\($0)')") || text.contains("ref(\"\($0)\")") }) { out.append((dashboard, tile)) }
                }
            }
        }
        return out
    }
}

/// Something a docs page could not show, in words.
struct DocsProblem: Error, Sendable {
    var message: String
}
