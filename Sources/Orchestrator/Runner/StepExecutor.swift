import Foundation

/// What carries out a step: the binary's commands (generate, build, test …) behind one call.
/// The orchestrator decides when and how often; the executor only does the work, so the runner
/// is tested with a fake one and the product's executor is tested through the CLI.
public protocol StepExecutor: Sendable {
    /// Runs one attempt of `step`. Throws `StepFailure` (or any error) when the step fails;
    /// honours task cancellation, which is how a step over its time limit is stopped.
    func execute(_ step: JobStep, context: StepContext) async throws -> StepResult
}

/// Everything an attempt knows about the run it belongs to.
public struct StepContext: Sendable {
    public var job: JobDefinition
    public var runID: Int64
    /// 1 for the first attempt of the step.
    public var attempt: Int
    /// The job's vars, then the run's (a backfill's partition day, `--vars`), then the step's.
    public var vars: [String: JobValue]
    /// Appends a line to the attempt's log in the run store (and wherever the runner echoes it).
    public var log: @Sendable (String) -> Void

    public init(job: JobDefinition, runID: Int64, attempt: Int, vars: [String: JobValue], log: @escaping @Sendable (String) -> Void) {
        self.job = job
        self.runID = runID
        self.attempt = attempt
        self.vars = vars
        self.log = log
    }
}

/// A finished attempt: a one-line summary and, for build-like steps, each node's result.
public struct StepResult: Sendable {
    public var summary: String
    public var nodeResults: [NodeResultRecord]

    public init(summary: String, nodeResults: [NodeResultRecord] = []) {
        self.summary = summary
        self.nodeResults = nodeResults
    }
}

/// A step that ran and failed (a model error, a failing test), with what it got done.
public struct StepFailure: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var nodeResults: [NodeResultRecord]

    public init(_ message: String, nodeResults: [NodeResultRecord] = []) {
        self.message = message
        self.nodeResults = nodeResults
    }

    public var description: String { message }
}
