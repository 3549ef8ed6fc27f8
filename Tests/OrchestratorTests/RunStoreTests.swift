import Foundation
import XCTest
@testable import Orchestrator

final class RunStoreTests: XCTestCase {
    private let t0 = instant("2026-05-10T12:00:00Z")
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("runstore-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    func testStepThatFailsTwiceThenSucceedsShowsThreeAttemptsInOrder() throws {
        let store = try RunStore(path: ":memory:")
        let run = try store.createRun(job: "daily", trigger: .manual, vars: ["ds": "2026-05-10"], at: t0)
        XCTAssertEqual(run.status, .queued)
        XCTAssertEqual(run.attempt, 1)
        try store.markStarted(run: run.id, at: at(1))

        for attempt in 1...3 {
            let started = try store.startAttempt(run: run.id, step: "load", kind: "ingest", attempt: attempt, at: at(Double(10 * attempt)))
            XCTAssertEqual(started.status, .running)
            try store.appendOutput(attempt: started.id, "attempt \(attempt): reading orders.csv\n")
            try store.appendOutput(attempt: started.id, "attempt \(attempt): done\n")
            let failed = attempt < 3
            try store.finishAttempt(started.id, status: failed ? .failed : .succeeded,
                                    error: failed ? "warehouse locked" : nil, nodeResults: [], at: at(Double(10 * attempt + 5)))
        }
        let build = try store.startAttempt(run: run.id, step: "build", kind: "build", attempt: 1, at: at(40))
        try store.appendOutput(attempt: build.id, "1 of 2 OK created view stg_orders\n")
        let results = [
            NodeResultRecord(uniqueID: "model.analytics.stg_orders", status: "success", seconds: 0.25, rows: nil, message: "OK"),
            NodeResultRecord(uniqueID: "model.analytics.fact_orders", status: "success", seconds: 1.5, rows: 1_200, message: nil),
        ]
        try store.finishAttempt(build.id, status: .succeeded, error: nil, nodeResults: results, at: at(45))
        try store.finishRun(run.id, status: .succeeded, error: nil, at: at(46))

        let detail = try XCTUnwrap(try store.run(run.id))
        XCTAssertEqual(detail.run.status, .succeeded)
        XCTAssertEqual(detail.run.vars, ["ds": "2026-05-10"])
        XCTAssertEqual(detail.run.startedAt, at(1))
        XCTAssertEqual(detail.run.endedAt, at(46))
        XCTAssertNil(detail.run.error)

        let load = detail.attempts.filter { $0.step == "load" }
        XCTAssertEqual(load.map(\.attempt), [1, 2, 3])
        XCTAssertEqual(load.map(\.status), [.failed, .failed, .succeeded])
        XCTAssertEqual(load.map(\.error), ["warehouse locked", "warehouse locked", nil])
        XCTAssertEqual(load.map(\.startedAt), [at(10), at(20), at(30)])
        XCTAssertEqual(load.map(\.endedAt), [at(15), at(25), at(35)])
        XCTAssertEqual(load[1].output, "attempt 2: reading orders.csv\nattempt 2: done\n")
        XCTAssertEqual(detail.attempts.map(\.step), ["load", "load", "load", "build"])
        XCTAssertEqual(detail.attempts.last?.output, "1 of 2 OK created view stg_orders\n")

        XCTAssertEqual(detail.nodeResults[build.id], results, "results come back in the order reported")
        XCTAssertEqual(detail.nodeResults.count, 1, "attempts without results have no entry")
        XCTAssertNil(try store.run(run.id + 100))
    }

    func testListFiltersLimitsAndNewestFirst() throws {
        let store = try RunStore(path: ":memory:")
        var ids: [String: [Int64]] = [:]
        for i in 0..<6 {
            let job = i.isMultiple(of: 2) ? "daily" : "hourly"
            let run = try store.createRun(job: job, trigger: .manual, vars: [:], at: at(Double(i * 60)))
            ids[job, default: []].append(run.id)
            try store.markStarted(run: run.id, at: at(Double(i * 60 + 1)))
            if i < 4 { try store.finishRun(run.id, status: i == 2 ? .failed : .succeeded, error: i == 2 ? "boom" : nil, at: at(Double(i * 60 + 2))) }
        }
        let all = try store.runs()
        XCTAssertEqual(all.count, 6)
        XCTAssertEqual(all.map(\.queuedAt), (0..<6).reversed().map { at(Double($0 * 60)) }, "newest first")
        XCTAssertEqual(try store.runs(limit: 2).map(\.id), Array(all.prefix(2)).map(\.id))
        XCTAssertEqual(try store.runs(job: "daily").map(\.id), ids["daily"]!.reversed())
        XCTAssertEqual(try store.runs(status: .running).map(\.job), ["hourly", "daily"])
        XCTAssertEqual(try store.runs(job: "daily", status: .failed).map(\.error), ["boom"])
        XCTAssertEqual(try store.runs(job: "daily", status: .succeeded, limit: 1).map(\.id), [ids["daily"]![0]])
        XCTAssertEqual(try store.runs(job: "weekly"), [])

        XCTAssertEqual(try store.lastRun(job: "daily")?.id, ids["daily"]![2])
        XCTAssertEqual(try store.lastRun(job: "daily", status: .succeeded)?.id, ids["daily"]![0])
        XCTAssertNil(try store.lastRun(job: "daily", status: .cancelled))
    }

    func testTriggersRoundTripAndRetriesCountAttempts() throws {
        let store = try RunStore(path: ":memory:")
        let triggers: [RunTrigger] = [
            .manual, .schedule(tick: at(0.5)), .sensor(files: ["in/a.csv", "in/b.csv"]), .chained(fromRun: 7),
            .backfill(partition: "2026-01-31"), .retry(ofRun: 1),
        ]
        for trigger in triggers { try store.createRun(job: "j", trigger: trigger, vars: ["k": "v"], at: t0) }
        XCTAssertEqual(try store.runs().reversed().map(\.trigger), triggers)

        let first = try store.createRun(job: "daily", trigger: .manual, vars: [:], at: t0)
        let second = try store.createRun(job: "daily", trigger: .retry(ofRun: first.id), vars: [:], at: at(1))
        let third = try store.createRun(job: "daily", trigger: .retry(ofRun: second.id), vars: [:], at: at(2))
        XCTAssertEqual([first, second, third].map(\.attempt), [1, 2, 3])
        XCTAssertEqual(try store.run(third.id)?.run, third)
        XCTAssertEqual(try store.createRun(job: "daily", trigger: .retry(ofRun: 9_999), vars: [:], at: at(3)).attempt, 2,
                       "a retry of a purged run is still a retry")
    }

    func testMarkInterruptedTurnsUnfinishedRunsAndAttemptsIntoInterrupted() throws {
        let store = try RunStore(path: ":memory:")
        let done = try store.createRun(job: "a", trigger: .manual, vars: [:], at: t0)
        try store.markStarted(run: done.id, at: at(1))
        let doneStep = try store.startAttempt(run: done.id, step: "build", kind: "build", attempt: 1, at: at(1))
        try store.finishAttempt(doneStep.id, status: .succeeded, error: nil, nodeResults: [], at: at(2))
        try store.finishRun(done.id, status: .succeeded, error: nil, at: at(2))
        let failed = try store.createRun(job: "a", trigger: .manual, vars: [:], at: at(3))
        try store.finishRun(failed.id, status: .failed, error: "bad model", at: at(4))

        let running = try store.createRun(job: "b", trigger: .manual, vars: [:], at: at(5))
        try store.markStarted(run: running.id, at: at(6))
        let finishedStep = try store.startAttempt(run: running.id, step: "seed", kind: "seed", attempt: 1, at: at(6))
        try store.finishAttempt(finishedStep.id, status: .succeeded, error: nil, nodeResults: [], at: at(7))
        let runningStep = try store.startAttempt(run: running.id, step: "build", kind: "build", attempt: 1, at: at(7))
        try store.appendOutput(attempt: runningStep.id, "building…\n")
        let queued = try store.createRun(job: "c", trigger: .manual, vars: [:], at: at(8))

        let interrupted = try store.markInterrupted(at: at(100))
        XCTAssertEqual(interrupted.map(\.id), [running.id, queued.id])
        XCTAssertEqual(interrupted.map(\.status), [.interrupted, .interrupted])
        XCTAssertEqual(interrupted.map(\.error), [RunStore.interruptedMessage, RunStore.interruptedMessage])
        XCTAssertEqual(interrupted.map(\.endedAt), [at(100), at(100)])
        XCTAssertEqual(interrupted[0].startedAt, at(6), "the start is kept")

        let detail = try XCTUnwrap(try store.run(running.id))
        XCTAssertEqual(detail.attempts.map(\.status), [.succeeded, .interrupted])
        XCTAssertEqual(detail.attempts[1].error, RunStore.interruptedMessage)
        XCTAssertEqual(detail.attempts[1].output, "building…\n", "the log up to the kill is kept")
        XCTAssertEqual(detail.attempts[0].endedAt, at(7))

        XCTAssertEqual(try store.run(done.id)?.run.status, .succeeded)
        XCTAssertEqual(try store.run(done.id)?.attempts.map(\.status), [.succeeded])
        XCTAssertEqual(try store.run(failed.id)?.run.error, "bad model")
        XCTAssertEqual(try store.markInterrupted(at: at(200)), [], "a second start finds nothing left")
    }

    func testPurgeDeletesOnlyOldFinishedRunsWithTheirAttempts() throws {
        let store = try RunStore(path: ":memory:")
        let day: TimeInterval = 86_400
        func finishedRun(_ job: String, endedDaysAgo days: Double, status: RunStatus = .succeeded) throws -> Int64 {
            let run = try store.createRun(job: job, trigger: .manual, vars: [:], at: at(-days * day - 60))
            let attempt = try store.startAttempt(run: run.id, step: "build", kind: "build", attempt: 1, at: at(-days * day - 50))
            try store.appendOutput(attempt: attempt.id, "log of \(job)\n")
            try store.finishAttempt(attempt.id, status: status, error: nil,
                                    nodeResults: [NodeResultRecord(uniqueID: "model.p.m", status: "success", seconds: 1)],
                                    at: at(-days * day))
            try store.finishRun(run.id, status: status, error: nil, at: at(-days * day))
            return run.id
        }
        let old = try finishedRun("old", endedDaysAgo: 40)
        let oldFailed = try finishedRun("old-failed", endedDaysAgo: 31, status: .failed)
        let recent = try finishedRun("recent", endedDaysAgo: 29)
        // Queued long ago and never finished: a live run, however old, stays.
        let stuck = try store.createRun(job: "stuck", trigger: .manual, vars: [:], at: at(-90 * day))
        try store.markStarted(run: stuck.id, at: at(-90 * day))
        let stuckStep = try store.startAttempt(run: stuck.id, step: "build", kind: "build", attempt: 1, at: at(-90 * day))
        try store.recordTicks("nightly", evaluatedThrough: at(-40 * day), ticks: [at(-40 * day)], skipped: 0)
        try store.recordTicks("nightly", evaluatedThrough: at(-1 * day), ticks: [at(-1 * day)], skipped: 0)

        XCTAssertEqual(try store.purge(keepDays: 30, now: t0), 2)
        XCTAssertNil(try store.run(old))
        XCTAssertNil(try store.run(oldFailed))
        XCTAssertEqual(try store.run(recent)?.attempts.map(\.output), ["log of recent\n"])
        XCTAssertEqual(try store.run(recent)?.nodeResults.values.first?.map(\.uniqueID), ["model.p.m"])
        XCTAssertEqual(try store.run(stuck.id)?.attempts.map(\.id), [stuckStep.id])
        XCTAssertEqual(Set(try store.runs().map(\.job)), ["recent", "stuck"])
        XCTAssertEqual(try store.ticks("nightly").map(\.tick), [at(-1 * day)], "tick history is kept as long as runs")
        // Attempts, output chunks and node results went with their runs.
        XCTAssertEqual(try store.rowCount("step_attempt"), 2)
        XCTAssertEqual(try store.rowCount("step_output"), 1)
        XCTAssertEqual(try store.rowCount("node_result"), 1)
        XCTAssertEqual(try store.purge(keepDays: 30, now: t0), 0)

        // New runs after a purge never reuse a purged id.
        let next = try store.createRun(job: "new", trigger: .manual, vars: [:], at: t0)
        XCTAssertGreaterThan(next.id, stuck.id)
    }

    func testOutputKeepsTheEndAndSaysWhatWasDropped() throws {
        let store = try RunStore(path: ":memory:", outputLimit: 4_096)
        let run = try store.createRun(job: "j", trigger: .manual, vars: [:], at: t0)
        let attempt = try store.startAttempt(run: run.id, step: "build", kind: "build", attempt: 1, at: t0)
        var written = ""
        for i in 0..<1_000 {
            let line = "line \(i) é ✓ \(String(repeating: "x", count: i % 40))\n"
            try store.appendOutput(attempt: attempt.id, line)
            written += line
        }
        let output = try XCTUnwrap(try store.run(run.id)?.attempts.first?.output)
        let marker = try XCTUnwrap(output.split(separator: "\n", maxSplits: 1).first)
        XCTAssertTrue(marker.hasPrefix("[storehouse: the first "), String(marker))
        XCTAssertTrue(marker.hasSuffix("the run store keeps the last 4 KiB]"), String(marker))
        let kept = String(output.dropFirst(marker.count + 1))
        XCTAssertLessThanOrEqual(kept.utf8.count, 4_096)
        XCTAssertGreaterThan(kept.utf8.count, 4_000)
        XCTAssertTrue(written.hasSuffix(kept), "what is kept is exactly the end of what was written")
        let dropped = written.utf8.count - kept.utf8.count
        XCTAssertTrue(marker.contains("first \(dropped) bytes"), String(marker))

        // One append larger than the limit keeps its own end.
        let big = try store.startAttempt(run: run.id, step: "big", kind: "build", attempt: 1, at: t0)
        try store.appendOutput(attempt: big.id, String(repeating: "é", count: 5_000) + "end\n")
        let bigOutput = try XCTUnwrap(try store.run(run.id)?.attempts.last?.output)
        XCTAssertTrue(bigOutput.hasSuffix("éé" + "end\n"))
        XCTAssertFalse(bigOutput.contains("\u{FFFD}"), "the cut never splits a character")

        // Short output is returned untouched.
        let small = try store.startAttempt(run: run.id, step: "small", kind: "seed", attempt: 1, at: t0)
        try store.appendOutput(attempt: small.id, "only line\n")
        try store.appendOutput(attempt: small.id, "")
        XCTAssertEqual(try store.run(run.id)?.attempts.last?.output, "only line\n")
    }

    func testTicksAndCursorsSurviveClosingAndReopening() throws {
        let path = folder.appendingPathComponent("nested/state/runs.sqlite").path
        let cursor = LandingCursor(
            handed: ["in/a.csv": .init(version: LandingFileVersion(size: 10, modified: at(-120)), lastSeen: at(0))],
            pending: ["in/b.csv": LandingFileVersion(size: 3, modified: at(-1))])
        var queued: [RunRecord] = []
        do {
            let store = try RunStore(path: path)
            XCTAssertNil(try store.scheduleState("nightly"))
            XCTAssertNil(try store.sensorCursor("landing", as: LandingCursor.self))
            try store.recordTicks("nightly", evaluatedThrough: at(0), ticks: [], skipped: 0)
            queued = try store.recordTicks("nightly", evaluatedThrough: at(7_200), skipped: 3, queueing: "daily",
                                           ticks: [at(3_600), at(7_200)], vars: { ["tick": "\(Int($0.timeIntervalSince1970))"] }, at: at(7_201))
            try store.createRun(job: "load", trigger: .sensor(files: ["in/a.csv"]), vars: [:], at: at(10),
                                savingCursor: cursor, forSensor: "landing")
        }
        let store = try RunStore(path: path)
        XCTAssertEqual(try store.scheduleState("nightly"), at(7_200))
        XCTAssertEqual(try store.skippedTicks("nightly"), 3)
        XCTAssertEqual(try store.sensorCursor("landing", as: LandingCursor.self), cursor)
        XCTAssertEqual(queued.map(\.trigger), [.schedule(tick: at(3_600)), .schedule(tick: at(7_200))])
        XCTAssertEqual(queued.map(\.vars), [["tick": "\(Int(at(3_600).timeIntervalSince1970))"], ["tick": "\(Int(at(7_200).timeIntervalSince1970))"]])
        XCTAssertEqual(try store.ticks("nightly"), [
            ScheduleTickRecord(schedule: "nightly", tick: at(7_200), recordedAt: at(7_200), runID: queued[1].id),
            ScheduleTickRecord(schedule: "nightly", tick: at(3_600), recordedAt: at(7_200), runID: queued[0].id),
        ])
        XCTAssertEqual(try store.runs(job: "load").first?.trigger, .sensor(files: ["in/a.csv"]))

        // Deciding the same tick again (a crash before the timer moved on) queues no second run,
        // and a clock stepping back does not move the state back.
        let again = try store.recordTicks("nightly", evaluatedThrough: at(7_000), skipped: 0, queueing: "daily",
                                          ticks: [at(7_200)], vars: { _ in [:] }, at: at(7_300))
        XCTAssertEqual(again, [])
        XCTAssertEqual(try store.runs(job: "daily").count, 2)
        XCTAssertEqual(try store.scheduleState("nightly"), at(7_200))

        var next = cursor
        next.pending = [:]
        try store.saveSensorCursor("landing", next)
        XCTAssertEqual(try store.sensorCursor("landing", as: LandingCursor.self), next)
        XCTAssertThrowsError(try store.sensorCursor("landing", as: [Int].self)) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.hasPrefix("\(path): cannot read the cursor of sensor 'landing'"), text)
        }
    }

    func testAFileThatIsNotADatabaseGivesOneClearError() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("runs.sqlite").path
        var garbage = Data("this is not SQLite, just a text file someone put here\n".utf8)
        for i in 0..<8_192 { garbage.append(UInt8(truncatingIfNeeded: i &* 31 &+ 7)) }
        try garbage.write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try RunStore(path: path)) { error in
            guard let error = error as? OrchestratorError else { return XCTFail("not an OrchestratorError: \(error)") }
            XCTAssertEqual(error.file, path)
            XCTAssertTrue(error.message.hasPrefix("this file is not an SQLite database"), error.message)
            XCTAssertTrue(error.hint.contains("move it aside"), error.hint)
            XCTAssertTrue(error.description.hasPrefix("\(path): this file is not an SQLite database"), error.description)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), garbage, "the file is left as it was")
    }

    func testUnknownIDsAreErrorsNamingTheStore() throws {
        let store = try RunStore(path: ":memory:")
        XCTAssertThrowsError(try store.markStarted(run: 42, at: t0)) { error in
            XCTAssertEqual((error as? OrchestratorError)?.message, "no run 42 in the run store")
            XCTAssertEqual((error as? OrchestratorError)?.file, ":memory:")
        }
        XCTAssertThrowsError(try store.startAttempt(run: 42, step: "s", kind: "build", attempt: 1, at: t0))
        XCTAssertThrowsError(try store.appendOutput(attempt: 5, "x"))
        XCTAssertThrowsError(try store.finishAttempt(5, status: .failed, error: nil, nodeResults: [], at: t0))
        XCTAssertThrowsError(try store.finishRun(42, status: .failed, error: nil, at: t0))
    }

    func testTwoStoresOnOneFileOneWritingOneReading() throws {
        let path = folder.appendingPathComponent("runs.sqlite").path
        let writer = try RunStore(path: path)
        let reader = try RunStore(path: path)
        let runs = 200
        let start = t0
        let failures = Failures()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            do {
                for i in 0..<runs {
                    let run = try writer.createRun(job: "j", trigger: .manual, vars: ["i": "\(i)"], at: start.addingTimeInterval(Double(i)))
                    try writer.markStarted(run: run.id, at: start.addingTimeInterval(Double(i)))
                    let attempt = try writer.startAttempt(run: run.id, step: "build", kind: "build", attempt: 1, at: start)
                    try writer.appendOutput(attempt: attempt.id, "run \(i)\n")
                    try writer.finishAttempt(attempt.id, status: .succeeded, error: nil, nodeResults: [], at: start)
                    try writer.finishRun(run.id, status: .succeeded, error: nil, at: start.addingTimeInterval(Double(i) + 0.5))
                }
            } catch {
                failures.add("writer: \(error)")
            }
        }
        DispatchQueue.global().async(group: group) {
            do {
                var seen = 0
                var reads = 0
                while seen < runs {
                    let listed = try reader.runs(limit: runs)
                    XCTAssertGreaterThanOrEqual(listed.count, seen, "a reader never sees the history shrink")
                    seen = listed.count
                    // Every run a reader sees is whole: a finished run has its attempt and log.
                    if let newest = listed.first(where: { $0.status == .succeeded }) {
                        let detail = try XCTUnwrap(try reader.run(newest.id))
                        XCTAssertEqual(detail.attempts.map(\.output), ["run \(newest.vars["i"] ?? "?")\n"])
                    }
                    reads += 1
                    if reads > 100_000 { throw OrchestratorError("the reader never saw all runs") }
                }
            } catch {
                failures.add("reader: \(error)")
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 120), .success)
        XCTAssertEqual(failures.all, [])
        let all = try reader.runs(limit: 1_000)
        XCTAssertEqual(all.count, runs)
        XCTAssertTrue(all.allSatisfy { $0.status == .succeeded })
        XCTAssertEqual(try String(contentsOfFile: path + "-wal", encoding: .isoLatin1).isEmpty, false, "the file is in WAL mode")
    }
}

/// Errors collected from background threads, reported on the test's own.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func add(_ message: String) { lock.withLock { messages.append(message) } }
    var all: [String] { lock.withLock { messages } }
}
