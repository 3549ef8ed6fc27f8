import Foundation

/// What a follower of a run sees: its log lines as they are written, then the finished run.
public enum RunEvent: Sendable, Equatable {
    case line(String)
    case finished(RunRecord)
}

/// One run's events for any number of followers (the CLI handing work to the server, a page).
/// A follower that joins late gets the lines so far first. Lines come from the runner's echo,
/// which is synchronous, so they are kept in order under a lock rather than by hopping tasks.
final class RunFeed: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    private var finished: RunRecord?
    private var followers: [AsyncStream<RunEvent>.Continuation] = []
    /// Lines kept for late followers; the run store keeps the whole log.
    private let keep = 10_000

    func append(_ line: String) {
        lock.withLock {
            if lines.count < keep { lines.append(line) }
            for follower in followers { follower.yield(.line(line)) }
        }
    }

    func finish(_ record: RunRecord) {
        let done = lock.withLock { () -> [AsyncStream<RunEvent>.Continuation] in
            finished = record
            defer { followers = [] }
            return followers
        }
        for follower in done {
            follower.yield(.finished(record))
            follower.finish()
        }
    }

    func follow() -> AsyncStream<RunEvent> {
        AsyncStream { continuation in
            lock.withLock {
                for line in lines { continuation.yield(.line(line)) }
                if let finished {
                    continuation.yield(.finished(finished))
                    continuation.finish()
                } else {
                    followers.append(continuation)
                }
            }
        }
    }
}
