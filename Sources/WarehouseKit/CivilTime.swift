/// A calendar date without a time zone (proleptic Gregorian), convertible to days since 1970-01-01.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Howard Hinnant's days-from-civil algorithm: exact for every Gregorian date.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Parses `YYYY-MM-DD`; nil for anything else or an impossible date.
    public init?(iso text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]),
              let d = Int(parts[2]), (1...12).contains(m), d >= 1, d <= CivilDate.daysIn(month: m, year: y)
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// 0 = Monday … 6 = Sunday (ISO).
    public var isoWeekdayIndex: Int { ((daysSinceEpoch % 7) + 7 + 3) % 7 }

    public func adding(days: Int) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + days) }

    public var description: String {
        let y = String(year).leftPadded(to: 4)
        return "\(y)-\(String(month).leftPadded(to: 2))-\(String(day).leftPadded(to: 2))"
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }
}

/// A point in time as microseconds since 1970-01-01 00:00:00 UTC.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public static let microsPerSecond: Int64 = 1_000_000
    public static let microsPerDay: Int64 = 86_400_000_000

    public var micros: Int64
    public init(micros: Int64) { self.micros = micros }

    public init(date: CivilDate, hour: Int = 0, minute: Int = 0, second: Int = 0, micro: Int = 0) {
        micros = Int64(date.daysSinceEpoch) * Timestamp.microsPerDay
            + Int64(hour * 3600 + minute * 60 + second) * Timestamp.microsPerSecond + Int64(micro)
    }

    public var date: CivilDate {
        CivilDate(daysSinceEpoch: Int(micros.floorDiv(Timestamp.microsPerDay)))
    }

    /// `YYYY-MM-DD HH:MM:SS[.ffffff]`, the form DuckDB and PostgreSQL print.
    public var description: String {
        "\(date) " + Timestamp.timeOfDayText(micros: micros.floorMod(Timestamp.microsPerDay))
    }

    /// `HH:MM:SS[.ffffff]` for microseconds since midnight, trailing zeros of the fraction dropped,
    /// as DuckDB and PostgreSQL print TIME values.
    public static func timeOfDayText(micros: Int64) -> String {
        let secs = Int(micros / microsPerSecond)
        let frac = Int(micros % microsPerSecond)
        var text = "\(String(secs / 3600).leftPadded(to: 2)):\(String(secs / 60 % 60).leftPadded(to: 2)):\(String(secs % 60).leftPadded(to: 2))"
        if frac != 0 {
            var f = String(frac).leftPadded(to: 6)
            while f.hasSuffix("0") { f.removeLast() }
            text += "." + f
        }
        return text
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.micros < b.micros }
}

extension Int64 {
    func floorDiv(_ d: Int64) -> Int64 { let q = self / d; return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q }
    func floorMod(_ d: Int64) -> Int64 { self - floorDiv(d) * d }
}

extension String {
    /// The string padded on the left to `width` characters (`"7".leftPadded(to: 2)` is `"07"`).
    public func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
