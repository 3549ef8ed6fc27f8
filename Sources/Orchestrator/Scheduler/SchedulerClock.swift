import Foundation

/// The scheduler's time: the wall clock in `serve`, a fake one in tests.
public protocol SchedulerClock: Sendable {
    var now: Date { get }
    /// Returns at `instant` or soon after; throws when the task is cancelled.
    func sleep(until instant: Date) async throws
}

/// Real time.
public struct WallClock: SchedulerClock {
    public init() {}
    public var now: Date { Date() }
    public func sleep(until instant: Date) async throws {
        let seconds = instant.timeIntervalSinceNow
        if seconds > 0 { try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000)) } else { try Task.checkCancellation() }
    }
}
