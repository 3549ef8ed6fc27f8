import Foundation
import Orchestrator

/// What the runs pages and the runs API read: the project's jobs (jobs.yml) and the run store
/// beside the warehouse. Absent when `serve` has no run store to show.
public struct RunsContext: Sendable {
    public let store: RunStore
    public let jobs: JobFile
    /// The scheduler that runs jobs in this process; nil when the server only shows runs
    /// (then nothing can be started through it).
    public let scheduler: JobScheduler?

    public init(store: RunStore, jobs: JobFile, scheduler: JobScheduler? = nil) {
        self.store = store
        self.jobs = jobs
        self.scheduler = scheduler
    }
}
