import Dashboards
import Foundation
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
    }

    public func dashboard(named name: String) -> Dashboard? { dashboards.first { $0.name == name } }

    /// Changes whenever a build finishes: run_results.json's time and size. Cached query results
    /// are kept only while it stays the same.
    public var dataVersion: String {
        let path = ((project.manifest.projectRoot as NSString).appendingPathComponent(project.manifest.targetPath) as NSString)
            .appendingPathComponent("run_results.json")
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return "no-build" }
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(modified):\(attributes[.size] as? Int ?? 0)"
    }
}
