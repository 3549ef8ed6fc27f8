import Foundation

/// One attempt of one step of a run: a step that fails twice and then succeeds has three.
public struct StepAttemptRecord: Sendable, Equatable {
    public var id: Int64
    public var runID: Int64
    /// The step's name in the job file.
    public var step: String
    /// The step's kind (`build`, `ingest`, `generate`, …).
    public var kind: String
    /// 1-based number of this attempt of the step within its run.
    public var attempt: Int
    public var status: RunStatus
    public var startedAt: Date
    public var endedAt: Date?
    /// The step's log as appended while it ran. The store keeps only the end of a long log
    /// (``RunStore/defaultOutputLimit``); then the text starts with a line saying how much of
    /// the beginning was dropped.
    public var output: String
    public var error: String?

    public init(id: Int64, runID: Int64, step: String, kind: String, attempt: Int, status: RunStatus,
                startedAt: Date, endedAt: Date?, output: String, error: String?) {
        self.id = id
        self.runID = runID
        self.step = step
        self.kind = kind
        self.attempt = attempt
        self.status = status
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.output = output
        self.error = error
    }
}

/// What a build-like step reported for one node (model, test, seed, snapshot), in the terms of
/// dbt's `run_results.json`.
public struct NodeResultRecord: Sendable, Equatable {
    /// The node's unique id, e.g. `model.analytics.dim_customers`.
    public var uniqueID: String
    /// `success`, `error`, `fail`, `warn`, `pass` or `skipped`, as in `run_results.json`.
    public var status: String
    /// Execution time in seconds.
    public var seconds: Double
    /// Rows affected, when the warehouse reports them.
    public var rows: Int?
    public var message: String?
    /// A test's failing rows, and its first rows as JSON (`{"columns": […], "rows": […]}`).
    public var failures: Int?
    public var failingRows: String?

    public init(uniqueID: String, status: String, seconds: Double, rows: Int? = nil, message: String? = nil,
                failures: Int? = nil, failingRows: String? = nil) {
        self.uniqueID = uniqueID
        self.status = status
        self.seconds = seconds
        self.rows = rows
        self.message = message
        self.failures = failures
        self.failingRows = failingRows
    }
}

/// One tick of a schedule that the scheduler decided to run, with the run it started.
public struct ScheduleTickRecord: Sendable, Equatable {
    public var schedule: String
    /// The instant the run is for.
    public var tick: Date
    /// When the tick was decided: the `evaluatedThrough` of the decision that produced it.
    public var recordedAt: Date
    /// The run queued for the tick; nil when the caller recorded the tick alone, or once the
    /// run has been purged.
    public var runID: Int64?

    public init(schedule: String, tick: Date, recordedAt: Date, runID: Int64?) {
        self.schedule = schedule
        self.tick = tick
        self.recordedAt = recordedAt
        self.runID = runID
    }
}
