import Foundation
import WarehouseKit

/// A wall-clock minute in the proleptic Gregorian calendar, with no time zone: what a clock on
/// the wall shows. Cron expressions match these; `Schedule` maps them to instants.
///
/// The day arithmetic is `CivilDate`'s (days from civil, by hand) rather than `Calendar`'s,
/// because a schedule looks at many candidate minutes and `Calendar` is slow and applies a time
/// zone we do not want at this step.
struct CivilTime: Hashable, Comparable, Sendable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int

    /// Minutes since 1970-01-01 00:00 on the same wall clock.
    var minutesSinceEpoch: Int64 {
        (Int64(CivilDate(year: year, month: month, day: day).daysSinceEpoch) * 24 + Int64(hour)) * 60 + Int64(minute)
    }

    /// Seconds since 1970-01-01 00:00 on the same wall clock ("local seconds").
    var localSeconds: Int64 { minutesSinceEpoch * 60 }

    init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    init(minutesSinceEpoch m: Int64) {
        let days = m >= 0 ? m / 1440 : -((-m + 1439) / 1440)
        let minuteOfDay = Int(m - days * 1440)
        let date = CivilDate(daysSinceEpoch: Int(days))
        self.init(year: date.year, month: date.month, day: date.day, hour: minuteOfDay / 60, minute: minuteOfDay % 60)
    }

    /// 0 = Sunday … 6 = Saturday, as cron numbers them.
    var weekday: Int {
        let days = CivilDate(year: year, month: month, day: day).daysSinceEpoch
        // 1970-01-01 was a Thursday.
        return ((days % 7) + 7 + 4) % 7
    }

    static func < (a: CivilTime, b: CivilTime) -> Bool { a.minutesSinceEpoch < b.minutesSinceEpoch }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int { CivilDate.daysIn(month: m, year: y) }
}
