import Foundation
import WarehouseKit

/// Instants and durations as the runs API and pages write them. Pure arithmetic on Unix time:
/// no formatter objects (not safe to share across threads on Linux, and slow to make per call).
enum TimeText {
    /// ISO 8601 in UTC with milliseconds, `2026-12-05T14:03:07.123Z` (truncated, never rounded
    /// up, so an instant never reads later than it was).
    static func iso(_ date: Date) -> String {
        let (day, millisecond) = split(date)
        let civil = CivilDate(daysSinceEpoch: day)
        let seconds = millisecond / 1000
        return "\(pad(civil.year, 4))-\(pad(civil.month, 2))-\(pad(civil.day, 2))T\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2))"
            + ":\(pad(seconds % 60, 2)).\(pad(millisecond % 1000, 3))Z"
    }

    /// For reading on a page: `2026-12-05 14:03:07 UTC`.
    static func display(_ date: Date) -> String {
        let (day, millisecond) = split(date)
        let civil = CivilDate(daysSinceEpoch: day)
        let seconds = millisecond / 1000
        return "\(pad(civil.year, 4))-\(pad(civil.month, 2))-\(pad(civil.day, 2)) \(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2))"
            + ":\(pad(seconds % 60, 2)) UTC"
    }

    /// The time of day alone, `14:03:07`, for axis labels within one day.
    static func clock(_ date: Date, withSeconds: Bool = true) -> String {
        let seconds = split(date).millisecond / 1000
        let hm = "\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2))"
        return withSeconds ? hm + ":\(pad(seconds % 60, 2))" : hm
    }

    /// The date alone, `2026-12-05`.
    static func day(_ date: Date) -> String { String(display(date).prefix(10)) }

    /// `<time>` with the machine-readable instant and the readable one.
    static func element(_ date: Date) -> String {
        "<time datetime=\"\(iso(date))\">\(display(date))</time>"
    }

    /// A duration the way people say it: `0.42 s`, `12.3 s`, `4 min 05 s`, `2 h 07 min`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "–" }
        let s = max(0, seconds)
        if s < 10 { return String(format: "%.2f s", s) }
        if s < 60 { return String(format: "%.1f s", s) }
        let whole = Int(s.rounded(.down))
        if whole < 3600 { return "\(whole / 60) min \(pad(whole % 60, 2)) s" }
        if whole < 86_400 { return "\(whole / 3600) h \(pad(whole / 60 % 60, 2)) min" }
        return "\(whole / 86_400) d \(whole / 3600 % 24) h"
    }

    /// How long ago `date` was at `now`: `just now`, `45 s ago`, `12 min ago`, `2 h ago`,
    /// `3 days ago`. An instant after `now` (clocks of two machines) reads `just now`.
    static func age(of date: Date, now: Date) -> String {
        let seconds = now.timeIntervalSince(date)
        if seconds < 5 { return "just now" }
        if seconds < 60 { return "\(Int(seconds)) s ago" }
        if seconds < 3600 { return "\(Int(seconds / 60)) min ago" }
        if seconds < 86_400 { return "\(Int(seconds / 3600)) h ago" }
        let days = Int(seconds / 86_400)
        return days == 1 ? "1 day ago" : "\(days) days ago"
    }

    /// When something is due: `in 3 h`, `in 12 min`, `in 2 days`.
    static func until(_ date: Date, now: Date) -> String {
        let seconds = date.timeIntervalSince(now)
        if seconds < 60 { return "in under a minute" }
        if seconds < 3600 { return "in \(Int(seconds / 60)) min" }
        if seconds < 86_400 { return "in \(Int(seconds / 3600)) h" }
        let days = Int(seconds / 86_400)
        return days == 1 ? "in 1 day" : "in \(days) days"
    }

    /// A schedule's zone as users write it: Foundation on Linux names UTC "GMT".
    static func zoneName(_ zone: TimeZone) -> String {
        zone.identifier == "GMT" ? "UTC" : zone.identifier
    }

    /// Days since 1970 and milliseconds into that day, flooring for instants before 1970 too.
    private static func split(_ date: Date) -> (day: Int, millisecond: Int) {
        // To the nearest microsecond first: 1764943387.123 is stored as a double a hair below,
        // and flooring its milliseconds straight away would read .122.
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let total = micros >= 0 ? micros / 1000 : (micros - 999) / 1000
        let perDay: Int64 = 86_400_000
        var day = total / perDay
        var rest = total % perDay
        if rest < 0 {
            day -= 1
            rest += perDay
        }
        return (Int(day), Int(rest))
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
