import Foundation
import TransformProject
import WarehouseKit

/// `catalog.json` in dbt's shape (schema catalog/v1): what the warehouse holds for each model,
/// seed, snapshot and source of the manifest — the relation's type, its columns with their
/// types in order, and the row count and size where the engine keeps them. dbt's docs site and
/// the tools that read dbt's artifacts read ours.
///
/// A node whose relation is not in the warehouse (never built, or ephemeral) is left out, as
/// dbt leaves it out.
public enum CatalogArtifact {
    public static let schemaVersion = "https://schemas.getdbt.com/dbt/catalog/v1.json"

    /// The nodes the catalog can describe: models (not ephemeral ones), seeds and snapshots,
    /// which build a relation. Sources are described too, in their own map.
    public static func describable(_ manifest: Manifest) -> [Node] {
        manifest.nodes.values.filter { [.model, .seed, .snapshot].contains($0.resourceType) && $0.config.materialized != "ephemeral" }
    }

    /// The schemas to read: every schema a node or source of the manifest lives in.
    public static func schemas(of manifest: Manifest) -> Set<String> {
        Set((describable(manifest) + Array(manifest.sources.values)).compactMap { $0.relation?.schema })
    }

    /// The warehouse's relation of each of `nodes` that has one, by unique id.
    public static func relationsByNode(_ nodes: some Sequence<Node>, relations: [CatalogRelation]) -> [String: CatalogRelation] {
        var byKey: [String: CatalogRelation] = [:]
        for relation in relations { byKey[relation.key] = relation }
        var out: [String: CatalogRelation] = [:]
        for node in nodes {
            if let name = node.relation?.lowercasedName, let found = byKey[name] { out[node.uniqueId] = found }
        }
        return out
    }

    public static func jsonObject(_ manifest: Manifest, relations: [CatalogRelation], invocationStartedAt: Date,
                                  generatedAt: Date = Date()) -> [String: Any] {
        func entries(_ nodes: some Sequence<Node>) -> [String: Any] {
            relationsByNode(nodes, relations: relations).reduce(into: [:]) { out, pair in out[pair.key] = table(pair.value, uniqueId: pair.key) }
        }
        return [
            "metadata": [
                "dbt_schema_version": schemaVersion, "dbt_version": DbtCompatibility.version,
                "generated_at": SourceFreshnessArtifact.utc(generatedAt),
                "invocation_id": UUID().uuidString.lowercased(),
                "invocation_started_at": SourceFreshnessArtifact.utc(invocationStartedAt),
                "env": [String: String](),
            ] as [String: Any],
            "nodes": entries(describable(manifest)),
            "sources": entries(manifest.sources.values),
            "errors": NSNull(),
        ]
    }

    static func table(_ relation: CatalogRelation, uniqueId: String) -> [String: Any] {
        var columns: [String: Any] = [:]
        for column in relation.columns {
            columns[column.name] = ["type": column.type, "index": column.index, "name": column.name,
                                    "comment": column.comment.map { $0 as Any } ?? NSNull()] as [String: Any]
        }
        return [
            "metadata": [
                "type": relation.type, "schema": relation.schema, "name": relation.name, "database": relation.database,
                "comment": relation.comment.map { $0 as Any } ?? NSNull(), "owner": NSNull(),
            ] as [String: Any],
            "columns": columns,
            "stats": stats(relation),
            "unique_id": uniqueId,
        ]
    }

    /// dbt's stats items: `has_stats` always, then the row count and size the engine keeps.
    static func stats(_ relation: CatalogRelation) -> [String: Any] {
        func item(_ id: String, _ label: String, _ value: Any, _ description: String, include: Bool = true) -> [String: Any] {
            ["id": id, "label": label, "value": value, "include": include, "description": description]
        }
        var stats: [String: Any] = [:]
        if let rows = relation.rowCount {
            stats["row_count"] = item("row_count", "Row Count", rows, "Approximate count of rows in this table")
        }
        if let bytes = relation.bytes {
            stats["bytes"] = item("bytes", "Approximate Size", bytes, "Approximate size of table as reported by the warehouse")
        }
        stats["has_stats"] = item("has_stats", "Has Stats?", !stats.isEmpty, "Indicates whether there are statistics for this table",
                                  include: false)
        return stats
    }
}
