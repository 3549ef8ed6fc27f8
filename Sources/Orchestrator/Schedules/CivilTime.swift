import Foundation

/// A wall-clock minute in the proleptic Gregorian calendar, with no time zone: what a clock on
/// the wall shows. Cron expressions match these; `Schedule` maps them to instants.
///
/// The arithmetic is done here by hand (Howard Hinnant's days-from-civil) rather than through
/// `Calendar`, because a schedule looks at many candidate minutes and `Calendar` is slow and
/// applies a time zone we do not want at this step.
struct CivilTime: Hashable, Comparable, Sendable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int

    /// Minutes since 1970-01-01 00:00 on the same wall clock.
    var minutesSinceEpoch: Int64 {
        (Int64(CivilTime.daysFromCivil(year, month, day)) * 24 + Int64(hour)) * 60 + Int64(minute)
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
        let (y, mo, d) = CivilTime.civilFromDays(Int(days))
        self.init(year: y, month: mo, day: d, hour: minuteOfDay / 60, minute: minuteOfDay % 60)
    }

    /// 0 = Sunday … 6 = Saturday, as cron numbers them.
    var weekday: Int {
        let days = CivilTime.daysFromCivil(year, month, day)
        // 1970-01-01 was a Thursday.
        return ((days % 7) + 7 + 4) % 7
    }

    static func < (a: CivilTime, b: CivilTime) -> Bool { a.minutesSinceEpoch < b.minutesSinceEpoch }

    static func isLeapYear(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeapYear(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
