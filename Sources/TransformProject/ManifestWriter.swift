import Foundation

/// Writes a `Manifest` in dbt's manifest.json (v12) shape, so tools that read dbt artifacts read ours.
public enum ManifestWriter {
    public static let schemaVersion = "https://schemas.getdbt.com/dbt/manifest/v12.json"

    /// The manifest as a JSON object tree. `compiled` adds compiled_code/compiled_path to nodes.
    public static func jsonObject(_ manifest: Manifest, compiled: [String: CompiledNode] = [:], generatedAt: Date = Date()) -> [String: Any] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var nodes: [String: Any] = [:]
        var unitTests: [String: Any] = [:]
        for (id, n) in manifest.nodes {
            if let test = n.unitTest { unitTests[id] = unitTestJSON(n, test) } else { nodes[id] = nodeJSON(n, compiled: compiled[id], target: manifest.target) }
        }
        var sources: [String: Any] = [:]
        for (id, n) in manifest.sources { sources[id] = nodeJSON(n, compiled: nil) }
        var exposures: [String: Any] = [:]
        for (id, n) in manifest.exposures { exposures[id] = nodeJSON(n, compiled: nil) }
        var macros: [String: Any] = [:]
        for (id, m) in manifest.macros {
            macros[id] = ["unique_id": m.uniqueId, "name": m.name, "package_name": m.packageName, "resource_type": "macro",
                          "path": m.originalFilePath, "original_file_path": m.originalFilePath, "macro_sql": m.macroSQL]
        }
        var docs: [String: Any] = [:]
        for (id, d) in manifest.docs {
            docs[id] = ["unique_id": d.uniqueId, "name": d.name, "package_name": manifest.projectName, "resource_type": "doc",
                        "path": d.originalFilePath, "original_file_path": d.originalFilePath, "block_contents": d.content]
        }
        var semantic: [String: [String: Any]] = ["semantic_model": [:], "metric": [:], "saved_query": [:]]
        let createdAt = generatedAt.timeIntervalSince1970
        for resource in manifest.semanticResources {
            var json = resource.json.jsonObject as? [String: Any] ?? [:]
            json["created_at"] = createdAt
            semantic[resource.resourceType, default: [:]][resource.uniqueId] = json
        }
        return [
            "metadata": [
                "dbt_schema_version": schemaVersion, "dbt_version": DbtCompatibility.version, "generated_at": formatter.string(from: generatedAt),
                "invocation_id": UUID().uuidString.lowercased(), "env": [String: Any](), "project_name": manifest.projectName,
                "adapter_type": manifest.target.type, "send_anonymous_usage_stats": false,
            ] as [String: Any],
            "nodes": nodes, "sources": sources, "macros": macros, "docs": docs, "exposures": exposures,
            "metrics": semantic["metric"] ?? [:], "groups": [String: Any](), "selectors": [String: Any](), "disabled": [String: Any](),
            "parent_map": manifest.parentMap, "child_map": manifest.childMap, "group_map": [String: Any](),
            "saved_queries": semantic["saved_query"] ?? [:], "semantic_models": semantic["semantic_model"] ?? [:], "unit_tests": unitTests,
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

    /// `target` gives an analysis (never built, so without a relation) the target's database and
    /// schema, as dbt does: the published manifest v12 schema requires a string `schema` on every node.
    static func nodeJSON(_ n: Node, compiled: CompiledNode?, target: TargetProfile? = nil) -> [String: Any] {
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
        // dbt's Exposure has no columns, database, schema or relation_name, and its Seed no language:
        // the published manifest v12 schema forbids properties a resource does not have.
        if n.resourceType != .exposure { json["columns"] = columns }
        if n.resourceType != .source && n.resourceType != .exposure {
            json["raw_code"] = n.rawCode
            if n.resourceType != .seed { json["language"] = "sql" }
            json["checksum"] = n.checksum.isEmpty ? ["name": "none", "checksum": ""] : ["name": "sha256", "checksum": n.checksum]
            json["alias"] = n.relation?.identifier ?? n.name
        }
        if n.resourceType != .exposure {
            let fallback = n.resourceType == .analysis ? target : nil
            let database: String? = n.relation?.database ?? fallback?.database
            let schema: String? = n.relation?.schema ?? fallback?.schema
            json["database"] = database ?? NSNull()
            json["schema"] = schema ?? NSNull()
            let showsRelation = n.resourceType == .model ? !n.isEphemeral : [.seed, .snapshot, .source].contains(n.resourceType)
            json["relation_name"] = showsRelation ? (n.relation?.description ?? NSNull()) as Any : NSNull()
        }
        if n.resourceType != .seed && n.resourceType != .source {
            json["refs"] = n.refs.map { ["name": $0.name, "package": $0.package as Any? ?? NSNull(), "version": Self.versionJSON($0.version)] as [String: Any] }
            json["sources"] = n.sources
            json["depends_on"] = ["nodes": n.dependsOnNodes, "macros": n.dependsOnMacros]
        } else if n.resourceType == .seed {
            json["depends_on"] = ["macros": [String]()]
        }
        if n.resourceType == .model {
            json["version"] = versionJSON(n.version)
            json["latest_version"] = versionJSON(n.latestVersion)
        }
        if let metadata = n.testMetadata {
            var kwargs: [String: Any] = [:]
            for (k, v) in metadata.kwargs { kwargs[k] = v.jsonObject }
            if let c = n.columnName { kwargs["column_name"] = c }
            kwargs["model"] = "{{ get_where_subquery(\(metadata.modelExpression)) }}"
            json["test_metadata"] = ["name": metadata.name, "kwargs": kwargs, "namespace": metadata.namespace.map { $0 as Any } ?? NSNull()] as [String: Any]
            json["column_name"] = n.columnName ?? NSNull()
            json["attached_node"] = n.attachedNode ?? NSNull()
        }
        if n.resourceType == .source {
            json["source_name"] = n.extra("source_name")?.jsonObject
            json["identifier"] = n.relation?.identifier
            json["loaded_at_field"] = n.extra("loaded_at_field")?.jsonObject ?? NSNull()
            json["freshness"] = n.extra("freshness")?.jsonObject ?? NSNull()
            json["source_description"] = n.extra("source_description")?.jsonObject ?? ""
            json["loader"] = n.extra("loader")?.jsonObject ?? ""
        }
        if n.resourceType == .exposure {
            for (k, v) in n.extra { json[k] = v.jsonObject }
        }
        if let compiled {
            json["compiled"] = true
            json["compiled_code"] = compiled.sql
            json["compiled_path"] = compiled.compiledPath
            json["extra_ctes_injected"] = true
            json["extra_ctes"] = compiled.injectedCTEs.map { ["id": $0.id, "sql": $0.sql] }
        }
        return json
    }

    /// Writes `target/manifest.json` under the project root (or `path` when given). With a
    /// `cache` (one per loaded project), a manifest already encoded for the same compiled SQL is
    /// reused with a new time and invocation id.
    public static func write(_ manifest: Manifest, compiled: [CompiledNode] = [], to path: String? = nil,
                             cache: ManifestBytesCache? = nil) throws {
        let destination = path ?? ((manifest.projectRoot as NSString).appendingPathComponent(manifest.targetPath) as NSString).appendingPathComponent("manifest.json")
        let bytes: [UInt8]
        if let cache {
            bytes = cache.bytes(compiled: compiled) { generatedAt, invocationId in
                var object = jsonObject(manifest, compiled: byId(compiled))
                if var metadata = object["metadata"] as? [String: Any] {
                    metadata["generated_at"] = generatedAt
                    metadata["invocation_id"] = invocationId
                    object["metadata"] = metadata
                }
                return JSONText.encode(object)
            }
        } else {
            bytes = JSONText.encode(jsonObject(manifest, compiled: byId(compiled)))
        }
        try FileManager.default.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: destination), options: .atomic)
    }

    /// A model version as dbt writes it: a number when it is one (`1`, `1.5`), else text.
    static func versionJSON(_ version: String?) -> Any {
        guard let version else { return NSNull() }
        if let number = Int(version) { return number }
        if let number = Double(version) { return number }
        return version
    }

    static func byId(_ compiled: [CompiledNode]) -> [String: CompiledNode] {
        var result: [String: CompiledNode] = [:]
        for c in compiled { result[c.uniqueId] = c }
        return result
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

/// Compact JSON with keys in code-point order, for the `[String: Any]` trees `ManifestWriter`
/// builds. Foundation's `JSONSerialization` with `.sortedKeys` sorts with a locale-aware numeric
/// comparison that took seconds on a 3,000-node manifest; this takes milliseconds.
/// A fast JSON writer for artifact dictionaries (keys in code-point order), used for manifest.json and run_results.json.
public enum JSONText {
    public static func encode(_ value: Any) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20)
        append(value, to: &out)
        return out
    }

    static func append(_ value: Any, to out: inout [UInt8]) {
        // Dispatch on the exact dynamic type first: an `as?` cast from `Any` to `String` tries to
        // bridge a dictionary through NSDictionary, which cost more than the whole compile.
        let type = Swift.type(of: value)
        if type == String.self { return appendString(value as! String, to: &out) }
        if type == [String: Any].self { return appendObject(value as! [String: Any], to: &out) }
        if type == [Any].self { return appendArray(value as! [Any], to: &out) }
        if type == [String].self { return appendArray(value as! [String], to: &out) }
        if type == Int.self { return out += Array(String(value as! Int).utf8) }
        if type == Bool.self { return out += Array((value as! Bool ? "true" : "false").utf8) }
        if type == Double.self {
            let d = value as! Double
            let text = d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)) : "null"
            return out += Array(text.utf8)
        }
        if value is NSNull { return out += Array("null".utf8) }
        // Other shapes (`[String: [String]]`, `[[String: Any]]`, …) are rare; the general casts do.
        switch value {
        case let dict as [String: Any]: appendObject(dict, to: &out)
        case let list as [Any]: appendArray(list, to: &out)
        case let s as String: appendString(s, to: &out)
        case let b as Bool: out += Array((b ? "true" : "false").utf8)
        case let i as Int: out += Array(String(i).utf8)
        case let n as NSNumber: out += Array(n.stringValue.utf8)
        default: out += Array("null".utf8)
        }
    }

    static func appendObject(_ dict: [String: Any], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (index, key) in dict.keys.sorted().enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            append(dict[key]!, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    static func appendArray<Element>(_ list: [Element], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, item) in list.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            append(item, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Quote, backslash and control characters escaped; everything else is copied as UTF-8
    /// (bytes of multi-byte characters are all >= 0x80, so they never need escaping).
    /// A JSON string literal: quotes, backslash, control characters escaped; UTF-8 kept as is.
    public static func quoted(_ s: String) -> String {
        var out: [UInt8] = []
        appendString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func appendString(_ s: String, to out: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 10: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 13: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 9: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20: out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]]
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// One project's manifest.json, encoded once per set of compiled SQL. In `serve` the same
/// project is written after every run, and encoding its macros and nodes again cost more than a
/// trivial run's SQL; only the metadata's `generated_at` and `invocation_id` change, so they are
/// encoded as markers no project text can contain and replaced in the bytes.
public final class ManifestBytesCache: @unchecked Sendable {
    private let lock = NSLock()
    private let marker = UUID().uuidString
    private var key: Int?
    /// The encoded manifest cut at the two markers: before, between, after.
    private var pieces: [[UInt8]] = []

    public init() {}

    func bytes(compiled: [CompiledNode], encode: (_ generatedAt: String, _ invocationId: String) -> [UInt8]) -> [UInt8] {
        var hasher = Hasher()
        for node in compiled.sorted(by: { $0.uniqueId < $1.uniqueId }) {
            hasher.combine(node.uniqueId); hasher.combine(node.sql); hasher.combine(node.compiledPath)
            for cte in node.injectedCTEs { hasher.combine(cte.id); hasher.combine(cte.sql) }
        }
        let key = hasher.finalize()
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let generatedAt = Array(formatter.string(from: Date()).utf8)
        let invocationId = Array(UUID().uuidString.lowercased().utf8)
        return lock.withLock {
            if self.key != key || pieces.count != 3 {
                let time = "\(marker)-generated-at", id = "\(marker)-invocation-id"
                let encoded = encode(time, id)
                guard let cut = Self.split(encoded, at: [Array(time.utf8), Array(id.utf8)]) else {
                    self.key = nil
                    return encode(String(decoding: generatedAt, as: UTF8.self), String(decoding: invocationId, as: UTF8.self))
                }
                pieces = cut
                self.key = key
            }
            var out = pieces[0]
            out.reserveCapacity(pieces.reduce(0) { $0 + $1.count } + 64)
            out += generatedAt
            out += pieces[1]
            out += invocationId
            out += pieces[2]
            return out
        }
    }

    /// `bytes` without the `markers`, in order: the pieces around them, or nil when one is missing.
    static func split(_ bytes: [UInt8], at markers: [[UInt8]]) -> [[UInt8]]? {
        var pieces: [[UInt8]] = []
        var start = 0
        var found: [(Int, Int)] = []
        for marker in markers {
            guard let at = firstIndex(of: marker, in: bytes, from: 0) else { return nil }
            found.append((at, marker.count))
        }
        for (at, length) in found.sorted(by: { $0.0 < $1.0 }) {
            pieces.append(Array(bytes[start..<at]))
            start = at + length
        }
        pieces.append(Array(bytes[start...]))
        // The pieces must come back in the order the caller fills them: time first.
        return found[0].0 < found[1].0 ? pieces : nil
    }

    static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var i = start
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first, haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
