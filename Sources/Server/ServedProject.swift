import Dashboards
import Foundation
import LearningRuntime
import SemanticLayer
import TransformProject
import WarehouseKit

/// What `serve` shows, loaded once at start-up and checked whole: the project, its semantic
/// layer and its dashboards. Any broken definition stops the server from starting, with
/// file:line, rather than showing a broken tile later.
public struct ServedProject: Sendable {
    public let project: LoadedProject
    public let semantics: SemanticManifest
    public let dashboards: [Dashboard]
    /// Model name → relation (schema-qualified), for SQL tiles.
    public let models: [String: QualifiedRelation]
    /// The project's ml.yml (nil without one): where the customer pages find model scores.
    public let machineLearning: MLProjectFile?

    public init(project: LoadedProject) throws {
        self.project = project
        semantics = try SemanticManifest.load(from: project)
        models = Dictionary(project.manifest.nodes.values.compactMap { node -> (String, QualifiedRelation)? in
            guard node.resourceType == .model, let relation = node.relation else { return nil }
            return (node.name, QualifiedRelation(database: nil, schema: relation.schema, identifier: relation.identifier))
        }, uniquingKeysWith: { first, _ in first })
        let folder = (project.manifest.projectRoot as NSString).appendingPathComponent("dashboards")
        var files: [(path: String, text: String)] = []
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names.sorted() where name.hasSuffix(".yml") || name.hasSuffix(".yaml") {
            let path = (folder as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw SemanticError(.invalidDefinition, "cannot read dashboards/\(name) as UTF-8 text", at: SourceLocation(file: "dashboards/\(name)", line: 0))
            }
            files.append(("dashboards/\(name)", text))
        }
        dashboards = try DashboardLoader(semantics: semantics, models: models).parse(files: files)
        machineLearning = try MLProjectFile.load(projectRoot: project.manifest.projectRoot)
        runResultsPath = ((project.manifest.projectRoot as NSString).appendingPathComponent(project.manifest.targetPath) as NSString)
            .appendingPathComponent("run_results.json")
        // Scores written by `ml score` change what the customer pages show, as a build does.
        versionProbe = DataVersionProbe(paths: [runResultsPath, ((runResultsPath as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent(ScoringRecord.fileName)])
    }

    /// Where the last build's results are (target/run_results.json).
    public let runResultsPath: String

    public func dashboard(named name: String) -> Dashboard? { dashboards.first { $0.name == name } }

    /// Changes whenever a build finishes: run_results.json's time and size. Cached query results
    /// are kept only while it stays the same. Read from the file at most every
    /// `DataVersionProbe.interval`: a stat on every request cost a tenth of a warm answer.
    public var dataVersion: String { versionProbe.version }

    private let versionProbe: DataVersionProbe
}

/// run_results.json's modification time and size, re-read when the last reading is older than
/// `interval`: a build that lands shows on pages within that time.
final class DataVersionProbe: @unchecked Sendable {
    static let interval: Duration = .milliseconds(250)
    let paths: [String]
    private let lock = NSLock()
    private var last: (at: ContinuousClock.Instant, version: String)?

    init(paths: [String]) { self.paths = paths }

    var version: String {
        let now = ContinuousClock.now
        if let last = lock.withLock({ last }), now - last.at < Self.interval { return last.version }
        let version = paths.map(Self.read).joined(separator: "|")
        lock.withLock { last = (now, version) }
        return version
    }

    static func read(_ path: String) -> String {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return "no-build" }
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(modified):\(attributes[.size] as? Int ?? 0)"
    }
}
