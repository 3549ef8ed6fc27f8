import Foundation

/// Where a run or one attempt of a step stands. Stored as its raw value (`timed_out` for
/// ``timedOut``), which is also what the CLI's `--status` and the JSON API accept.
public enum RunStatus: String, Codable, Sendable, CaseIterable {
    /// Waiting for a free slot in the run queue.
    case queued
    /// A storehouse process is executing it now.
    case running
    case succeeded
    case failed
    /// The process executing it stopped (killed or crashed) before it finished; found and
    /// marked at the next start (``RunStore/markInterrupted(at:)``).
    case interrupted
    /// Stopped for going over its `timeout`.
    case timedOut = "timed_out"
    /// Stopped on a user's request.
    case cancelled

    /// Whether the run or attempt is over: anything but `queued` and `running`.
    public var isFinished: Bool {
        switch self {
        case .queued, .running: false
        case .succeeded, .failed, .interrupted, .timedOut, .cancelled: true
        }
    }
}
