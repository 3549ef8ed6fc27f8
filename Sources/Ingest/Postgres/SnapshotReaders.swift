import Synchronization
import WarehouseKit

/// Connections to a PostgreSQL source that read as of one instant: the first opens a
/// repeatable-read, read-only transaction and exports its snapshot (`pg_export_snapshot`), the
/// others import it (`SET TRANSACTION SNAPSHOT`), as `pg_dump --jobs` does. A table is read in
/// `ctid` ranges, one per connection, so the server, the wire and the decoding of one large table
/// run on every core, and the parts together are the table exactly once.
struct SnapshotReaders: Sendable {
    let connections: [any WarehouseConnection]

    /// A table of fewer pages is read by one connection (splitting it costs more than it saves).
    static let pagesWorthSplitting = 256

    /// Runs `body` with up to `width` connections in one snapshot: one when the server cannot
    /// export its snapshot (a standby, say) or the pool has no second connection to give.
    static func withReaders<T: Sendable>(
        of source: any Warehouse, width: Int, _ body: @escaping @Sendable (SnapshotReaders) async throws -> T
    ) async throws -> T {
        try await source.session { first in
            try await first.execute("set time zone 'UTC'")
            try await first.execute("begin isolation level repeatable read read only")
            do {
                var snapshot: String?
                if width > 1 {
                    // Not in a savepoint: PostgreSQL exports no snapshot from a subtransaction. A
                    // refusal ends the transaction, so a new one starts for the lone reader.
                    do {
                        snapshot = try await first.query("select pg_export_snapshot()").scalar?.string
                    } catch {
                        try await first.execute("rollback")
                        try await first.execute("begin isolation level repeatable read read only")
                    }
                }
                let result: T
                if let snapshot {
                    result = try await joining(source, snapshot: snapshot, count: width - 1, readers: [first], body)
                } else {
                    result = try await body(SnapshotReaders(connections: [first]))
                }
                try await first.execute("commit")
                return result
            } catch {
                _ = try? await first.execute("rollback")
                throw error
            }
        }
    }

    /// Borrows `count` more connections, each importing `snapshot`, then runs `body` with all.
    /// A connection the server or the pool cannot give (max_connections reached, say) is done
    /// without: `body` runs with the readers joined so far.
    private static func joining<T: Sendable>(
        _ source: any Warehouse, snapshot: String, count: Int, readers: [any WarehouseConnection],
        _ body: @escaping @Sendable (SnapshotReaders) async throws -> T
    ) async throws -> T {
        guard count > 0 else { return try await body(SnapshotReaders(connections: readers)) }
        let joined = Mutex(false)
        do {
            return try await source.session { next in
                try await next.execute("set time zone 'UTC'")
                try await next.execute("begin isolation level repeatable read read only")
                do {
                    try await next.execute(SQL(unsafeRaw: "set transaction snapshot \(SQL.quoteLiteral(snapshot))"))
                    joined.withLock { $0 = true }
                    let result = try await joining(source, snapshot: snapshot, count: count - 1, readers: readers + [next], body)
                    try await next.execute("commit")
                    return result
                } catch {
                    _ = try? await next.execute("rollback")
                    throw error
                }
            }
        } catch where !joined.withLock({ $0 }) {
            return try await body(SnapshotReaders(connections: readers))
        }
    }

    /// Runs `sql` on every connection (a savepoint, its release or rollback).
    func executeOnEach(_ sql: SQL) async throws {
        for connection in connections { try await connection.execute(sql) }
    }

    /// Reads `select … from table [where filter]` in `ctid` ranges, one per connection (one range
    /// for a table of few pages), `chunkRows` at a time through a cursor on each; hands the chunks
    /// to `consume` taking the parts in turn, while each part's next chunk is already on its way.
    /// - Returns: how many parts the table was read in.
    @discardableResult
    func read(
        select: String, from qualifiedTable: String, filter: String?, chunkRows: Int,
        _ consume: (ColumnarResult) async throws -> Void
    ) async throws -> Int {
        let pages = connections.count > 1
            ? try await connections[0].query(SQL(unsafeRaw: "select (pg_relation_size(\(SQL.quoteLiteral(qualifiedTable))::regclass) / current_setting('block_size')::bigint)::bigint")).scalar?.int64 ?? 0
            : 0
        let parts = pages >= Self.pagesWorthSplitting ? connections.count : 1
        let bounds = (0...parts).map { Int64($0) * pages / Int64(parts) }
        for part in 0..<parts {
            var conditions = filter.map { [$0] } ?? []
            if part > 0 { conditions.append("ctid >= '(\(bounds[part]),0)'::tid") }
            if part < parts - 1 { conditions.append("ctid < '(\(bounds[part + 1]),0)'::tid") }
            let condition = conditions.isEmpty ? "" : " where " + conditions.joined(separator: " and ")
            try await connections[part].execute(SQL(unsafeRaw: "declare storehouse_rows no scroll cursor for select \(select) from \(qualifiedTable)\(condition)"))
        }
        let fetch = SQL(unsafeRaw: "fetch forward \(chunkRows) from storehouse_rows")
        let readers = connections
        var next: [Task<ColumnarResult, any Error>?] = (0..<parts).map { part in Task { try await readers[part].queryColumns(fetch) } }
        do {
            var part = 0
            while next.contains(where: { $0 != nil }) {
                defer { part = (part + 1) % parts }
                guard let pending = next[part] else { continue }
                let chunk = try await pending.value
                if chunk.rowCount == 0 {
                    next[part] = nil
                    continue
                }
                let current = part
                next[part] = Task { try await readers[current].queryColumns(fetch) }
                try await consume(chunk)
            }
        } catch {
            // No fetch may still be running when the caller rolls the connections back.
            for pending in next.compactMap({ $0 }) { _ = try? await pending.value }
            throw error
        }
        for part in 0..<parts { try await connections[part].execute("close storehouse_rows") }
        return parts
    }
}
