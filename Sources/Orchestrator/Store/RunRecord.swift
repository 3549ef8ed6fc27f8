import Foundation

/// One run of a job, as the run store keeps it.
public struct RunRecord: Sendable, Equatable {
    /// Increasing and never reused, even after old runs are purged.
    public var id: Int64
    public var job: String
    public var status: RunStatus
    public var trigger: RunTrigger
    /// The `vars` the run passes to its build steps (a backfill's `ds`, for instance).
    public var vars: [String: String]
    public var queuedAt: Date
    public var startedAt: Date?
    public var endedAt: Date?
    /// Why the run failed, was interrupted or stopped; nil when it succeeded or is not over.
    public var error: String?
    /// 1 for a first run; a run created with trigger `.retry(ofRun:)` counts one more than the
    /// run it retries, so a run interrupted twice is retried as attempt 3.
    public var attempt: Int

    public init(id: Int64, job: String, status: RunStatus, trigger: RunTrigger, vars: [String: String],
                queuedAt: Date, startedAt: Date?, endedAt: Date?, error: String?, attempt: Int) {
        self.id = id
        self.job = job
        self.status = status
        self.trigger = trigger
        self.vars = vars
        self.queuedAt = queuedAt
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.error = error
        self.attempt = attempt
    }
}

/// A run with its step attempts and the node results of its builds, for `storehouse runs show`
/// and the run page.
public struct RunDetail: Sendable, Equatable {
    public var run: RunRecord
    /// Every attempt of every step, in the order they started.
    public var attempts: [StepAttemptRecord]
    /// The node results of each build-like attempt, by the attempt's ``StepAttemptRecord/id``,
    /// in the order the step reported them. Attempts without results have no entry.
    public var nodeResults: [Int64: [NodeResultRecord]]

    public init(run: RunRecord, attempts: [StepAttemptRecord], nodeResults: [Int64: [NodeResultRecord]]) {
        self.run = run
        self.attempts = attempts
        self.nodeResults = nodeResults
    }
}
