/// Builds of one relation never overlap within a process. Two runs building the same model at
/// once (a backfill's parallel days) share its fixed staging and swap names
/// (`…__storehouse_tmp`), so their transactions conflict or one's staged rows replace the
/// other's. Waiting here costs only the overlap on that one relation; other nodes run on.
/// (Across processes DuckDB's file lock already keeps a second writer out.)
actor RelationBuildLocks {
    static let shared = RelationBuildLocks()

    private var held: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Runs `body` holding the relation's lock; waiters get it in arrival order.
    static func building<T>(_ relation: String, _ body: () async throws -> T) async throws -> T {
        await shared.acquire(relation)
        do {
            let value = try await body()
            await shared.release(relation)
            return value
        } catch {
            await shared.release(relation)
            throw error
        }
    }

    private func acquire(_ key: String) async {
        guard held.contains(key) else {
            held.insert(key)
            return
        }
        await withCheckedContinuation { waiting[key, default: []].append($0) }
    }

    private func release(_ key: String) {
        // The lock passes straight to the next waiter, so it is never free in between.
        if var queue = waiting[key], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[key] = queue.isEmpty ? nil : queue
            next.resume()
        } else {
            held.remove(key)
        }
    }
}
