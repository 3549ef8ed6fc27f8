import Foundation

extension ManifestWriter {
    /// A unit test as manifest.json's `unit_tests` section holds it (dbt's UnitTestDefinition).
    static func unitTestJSON(_ n: Node, _ test: UnitTestDefinition) -> [String: Any] {
        func rows(_ rows: UnitTestRows) -> Any {
            switch rows {
            case .rows(let list): return list.map { row in ConfigValue.dict(row).jsonObject }
            case .sql(let sql): return sql
            }
        }
        func format(_ rows: UnitTestRows) -> String { if case .sql = rows { return "sql" } else { return "dict" } }
        func pairs(_ list: [(String, ConfigValue)]) -> Any { ConfigValue.dict(list).jsonObject }
        let overrides = test.overrides
        let hasOverrides = !(overrides.vars.isEmpty && overrides.envVars.isEmpty && overrides.macros.isEmpty)
        return [
            "unique_id": n.uniqueId, "name": n.name, "resource_type": "unit_test", "package_name": n.packageName,
            "path": n.path, "original_file_path": n.originalFilePath, "fqn": n.fqn, "model": test.model,
            "description": n.description, "schema": NSNull(), "version": versionJSON(n.version), "versions": NSNull(),
            "given": test.given.map { ["input": $0.written, "rows": rows($0.rows), "format": format($0.rows), "fixture": NSNull()] as [String: Any] },
            "expect": ["rows": rows(test.expect), "format": format(test.expect), "fixture": NSNull()] as [String: Any],
            "overrides": hasOverrides ? ["vars": pairs(overrides.vars), "env_vars": pairs(overrides.envVars), "macros": pairs(overrides.macros)] as Any : NSNull(),
            "depends_on": ["nodes": n.dependsOnNodes, "macros": [String]()],
            "config": ["tags": n.config.tags, "meta": n.config.meta.jsonObject, "enabled": true] as [String: Any],
            // dbt's UnitTestDefinition.checksum is a string or null (not a FileHash object as on nodes).
            "checksum": n.checksum.isEmpty ? NSNull() as Any : n.checksum as Any,
        ]
    }
}
