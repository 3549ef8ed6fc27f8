import Foundation
import WarehouseKit

extension PostgresWarehouseConnection {
    /// Runs a statement PostgreSQL can explain (`create table … as`, `insert`, `select`,
    /// `update`, `delete`, `merge`) under `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)`, which executes
    /// it and returns the plan with each node's actual time, rows and buffers. Other statements
    /// (renames, drops, views) run as they are, without a profile.
    func executeProfiled(_ sql: SQL) async throws -> (rows: Int, profile: QueryProfile?) {
        let head = sql.text.drop { $0.isWhitespace || $0 == "(" }.prefix(40).lowercased()
        let explainable = ["select", "with", "insert", "update", "delete", "merge"].contains { head.hasPrefix($0) }
            || (head.hasPrefix("create") && head.contains("table") && sql.text.range(of: #"\bas\b"#, options: [.regularExpression, .caseInsensitive]) != nil
                && !head.contains("view"))
        guard explainable else { return (try await execute(sql), nil) }
        let result = try await query("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql.text, sql.parameters)
        guard let text = result.rows.first?.first?.string, let profile = PostgresProfile.parse(Data(text.utf8)) else { return (0, nil) }
        return (profile.rowsProduced ?? 0, profile)
    }
}

/// PostgreSQL's `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` as a `QueryProfile`: each plan node's
/// own time is its actual total time × loops minus its children's; rows scanned are the rows
/// the scans returned plus those their filters removed; blocks are 8 KiB.
enum PostgresProfile {
    static func parse(_ data: Data) -> QueryProfile? {
        guard let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]], let root = list.first,
              let plan = root["Plan"] as? [String: Any] else { return nil }
        var operators: [QueryProfile.Operator] = []
        var scanned = 0
        var blocks = 0
        func total(_ node: [String: Any]) -> Double {
            (number(node["Actual Total Time"]) ?? 0) * max(1, number(node["Actual Loops"]) ?? 1) / 1000
        }
        func visit(_ node: [String: Any]) {
            let children = node["Plans"] as? [[String: Any]] ?? []
            let own = max(0, total(node) - children.map(total).reduce(0, +))
            let rows = (number(node["Actual Rows"]) ?? 0) * max(1, number(node["Actual Loops"]) ?? 1)
            let name = node["Node Type"] as? String ?? "?"
            if name.hasSuffix("Scan") {
                scanned += Int(rows + (number(node["Rows Removed by Filter"]) ?? 0))
            }
            blocks += Int((number(node["Shared Hit Blocks"]) ?? 0) + (number(node["Shared Read Blocks"]) ?? 0))
            var detail: String?
            if let relation = node["Relation Name"] as? String { detail = "Table: \(relation)" }
            for key in ["Hash Cond", "Merge Cond", "Join Filter", "Sort Key", "Group Key", "Filter"] where detail == nil {
                if let text = node[key] as? String { detail = "\(key): \(text)" }
                if let list = node[key] as? [String] { detail = "\(key): " + list.prefix(4).joined(separator: ", ") }
            }
            operators.append(.init(name: name, seconds: own, rows: Int(rows), detail: detail))
            children.forEach(visit)
        }
        visit(plan)
        let execution = (number(root["Execution Time"]) ?? 0) / 1000
        // A ModifyTable node (insert, update, delete) returns no rows itself: its input is what it wrote.
        let top = plan["Node Type"] as? String == "ModifyTable" ? (plan["Plans"] as? [[String: Any]])?.first ?? plan : plan
        return QueryProfile(seconds: execution, rowsScanned: scanned, rowsProduced: Int(number(top["Actual Rows"]) ?? 0),
                            bytesRead: blocks * 8192, operators: operators)
    }

    static func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }
}
