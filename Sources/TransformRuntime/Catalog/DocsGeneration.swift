import Foundation
import TransformProject
import WarehouseKit

/// What `storehouse docs generate` (and a job's `docs` step) does: compile the project and write
/// target/manifest.json, then describe the warehouse's relations in target/catalog.json.
public enum DocsGeneration {
    public struct Outcome: Sendable {
        /// Nodes and sources found in the warehouse, of those the catalog could describe.
        public var nodes: Int
        public var describableNodes: Int
        public var sources: Int
        public var declaredSources: Int

        /// `Catalog written to target/catalog.json: 39 of 39 nodes and 12 of 12 sources …`.
        public func summary(targetPath: String) -> String {
            var text = "Catalog written to \(targetPath)/catalog.json: \(nodes) of \(describableNodes) nodes and \(sources) of \(declaredSources) sources found in the warehouse"
            if nodes < describableNodes { text += "\nNodes not in the warehouse are left out (not built yet?); `storehouse build` builds them." }
            return text
        }
    }

    public static func run(_ project: LoadedProject, warehouse: any Warehouse, compile: Bool = true, startedAt: Date = Date()) async throws -> Outcome {
        let manifest = project.manifest
        if compile {
            let ids = manifest.nodes.values.filter { [.model, .test, .snapshot, .analysis].contains($0.resourceType) }.map(\.uniqueId)
            let compiler = Compiler(project: project, host: OfflineHost(dialect: project.dialect))
            let compiled = try compiler.compileAll(ids)
            // dbt writes no compiled files for snapshots; their SQL still goes into the manifest.
            try compiler.write(compiled.filter { manifest.nodes[$0.uniqueId]?.resourceType != .snapshot })
            try ManifestWriter.write(manifest, compiled: compiled)
        }
        let relations = try await WarehouseCatalog.relations(in: CatalogArtifact.schemas(of: manifest), of: warehouse)
        let document = CatalogArtifact.jsonObject(manifest, relations: relations, invocationStartedAt: startedAt)
        let target = (manifest.projectRoot as NSString).appendingPathComponent(manifest.targetPath)
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let path = (target as NSString).appendingPathComponent("catalog.json")
        try Data(JSONText.encode(document)).write(to: URL(fileURLWithPath: path), options: .atomic)
        return Outcome(
            nodes: (document["nodes"] as? [String: Any])?.count ?? 0,
            describableNodes: CatalogArtifact.describable(manifest).count,
            sources: (document["sources"] as? [String: Any])?.count ?? 0,
            declaredSources: manifest.sources.count)
    }
}
