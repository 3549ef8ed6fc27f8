import XCTest
@testable import Orchestrator

final class ScheduleTickerTests: XCTestCase {
    private let zone = "Europe/Berlin"

    private func ticker(catchup: Bool, cap: Int = ScheduleTicker.defaultMaxCatchUpRuns) throws -> ScheduleTicker {
        ScheduleTicker(schedule: try Schedule("0 6 * * *", timeZone: zone), catchup: catchup, maxCatchUpRuns: cap)
    }

    func testNewScheduleDoesNotBackfill() throws {
        let now = instant("2026-05-10T12:00:00Z")
        let decision = try ticker(catchup: true).decide(lastEvaluated: nil, now: now)
        XCTAssertEqual(decision, TickDecision(ticks: [], skipped: 0, evaluatedThrough: now))
    }

    func testTickDueWhileRunning() throws {
        let decision = try ticker(catchup: false).decide(lastEvaluated: instant("2026-05-10T05:59:30+02:00"),
                                                         now: instant("2026-05-10T06:00:01+02:00"))
        XCTAssertEqual(decision.ticks, [instant("2026-05-10T06:00:00+02:00")])
        XCTAssertEqual(decision.skipped, 0)
        XCTAssertEqual(decision.evaluatedThrough, instant("2026-05-10T06:00:01+02:00"))
    }

    func testWithoutCatchUpOnlyTheLatestMissedTickRuns() throws {
        // Down from the evening of 3 May to midday on 10 May: 7 ticks missed.
        let decision = try ticker(catchup: false).decide(lastEvaluated: instant("2026-05-03T20:00:00+02:00"),
                                                         now: instant("2026-05-10T12:00:00+02:00"))
        XCTAssertEqual(decision.ticks, [instant("2026-05-10T06:00:00+02:00")])
        XCTAssertEqual(decision.skipped, 6)
    }

    func testWithCatchUpAllMissedTicksRunInOrder() throws {
        let decision = try ticker(catchup: true).decide(lastEvaluated: instant("2026-05-07T20:00:00+02:00"),
                                                        now: instant("2026-05-10T12:00:00+02:00"))
        XCTAssertEqual(decision.ticks.map { wallClock($0, zone) },
                       ["2026-05-08 06:00 +02:00", "2026-05-09 06:00 +02:00", "2026-05-10 06:00 +02:00"])
        XCTAssertEqual(decision.skipped, 0)
    }

    func testCatchUpBeyondTheCapKeepsTheMostRecent() throws {
        let decision = try ticker(catchup: true, cap: 2).decide(lastEvaluated: instant("2026-05-03T20:00:00+02:00"),
                                                                now: instant("2026-05-10T12:00:00+02:00"))
        XCTAssertEqual(decision.ticks.map { wallClock($0, zone) }, ["2026-05-09 06:00 +02:00", "2026-05-10 06:00 +02:00"])
        XCTAssertEqual(decision.skipped, 5)
    }

    func testClockSteppingBackDoesNotFireTwice() throws {
        let t = try ticker(catchup: true)
        let first = t.decide(lastEvaluated: instant("2026-05-10T05:00:00+02:00"), now: instant("2026-05-10T06:00:05+02:00"))
        XCTAssertEqual(first.ticks.count, 1)
        let back = t.decide(lastEvaluated: first.evaluatedThrough, now: instant("2026-05-10T05:59:00+02:00"))
        XCTAssertEqual(back, TickDecision(ticks: [], skipped: 0, evaluatedThrough: first.evaluatedThrough))
        let again = t.decide(lastEvaluated: back.evaluatedThrough, now: instant("2026-05-10T06:30:00+02:00"))
        XCTAssertEqual(again.ticks, [])
    }

    func testCatchUpAcrossSpringForward() throws {
        let t = ScheduleTicker(schedule: try Schedule("30 2 * * *", timeZone: zone), catchup: true)
        let decision = t.decide(lastEvaluated: instant("2026-03-27T12:00:00Z"), now: instant("2026-03-30T12:00:00Z"))
        XCTAssertEqual(decision.ticks.map { wallClock($0, zone) },
                       ["2026-03-28 02:30 +01:00", "2026-03-29 03:00 +02:00", "2026-03-30 02:30 +02:00"])
        XCTAssertEqual(t.nextWakeUp(after: decision.evaluatedThrough), instant("2026-03-31T02:30:00+02:00"))
    }
}
