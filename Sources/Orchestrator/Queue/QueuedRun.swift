import Foundation

/// A run waiting for, or holding, a place in the `RunQueue`.
public struct QueuedRun: Sendable, Hashable, Codable {
    /// The run's id in the run store.
    public var id: String
    /// The job the run belongs to.
    public var job: String
    /// How many runs of this job may run at once (the job's `max_concurrent_runs`), at least 1.
    public var maxConcurrentRunsOfJob: Int

    public init(id: String, job: String, maxConcurrentRunsOfJob: Int = 1) {
        self.id = id
        self.job = job
        self.maxConcurrentRunsOfJob = max(1, maxConcurrentRunsOfJob)
    }
}
