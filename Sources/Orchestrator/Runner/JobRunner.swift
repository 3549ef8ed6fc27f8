import Foundation

/// Runs one job's steps in order and records every attempt in the run store: a failing step is
/// tried again under its retry policy (backoff from `RetryPolicy`), an attempt over the step's
/// `timeout` is cancelled and counts as failed, and the job's `timeout` bounds the whole run.
/// The first step that fails for good ends the run; later steps do not start.
///
/// Time comes in through `now` and `sleep`, randomness through `random`, so tests drive it with
/// a fake clock and no real waiting.
public struct JobRunner: Sendable {
    public let store: RunStore
    public let executor: any StepExecutor
    public let now: @Sendable () -> Date
    public let sleep: @Sendable (TimeInterval) async throws -> Void
    /// Echo of every log line and state change (the CLI prints them as they come).
    public let echo: @Sendable (String) -> Void

    public init(store: RunStore, executor: any StepExecutor,
                now: @escaping @Sendable () -> Date = { Date() },
                sleep: @escaping @Sendable (TimeInterval) async throws -> Void = { seconds in
                    try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
                },
                echo: @escaping @Sendable (String) -> Void = { _ in }) {
        self.store = store
        self.executor = executor
        self.now = now
        self.sleep = sleep
        self.echo = echo
    }

    /// Records a queued run of `job` and runs it to its end; returns the finished record.
    public func run(_ job: JobDefinition, trigger: RunTrigger = .manual, vars: [String: JobValue] = [:]) async throws(OrchestratorError) -> RunRecord {
        let merged = job.vars.merging(vars) { _, run in run }
        let record = try store.createRun(job: job.name, trigger: trigger, vars: merged.mapValues(\.text), at: now())
        return try await execute(job, run: record.id, vars: merged)
    }

    /// Runs an already queued run.
    public func execute(_ job: JobDefinition, run runID: Int64, vars: [String: JobValue]) async throws(OrchestratorError) -> RunRecord {
        let started = now()
        try store.markStarted(run: runID, at: started)
        echo("run \(runID) of job '\(job.name)' started")
        let deadline = job.timeout.map { started.addingTimeInterval($0) }
        var random = SystemRandomNumberGenerator()
        var outcome: (status: RunStatus, error: String?) = (.succeeded, nil)

        steps: for step in job.steps {
            let policy = step.retryPolicy(in: job)
            var attempt = 1
            while true {
                let remaining = deadline.map { $0.timeIntervalSince(now()) }
                if let remaining, remaining <= 0 {
                    outcome = (.timedOut, "the job's timeout of \(JobDuration.format(job.timeout!)) passed before step '\(step.name)' could \(attempt == 1 ? "start" : "be tried again")")
                    break steps
                }
                let result = try await runAttempt(step, job: job, run: runID, number: attempt, vars: merge(vars, step), remainingJobTime: remaining)
                if result.status == .succeeded { break }
                if Task.isCancelled {
                    outcome = (.cancelled, "the run was stopped during step '\(step.name)' (the process running it was shutting down)")
                    break steps
                }
                let jobTimedOut = result.status == .timedOut && result.byJobTimeout
                if !jobTimedOut, policy.shouldRetry(attempt: attempt) {
                    let delay = policy.delay(beforeAttempt: attempt + 1, random: &random)
                    echo("step '\(step.name)' attempt \(attempt) \(result.status.rawValue): \(result.error ?? ""); retrying in \(JobDuration.format(delay))")
                    do { try await sleep(delay) } catch {
                        outcome = (.cancelled, "the run was cancelled while waiting to retry step '\(step.name)'")
                        break steps
                    }
                    attempt += 1
                    continue
                }
                let tries = attempt == 1 ? "" : " after \(attempt) attempts"
                outcome = (jobTimedOut ? .timedOut : .failed, "step '\(step.name)' \(result.status == .timedOut ? "timed out" : "failed")\(tries): \(result.error ?? "")")
                break steps
            }
        }
        try store.finishRun(runID, status: outcome.status, error: outcome.error, at: now())
        echo("run \(runID) of job '\(job.name)' \(outcome.status.rawValue)" + (outcome.error.map { ": \($0)" } ?? ""))
        guard let detail = try store.run(runID) else {
            throw OrchestratorError("run \(runID) disappeared from the run store at \(store.path) while it ran")
        }
        return detail.run
    }

    private struct AttemptResult {
        var status: RunStatus
        var error: String?
        var byJobTimeout = false
    }

    /// One attempt, raced against its time limit: the step's own, or what is left of the job's.
    private func runAttempt(_ step: JobStep, job: JobDefinition, run runID: Int64, number: Int, vars: [String: JobValue],
                         remainingJobTime: TimeInterval?) async throws(OrchestratorError) -> AttemptResult {
        let record = try store.startAttempt(run: runID, step: step.name, kind: step.action.kind.rawValue, attempt: number, at: now())
        echo("step '\(step.name)' attempt \(number) started")
        let store = self.store
        let echo = self.echo
        let context = StepContext(job: job, runID: runID, attempt: number, vars: vars) { line in
            echo(line)
            try? store.appendOutput(attempt: record.id, line.hasSuffix("\n") ? line : line + "\n")
        }
        let limit = [step.timeout, remainingJobTime].compactMap { $0 }.min()
        // The job's remaining time is the limit when it is shorter than the step's own (or the step has none).
        let byJob = remainingJobTime.map { remaining in step.timeout.map { remaining < $0 } ?? true } ?? false

        let outcome = await race(limit) { [executor] in try await executor.execute(step, context: context) }
        var result: AttemptResult
        var nodes: [NodeResultRecord] = []
        switch outcome {
        case .finished(let stepResult):
            nodes = stepResult.nodeResults
            context.log(stepResult.summary)
            result = AttemptResult(status: .succeeded)
        case .failed(let error):
            if let failure = error as? StepFailure { nodes = failure.nodeResults }
            result = AttemptResult(status: .failed, error: "\(error)")
        case .timedOut(let seconds):
            let whose = byJob ? "the job's timeout" : "its timeout"
            result = AttemptResult(status: .timedOut, error: "stopped after \(JobDuration.format(seconds)) (\(whose))", byJobTimeout: byJob)
        }
        try store.finishAttempt(record.id, status: result.status, error: result.error, nodeResults: nodes, at: now())
        return result
    }

    private enum RaceOutcome {
        case finished(StepResult)
        case failed(any Error)
        case timedOut(TimeInterval)
    }

    /// The step's work against a timer; the loser is cancelled. Steps stop at their next
    /// cancellation check (between nodes of a build, between tables of a load). The timer is
    /// real time even under a fake clock: it only has to lose to a fake step that returns at once.
    private func race(_ limit: TimeInterval?, _ work: @escaping @Sendable () async throws -> StepResult) async -> RaceOutcome {
        guard let limit else {
            do { return .finished(try await work()) } catch { return .failed(error) }
        }
        let sleep: @Sendable (TimeInterval) async throws -> Void = { try await Task.sleep(nanoseconds: UInt64(max(0, $0) * 1_000_000_000)) }
        return await withTaskGroup(of: RaceOutcome?.self) { group in
            group.addTask {
                do { return .finished(try await work()) } catch { return .failed(error) }
            }
            group.addTask {
                do { try await sleep(limit) } catch { return nil }
                return .timedOut(limit)
            }
            var outcome: RaceOutcome = .timedOut(limit)
            for await next in group {
                guard let next else { continue }
                outcome = next
                break
            }
            group.cancelAll()
            return outcome
        }
    }

    private func merge(_ vars: [String: JobValue], _ step: JobStep) -> [String: JobValue] {
        switch step.action {
        case .seed(let selection), .build(let selection), .run(let selection), .test(let selection), .snapshot(let selection):
            return vars.merging(selection.vars) { _, step in step }
        default:
            return vars
        }
    }
}

extension JobValue {
    /// The value as a `--vars` reader would print it: scalars as themselves, lists and maps as
    /// JSON (YAML reads JSON).
    public var text: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return String(value)
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .string(let value): return value
        case .list, .dict: return json
        }
    }

    /// JSON text of the value (strings quoted).
    public var json: String {
        switch self {
        case .null, .bool, .int, .double: return text
        case .string(let value):
            let data = (try? JSONEncoder().encode(value)) ?? Data("\"\"".utf8)
            return String(decoding: data, as: UTF8.self)
        case .list(let values): return "[" + values.map(\.json).joined(separator: ", ") + "]"
        case .dict(let values):
            return "{" + values.sorted { $0.key < $1.key }.map { JobValue.string($0.key).json + ": " + $0.value.json }.joined(separator: ", ") + "}"
        }
    }
}
