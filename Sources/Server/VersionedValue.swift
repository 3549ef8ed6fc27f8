/// A value worked out once per data version: concurrent askers share one computation, and a new
/// version (a build landed) starts a fresh one.
actor VersionedValue<Value: Sendable> {
    private var version: String?
    private var task: Task<Value, any Error>?

    func get(version: String, make: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if self.version != version || task == nil {
            self.version = version
            task = Task { try await make() }
        }
        let running = task!
        do {
            return try await running.value
        } catch {
            // A failure is not kept: the next request tries again.
            if self.version == version { task = nil }
            throw error
        }
    }
}
