import Foundation
import PropertyBased
import Testing
@testable import Orchestrator

/// Property-based checks that no tick is lost or doubled, whatever the zone, the expression and
/// the pattern of server outages.
@Suite struct SchedulePropertyTests {
    static let minutes = ["0", "30", "*/15", "5,35", "0-10/5", "*"]
    static let hours = ["*", "2", "1-3", "*/6", "0,12", "2,3", "1"]
    static let daysOfMonth = ["*", "*", "1", "15", "29", "1-7"]
    static let months = ["*", "*", "3", "10", "3,4,10,11", "*/2"]
    static let daysOfWeek = ["*", "*", "0", "1-5", "SUN", "6,0"]

    /// A schedule from random fields, skipping the few combinations that never fire.
    static let schedules = zip(
        Gen.element(of: minutes), Gen.element(of: hours), Gen.element(of: daysOfMonth),
        Gen.element(of: months), Gen.element(of: daysOfWeek)
    ).compactMap { parts -> String? in
        guard let m = parts.0, let h = parts.1, let dom = parts.2, let mon = parts.3, let dow = parts.4 else { return nil }
        return "\(m) \(h) \(dom) \(mon) \(dow)"
    }

    /// A zone and a start up to 12 hours into the day before one of its 2026 offset changes,
    /// so that every case's window spans a transition (UTC, which has none, as a control).
    static let transitions = [
        ("Europe/Berlin", "2026-03-28"), ("Europe/Berlin", "2026-10-24"),
        ("America/New_York", "2026-03-07"), ("America/New_York", "2026-10-31"),
        ("Australia/Lord_Howe", "2026-04-04"), ("Australia/Lord_Howe", "2026-10-03"),
        ("UTC", "2026-06-30"),
    ]
    static let zonesAndStarts = zip(Gen.int(in: 0...(transitions.count - 1)), Gen.int(in: 0...(12 * 3_600)))
        .map { index, seconds in
            (zone: transitions[index].0, start: instant("\(transitions[index].1)T00:00:00Z").addingTimeInterval(TimeInterval(seconds)))
        }

    /// Gaps between evaluations, in seconds: mostly a server that wakes every few minutes,
    /// sometimes an outage of hours or days.
    static let gaps = Gen.int(in: 0...99).map { roll -> Int in roll }.array(of: 5...40)
        .map { rolls in rolls.map { r in r < 80 ? 60 + (r * 97) % 1_800 : 3_600 * (1 + (r * 31) % 96) } }

    private func schedule(_ cron: String, _ zone: String) throws -> Schedule {
        try Schedule(cron, timeZone: zone)
    }

    @Test func incrementalCatchUpEqualsOneGo() async throws {
        await propertyCheck(count: 150, input: Self.schedules, Self.zonesAndStarts, Self.gaps) { cron, place, gaps in
            let (zone, start) = place
            guard let s = try? schedule(cron, zone) else { return }
            let ticker = ScheduleTicker(schedule: s, catchup: true, maxCatchUpRuns: 1_000_000)
            var cursor = start, now = start
            var collected: [Date] = []
            for gap in gaps {
                now += TimeInterval(gap)
                let decision = ticker.decide(lastEvaluated: cursor, now: now)
                #expect(decision.skipped == 0)
                collected += decision.ticks
                cursor = decision.evaluatedThrough
            }
            let oneGo = s.ticks(after: start, through: now)
            #expect(collected == oneGo, "\(cron) in \(zone) from \(start)")
            #expect(zip(collected, collected.dropFirst()).allSatisfy { $0 < $1 }, "strictly increasing")
        }
    }

    @Test func withoutCatchUpEachWakeRunsOnlyTheLatestTick() async throws {
        await propertyCheck(count: 100, input: Self.schedules, Self.zonesAndStarts, Self.gaps) { cron, place, gaps in
            let (zone, start) = place
            guard let s = try? schedule(cron, zone) else { return }
            let ticker = ScheduleTicker(schedule: s, catchup: false)
            var cursor = start, now = start
            var ran: [Date] = []
            for gap in gaps {
                now += TimeInterval(gap)
                let missed = s.ticks(after: cursor, through: now)
                let decision = ticker.decide(lastEvaluated: cursor, now: now)
                #expect(decision.ticks == (missed.last.map { [$0] } ?? []))
                #expect(decision.skipped == max(0, missed.count - 1))
                ran += decision.ticks
                cursor = decision.evaluatedThrough
            }
            #expect(Set(ran).count == ran.count, "no tick run twice")
            #expect(zip(ran, ran.dropFirst()).allSatisfy { $0 < $1 })
        }
    }

    @Test func nextTickFromAnyInstantIsTheFirstTickAfterIt() async throws {
        await propertyCheck(count: 150, input: Self.schedules, Self.zonesAndStarts,
                            Gen.int(in: 0...(3 * 86_400)).array(of: 1...8)) { cron, place, probes in
            let (zone, start) = place
            guard let s = try? schedule(cron, zone) else { return }
            let end = start.addingTimeInterval(4 * 86_400)
            let all = s.ticks(after: start, through: end)
            for probe in probes.map({ start.addingTimeInterval(TimeInterval($0)) }) {
                let expected = all.first { $0 > probe } ?? s.nextTick(after: end)
                #expect(s.nextTick(after: probe) == expected, "\(cron) in \(zone) after \(probe)")
            }
        }
    }

    @Test func matchesTheMinuteByMinuteOracle() async throws {
        await propertyCheck(count: 60, input: Self.schedules, Self.zonesAndStarts) { cron, place in
            let (zone, start) = place
            guard let s = try? schedule(cron, zone) else { return }
            let end = start.addingTimeInterval(2 * 86_400)
            #expect(s.ticks(after: start, through: end) == bruteForceTicks(s, from: start, to: end), "\(cron) in \(zone)")
        }
    }
}
