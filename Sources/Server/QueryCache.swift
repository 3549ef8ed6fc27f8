import WarehouseKit

/// Query results kept in memory until the data changes.
typealias QueryCache = VersionedCache<ResultSet>

/// Values kept in memory until the data changes: keyed by their query and the warehouse's data
/// version (the last successful build), so a dashboard re-renders from memory until a build
/// lands, and identical queries of several tiles — or of several readers at once — run once
/// (later callers wait for the first one's result). The API also keeps rendered answers here.
actor VersionedCache<Value: Sendable> {
    private var version: String = ""
    private var entries: [String: Value] = [:]
    private var order: [String] = []
    private var inFlight: [String: Task<Value, Error>] = [:]
    private let capacity: Int
    private(set) var hits = 0
    private(set) var misses = 0

    private let metrics: ServerMetrics?
    private let kind: ServerMetrics.CacheKind

    init(capacity: Int = 2_000, metrics: ServerMetrics? = nil, kind: ServerMetrics.CacheKind = .query) {
        self.capacity = capacity
        self.metrics = metrics
        self.kind = kind
    }

    /// The cached result of `sql` at data `version`, or `run()`'s, kept for next time.
    func result(for sql: String, version: String, run: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if version != self.version {
            self.version = version
            entries = [:]
            order = []
            inFlight = [:]
        }
        if let cached = entries[sql] {
            hits += 1
            metrics?.cache(hit: true, kind: kind)
            return cached
        }
        if let running = inFlight[sql] {
            hits += 1
            metrics?.cache(hit: true, kind: kind)
            return try await running.value
        }
        misses += 1
        metrics?.cache(hit: false, kind: kind)
        let task = Task { try await run() }
        inFlight[sql] = task
        do {
            let result = try await task.value
            if self.version == version {
                inFlight[sql] = nil
                store(sql, result)
            }
            return result
        } catch {
            inFlight[sql] = nil
            throw error
        }
    }

    private func store(_ sql: String, _ result: Value) {
        if entries[sql] == nil { order.append(sql) }
        entries[sql] = result
        if order.count > capacity {
            let evicted = order.removeFirst()
            entries[evicted] = nil
        }
    }

    var count: Int { entries.count }

    /// Drops every cached result (an admin's request); returns how many there were.
    func clear() -> Int {
        let dropped = entries.count
        entries = [:]
        order = []
        return dropped
    }
}

/// A cache key built from a request's fields, each prefixed by its length, so no two different
/// requests share a key: a caller must never be able to plant an answer (say, a page filtered
/// on a crafted value such as `1&f.x=y`) under another request's key.
struct CacheKey {
    private(set) var text: String

    init(_ kind: String) { text = kind }

    mutating func add(_ field: String) { text += "|\(field.utf8.count):" + field }
    mutating func add(_ list: [String]) {
        text += "|\(list.count)"
        for field in list { add(field) }
    }
    mutating func add(_ field: String?) { add(field.map { [$0] } ?? []) }
}
