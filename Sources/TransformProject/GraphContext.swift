import Foundation
import Templating

/// dbt's `graph` context variable: the project's nodes, sources and exposures as manifest.json
/// describes them (`graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')`,
/// `node.config.materialized`, `node.depends_on.nodes`). Each section is built from the manifest
/// the first time a template reads it, once per loaded project.
final class GraphObject: TemplateObject, @unchecked Sendable {
    private let manifest: Manifest
    private let lock = NSLock()
    private var sections: [String: Value] = [:]

    init(manifest: Manifest) { self.manifest = manifest }

    func attribute(_ name: String) -> Value? {
        lock.lock()
        defer { lock.unlock() }
        if let known = sections[name] { return known }
        let value: Value
        switch name {
        case "nodes": value = Self.section(manifest.nodes.values.filter { $0.unitTest == nil })
        case "sources": value = Self.section(Array(manifest.sources.values))
        case "exposures": value = Self.section(Array(manifest.exposures.values))
        case "metrics", "groups", "semantic_models", "saved_queries", "unit_tests": value = Value(orderedPairs: [])
        default: return nil
        }
        sections[name] = value
        return value
    }

    static func section(_ nodes: [Node]) -> Value {
        let sorted = nodes.sorted { $0.uniqueId < $1.uniqueId }
        return Value(orderedPairs: sorted.map { ($0.uniqueId, ConfigValue(json: ManifestWriter.nodeJSON($0, compiled: nil)).templateValue) })
    }

    var renderedString: String { "{'nodes': {...}, 'sources': {...}, 'exposures': {...}}" }
    var isMapping: Bool { true }
    func item(_ key: Value) -> Value? { key.stringValue.flatMap(attribute) }
    func iterate() -> [Value]? { ["nodes", "sources", "exposures", "metrics", "groups", "semantic_models", "saved_queries", "unit_tests"].map(Value.string) }
}
