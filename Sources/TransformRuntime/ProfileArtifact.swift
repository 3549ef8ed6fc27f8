import Foundation
import TransformProject
import WarehouseKit

/// `target/profiles.json`, written by `storehouse build --profile`: each built model's wall time
/// and the engine's profile of its statements (rows scanned and produced, bytes, peak memory,
/// the slowest operators). `storehouse profile` and the docs read it back.
public enum ProfileArtifact {
    public static let fileName = "profiles.json"
    /// Operators kept per model, slowest first.
    public static let operatorsKept = 8

    /// One model's entry.
    public struct Entry: Sendable, Equatable {
        public var uniqueId: String
        public var name: String
        /// The node's wall time in the run (compile, statements, row count).
        public var wallSeconds: Double
        public var profile: QueryProfile
    }

    public struct Document: Sendable, Equatable {
        public var generatedAt: Date
        /// `duckdb` or `postgres`.
        public var warehouse: String
        public var entries: [Entry]

        /// Slowest first.
        public var slowest: [Entry] { entries.sorted { ($0.wallSeconds, $0.name) > ($1.wallSeconds, $1.name) } }
        public func entry(for uniqueId: String) -> Entry? { entries.first { $0.uniqueId == uniqueId } }
    }

    public static func path(targetDirectory: String) -> String {
        (targetDirectory as NSString).appendingPathComponent(fileName)
    }

    static func json(_ results: [NodeResult], warehouse: String, at date: Date = Date()) -> Data? {
        let profiled = results.filter { $0.profile != nil }
        guard !profiled.isEmpty else { return nil }
        let nodes: [[String: Any]] = profiled.map { result in
            let profile = result.profile!
            var entry: [String: Any] = ["unique_id": result.uniqueId, "name": result.name, "wall_seconds": result.seconds,
                                        "engine_seconds": profile.seconds]
            if let value = profile.rowsScanned { entry["rows_scanned"] = value }
            if let value = profile.rowsProduced { entry["rows_produced"] = value }
            if let value = profile.bytesWritten { entry["bytes_written"] = value }
            if let value = profile.bytesRead { entry["bytes_read"] = value }
            if let value = profile.peakMemoryBytes { entry["peak_memory_bytes"] = value }
            entry["operators"] = profile.operators.prefix(operatorsKept).map { op -> [String: Any] in
                var item: [String: Any] = ["name": op.name, "seconds": op.seconds]
                if let rows = op.rows { item["rows"] = rows }
                if let detail = op.detail { item["detail"] = detail }
                return item
            }
            return entry
        }
        let document: [String: Any] = ["generated_at": SourceFreshnessArtifact.utc(date), "warehouse": warehouse, "nodes": nodes]
        return Data(JSONText.encode(document))
    }

    /// Reads target/profiles.json; nil when there is none (no `build --profile` yet) or it is not ours.
    public static func read(targetDirectory: String) -> Document? {
        guard let data = FileManager.default.contents(atPath: path(targetDirectory: targetDirectory)),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let nodes = root["nodes"] as? [[String: Any]] else { return nil }
        func int(_ value: Any?) -> Int? { (value as? NSNumber)?.intValue }
        func double(_ value: Any?) -> Double { (value as? NSNumber)?.doubleValue ?? 0 }
        let entries = nodes.compactMap { node -> Entry? in
            guard let id = node["unique_id"] as? String else { return nil }
            let operators = (node["operators"] as? [[String: Any]] ?? []).map {
                QueryProfile.Operator(name: $0["name"] as? String ?? "?", seconds: double($0["seconds"]), rows: int($0["rows"]), detail: $0["detail"] as? String)
            }
            let profile = QueryProfile(seconds: double(node["engine_seconds"]), rowsScanned: int(node["rows_scanned"]), rowsProduced: int(node["rows_produced"]),
                                       bytesWritten: int(node["bytes_written"]), bytesRead: int(node["bytes_read"]),
                                       peakMemoryBytes: int(node["peak_memory_bytes"]), operators: operators)
            return Entry(uniqueId: id, name: node["name"] as? String ?? id, wallSeconds: double(node["wall_seconds"]), profile: profile)
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let date = (root["generated_at"] as? String).flatMap { formatter.date(from: $0) ?? ISO8601DateFormatter().date(from: $0) } ?? Date(timeIntervalSince1970: 0)
        return Document(generatedAt: date, warehouse: root["warehouse"] as? String ?? "", entries: entries)
    }

    /// `0.4 ms`, `12 ms`, `1.25 s`: statements and operators take from microseconds to minutes.
    public static func duration(_ seconds: Double) -> String {
        seconds >= 1 ? String(format: "%.2f s", seconds) : seconds >= 0.01 ? "\(Int((seconds * 1000).rounded())) ms" : String(format: "%.1f ms", seconds * 1000)
    }

    /// `512 B`, `33.6 MB`, `1.2 GB`.
    public static func bytes(_ bytes: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
    }

    /// What to look at first for a model whose time goes mostly to `operator`, in words.
    public static func advice(for entry: Entry) -> String? {
        guard let (op, share) = entry.profile.dominant, share >= 0.3 else { return nil }
        let name = op.name.uppercased()
        let scanned = entry.profile.rowsScanned ?? 0, produced = entry.profile.rowsProduced ?? 0
        if name.contains("SCAN") && scanned > 0 && produced > 0 && scanned >= produced * 20 {
            return "it scans \(scanned) rows to produce \(produced): filter earlier (in a staging model), or build the input it filters as a table"
        }
        if name.contains("JOIN") || name.contains("NESTED LOOP") || name.contains("HASH JOIN") {
            return "a join dominates: check that its keys are unique on one side (fan-out multiplies rows) and that both inputs are filtered before it"
        }
        if name.contains("ORDER") || name == "SORT" || name.contains("TOP_N") {
            return "a sort dominates: a table needs no order by unless a reader depends on it"
        }
        if name.contains("WINDOW") {
            return "a window function dominates: partition by a selective key, or compute it once in an upstream table"
        }
        if name.contains("GROUP") || name.contains("AGGREGATE") {
            return "an aggregation dominates: aggregate fewer rows (filter first) or pre-aggregate in an incremental model"
        }
        if name.contains("SCAN") {
            return "reading its input dominates: an upstream view is recomputed here each time; materialize it as a table if several models read it"
        }
        return nil
    }
}
