import Foundation
import Orchestrator
import Synchronization
import XCTest

/// The runner against a scripted executor, a fake clock and a sleep that only records: what the
/// run store holds afterwards is what `storehouse runs show` prints.
final class JobRunnerTests: XCTestCase {
    /// Fails the first `failures[step]` attempts of a step, sleeps where told, logs a line each time.
    final class ScriptedExecutor: StepExecutor, Sendable {
        let failures: [String: Int]
        let hangs: Set<String>
        let calls = Mutex<[String]>([])

        init(failures: [String: Int] = [:], hangs: Set<String> = []) {
            self.failures = failures
            self.hangs = hangs
        }

        func execute(_ step: JobStep, context: StepContext) async throws -> StepResult {
            calls.withLock { $0.append("\(step.name)#\(context.attempt)") }
            context.log("working on \(step.name), attempt \(context.attempt), ds=\(context.vars["ds"]?.text ?? "-")")
            if hangs.contains(step.name) {
                try await Task.sleep(nanoseconds: 60_000_000_000)
            }
            if context.attempt <= failures[step.name, default: 0] {
                throw StepFailure("model stg_orders failed: connection reset",
                                  nodeResults: [NodeResultRecord(uniqueID: "model.shop.stg_orders", status: "error", seconds: 0.5)])
            }
            return StepResult(summary: "\(step.name) done",
                              nodeResults: [NodeResultRecord(uniqueID: "model.shop.stg_orders", status: "success", seconds: 0.25, rows: 10)])
        }
    }

    /// A clock that moves only when the runner sleeps.
    final class FakeTime: Sendable {
        let state = Mutex<(now: Date, sleeps: [TimeInterval])>((Date(timeIntervalSince1970: 1_780_000_000), []))
        var now: Date { state.withLock { $0.now } }
        var sleeps: [TimeInterval] { state.withLock { $0.sleeps } }
        func sleep(_ seconds: TimeInterval) {
            state.withLock {
                $0.sleeps.append(seconds)
                $0.now = $0.now.addingTimeInterval(seconds)
            }
        }
    }

    func job(_ yaml: String) throws -> JobDefinition {
        try XCTUnwrap(JobFile(parsing: yaml).jobs.first)
    }

    func runner(_ store: RunStore, _ executor: ScriptedExecutor, _ time: FakeTime) -> JobRunner {
        JobRunner(store: store, executor: executor, now: { time.now }, sleep: { time.sleep($0) })
    }

    func testAStepThatFailsTwiceThenSucceedsShowsThreeAttemptsAndTheBackoff() async throws {
        let store = try RunStore(path: ":memory:")
        let executor = ScriptedExecutor(failures: ["build": 2])
        let time = FakeTime()
        let daily = try job("""
            jobs:
              daily:
                vars: {ds: "2026-01-01"}
                retries: {count: 3, backoff: 10s, max_backoff: 1m, jitter: 0}
                steps:
                  - seed: {}
                  - build: {select: "staging+"}
            """)
        let run = try await runner(store, executor, time).run(daily, vars: ["ds": .string("2026-01-31")])

        XCTAssertEqual(run.status, .succeeded)
        XCTAssertEqual(run.vars, ["ds": "2026-01-31"], "the run's vars override the job's")
        XCTAssertEqual(executor.calls.withLock { $0 }, ["seed#1", "build#1", "build#2", "build#3"])
        XCTAssertEqual(time.sleeps, [10, 20], "exponential backoff from 10 s, no jitter")
        let detail = try XCTUnwrap(try store.run(run.id))
        XCTAssertEqual(detail.attempts.map { "\($0.step)#\($0.attempt) \($0.status.rawValue)" },
                       ["seed#1 succeeded", "build#1 failed", "build#2 failed", "build#3 succeeded"])
        XCTAssertEqual(detail.attempts[1].error, "model stg_orders failed: connection reset")
        XCTAssertTrue(detail.attempts[3].output.contains("working on build, attempt 3, ds=2026-01-31"), detail.attempts[3].output)
        XCTAssertEqual(detail.nodeResults[detail.attempts[1].id]?.map(\.status), ["error"], "a failed attempt keeps its node results")
        XCTAssertEqual(detail.nodeResults[detail.attempts[3].id]?.first?.rows, 10)
    }

    func testAStepThatKeepsFailingEndsTheRunAndLaterStepsNeverStart() async throws {
        let store = try RunStore(path: ":memory:")
        let executor = ScriptedExecutor(failures: ["build": 99])
        let time = FakeTime()
        let daily = try job("""
            jobs:
              daily:
                retries: {count: 1, backoff: 5s, jitter: 0}
                steps:
                  - build: {}
                  - test: {}
            """)
        let run = try await runner(store, executor, time).run(daily)
        XCTAssertEqual(run.status, .failed)
        XCTAssertEqual(run.error, "step 'build' failed after 2 attempts: model stg_orders failed: connection reset")
        XCTAssertEqual(executor.calls.withLock { $0 }, ["build#1", "build#2"])
        XCTAssertEqual(try store.runs(job: "daily", status: .failed).map(\.id), [run.id])
    }

    func testAnAttemptOverItsTimeoutIsStoppedAndMarkedTimedOut() async throws {
        let store = try RunStore(path: ":memory:")
        let executor = ScriptedExecutor(hangs: ["build"])
        let daily = try job("""
            jobs:
              daily:
                steps:
                  - {build: {}, timeout: 1s}
                  - test: {}
            """)
        // Real sleeping here: the timer must actually beat the hanging step.
        let runner = JobRunner(store: store, executor: executor)
        let started = Date()
        let run = try await runner.run(daily)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "the hanging step was cancelled, not waited for")
        XCTAssertEqual(run.status, .failed)
        XCTAssertEqual(run.error, "step 'build' timed out: stopped after 1s (its timeout)")
        let detail = try XCTUnwrap(try store.run(run.id))
        XCTAssertEqual(detail.attempts.map(\.status), [.timedOut])
        XCTAssertEqual(executor.calls.withLock { $0 }, ["build#1"])
    }

    func testTheJobTimeoutBoundsTheWholeRunAndIsNotRetried() async throws {
        let store = try RunStore(path: ":memory:")
        let executor = ScriptedExecutor(failures: ["build": 99])
        let time = FakeTime()
        let daily = try job("""
            jobs:
              daily:
                timeout: 30s
                retries: {count: 5, backoff: 20s, jitter: 0}
                steps:
                  - build: {}
            """)
        let run = try await runner(store, executor, time).run(daily)
        // Attempt 1 fails at t=0, waits 20 s; attempt 2 fails at t=20, waits 40 s → past 30 s.
        XCTAssertEqual(run.status, .timedOut)
        XCTAssertEqual(run.error, "the job's timeout of 30s passed before step 'build' could be tried again")
        XCTAssertEqual(executor.calls.withLock { $0 }, ["build#1", "build#2"])
    }
}
