/// Admits one writer at a time, in arrival order, without blocking a thread while others wait.
/// Adapters put their `write` closures through it so writes are serialised as `Warehouse` promises.
public actor WriterGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init() {}

    /// Runs `body` once every writer that arrived earlier has finished.
    public func serialise<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await enter()
        defer { leave() }
        return try await body()
    }

    private func enter() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func leave() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }
}
