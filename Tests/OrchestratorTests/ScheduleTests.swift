import XCTest
@testable import Orchestrator

/// Ticks across the 2026 daylight-saving changes: Europe/Berlin on 29 March and 25 October,
/// America/New_York on 8 March and 1 November, Australia/Lord_Howe (half-hour DST) on 5 April
/// and 4 October.
final class ScheduleTests: XCTestCase {
    private func ticks(_ cron: String, _ zone: String, after start: String, count: Int) throws -> [String] {
        let schedule = try Schedule(cron, timeZone: zone)
        var t = instant(start)
        var result: [String] = []
        for _ in 0..<count {
            t = schedule.nextTick(after: t)
            result.append(wallClock(t, zone))
        }
        return result
    }

    func testBerlinSpringForwardFiresOnceAfterTheGap() throws {
        XCTAssertEqual(try ticks("30 2 * * *", "Europe/Berlin", after: "2026-03-27T12:00:00Z", count: 4), [
            "2026-03-28 02:30 +01:00",
            "2026-03-29 03:00 +02:00",  // 02:30 does not exist: first instant after the gap
            "2026-03-30 02:30 +02:00",
            "2026-03-31 02:30 +02:00",
        ])
        // Several matching minutes in the gap, and one at its end, still fire once.
        XCTAssertEqual(try ticks("*/20 2-3 29 3 *", "Europe/Berlin", after: "2026-03-28T12:00:00Z", count: 3), [
            "2026-03-29 03:00 +02:00", "2026-03-29 03:20 +02:00", "2026-03-29 03:40 +02:00",
        ])
    }

    func testGapTickAskedForRightBeforeTheTransition() throws {
        // The clocks jump at 01:00 UTC; asked a second (or half of one) before, the gap's tick
        // is the very next instant.
        let schedule = try Schedule("30 2 * * *", timeZone: "Europe/Berlin")
        for before in [1.0, 0.5, 0.0] {
            XCTAssertEqual(schedule.nextTick(after: instant("2026-03-29T01:00:00Z").addingTimeInterval(-before)),
                           before > 0 ? instant("2026-03-29T03:00:00+02:00") : instant("2026-03-30T02:30:00+02:00"), "\(before)")
        }
    }

    func testBerlinFallBackFiresOnceAtTheFirstOccurrence() throws {
        XCTAssertEqual(try ticks("30 2 * * *", "Europe/Berlin", after: "2026-10-24T12:00:00Z", count: 2), [
            "2026-10-25 02:30 +02:00",
            "2026-10-26 02:30 +01:00",
        ])
        // Asked from inside the repeated hour, after the first 02:30, the second is not a tick.
        let schedule = try Schedule("30 2 * * *", timeZone: "Europe/Berlin")
        XCTAssertEqual(wallClock(schedule.nextTick(after: instant("2026-10-25T02:10:00+01:00")), "Europe/Berlin"),
                       "2026-10-26 02:30 +01:00")
    }

    func testHourlyFiresOncePerRealHourAcrossBothBerlinChanges() throws {
        XCTAssertEqual(try ticks("@hourly", "Europe/Berlin", after: "2026-03-29T00:30:00+01:00", count: 3), [
            "2026-03-29 01:00 +01:00", "2026-03-29 03:00 +02:00", "2026-03-29 04:00 +02:00",
        ])
        let autumn = try Schedule("@hourly", timeZone: "Europe/Berlin")
            .ticks(after: instant("2026-10-25T00:30:00+02:00"), through: instant("2026-10-25T04:00:00+01:00"))
        XCTAssertEqual(autumn.map { wallClock($0, "Europe/Berlin") }, [
            "2026-10-25 01:00 +02:00", "2026-10-25 02:00 +02:00", "2026-10-25 02:00 +01:00",
            "2026-10-25 03:00 +01:00", "2026-10-25 04:00 +01:00",
        ])
        for (a, b) in zip(autumn, autumn.dropFirst()) { XCTAssertEqual(b.timeIntervalSince(a), 3600) }
        // Asked from inside the first pass of the repeated hour, the next tick is in the second.
        XCTAssertEqual(try Schedule("@hourly", timeZone: "Europe/Berlin").nextTick(after: instant("2026-10-25T02:15:00+02:00")),
                       instant("2026-10-25T02:00:00+01:00"))
    }

    func testNewYorkTransitions() throws {
        XCTAssertEqual(try ticks("30 2 * * *", "America/New_York", after: "2026-03-07T12:00:00Z", count: 3), [
            "2026-03-08 03:00 -04:00", "2026-03-09 02:30 -04:00", "2026-03-10 02:30 -04:00",
        ])
        XCTAssertEqual(try ticks("30 1 * * *", "America/New_York", after: "2026-10-31T12:00:00Z", count: 2), [
            "2026-11-01 01:30 -04:00", "2026-11-02 01:30 -05:00",
        ])
        XCTAssertEqual(try ticks("0 * * * *", "America/New_York", after: "2026-11-01T00:30:00-04:00", count: 4), [
            "2026-11-01 01:00 -04:00", "2026-11-01 01:00 -05:00", "2026-11-01 02:00 -05:00", "2026-11-01 03:00 -05:00",
        ])
        XCTAssertEqual(try ticks("0 * * * *", "America/New_York", after: "2026-03-08T00:30:00-05:00", count: 3), [
            "2026-03-08 01:00 -05:00", "2026-03-08 03:00 -04:00", "2026-03-08 04:00 -04:00",
        ])
    }

    func testLordHoweHalfHourTransitions() throws {
        // 5 April 2026: 02:00 +11:00 falls back to 01:30 +10:30, so 01:30–02:00 happens twice.
        XCTAssertEqual(try ticks("0,30 * * * *", "Australia/Lord_Howe", after: "2026-04-05T00:45:00+11:00", count: 4), [
            "2026-04-05 01:00 +11:00", "2026-04-05 01:30 +11:00", "2026-04-05 01:30 +10:30", "2026-04-05 02:00 +10:30",
        ])
        XCTAssertEqual(try ticks("45 1 * * *", "Australia/Lord_Howe", after: "2026-04-04T12:00:00+11:00", count: 2), [
            "2026-04-05 01:45 +11:00", "2026-04-06 01:45 +10:30",
        ])
        // 4 October 2026: 02:00 +10:30 springs to 02:30 +11:00.
        XCTAssertEqual(try ticks("15 2 * * *", "Australia/Lord_Howe", after: "2026-10-02T12:00:00Z", count: 3), [
            "2026-10-03 02:15 +10:30", "2026-10-04 02:30 +11:00", "2026-10-05 02:15 +11:00",
        ])
    }

    func testTicksBetweenAndLimit() throws {
        let schedule = try Schedule("0 6 * * MON-FRI", timeZone: "Europe/Berlin")
        let week = schedule.ticks(after: instant("2026-05-01T00:00:00Z"), through: instant("2026-05-08T06:00:00+02:00"))
        XCTAssertEqual(week.map { wallClock($0, "Europe/Berlin") }, [
            "2026-05-01 06:00 +02:00", "2026-05-04 06:00 +02:00", "2026-05-05 06:00 +02:00",
            "2026-05-06 06:00 +02:00", "2026-05-07 06:00 +02:00", "2026-05-08 06:00 +02:00",
        ])
        XCTAssertEqual(schedule.ticks(after: instant("2026-05-01T00:00:00Z"), through: instant("2026-06-01T00:00:00Z"), limit: 2).count, 2)
        // The bound is exclusive at the start: a tick exactly at `after` is not repeated.
        XCTAssertEqual(schedule.nextTick(after: week[0]), week[1])
    }

    func testRareAndFrequentTicks() throws {
        let leap = try Schedule("0 12 29 2 *", timeZone: "America/New_York")
        XCTAssertEqual(wallClock(leap.nextTick(after: instant("2026-03-01T00:00:00Z")), "America/New_York"), "2028-02-29 12:00 -05:00")
        let minutely = try Schedule("* * * * *", timeZone: "Europe/Berlin")
        let week = minutely.ticks(after: instant("2026-03-25T00:00:00Z"), through: instant("2026-04-01T00:00:00Z"))
        XCTAssertEqual(week.count, 7 * 1440, "one tick per real minute, DST or not")
        XCTAssertEqual(Set(week.map { $0.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) }), [0])
    }

    func testUnknownZoneIsNamed() {
        XCTAssertThrowsError(try Schedule("0 6 * * *", timeZone: "Europe/Berln")) { error in
            XCTAssertEqual("\(error)", "unknown time zone 'Europe/Berln'; use an IANA name such as Europe/Berlin, America/New_York or UTC")
        }
    }

    func testMatchesBruteForceAroundEveryTransition() throws {
        let crons = ["30 2 * * *", "0 * * * *", "*/15 * * * *", "0,30 1-3 * * *", "45 1 * * SUN", "0 3 * * *", "* 2 * * *"]
        let windows = [("Europe/Berlin", "2026-03-28T12:00:00Z"), ("Europe/Berlin", "2026-10-24T12:00:00Z"),
                       ("America/New_York", "2026-03-07T12:00:00Z"), ("America/New_York", "2026-10-31T12:00:00Z"),
                       ("Australia/Lord_Howe", "2026-04-04T00:00:00Z"), ("Australia/Lord_Howe", "2026-10-03T00:00:00Z")]
        for cron in crons {
            for (zone, from) in windows {
                let schedule = try Schedule(cron, timeZone: zone)
                let start = instant(from), end = start.addingTimeInterval(2 * 86_400)
                XCTAssertEqual(schedule.ticks(after: start, through: end), bruteForceTicks(schedule, from: start, to: end), "\(cron) in \(zone)")
            }
        }
    }
}
