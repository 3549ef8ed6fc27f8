import Foundation

/// What a schedule should run now, decided from the last tick the run store recorded.
public struct TickDecision: Sendable, Hashable {
    /// Ticks to start runs for, oldest first. Each is the instant the run is "for" (a daily job's
    /// `ds` comes from it), not the instant the run starts.
    public var ticks: [Date]
    /// Missed ticks that are not run: all but the latest without catch-up, the oldest beyond the
    /// cap with it.
    public var skipped: Int
    /// What to record as the schedule's last evaluated instant, so the next decision starts here.
    /// It is never earlier than the recorded one, so a clock stepping back does not fire twice.
    public var evaluatedThrough: Date

    public init(ticks: [Date], skipped: Int, evaluatedThrough: Date) {
        self.ticks = ticks
        self.skipped = skipped
        self.evaluatedThrough = evaluatedThrough
    }
}

/// Decides which ticks of a schedule are due, given what was already handled and the time now.
///
/// The scheduler calls `decide` whenever it wakes (on its timer or after a restart) and persists
/// `evaluatedThrough`; a restart after any downtime then picks up exactly the ticks it missed:
///
/// - `catchup: true` runs every missed tick in order; after a long outage only the most recent
///   `maxCatchUpRuns` are run (as Dagster does), and the rest are counted in `skipped`.
/// - `catchup: false` runs only the latest missed tick: a daily load that was down for a week
///   loads once, not seven times.
/// - A schedule seen for the first time (`lastEvaluated == nil`) does not backfill history: it
///   starts from now. Backfills are a separate, explicit command.
///
/// ```swift
/// let ticker = ScheduleTicker(schedule: daily, catchup: false)
/// let decision = ticker.decide(lastEvaluated: stored, now: clock.now)
/// ```
public struct ScheduleTicker: Sendable, Hashable {
    /// The most missed ticks a catch-up runs unless told otherwise.
    public static let defaultMaxCatchUpRuns = 50

    public var schedule: Schedule
    public var catchup: Bool
    /// With catch-up, at most this many missed ticks are run; at least 1.
    public var maxCatchUpRuns: Int

    public init(schedule: Schedule, catchup: Bool, maxCatchUpRuns: Int = ScheduleTicker.defaultMaxCatchUpRuns) {
        self.schedule = schedule
        self.catchup = catchup
        self.maxCatchUpRuns = max(1, maxCatchUpRuns)
    }

    /// The ticks in `(lastEvaluated, now]` to run now, and what to record.
    ///
    /// - Parameters:
    ///   - lastEvaluated: the `evaluatedThrough` of the previous decision, or nil for a schedule
    ///     the store has never evaluated.
    ///   - now: the current instant, from the clock passed to the scheduler.
    public func decide(lastEvaluated: Date?, now: Date) -> TickDecision {
        guard let last = lastEvaluated else {
            return TickDecision(ticks: [], skipped: 0, evaluatedThrough: now)
        }
        guard now > last else {
            return TickDecision(ticks: [], skipped: 0, evaluatedThrough: last)
        }
        let keep = catchup ? maxCatchUpRuns : 1
        // Walk all missed ticks but keep only the newest `keep`: counting what is skipped needs
        // the walk, holding them all does not.
        var kept: [Date] = []
        kept.reserveCapacity(keep)
        var skipped = 0
        var cursor = last
        while true {
            let tick = schedule.nextTick(after: cursor)
            guard tick <= now else { break }
            if kept.count == keep {
                kept.removeFirst()
                skipped += 1
            }
            kept.append(tick)
            cursor = tick
        }
        return TickDecision(ticks: kept, skipped: skipped, evaluatedThrough: now)
    }

    /// The next instant at which `decide` would return a tick, for the scheduler's timer.
    public func nextWakeUp(after evaluatedThrough: Date) -> Date {
        schedule.nextTick(after: evaluatedThrough)
    }
}
