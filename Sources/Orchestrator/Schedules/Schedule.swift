import Foundation

/// A cron expression placed in a named time zone: the instants at which a job is due.
///
/// The expression matches wall-clock minutes in the zone. Most wall-clock minutes happen exactly
/// once; around daylight-saving changes some never happen and some happen twice. This is what a
/// schedule does then (the rules of Dagster and cronie, which users already know):
///
/// - **Spring forward (a gap).** A matching local time that does not exist that day, such as
///   02:30 on 29 March 2026 in Europe/Berlin, fires once at the first instant after the gap
///   (03:00 CEST). Several matching minutes in one gap, or a match at the end of the gap, still
///   fire once.
/// - **Fall back (a repeated hour).** A matching local time that happens twice, such as 02:30 on
///   25 October 2026 in Europe/Berlin, fires once, at its first occurrence (02:30 CEST).
/// - **Schedules that fire every hour** (the hour field is `*`, so `@hourly`, `*/15 * * * *` …)
///   follow the wall clock instead, so they keep firing once per real hour: in a repeated hour
///   they fire in both passes, and across a gap the hour that does not exist fires once at the
///   end of the gap, like any other gap.
///
/// Ticks are therefore a fixed, strictly increasing set of instants: asking for the next tick
/// after any instant, then the next after that, visits the same ticks as asking for all ticks
/// in a range at once.
///
/// ```swift
/// let daily = try Schedule("30 2 * * *", timeZone: "Europe/Berlin")
/// daily.nextTick(after: someInstant)
/// ```
public struct Schedule: Sendable, Hashable {
    /// The pattern of wall-clock minutes.
    public let cron: CronExpression
    /// The zone whose wall clock the pattern matches.
    public let timeZone: TimeZone

    /// A schedule of `cron` in the zone named by an IANA identifier such as `Europe/Berlin`.
    ///
    /// - Throws: `OrchestratorError` when the zone is unknown.
    public init(cron: CronExpression, timeZone identifier: String) throws(OrchestratorError) {
        guard let zone = TimeZone(identifier: identifier) else {
            throw OrchestratorError("unknown time zone '\(identifier)'",
                                    hint: "use an IANA name such as Europe/Berlin, America/New_York or UTC")
        }
        self.cron = cron
        self.timeZone = zone
    }

    /// Parses `cron` and places it in the zone named `timeZone`.
    public init(_ cron: String, timeZone: String = "UTC") throws(OrchestratorError) {
        try self.init(cron: CronExpression(cron), timeZone: timeZone)
    }

    /// The first tick strictly after `instant`.
    ///
    /// Expressions are checked when parsed so that each one fires at some point; should the
    /// search still find nothing within decades, the answer is `Date.distantFuture`.
    public func nextTick(after instant: Date) -> Date {
        nextTickSeconds(after: Int64(instant.timeIntervalSince1970.rounded(.down)))
            .map { Date(timeIntervalSince1970: TimeInterval($0)) } ?? .distantFuture
    }

    /// The ticks in `(after, through]`, oldest first, at most `limit` of them.
    public func ticks(after start: Date, through end: Date, limit: Int = .max) -> [Date] {
        var result: [Date] = []
        var cursor = start
        while result.count < limit {
            let tick = nextTick(after: cursor)
            guard tick <= end else { break }
            result.append(tick)
            cursor = tick
        }
        return result
    }

    // MARK: - Ticks in seconds since 1970

    private func offset(_ instant: Int64) -> Int64 {
        Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant))))
    }

    /// The next change of UTC offset strictly after `instant`, if any.
    private func transition(after instant: Int64) -> Int64? {
        var probe = instant
        // Asked at a transition, Foundation may answer with that same transition.
        for _ in 0..<2 {
            guard let next = timeZone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: TimeInterval(probe)))
            else { return nil }
            let seconds = Int64(next.timeIntervalSince1970.rounded(.up))
            if seconds > instant { return seconds }
            probe = instant + 1
        }
        return nil
    }

    /// The first matching wall-clock minute at or after a wall-clock second.
    private func match(atOrAfterLocalSecond s: Int64) -> Int64? {
        let minute = s >= 0 ? (s + 59) / 60 : -((-s) / 60)
        return cron.nextMatch(atOrAfter: CivilTime(minutesSinceEpoch: minute)).map(\.localSeconds)
    }

    /// Whether a wall-clock minute in `[from, to)` matches: the gap a spring-forward skips.
    private func gapMatches(fromLocal from: Int64, toLocal to: Int64) -> Bool {
        guard let m = match(atOrAfterLocalSecond: from) else { return false }
        return m < to
    }

    /// The first instant in `(low, high]` whose offset is not `offset`: an offset change that
    /// `nextDaylightSavingTimeTransition` did not report (a zone moving its standard time).
    private func hiddenTransition(after low: Int64, through high: Int64, from offset: Int64) -> Int64 {
        var (lo, hi) = (low, high)
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if self.offset(mid) == offset { lo = mid } else { hi = mid }
        }
        return hi
    }

    /// The tick set is walked one stretch of constant UTC offset (a segment) at a time: inside a
    /// segment wall clock and instants move together, so the first matching wall-clock minute
    /// is the first tick; between segments sits the transition, where a gap may fire.
    private func nextTickSeconds(after instant: Int64) -> Int64? {
        var start = instant + 1  // ticks are at or after this instant
        // The segment around `start` began at the last transition; look two days back for it,
        // as only a recent one can matter (a gap at `start` itself, or a repeated hour).
        var segmentStart: Int64?
        var probe = start - 2 * 86_400
        while let next = transition(after: probe), next <= start {
            segmentStart = next
            probe = next
        }
        var previousOffset = segmentStart.map { offset($0 - 1) }
        if let s = segmentStart, s == start, let p = previousOffset, p < offset(s),
           gapMatches(fromLocal: s + p, toLocal: s + offset(s)) {
            return s
        }
        for _ in 0..<400 {
            let o = offset(start)
            var end = transition(after: start)
            var wallLow = start + o
            // First pass only: skip wall times this segment repeats from before a fall-back.
            if !cron.firesEveryHour, let s = segmentStart, let p = previousOffset, p > o {
                wallLow = max(wallLow, s + p)
            }
            if let wall = match(atOrAfterLocalSecond: wallLow) {
                let candidate = wall - o
                if end.map({ candidate < $0 }) ?? true {
                    if offset(candidate) == o { return candidate }
                    end = hiddenTransition(after: start, through: candidate, from: o)
                }
            } else if end == nil {
                return nil
            }
            guard let e = end else { return nil }
            let after = offset(e)
            if after > o, gapMatches(fromLocal: e + o, toLocal: e + after) { return e }
            segmentStart = e
            previousOffset = o
            start = e
        }
        return nil
    }
}
