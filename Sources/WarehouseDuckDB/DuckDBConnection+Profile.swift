import Foundation
import WarehouseKit

extension DuckDBConnection {
    /// Runs `sql` with DuckDB's profiler writing JSON to a file of its own, then reads it back.
    /// Profiling is switched off again whatever happens, so the connection's other statements
    /// pay nothing.
    func executeProfiled(_ sql: SQL) async throws -> (rows: Int, profile: QueryProfile?) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-profile-\(UUID().uuidString).json").path
        try await execute(SQL(unsafeRaw: "SET enable_profiling = 'json'"))
        try await execute(SQL(unsafeRaw: "SET profiling_output = '\(file.replacingOccurrences(of: "'", with: "''"))'"))
        let rows: Int
        do {
            rows = try await execute(sql)
        } catch {
            _ = try? await execute(SQL(unsafeRaw: "PRAGMA disable_profiling"))
            try? FileManager.default.removeItem(atPath: file)
            throw error
        }
        try await execute(SQL(unsafeRaw: "PRAGMA disable_profiling"))
        defer { try? FileManager.default.removeItem(atPath: file) }
        guard let data = FileManager.default.contents(atPath: file) else { return (rows, nil) }
        return (rows, DuckDBProfile.parse(data))
    }
}

/// DuckDB's JSON profile (`enable_profiling = 'json'`) as a `QueryProfile`: `query.total_time`,
/// `query.total_rows_scanned`, `system.peak_buffer_memory`, `io.total_bytes_written`, and the
/// operator tree (`operator`, or `children` in older versions) flattened with each operator's
/// own `timing` and `intermediate_rows` (`operator_timing`/`operator_cardinality` before 1.2).
enum DuckDBProfile {
    static func parse(_ data: Data) -> QueryProfile? {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        let query = root["query"] as? [String: Any] ?? root
        let system = root["system"] as? [String: Any] ?? [:]
        let io = root["io"] as? [String: Any] ?? [:]
        var operators: [QueryProfile.Operator] = []
        var produced: Int?
        func visit(_ node: [String: Any], depth: Int) {
            let name = (node["type"] as? String) ?? (node["operator_type"] as? String) ?? "?"
            let seconds = number(node["timing"]) ?? number(node["operator_timing"]) ?? 0
            let rows = number(node["intermediate_rows"]) ?? number(node["operator_cardinality"])
            // A create-as or insert returns one row (the count): what it wrote is its input's rows.
            // Otherwise the top operator below the result collector produced the statement's rows.
            let children = node["children"] as? [[String: Any]] ?? []
            if name.hasSuffix("CREATE_TABLE_AS") || name.hasSuffix("INSERT"), let input = children.first {
                produced = (number(input["intermediate_rows"]) ?? number(input["operator_cardinality"])).map { Int($0) }
            } else if depth <= 1 && produced == nil && name != "RESULT_COLLECTOR" {
                produced = rows.map { Int($0) }
            }
            if name != "RESULT_COLLECTOR" {
                operators.append(.init(name: name, seconds: seconds, rows: rows.map { Int($0) }, detail: detail(node["extra_info"])))
            }
            for child in children { visit(child, depth: depth + 1) }
        }
        if let tree = root["operator"] as? [[String: Any]] {
            tree.forEach { visit($0, depth: 0) }
        } else {
            (root["children"] as? [[String: Any]] ?? []).forEach { visit($0, depth: 0) }
        }
        let total = number(query["total_time"]) ?? number(root["latency"]) ?? operators.map(\.seconds).reduce(0, +)
        return QueryProfile(seconds: total,
                            rowsScanned: (number(query["total_rows_scanned"]) ?? number(root["cumulative_rows_scanned"])).map { Int($0) },
                            rowsProduced: produced,
                            bytesWritten: number(io["total_bytes_written"]).map { Int($0) },
                            peakMemoryBytes: number(system["peak_buffer_memory"]).map { Int($0) },
                            operators: operators)
    }

    static func number(_ value: Any?) -> Double? {
        if let number = value as? NSNumber { return number.doubleValue }
        if let text = value as? String { return Double(text) }
        return nil
    }

    /// The operator's most telling detail: the table it scans, its join condition, its keys.
    static func detail(_ info: Any?) -> String? {
        guard let info = info as? [String: Any] else { return (info as? String).flatMap { $0.isEmpty ? nil : $0 } }
        for key in ["Table", "Conditions", "Join Type", "Groups", "Order By", "Aggregates", "Function", "Filters"] {
            if let text = info[key] as? String, !text.isEmpty { return "\(key): \(text)" }
            if let list = info[key] as? [String], !list.isEmpty { return "\(key): " + list.prefix(4).joined(separator: ", ") }
        }
        return nil
    }
}
