import Foundation
import PropertyBased
import Testing
@testable import Orchestrator

/// The same property through the whole scheduler and its run store: whatever the wake-ups,
/// repeated wakes and restarts (a new scheduler on the same store file), every tick gets
/// exactly one run.
@Suite struct SchedulerPropertyTests {
    struct Instant: StepExecutor {
        func execute(_ step: JobStep, context: StepContext) async throws -> StepResult { StepResult(summary: "ok") }
    }

    /// A wake: seconds since the last one (0 = the same instant twice), and whether the server
    /// restarted before it.
    static let wakes = zip(Gen.int(in: 0...99), Gen.int(in: 0...99)).array(of: 3...25)
        .map { rolls in rolls.map { gap, restart in (gap: gap < 10 ? 0 : (gap < 85 ? 60 + gap * 41 : 3_600 * (gap - 80)), restart: restart < 25) } }

    @Test func everyTickGetsExactlyOneRunAcrossRestarts() async throws {
        await propertyCheck(count: 40, input: Gen.element(of: SchedulePropertyTests.transitions), Gen.element(of: ["*/15 * * * *", "0 2 * * *", "30 1-3 * * *", "@hourly"]), Self.wakes) { place, cron, wakes in
            guard let place, let cron else { return }
            let schedule = try Schedule(cron, timeZone: place.0)
            let job = JobDefinition(name: "job", schedule: JobSchedule(schedule: schedule, catchup: true, maxCatchUpRuns: 1_000_000),
                                    steps: [JobStep(name: "build", action: .build(NodeSelection()))])
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("ticks-\(UUID().uuidString).sqlite").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            let start = instant("\(place.1)T00:00:00Z")
            func scheduler() throws -> JobScheduler {
                JobScheduler(jobs: JobFile(jobs: [job]), store: try RunStore(path: path), executor: Instant(), settings: .init(projectRoot: "/tmp"))
            }
            var current = try scheduler()
            await current.evaluate(now: start)
            var now = start
            for wake in wakes {
                now += TimeInterval(wake.gap)
                if wake.restart {
                    await current.waitUntilIdle()
                    current = try scheduler()
                    try await current.recover()
                }
                await current.evaluate(now: now)
            }
            await current.waitUntilIdle()
            let ticks = try current.store.runs(limit: 100_000).compactMap { run -> Date? in
                if case .schedule(let tick) = run.trigger { return tick } else { return nil }
            }.sorted()
            #expect(ticks == schedule.ticks(after: start, through: now), "\(cron) in \(place.0)")
        }
    }
}
