import Foundation

/// A node's resolved configuration: dbt_project.yml folder configs, then YAML `config:`, then the
/// file's own `config(...)`, later ones winning. Keys are stored as dbt's manifest spells them
/// (`pre-hook`, `post-hook`); both `pre_hook` and `pre-hook` are accepted on input.
public struct NodeConfig: Sendable, Equatable {
    public private(set) var entries: [(String, ConfigValue)]

    public init(_ entries: [(String, ConfigValue)] = []) {
        self.entries = []
        for (k, v) in entries { self[k] = v }
    }

    public static func == (a: NodeConfig, b: NodeConfig) -> Bool { ConfigValue.dict(a.entries) == ConfigValue.dict(b.entries) }

    /// dbt accepts `pre_hook` for `pre-hook`; one spelling is kept.
    static func canonicalKey(_ key: String) -> String {
        switch key {
        case "pre_hook": return "pre-hook"
        case "post_hook": return "post-hook"
        default: return key
        }
    }

    public subscript(key: String) -> ConfigValue? {
        get {
            let k = NodeConfig.canonicalKey(key)
            return entries.first(where: { $0.0 == k })?.1
        }
        set {
            let k = NodeConfig.canonicalKey(key)
            if let i = entries.firstIndex(where: { $0.0 == k }) {
                if let newValue { entries[i].1 = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append((k, newValue))
            }
        }
    }

    /// Applies `value` for `key` with dbt's merge rules (tags accumulate, meta merges).
    mutating func apply(_ key: String, _ value: ConfigValue) {
        if let existing = self[key] { self[key] = existing.merged(key: NodeConfig.canonicalKey(key), with: value) } else {
            self[key] = key == "tags" || NodeConfig.canonicalKey(key).hasSuffix("-hook") ? .list(value.asList) : value
        }
    }

    /// Applies a config that must win over what is there: a plain value replaces it, while
    /// `tags`, hooks and `meta` still add to the folder's and YAML's (as dbt merges them; merging
    /// twice changes nothing, so the file's own `config()` can be applied again after YAML).
    mutating func applyWinning(_ key: String, _ value: ConfigValue) {
        let canonical = NodeConfig.canonicalKey(key)
        if !["tags", "pre-hook", "post-hook", "meta", "grants", "docs", "persist_docs", "column_types"].contains(canonical) { self[key] = nil }
        apply(key, value)
    }

    func string(_ key: String) -> String? { self[key]?.stringValue }

    public var materialized: String { string("materialized") ?? "view" }
    public var schema: String? { string("schema") }
    public var alias: String? { string("alias") }
    public var database: String? { string("database") }
    public var tags: [String] { (self["tags"]?.asList ?? []).compactMap(\.stringValue) }
    public var enabled: Bool { self["enabled"]?.boolValue ?? true }
    /// A string or a list of column names.
    public var uniqueKey: [String]? {
        guard let v = self["unique_key"], !v.isNull else { return nil }
        return v.asList.compactMap(\.stringValue)
    }
    public var incrementalStrategy: String? { string("incremental_strategy") }
    /// Columns a table is partitioned by (a string or a list, as dbt-spark takes them); only
    /// engines with partitioned tables use it (`SQLDialect.supportsPartitionedTables`).
    public var partitionBy: [String] {
        guard let v = self["partition_by"], !v.isNull else { return [] }
        return v.asList.compactMap(\.stringValue)
    }
    public var onSchemaChange: String { string("on_schema_change") ?? "ignore" }
    public var preHooks: [String] { (self["pre-hook"]?.asList ?? []).compactMap { $0.stringValue ?? $0["sql"]?.stringValue } }
    public var postHooks: [String] { (self["post-hook"]?.asList ?? []).compactMap { $0.stringValue ?? $0["sql"]?.stringValue } }
    public var fullRefresh: Bool? { self["full_refresh"]?.boolValue }
    /// `error` or `warn` (tests), lower-cased.
    public var severity: String { (string("severity") ?? "error").lowercased() }
    public var warnIf: String { string("warn_if") ?? "!= 0" }
    public var errorIf: String { string("error_if") ?? "!= 0" }
    public var failCalc: String { string("fail_calc") ?? "count(*)" }
    public var whereClause: String? { string("where") }
    public var limit: Int? { self["limit"]?.intValue }
    public var storeFailures: Bool? { self["store_failures"]?.boolValue }
    /// Seed column name → SQL type.
    public var columnTypes: [(String, String)] {
        (self["column_types"]?.dictValue ?? []).compactMap { k, v in v.stringValue.map { (k, $0) } }
    }
    public var strategy: String? { string("strategy") }
    public var updatedAt: String? { string("updated_at") }
    /// `all` or a list of columns.
    public var checkCols: ConfigValue? { self["check_cols"] }
    public var invalidateHardDeletes: Bool { self["invalidate_hard_deletes"]?.boolValue ?? false }
    public var targetSchema: String? { string("target_schema") }
    public var targetDatabase: String? { string("target_database") }
    public var meta: ConfigValue { self["meta"] ?? .dict([]) }

    /// Keys whose values must have one type; checked when a config is set so the error can
    /// point at the line that set it.
    static let expectedTypes: [String: String] = [
        "materialized": "string", "schema": "string", "alias": "string", "database": "string",
        "enabled": "boolean", "incremental_strategy": "string", "on_schema_change": "string",
        "full_refresh": "boolean", "severity": "string", "warn_if": "string", "error_if": "string",
        "where": "string", "limit": "integer", "store_failures": "boolean", "strategy": "string",
        "updated_at": "string", "invalidate_hard_deletes": "boolean", "target_schema": "string",
        "target_database": "string", "meta": "mapping", "column_types": "mapping", "docs": "mapping",
        "fail_calc": "string",
    ]

    /// nil when `value` suits `key`, else the message for the user.
    static func typeProblem(key: String, value: ConfigValue) -> String? {
        if value.isNull { return nil }
        let k = canonicalKey(key)
        if k == "tags" {
            return value.asList.allSatisfy({ $0.stringValue != nil }) ? nil
                : "config 'tags' must be a string or a list of strings, got \(value.typeName)"
        }
        if k == "unique_key" {
            return value.asList.allSatisfy({ $0.stringValue != nil }) ? nil
                : "config 'unique_key' must be a column name or a list of column names, got \(value.typeName)"
        }
        guard let expected = expectedTypes[k] else { return nil }
        if expected == value.typeName { return nil }
        if expected == "integer", case .double = value { return nil }
        let shown: String
        switch value {
        case .string(let s): shown = "'\(s)'"
        case .int(let i): shown = String(i)
        case .double(let d): shown = String(d)
        case .bool(let b): shown = b ? "true" : "false"
        default: shown = value.typeName
        }
        return "config '\(k)' must be a \(expected), got \(value.typeName) \(shown); write it as \(expected == "string" ? "'\(value.pythonString)'" : "a \(expected)")"
    }
}
