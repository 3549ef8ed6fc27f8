import XCTest
@testable import Orchestrator

final class CronExpressionTests: XCTestCase {
    private func wall(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int) -> CivilTime {
        CivilTime(year: y, month: mo, day: d, hour: h, minute: mi)
    }

    private func message(_ text: String) -> String {
        do {
            _ = try CronExpression(text)
            return "no error"
        } catch {
            return error.description
        }
    }

    func testFieldsListsRangesAndSteps() throws {
        let cron = try CronExpression("*/15 9-17/4 1,15 * *")
        XCTAssertEqual(cron.minutes.values, [0, 15, 30, 45])
        XCTAssertEqual(cron.hours.values, [9, 13, 17])
        XCTAssertEqual(cron.daysOfMonth.values, [1, 15])
        XCTAssertEqual(cron.months.values, Array(1...12))
        XCTAssertEqual(try CronExpression("5/20 * * * *").minutes.values, [5, 25, 45])
    }

    func testNamesAndSevenIsSunday() throws {
        let cron = try CronExpression("0 6 * jan,Mar MON-fri")
        XCTAssertEqual(cron.months.values, [1, 3])
        XCTAssertEqual(cron.daysOfWeek.values, [1, 2, 3, 4, 5])
        XCTAssertEqual(try CronExpression("0 0 * * 7").daysOfWeek.values, [0])
        XCTAssertEqual(try CronExpression("0 0 * * 5-7").daysOfWeek.values, [0, 5, 6])
        XCTAssertEqual(try CronExpression("0 0 * * FRI-SUN").daysOfWeek.values, [0, 5, 6])
        XCTAssertEqual(try CronExpression("0 0 * * */2").daysOfWeek.values, [0, 2, 4, 6])
    }

    func testMacros() throws {
        let expected = ["@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
                        "@weekly": "0 0 * * 0", "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *"]
        for (macro, body) in expected {
            let a = try CronExpression(macro), b = try CronExpression(body)
            XCTAssertEqual([a.minutes, a.hours, a.daysOfMonth, a.months, a.daysOfWeek],
                           [b.minutes, b.hours, b.daysOfMonth, b.months, b.daysOfWeek], macro)
            XCTAssertEqual(a.description, macro)
        }
    }

    func testDayOfMonthOrDayOfWeekWhenBothRestricted() throws {
        // 1 May 2026 is a Friday; 4 May a Monday; 5 May a Tuesday.
        let either = try CronExpression("0 0 1 * MON")
        XCTAssertTrue(either.matches(wall(2026, 5, 1, 0, 0)))
        XCTAssertTrue(either.matches(wall(2026, 5, 4, 0, 0)))
        XCTAssertFalse(either.matches(wall(2026, 5, 5, 0, 0)))
        // A day-of-month starting with '*' is unrestricted, so both must match (Vixie cron);
        // */2 is the odd days 1, 3, 5 …
        let both = try CronExpression("0 0 */2 * MON")
        XCTAssertTrue(both.matches(wall(2026, 5, 11, 0, 0)))   // 11th, Monday
        XCTAssertFalse(both.matches(wall(2026, 5, 4, 0, 0)))   // 4th: Monday, even day
        XCTAssertFalse(both.matches(wall(2026, 5, 13, 0, 0)))  // 13th, Wednesday
        // Only a weekday: every Monday.
        let mondays = try CronExpression("0 0 * * MON")
        XCTAssertTrue(mondays.matches(wall(2026, 5, 4, 0, 0)))
        XCTAssertFalse(mondays.matches(wall(2026, 5, 5, 0, 0)))
    }

    func testNextMatchSkipsToTheRightMinute() throws {
        let cron = try CronExpression("30 6 29 2 *")
        XCTAssertEqual(cron.nextMatch(atOrAfter: wall(2026, 3, 1, 0, 0)), wall(2028, 2, 29, 6, 30))
        let weekdays = try CronExpression("0 9 * * MON-FRI")
        // Saturday 2 May 2026 → Monday 4 May.
        XCTAssertEqual(weekdays.nextMatch(atOrAfter: wall(2026, 5, 2, 10, 0)), wall(2026, 5, 4, 9, 0))
        XCTAssertEqual(weekdays.nextMatch(atOrAfter: wall(2026, 12, 31, 9, 1)), wall(2027, 1, 1, 9, 0))
    }

    func testCivilTimeArithmetic() {
        let t = wall(2026, 3, 29, 2, 30)
        XCTAssertEqual(CivilTime(minutesSinceEpoch: t.minutesSinceEpoch), t)
        XCTAssertEqual(t.weekday, 0)  // a Sunday
        XCTAssertEqual(wall(1970, 1, 1, 0, 0).minutesSinceEpoch, 0)
        XCTAssertEqual(CivilTime(minutesSinceEpoch: -1), wall(1969, 12, 31, 23, 59))
    }

    func testErrorsNameFieldFoundAndAllowed() {
        XCTAssertEqual(message("0 25 * * *"), "cron \"0 25 * * *\": hour 25 is out of range 0-23")
        XCTAssertEqual(message("0 6 * *"),
                       "cron \"0 6 * *\": expected 5 fields (minute hour day-of-month month day-of-week), found 4; for example \"0 6 * * *\" runs at 06:00 every day")
        XCTAssertEqual(message("@reboot"),
                       "cron \"@reboot\": unknown macro '@reboot' — allowed: @hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually")
        XCTAssertEqual(message("x * * * *"), "cron \"x * * * *\": minute 'x' is not a number — allowed: 0-59")
        XCTAssertEqual(message("0 0 * FOO *"), "cron \"0 0 * FOO *\": month 'FOO' is not a number or a name — allowed: 1-12 or JAN-DEC")
        XCTAssertEqual(message("0 0 * * FUNDAY"),
                       "cron \"0 0 * * FUNDAY\": day-of-week 'FUNDAY' is not a number or a name — allowed: 0-7 or SUN-SAT")
        XCTAssertEqual(message("*/0 * * * *"), "cron \"*/0 * * * *\": minute step '0' in '*/0' must be a whole number of at least 1")
        XCTAssertEqual(message("0 22-5 * * *"),
                       "cron \"0 22-5 * * *\": hour range 22-5 runs backwards; cron ranges do not wrap, write 22-23,0-5")
        XCTAssertEqual(message("1,,2 * * * *"), "cron \"1,,2 * * * *\": minute field '1,,2' has an empty list item")
        XCTAssertEqual(message("0 0 0 * *"), "cron \"0 0 0 * *\": day-of-month 0 is out of range 1-31")
        XCTAssertEqual(message("0 0 30 2 *"),
                       "cron \"0 0 30 2 *\": day-of-month 30 never occurs in February, so the schedule would never fire")
        XCTAssertEqual(message("0 0 31 4,6 *"),
                       "cron \"0 0 31 4,6 *\": day-of-month 31 never occurs in April or June, so the schedule would never fire")
        // With a weekday as well, the day fires on that weekday, so it is allowed.
        XCTAssertEqual(message("0 0 30 2 MON"), "no error")
        XCTAssertEqual(message("0 0 30 2 */2"),
                       "cron \"0 0 30 2 */2\": day-of-month 30 never occurs in February, so the schedule would never fire")
    }
}
