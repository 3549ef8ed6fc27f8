import Foundation
import WarehouseKit

/// DuckDB's own SQL parser, for tools that read queries rather than run them (column lineage).
extension DuckDBWarehouse {
    /// The parse tree of `sql` as `json_serialize_sql` gives it: JSON with an `error` flag and
    /// the statements; only parsed, never bound, so unknown tables and columns are fine.
    public func parseTree(of sql: String) async throws -> Data {
        let json = try await read { db in try await db.prepare("select json_serialize_sql(?)").query([.text(sql)]).rows.first?.first?.string }
        return Data((json ?? "").utf8)
    }

    /// The lowercased names of the engine's aggregate functions: the parse tree writes `sum(x)`
    /// and `upper(x)` alike.
    public func aggregateFunctionNames() async throws -> Set<String> {
        let rows = try await read { db in
            try await db.query("select distinct lower(function_name) from duckdb_functions() where function_type = 'aggregate'").rows
        }
        return Set(rows.compactMap { $0.first?.string })
    }
}
