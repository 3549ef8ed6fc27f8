import Foundation
import XCTest
@testable import Orchestrator

/// `latestNodeStatuses()` over runs recorded through the store's own API, as the job runner
/// records them.
final class RunStoreNodeStatusTests: XCTestCase {
    private let t0 = instant("2026-05-10T12:00:00Z")
    private func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    private let orders = "model.analytics.stg_orders"
    private let facts = "model.analytics.fact_orders"
    private let customers = "model.analytics.dim_customers"

    /// One run of one build step with one attempt per entry of `attempts`, each reporting its
    /// results; returns the run's id.
    @discardableResult
    private func record(_ store: RunStore, job: String = "daily", startingAt start: TimeInterval,
                        attempts: [(status: RunStatus, results: [NodeResultRecord], seconds: TimeInterval)]) throws -> Int64 {
        let run = try store.createRun(job: job, trigger: .manual, vars: [:], at: at(start))
        try store.markStarted(run: run.id, at: at(start + 0.5))
        var clock = start + 1
        for (number, attempt) in attempts.enumerated() {
            let started = try store.startAttempt(run: run.id, step: "build", kind: "build", attempt: number + 1, at: at(clock))
            clock += attempt.seconds
            try store.finishAttempt(started.id, status: attempt.status, error: attempt.status == .failed ? "1 node failed" : nil,
                                    nodeResults: attempt.results, at: at(clock))
        }
        let last = attempts.last?.status ?? .succeeded
        try store.finishRun(run.id, status: last, error: last == .failed ? "build failed" : nil, at: at(clock + 0.25))
        return run.id
    }

    func testANodeThatErroredAndThenSucceededShowsTheSuccessWithTheLaterTime() throws {
        let store = try RunStore(path: ":memory:")
        let first = try record(store, startingAt: 0, attempts: [(.failed, [
            NodeResultRecord(uniqueID: orders, status: "success", seconds: 0.5, rows: 120),
            NodeResultRecord(uniqueID: facts, status: "error", seconds: 0.75, message: "Binder Error: column amount not found"),
            NodeResultRecord(uniqueID: customers, status: "skipped", seconds: 0),
        ], 10)])
        let second = try record(store, startingAt: 100, attempts: [(.succeeded, [
            NodeResultRecord(uniqueID: facts, status: "success", seconds: 1.25, rows: 1_200),
            NodeResultRecord(uniqueID: customers, status: "success", seconds: 0.5, rows: 80),
        ], 20)])

        let latest = try store.latestNodeStatuses()
        XCTAssertEqual(Set(latest.keys), [orders, facts, customers])
        XCTAssertEqual(latest[facts], NodeStatusRecord(uniqueID: facts, status: "success", endedAt: at(121), seconds: 1.25,
                                                       rows: 1_200, message: nil, runID: second))
        XCTAssertEqual(latest[customers]?.status, "success")
        XCTAssertEqual(latest[customers]?.runID, second)
        // The second run did not touch stg_orders: it keeps the first run's result.
        XCTAssertEqual(latest[orders], NodeStatusRecord(uniqueID: orders, status: "success", endedAt: at(11), seconds: 0.5,
                                                        rows: 120, message: nil, runID: first))
    }

    func testATestsHistoryKeepsItsFailingRowsAndSamplePerBuildNewestFirst() throws {
        let store = try RunStore(path: ":memory:")
        let test = "test.analytics.not_null_dim_customers_email.1a2b"
        let sample = #"{"columns":["customer_id","email"],"rows":[["7",null]]}"#
        var runs: [Int64] = []
        for (index, failures) in [0, 3, 1, 0].enumerated() {
            runs.append(try record(store, startingAt: Double(index) * 100, attempts: [(failures > 0 ? .failed : .succeeded, [
                NodeResultRecord(uniqueID: test, status: failures > 0 ? "fail" : "pass", seconds: 0.1, message: failures > 0 ? "got \(failures) results" : nil,
                                 failures: failures, failingRows: failures > 0 ? sample : nil),
                NodeResultRecord(uniqueID: customers, status: "success", seconds: 0.5, rows: 80),
            ], 5)]))
        }
        let history = try store.nodeHistory([test, "test.analytics.never_run"], limit: 3)
        XCTAssertEqual(Set(history.keys), [test], "a node no build reported has no history")
        let stored = try XCTUnwrap(history[test])
        XCTAssertEqual(stored.map(\.runID), [runs[3], runs[2], runs[1]], "the last three, newest first")
        XCTAssertEqual(stored.map(\.failures), [0, 1, 3])
        XCTAssertEqual(stored.map(\.failingRows), [nil, sample, sample])
        XCTAssertEqual(try store.latestNodeStatuses()[test]?.failures, 0)
        XCTAssertEqual(try XCTUnwrap(try store.run(runs[1])).nodeResults.values.flatMap { $0 }.first { $0.uniqueID == test }?.failingRows, sample,
                       "the run's own results keep the sample too")
        XCTAssertTrue(try store.nodeHistory([]).isEmpty)
    }

    func testARetriedAttemptWithinOneRunWins() throws {
        let store = try RunStore(path: ":memory:")
        let run = try record(store, startingAt: 0, attempts: [
            (.failed, [NodeResultRecord(uniqueID: facts, status: "error", seconds: 0.5, message: "database is locked")], 5),
            (.succeeded, [NodeResultRecord(uniqueID: facts, status: "success", seconds: 2, rows: 7)], 5),
        ])
        let latest = try XCTUnwrap(try store.latestNodeStatuses()[facts])
        XCTAssertEqual(latest.status, "success")
        XCTAssertEqual(latest.endedAt, at(11))
        XCTAssertEqual(latest.rows, 7)
        XCTAssertNil(latest.message)
        XCTAssertEqual(latest.runID, run)
    }

    func testTheAttemptThatEndedLastWinsEvenIfItsRunWasQueuedFirst() throws {
        // Two backfill days in parallel: the run queued first finishes last.
        let store = try RunStore(path: ":memory:")
        let slow = try store.createRun(job: "daily", trigger: .backfill(partition: "2026-05-01"), vars: [:], at: at(0))
        let fast = try store.createRun(job: "daily", trigger: .backfill(partition: "2026-05-02"), vars: [:], at: at(1))
        let slowAttempt = try store.startAttempt(run: slow.id, step: "build", kind: "build", attempt: 1, at: at(2))
        let fastAttempt = try store.startAttempt(run: fast.id, step: "build", kind: "build", attempt: 1, at: at(3))
        try store.finishAttempt(fastAttempt.id, status: .failed, error: "1 node failed",
                                nodeResults: [NodeResultRecord(uniqueID: facts, status: "error", seconds: 1, message: "boom")], at: at(5))
        try store.finishAttempt(slowAttempt.id, status: .succeeded, error: nil,
                                nodeResults: [NodeResultRecord(uniqueID: facts, status: "success", seconds: 30, rows: 3)], at: at(40))
        let latest = try XCTUnwrap(try store.latestNodeStatuses()[facts])
        XCTAssertEqual(latest.status, "success")
        XCTAssertEqual(latest.runID, slow.id)
        XCTAssertEqual(latest.endedAt, at(40))
        XCTAssertEqual(latest.seconds, 30)
    }

    func testSubSecondEndTimesOrderResultsAndSurviveTheRoundTrip() throws {
        let store = try RunStore(path: ":memory:")
        try record(store, startingAt: 0, attempts: [(.failed, [NodeResultRecord(uniqueID: facts, status: "fail", seconds: 0.01)], 0.125)])
        let later = try record(store, startingAt: 0.5, attempts: [(.succeeded, [NodeResultRecord(uniqueID: facts, status: "pass", seconds: 0.01)], 0.125)])
        let latest = try XCTUnwrap(try store.latestNodeStatuses()[facts])
        XCTAssertEqual(latest.status, "pass")
        XCTAssertEqual(latest.runID, later)
        XCTAssertEqual(try XCTUnwrap(latest.endedAt).timeIntervalSince(t0), 1.625, accuracy: 1e-6)
    }

    func testAnEmptyStoreAndPurgedRunsHaveNoStatuses() throws {
        let store = try RunStore(path: ":memory:")
        XCTAssertEqual(try store.latestNodeStatuses(), [:])
        try record(store, startingAt: 0, attempts: [(.succeeded, [NodeResultRecord(uniqueID: orders, status: "success", seconds: 1)], 1)])
        XCTAssertEqual(try store.latestNodeStatuses().count, 1)
        XCTAssertEqual(try store.purge(keepDays: 1, now: at(3 * 86_400)), 1)
        XCTAssertEqual(try store.latestNodeStatuses(), [:])
    }
}
