import Foundation

/// Which runs may start: at most `maxConcurrentRuns` at once overall, and per job at most its
/// `max_concurrent_runs` (1 unless the job says otherwise); the rest wait, first come first
/// served.
///
/// A run held back only by its own job's limit does not hold back the runs behind it: a
/// second `daily` waiting for the first does not stop an `ingest_landing` queued after it.
/// Among runs that may start, the one queued first starts first.
///
/// A pure value: the runner keeps one, feeds it events and starts what it returns.
///
/// ```swift
/// var queue = RunQueue(maxConcurrentRuns: 4)
/// queue.enqueue(QueuedRun(id: "r1", job: "daily"))
/// for run in queue.startReady() { launch(run) }
/// for run in queue.finish("r1") { launch(run) }
/// ```
public struct RunQueue: Sendable, Hashable, Codable {
    /// The most runs running at once, at least 1.
    public let maxConcurrentRuns: Int
    /// Runs not yet started, in the order they were queued.
    public private(set) var waiting: [QueuedRun] = []
    /// Runs started and not finished, in the order they started.
    public private(set) var running: [QueuedRun] = []

    public init(maxConcurrentRuns: Int) {
        self.maxConcurrentRuns = max(1, maxConcurrentRuns)
    }

    /// Puts a run at the back of the queue. Returns false, changing nothing, when a run with the
    /// same id is already waiting or running (a sensor or a retry reporting the same run twice).
    @discardableResult
    public mutating func enqueue(_ run: QueuedRun) -> Bool {
        guard !waiting.contains(where: { $0.id == run.id }), !running.contains(where: { $0.id == run.id }) else {
            return false
        }
        waiting.append(run)
        return true
    }

    /// The run that would start next, if any may start now.
    public func nextToStart() -> QueuedRun? {
        nextStartableIndex().map { waiting[$0] }
    }

    /// Starts the run `nextToStart()` names and returns it.
    public mutating func startNext() -> QueuedRun? {
        guard let index = nextStartableIndex() else { return nil }
        let run = waiting.remove(at: index)
        running.append(run)
        return run
    }

    /// Starts every run that may start now, in queue order, and returns them.
    public mutating func startReady() -> [QueuedRun] {
        var started: [QueuedRun] = []
        while let run = startNext() { started.append(run) }
        return started
    }

    /// Marks a running run finished (whatever its outcome), then starts and returns the runs
    /// that its place lets start. An id that is not running changes nothing but still starts
    /// what may start.
    public mutating func finish(_ id: String) -> [QueuedRun] {
        markFinished(id)
        return startReady()
    }

    /// Marks a running run finished without starting anything (while shutting down, say).
    /// Returns false when it was not running.
    @discardableResult
    public mutating func markFinished(_ id: String) -> Bool {
        guard let index = running.firstIndex(where: { $0.id == id }) else { return false }
        running.remove(at: index)
        return true
    }

    /// Removes a waiting run (cancelled before it started). Returns false when it was not waiting.
    @discardableResult
    public mutating func cancel(_ id: String) -> Bool {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return false }
        waiting.remove(at: index)
        return true
    }

    private func nextStartableIndex() -> Int? {
        guard running.count < maxConcurrentRuns else { return nil }
        var runningPerJob: [String: Int] = [:]
        for run in running { runningPerJob[run.job, default: 0] += 1 }
        return waiting.firstIndex { runningPerJob[$0.job, default: 0] < $0.maxConcurrentRunsOfJob }
    }
}
