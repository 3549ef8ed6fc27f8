import Foundation
import TransformProject

/// The graph page's data: every model, seed, snapshot and source with its parents, as compact
/// JSON the page lays out and draws itself (so a click or a new selection redraws without a
/// page load). Pure.
struct DocsGraph {
    /// What the docs describe and the graph draws: what the model graph draws.
    static let kinds = ModelGraph.kinds

    struct Entry {
        var id: String
        var name: String
        var kind: ResourceType
        var materialized: String?
        var tags: [String]
        var path: String
        var summary: String
        var parents: [Int]
    }

    let entries: [Entry]

    init(manifest: Manifest) {
        let nodes = (Array(manifest.nodes.values) + Array(manifest.sources.values))
            .filter { Self.kinds.contains($0.resourceType) }
            .sorted { $0.uniqueId < $1.uniqueId }
        var index: [String: Int] = [:]
        for (position, node) in nodes.enumerated() { index[node.uniqueId] = position }
        entries = nodes.map { node in
            Entry(id: node.uniqueId, name: DocsPaths.title(node), kind: node.resourceType,
                  materialized: node.resourceType == .source ? nil : node.config.materialized,
                  tags: node.config.tags, path: node.originalFilePath, summary: DocsText.firstSentence(node.description),
                  parents: Array(Set(node.dependsOnNodes.compactMap { index[$0] })).sorted())
        }
    }

    /// `{"nodes": [{"id", "name", "kind", "mat", "tags", "path", "desc", "parents": [index…]}]}`.
    func json() -> String {
        let nodes: [[String: Any]] = entries.map { entry in
            var object: [String: Any] = ["id": entry.id, "name": entry.name, "kind": entry.kind.rawValue, "path": entry.path,
                                         "desc": entry.summary, "parents": entry.parents]
            if let materialized = entry.materialized { object["mat"] = materialized }
            if !entry.tags.isEmpty { object["tags"] = entry.tags }
            return object
        }
        let data = (try? JSONSerialization.data(withJSONObject: ["nodes": nodes], options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{\"nodes\":[]}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
