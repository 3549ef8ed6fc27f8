import Foundation
import Orchestrator
import Synchronization
import XCTest

/// The scheduler with a fake clock, a scripted executor and a real run store (a file, so a
/// "restart" is a second scheduler on the same file): what it queues, runs, chains and alerts.
final class JobSchedulerTests: XCTestCase {
    final class FakeClock: SchedulerClock {
        let time: Mutex<Date>
        init(_ start: Date) { time = Mutex(start) }
        var now: Date { time.withLock { $0 } }
        func set(_ date: Date) { time.withLock { $0 = date } }
        func sleep(until instant: Date) async throws {
            try Task.checkCancellation()
            time.withLock { $0 = max($0, instant) }
        }
    }

    /// Fails a job's first `failures[job]` runs; blocks steps of jobs in `blocking` until released.
    final class Executor: StepExecutor {
        let failures: [String: Int]
        let calls = Mutex<[String: Int]>([:])
        let seen = Mutex<[[String: JobValue]]>([])
        let gate = Mutex<Bool>(false)
        let blocking: Set<String>
        init(failures: [String: Int] = [:], blocking: Set<String> = []) {
            self.failures = failures
            self.blocking = blocking
        }
        func release() { gate.withLock { $0 = true } }
        func execute(_ step: JobStep, context: StepContext) async throws -> StepResult {
            let call = calls.withLock { calls -> Int in
                calls[context.job.name, default: 0] += 1
                return calls[context.job.name]!
            }
            seen.withLock { $0.append(context.vars) }
            context.log("step \(step.name) of \(context.job.name), call \(call)")
            if blocking.contains(context.job.name) {
                while !gate.withLock({ $0 }) { try await Task.sleep(nanoseconds: 2_000_000) }
            }
            if call <= failures[context.job.name, default: 0] { throw StepFailure("model orders failed (call \(call))") }
            return StepResult(summary: "ok")
        }
    }

    final class Inbox: AlertSink {
        let alerts = Mutex<[Alert]>([])
        func send(_ alert: Alert) async { alerts.withLock { $0.append(alert) } }
        func wait(for count: Int, file: StaticString = #filePath, line: UInt = #line) async throws -> [Alert] {
            for _ in 0..<500 {
                let got = alerts.withLock { $0 }
                if got.count >= count { return got }
                try await Task.sleep(nanoseconds: 2_000_000)
            }
            XCTFail("expected \(count) alerts, got \(alerts.withLock { $0 })", file: file, line: line)
            return alerts.withLock { $0 }
        }
    }

    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("scheduler-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("landing"), withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func scheduler(_ yaml: String, _ executor: Executor, _ clock: FakeClock, alerts: Inbox? = nil, maxConcurrentRuns: Int = 4) throws -> JobScheduler {
        let store = try RunStore(path: folder.appendingPathComponent("runs.sqlite").path)
        return JobScheduler(jobs: try JobFile(parsing: yaml), store: store, executor: executor,
                            settings: .init(projectRoot: folder.path, maxConcurrentRuns: maxConcurrentRuns, baseURL: "http://127.0.0.1:8080"),
                            clock: clock, alerts: alerts)
    }

    func testAScheduleFiresEachTickOnceAndARestartRunsOnlyTheLatestMissedTickWithoutCatchUp() async throws {
        let yaml = """
            jobs:
              nightly:
                schedule: {cron: "0 2 * * *", timezone: Europe/Berlin, catchup: false}
                steps: [{build: {}}]
            """
        let clock = FakeClock(instant("2026-03-27T12:00:00+01:00"))
        let executor = Executor()
        let first = try scheduler(yaml, executor, clock)
        await first.evaluate(now: clock.now)   // first look: starts from now, no history run
        XCTAssertEqual(try first.store.runs().count, 0)
        clock.set(instant("2026-03-28T02:00:00+01:00"))
        await first.evaluate(now: clock.now)
        await first.evaluate(now: clock.now)  // the same instant again: no second run
        await first.waitUntilIdle()
        var runs = try first.store.runs()
        XCTAssertEqual(runs.map(\.status), [.succeeded])
        XCTAssertEqual(runs.first?.vars["ds"], "2026-03-28")

        // Down over the change to summer time and two more nights: one run, for the latest tick.
        clock.set(instant("2026-03-31T09:00:00+02:00"))
        let restarted = try scheduler(yaml, executor, clock)
        try await restarted.recover()
        await restarted.evaluate(now: clock.now)
        await restarted.waitUntilIdle()
        runs = try restarted.store.runs()
        XCTAssertEqual(runs.count, 2)
        XCTAssertEqual(runs.first?.trigger, .schedule(tick: instant("2026-03-31T02:00:00+02:00")))
        XCTAssertEqual(try restarted.store.skippedTicks("nightly"), 2)
    }

    func testCatchUpRunsEveryMissedTickInOrder() async throws {
        let yaml = """
            jobs:
              hourly:
                schedule: {cron: "@hourly", catchup: true}
                steps: [{build: {}}]
            """
        let clock = FakeClock(instant("2026-01-01T00:30:00Z"))
        let executor = Executor()
        let scheduler = try scheduler(yaml, executor, clock)
        await scheduler.evaluate(now: clock.now)
        clock.set(instant("2026-01-01T05:10:00Z"))
        await scheduler.evaluate(now: clock.now)
        await scheduler.waitUntilIdle()
        let runs = try scheduler.store.runs().reversed()
        XCTAssertEqual(runs.map(\.trigger), (1...5).map { .schedule(tick: instant(String(format: "2026-01-01T%02d:00:00Z", $0))) })
        XCTAssertTrue(runs.allSatisfy { $0.status == .succeeded })
    }

    func testALandedFileStartsItsJobOnceAndTheCursorSurvivesARestart() async throws {
        let yaml = """
            jobs:
              load_landing:
                sensor: {landing: {path: landing, glob: "*.csv", min_age: 0s}}
                steps: [{build: {}}]
            """
        let clock = FakeClock(Date())
        let executor = Executor()
        let scheduler = try scheduler(yaml, executor, clock)
        let landing = folder.appendingPathComponent("landing")
        try "id\n1\n".write(to: landing.appendingPathComponent("orders_1.csv"), atomically: true, encoding: .utf8)
        try "ignored".write(to: landing.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        await scheduler.evaluate(now: clock.now)
        await scheduler.evaluate(now: clock.now.addingTimeInterval(1))
        await scheduler.waitUntilIdle()
        var runs = try scheduler.store.runs()
        XCTAssertEqual(runs.map(\.trigger), [.sensor(files: ["orders_1.csv"])])
        XCTAssertEqual(runs.first?.vars["files"], "[\"orders_1.csv\"]")

        let restarted = try self.scheduler(yaml, executor, clock)
        await restarted.evaluate(now: clock.now.addingTimeInterval(2))
        XCTAssertEqual(try restarted.store.runs().count, 1, "a restart must not hand the same file over again")
        try "id\n2\n".write(to: landing.appendingPathComponent("orders_2.csv"), atomically: true, encoding: .utf8)
        await restarted.evaluate(now: clock.now.addingTimeInterval(3))
        await restarted.waitUntilIdle()
        runs = try restarted.store.runs()
        XCTAssertEqual(runs.first?.trigger, .sensor(files: ["orders_2.csv"]))
        XCTAssertEqual(runs.count, 2)
    }

    func testOneRunPerJobAtATimeTheRestWaitInOrderAndSuccessChainsTheNextJob() async throws {
        let yaml = """
            jobs:
              load:
                steps: [{build: {}}]
                on_success: [trigger: report]
              report:
                steps: [{test: {}}]
            """
        let clock = FakeClock(Date())
        let executor = Executor(blocking: ["load"])
        let scheduler = try scheduler(yaml, executor, clock)
        let a = try await scheduler.submit(job: "load")
        let b = try await scheduler.submit(job: "load")
        var active = await scheduler.activeRuns
        XCTAssertEqual(active.running, [a.id])
        XCTAssertEqual(active.waiting, [b.id])
        executor.release()
        await scheduler.waitUntilIdle()
        active = await scheduler.activeRuns
        XCTAssertTrue(active.running.isEmpty && active.waiting.isEmpty)
        let runs = try scheduler.store.runs()
        XCTAssertEqual(runs.filter { $0.job == "load" }.map(\.status), [.succeeded, .succeeded])
        let reports = runs.filter { $0.job == "report" }
        XCTAssertEqual(Set(reports.map(\.trigger)), [.chained(fromRun: a.id), .chained(fromRun: b.id)])
        XCTAssertTrue(reports.allSatisfy { $0.status == .succeeded })
    }

    func testARunAKilledProcessLeftRunningIsMarkedInterruptedAndRetriedUnderItsPolicy() async throws {
        let yaml = """
            jobs:
              daily:
                retries: {count: 1, backoff: 0s}
                steps: [{build: {}}]
              once:
                steps: [{build: {}}]
            """
        let clock = FakeClock(Date())
        let executor = Executor()
        let inbox = Inbox()
        let scheduler = try scheduler(yaml, executor, clock, alerts: inbox)
        // What a process killed mid-run leaves behind.
        let store = scheduler.store
        let daily = try store.createRun(job: "daily", trigger: .manual, vars: ["ds": "2026-01-05"], at: clock.now)
        try store.markStarted(run: daily.id, at: clock.now)
        let once = try store.createRun(job: "once", trigger: .manual, vars: [:], at: clock.now)
        try store.markStarted(run: once.id, at: clock.now)

        let retries = try await scheduler.recover()
        XCTAssertEqual(retries.map(\.trigger), [.retry(ofRun: daily.id)])
        await scheduler.waitUntilIdle()
        XCTAssertEqual(try store.run(daily.id)?.run.status, .interrupted)
        XCTAssertEqual(try store.run(once.id)?.run.status, .interrupted)
        let retry = try XCTUnwrap(store.run(retries[0].id)?.run)
        XCTAssertEqual(retry.status, .succeeded)
        XCTAssertEqual(retry.attempt, 2)
        XCTAssertEqual(retry.vars["ds"], "2026-01-05")
        let alerts = try await inbox.wait(for: 1)
        XCTAssertEqual(alerts.map(\.kind), [.failure])
        XCTAssertEqual(alerts.first?.job, "once", "the job without retries alerts; the retried one does not")
    }

    func testOneFailureAlertPerStreakThenOneRecovery() async throws {
        let yaml = """
            jobs:
              flaky:
                steps: [{build: {}}]
            """
        let clock = FakeClock(Date())
        let executor = Executor(failures: ["flaky": 2])
        let inbox = Inbox()
        let scheduler = try scheduler(yaml, executor, clock, alerts: inbox)
        for _ in 0..<3 {
            _ = try await scheduler.submit(job: "flaky")
            await scheduler.waitUntilIdle()
        }
        let alerts = try await inbox.wait(for: 2)
        try await Task.sleep(nanoseconds: 20_000_000)
        XCTAssertEqual(inbox.alerts.withLock { $0 }.map(\.kind), [.failure, .recovery])
        XCTAssertTrue(alerts[0].message.contains("model orders failed"), alerts[0].message)
        XCTAssertTrue(alerts[1].message.contains("http://127.0.0.1:8080/runs/3"), alerts[1].message)
        XCTAssertEqual(try scheduler.store.runs().map(\.status), [.succeeded, .failed, .failed])
    }

    func testAMissedDeadlineAlertsOnceAndASuccessInTimeDoesNot() async throws {
        let yaml = """
            jobs:
              daily:
                deadline: {at: "07:00", timezone: America/New_York}
                steps: [{build: {}}]
            """
        let clock = FakeClock(instant("2026-11-01T05:00:00-04:00"))
        let executor = Executor()
        let inbox = Inbox()
        let scheduler = try scheduler(yaml, executor, clock, alerts: inbox)
        await scheduler.evaluate(now: clock.now)
        // Clocks fall back that night; 07:00 is now at UTC-5.
        clock.set(instant("2026-11-01T07:00:30-05:00"))
        await scheduler.evaluate(now: clock.now)
        await scheduler.evaluate(now: clock.now.addingTimeInterval(10))
        let alerts = try await inbox.wait(for: 1)
        XCTAssertEqual(alerts.map(\.kind), [.deadlineMissed])
        XCTAssertTrue(alerts[0].message.contains("no run succeeded by 07:00 America/New_York"), alerts[0].message)

        // The next day a run succeeds at 06:10: no alert at 07:00.
        clock.set(instant("2026-11-02T06:10:00-05:00"))
        _ = try await scheduler.submit(job: "daily")
        await scheduler.waitUntilIdle()
        clock.set(instant("2026-11-02T07:00:01-05:00"))
        await scheduler.evaluate(now: clock.now)
        try await Task.sleep(nanoseconds: 50_000_000)
        XCTAssertEqual(inbox.alerts.withLock { $0 }.count, 1)
    }

    func testWebhookBodyIsSlackCompatibleAndTheURLComesFromTheEnvironmentOrAFile() throws {
        let alert = Alert(kind: .failure, job: "daily", runID: 7, status: .failed, message: "Job daily failed (run 7)", at: Date(timeIntervalSince1970: 0))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: WebhookAlertSink.body(alert)) as? [String: Any])
        XCTAssertEqual(object["text"] as? String, "Job daily failed (run 7)")
        XCTAssertEqual((object["storehouse"] as? [String: Any])?["run_id"] as? Int, 7)
        XCTAssertNil(try WebhookAlertSink.url(environment: [:]))
        XCTAssertEqual(try WebhookAlertSink.url(environment: ["STOREHOUSE_ALERT_WEBHOOK": "https://hooks.example.com/T1/B2"])?.host, "hooks.example.com")
        let file = folder.appendingPathComponent("webhook")
        try "http://127.0.0.1:9/hook\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try WebhookAlertSink.url(environment: ["STOREHOUSE_ALERT_WEBHOOK_FILE": file.path])?.port, 9)
        XCTAssertThrowsError(try WebhookAlertSink.url(environment: ["STOREHOUSE_ALERT_WEBHOOK": "hooks.slack.com/x"])) { error in
            XCTAssertFalse("\(error)".contains("hooks.slack.com/x"), "the URL is a secret and is not echoed: \(error)")
        }
    }
}

/// The cursor goes through the run store as JSON; a file's version must come back equal.
final class LandingCursorRoundTripTests: XCTestCase {
    func testAStoredCursorStillRecognisesItsFilesAtNanosecondTimes() throws {
        let store = try RunStore(path: ":memory:")
        var cursor = LandingCursor()
        var versions: [String: LandingFileVersion] = [:]
        for index in 0..<500 {
            // Modification times as file systems give them: whole seconds plus nanoseconds.
            let seconds = 1_780_000_000 + Double(index * 7919 % 100_000)
            let nanos = Double((index * 104_729) % 1_000_000_000) / 1e9
            // Built as Foundation builds a file's date (from the reference date, not from 1970):
            // such a date does not always survive seconds-since-1970 in JSON bit for bit.
            let version = LandingFileVersion(size: Int64(index), modified: Date(timeIntervalSinceReferenceDate: seconds - 978_307_200 + nanos))
            versions["f\(index).csv"] = version
            cursor.handed["f\(index).csv"] = .init(version: version, lastSeen: Date(timeIntervalSince1970: seconds))
        }
        try store.saveSensorCursor("landing:job", cursor)
        let loaded = try XCTUnwrap(store.sensorCursor("landing:job", as: LandingCursor.self))
        for (path, version) in versions {
            XCTAssertEqual(loaded.handed[path]?.version, version, path)
        }
        XCTAssertNotEqual(LandingFileVersion(size: 1, modified: Date(timeIntervalSince1970: 10)),
                          LandingFileVersion(size: 1, modified: Date(timeIntervalSince1970: 10.001)), "a rewrite a millisecond later is a new version")
    }
}
