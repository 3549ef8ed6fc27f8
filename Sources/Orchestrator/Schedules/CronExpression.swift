import Foundation

/// A standard five-field cron expression: `minute hour day-of-month month day-of-week`.
///
/// Fields take `*`, numbers, lists `a,b`, ranges `a-b`, steps `*/n`, `a-b/n` and `a/n`, month
/// names `JAN`–`DEC` and weekday names `SUN`–`SAT` (either case); day-of-week `7` is Sunday,
/// as is `0`. The macros `@hourly`, `@daily`, `@midnight`, `@weekly`, `@monthly`, `@yearly`
/// and `@annually` stand for their usual expressions.
///
/// Days follow Vixie cron (and cronie, and every cron users have met): when both day-of-month
/// and day-of-week are restricted, a day matches if *either* matches; a field counts as
/// restricted unless it starts with `*`, so `0 0 */2 * MON` means "every other day, if it is a
/// Monday".
///
/// ```swift
/// let cron = try CronExpression("0 6 * * MON-FRI")   // 06:00 on weekdays
/// ```
///
/// An expression is only a pattern of wall-clock minutes; `Schedule` places it in a time zone.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The text as written, macros included.
    public let source: String
    let minutes: CronBits
    let hours: CronBits
    let daysOfMonth: CronBits
    let months: CronBits
    /// 0 = Sunday … 6 = Saturday; a written 7 is stored as 0.
    let daysOfWeek: CronBits
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool

    public var description: String { source }

    /// True when the hour field covers all 24 hours (`*`, `*/1`, `0-23`). Such schedules follow
    /// the wall clock through a repeated hour (see `Schedule`).
    public var firesEveryHour: Bool { hours.rawValue == CronBits.all(0...23).rawValue }

    init(source: String, minutes: CronBits, hours: CronBits, daysOfMonth: CronBits, months: CronBits,
         daysOfWeek: CronBits, dayOfMonthRestricted: Bool, dayOfWeekRestricted: Bool) {
        self.source = source
        self.minutes = minutes
        self.hours = hours
        self.daysOfMonth = daysOfMonth
        self.months = months
        self.daysOfWeek = daysOfWeek
        self.dayOfMonthRestricted = dayOfMonthRestricted
        self.dayOfWeekRestricted = dayOfWeekRestricted
    }

    /// Whether the expression matches a wall-clock minute.
    func matches(_ t: CivilTime) -> Bool {
        minutes.contains(t.minute) && hours.contains(t.hour) && months.contains(t.month)
            && dayMatches(year: t.year, month: t.month, day: t.day, weekday: t.weekday)
    }

    func dayMatches(year: Int, month: Int, day: Int, weekday: Int) -> Bool {
        let byDate = daysOfMonth.contains(day)
        let byWeekday = daysOfWeek.contains(weekday)
        // Vixie cron: OR when both fields are restricted, AND otherwise, so that a field
        // starting with '*' (like `*/2`) still filters.
        return dayOfMonthRestricted && dayOfWeekRestricted ? byDate || byWeekday : byDate && byWeekday
    }

    /// The first matching wall-clock minute at or after `start`, or nil when none comes within
    /// `years` years. Skips whole months, days and hours that cannot match, so finding a yearly
    /// tick costs a few dozen steps rather than half a million minutes.
    func nextMatch(atOrAfter start: CivilTime, years: Int = 30) -> CivilTime? {
        var t = start
        let lastYear = start.year + years
        func nextDay(_ t: inout CivilTime) {
            t.day += 1
            t.hour = 0
            t.minute = 0
        }
        while t.year <= lastYear {
            guard months.contains(t.month) else {
                if let m = months.next(atOrAfter: t.month + 1) {
                    t.month = m
                } else {
                    t.year += 1
                    t.month = months.next(atOrAfter: 1) ?? 1
                }
                t.day = 1
                t.hour = 0
                t.minute = 0
                continue
            }
            guard t.day <= CivilTime.daysInMonth(t.year, t.month) else {
                t.month += 1
                if t.month > 12 {
                    t.month = 1
                    t.year += 1
                }
                t.day = 1
                t.hour = 0
                t.minute = 0
                continue
            }
            let weekday = CivilTime(year: t.year, month: t.month, day: t.day, hour: 0, minute: 0).weekday
            guard dayMatches(year: t.year, month: t.month, day: t.day, weekday: weekday) else {
                nextDay(&t)
                continue
            }
            guard let hour = hours.next(atOrAfter: t.hour) else {
                nextDay(&t)
                continue
            }
            if hour != t.hour {
                t.hour = hour
                t.minute = 0
            }
            guard let minute = minutes.next(atOrAfter: t.minute) else {
                t.hour += 1
                t.minute = 0
                if t.hour > 23 { nextDay(&t) }
                continue
            }
            t.minute = minute
            return t
        }
        return nil
    }
}

/// A set of small numbers (0–63) as a bit mask: the values one cron field allows.
struct CronBits: Hashable, Sendable {
    var rawValue: UInt64

    static func all(_ range: ClosedRange<Int>) -> CronBits {
        var bits = CronBits(rawValue: 0)
        for v in range { bits.insert(v) }
        return bits
    }

    func contains(_ v: Int) -> Bool { v >= 0 && v < 64 && rawValue & (1 << UInt64(v)) != 0 }

    mutating func insert(_ v: Int) { rawValue |= 1 << UInt64(v) }

    /// The smallest member ≥ `v`, if any.
    func next(atOrAfter v: Int) -> Int? {
        guard v < 64 else { return nil }
        let rest = rawValue >> UInt64(max(v, 0))
        return rest == 0 ? nil : max(v, 0) + rest.trailingZeroBitCount
    }

    var values: [Int] { (0..<64).filter(contains) }
}
