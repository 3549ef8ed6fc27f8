import Foundation

/// Writes a `Manifest` in dbt's manifest.json (v12) shape, so tools that read dbt artifacts read ours.
public enum ManifestWriter {
    public static let schemaVersion = "https://schemas.getdbt.com/dbt/manifest/v12.json"

    /// The manifest as a JSON object tree. `compiled` adds compiled_code/compiled_path to nodes.
    public static func jsonObject(_ manifest: Manifest, compiled: [String: CompiledNode] = [:], generatedAt: Date = Date()) -> [String: Any] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var nodes: [String: Any] = [:]
        for (id, n) in manifest.nodes { nodes[id] = nodeJSON(n, compiled: compiled[id]) }
        var sources: [String: Any] = [:]
        for (id, n) in manifest.sources { sources[id] = nodeJSON(n, compiled: nil) }
        var exposures: [String: Any] = [:]
        for (id, n) in manifest.exposures { exposures[id] = nodeJSON(n, compiled: nil) }
        var macros: [String: Any] = [:]
        for (id, m) in manifest.macros {
            macros[id] = ["unique_id": m.uniqueId, "name": m.name, "package_name": m.packageName, "resource_type": "macro",
                          "path": m.originalFilePath, "original_file_path": m.originalFilePath]
        }
        var docs: [String: Any] = [:]
        for (id, d) in manifest.docs {
            docs[id] = ["unique_id": d.uniqueId, "name": d.name, "package_name": manifest.projectName, "resource_type": "doc",
                        "path": d.originalFilePath, "original_file_path": d.originalFilePath, "block_contents": d.content]
        }
        return [
            "metadata": [
                "dbt_schema_version": schemaVersion, "dbt_version": "1.11.0", "generated_at": formatter.string(from: generatedAt),
                "invocation_id": UUID().uuidString.lowercased(), "env": [String: Any](), "project_name": manifest.projectName,
                "adapter_type": manifest.target.type, "send_anonymous_usage_stats": false,
            ] as [String: Any],
            "nodes": nodes, "sources": sources, "macros": macros, "docs": docs, "exposures": exposures,
            "metrics": [String: Any](), "groups": [String: Any](), "selectors": [String: Any](), "disabled": [String: Any](),
            "parent_map": manifest.parentMap, "child_map": manifest.childMap, "group_map": [String: Any](),
            "saved_queries": [String: Any](), "semantic_models": [String: Any](), "unit_tests": [String: Any](),
        ]
    }

    /// The config as manifest.json shows it (tags as a list, hooks under `pre-hook`/`post-hook`).
    static func configJSON(_ n: Node) -> ConfigValue {
        var entries = n.config.entries
        func ensure(_ key: String, _ value: ConfigValue) { if !entries.contains(where: { $0.0 == key }) { entries.append((key, value)) } }
        ensure("enabled", .bool(true))
        ensure("tags", .list([]))
        ensure("meta", .dict([]))
        if [.model, .seed, .snapshot].contains(n.resourceType) {
            ensure("pre-hook", .list([]))
            ensure("post-hook", .list([]))
            ensure("on_schema_change", .string("ignore"))
        }
        return .dict(entries)
    }

    static func nodeJSON(_ n: Node, compiled: CompiledNode?) -> [String: Any] {
        var json: [String: Any] = [
            "unique_id": n.uniqueId, "name": n.name, "resource_type": n.resourceType.rawValue, "package_name": n.packageName,
            "path": n.path, "original_file_path": n.originalFilePath, "fqn": n.fqn,
            "config": configJSON(n).jsonObject, "tags": n.config.tags, "description": n.description,
            "meta": n.config.meta.jsonObject,
        ]
        var columns: [String: Any] = [:]
        for c in n.columns {
            columns[c.name] = ["name": c.name, "description": c.description, "meta": c.meta.jsonObject,
                               "data_type": c.dataType as Any? ?? NSNull(), "tags": [String]()] as [String: Any]
        }
        json["columns"] = columns
        if n.resourceType != .source && n.resourceType != .exposure {
            json["raw_code"] = n.rawCode
            json["language"] = "sql"
            json["checksum"] = n.checksum.isEmpty ? ["name": "none", "checksum": ""] : ["name": "sha256", "checksum": n.checksum]
            json["alias"] = n.relation?.identifier ?? n.name
        }
        json["database"] = n.relation?.database ?? NSNull()
        json["schema"] = n.relation?.schema ?? NSNull()
        let showsRelation = n.resourceType == .model ? !n.isEphemeral : [.seed, .snapshot, .source].contains(n.resourceType)
        json["relation_name"] = showsRelation ? (n.relation?.description ?? NSNull()) as Any : NSNull()
        if n.resourceType != .seed && n.resourceType != .source {
            json["refs"] = n.refs.map { ["name": $0.name, "package": $0.package as Any? ?? NSNull(), "version": NSNull()] as [String: Any] }
            json["sources"] = n.sources
            json["depends_on"] = ["nodes": n.dependsOnNodes, "macros": n.dependsOnMacros]
        } else if n.resourceType == .seed {
            json["depends_on"] = ["macros": [String]()]
        }
        if let metadata = n.testMetadata {
            var kwargs: [String: Any] = [:]
            for (k, v) in metadata.kwargs { kwargs[k] = v.jsonObject }
            if let c = n.columnName { kwargs["column_name"] = c }
            kwargs["model"] = "{{ get_where_subquery(\(metadata.modelExpression)) }}"
            json["test_metadata"] = ["name": metadata.name, "kwargs": kwargs, "namespace": NSNull()] as [String: Any]
            json["column_name"] = n.columnName ?? NSNull()
            json["attached_node"] = n.attachedNode ?? NSNull()
        }
        if n.resourceType == .source {
            json["source_name"] = n.extra("source_name")?.jsonObject
            json["identifier"] = n.relation?.identifier
            json["loaded_at_field"] = n.extra("loaded_at_field")?.jsonObject ?? NSNull()
            json["freshness"] = n.extra("freshness")?.jsonObject ?? NSNull()
            json["source_description"] = n.extra("source_description")?.jsonObject ?? ""
        }
        if n.resourceType == .exposure {
            for (k, v) in n.extra { json[k] = v.jsonObject }
        }
        if let compiled {
            json["compiled"] = true
            json["compiled_code"] = compiled.sql
            json["compiled_path"] = compiled.compiledPath
            json["extra_ctes_injected"] = true
            json["extra_ctes"] = compiled.injectedCTEs.map { ["id": $0] }
        }
        return json
    }

    /// Writes `target/manifest.json` under the project root (or `path` when given).
    public static func write(_ manifest: Manifest, compiled: [CompiledNode] = [], to path: String? = nil) throws {
        let destination = path ?? ((manifest.projectRoot as NSString).appendingPathComponent(manifest.targetPath) as NSString).appendingPathComponent("manifest.json")
        var byId: [String: CompiledNode] = [:]
        for c in compiled { byId[c.uniqueId] = c }
        let data = try JSONSerialization.data(withJSONObject: jsonObject(manifest, compiled: byId), options: [.sortedKeys])
        try FileManager.default.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: destination), options: .atomic)
    }

    /// A stable text form of a config, for `state:modified.configs` comparisons.
    static func canonicalJSON(_ value: ConfigValue) -> String {
        switch value {
        case .dict(let d):
            let relevant = d.filter { !["meta", "docs", "persist_docs", "grants", "contract", "packages", "quoting", "static_analysis"].contains($0.0) }
            return "{" + relevant.sorted { $0.0 < $1.0 }.map { "\($0.0):\(canonicalJSON($0.1))" }.joined(separator: ",") + "}"
        case .list(let l): return "[" + l.map(canonicalJSON).joined(separator: ",") + "]"
        case .null: return "null"
        default: return value.pythonString
        }
    }
}
