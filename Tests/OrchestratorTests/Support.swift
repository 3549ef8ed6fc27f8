import Foundation
@testable import Orchestrator

/// An instant from ISO 8601 text with an offset, e.g. "2026-03-29T03:00:00+02:00".
func instant(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    guard let date = formatter.date(from: text) else { fatalError("bad instant in test: \(text)") }
    return date
}

/// An instant as wall-clock text in a zone, with the zone's offset: "2026-03-29 03:00 +02:00".
func wallClock(_ date: Date, _ zone: String) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: zone)
    formatter.dateFormat = "yyyy-MM-dd HH:mm xxx"
    return formatter.string(from: date)
}

/// A small seeded generator (SplitMix64), so tests with jitter are repeatable.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The ticks of a schedule in `(from, to]` worked out the slow, obvious way, minute by minute
/// from the documented rules, as an oracle for `Schedule`'s skipping search.
func bruteForceTicks(_ schedule: Schedule, from: Date, to: Date) -> [Date] {
    let zone = schedule.timeZone
    func offset(_ u: Int64) -> Int64 { Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(u)))) }
    func civil(_ wall: Int64) -> CivilTime { CivilTime(minutesSinceEpoch: wall / 60) }
    var ticks = Set<Int64>()
    let start = (Int64(from.timeIntervalSince1970) / 60 + 1) * 60
    let end = Int64(to.timeIntervalSince1970)
    var u = start
    while u <= end {
        let o = offset(u)
        let wall = u + o
        if schedule.cron.matches(civil(wall)) {
            // First occurrence only, unless the schedule fires every hour.
            var earlier = false
            for other in Set([offset(u - 86_400), offset(u + 86_400)]) where other != o {
                let u2 = wall - other
                if u2 < u && offset(u2) == other { earlier = true }
            }
            if schedule.cron.firesEveryHour || !earlier { ticks.insert(u) }
        }
        // A spring-forward just before u: wall minutes skipped fire at u.
        let before = offset(u - 60)
        if before < o {
            // Find the exact transition second within the last minute.
            var t = u - 59
            while offset(t) == before { t += 1 }
            var w = (t + before + 59) / 60 * 60
            while w < t + o {
                if schedule.cron.matches(civil(w)) { ticks.insert(t) }
                w += 60
            }
        }
        u += 60
    }
    return ticks.filter { $0 > Int64(from.timeIntervalSince1970) && $0 <= end }.sorted()
        .map { Date(timeIntervalSince1970: TimeInterval($0)) }
}
