import Foundation
import PropertyBased
import Testing
@testable import Orchestrator

/// Random interleavings of enqueue and finish: the queue's promises hold after every event.
@Suite struct RunQueuePropertyTests {
    /// An event: enqueue a run of job `n % 4` (job3 allows 2 runs at once), or finish the
    /// running run at index `n`.
    enum Event: Sendable { case enqueue(Int), finish(Int) }

    static let events = zip(Gen.bool(0.6), Gen.int(in: 0...11))
        .map { isEnqueue, n in isEnqueue ? Event.enqueue(n) : Event.finish(n) }
        .array(of: 1...80)

    /// Starts runs one at a time, checking FIFO before each: every run queued before the one
    /// starting and still waiting is held back by its own job's limit, not skipped over.
    private static func startAll(_ queue: inout RunQueue, into started: inout [String]) {
        while let candidate = queue.nextToStart() {
            var perJob: [String: Int] = [:]
            for run in queue.running { perJob[run.job, default: 0] += 1 }
            for earlier in queue.waiting.prefix(while: { $0.id != candidate.id }) {
                #expect(perJob[earlier.job, default: 0] >= earlier.maxConcurrentRunsOfJob,
                        "\(candidate.id) overtook \(earlier.id), which could have started")
            }
            let startedRun = queue.startNext()
            #expect(startedRun == candidate)
            started.append(candidate.id)
        }
    }

    @Test func limitsOrderAndNothingLost() async {
        await propertyCheck(count: 300, input: Self.events, Gen.int(in: 1...4)) { events, limit in
            var queue = RunQueue(maxConcurrentRuns: limit)
            var enqueued: [String] = []
            var started: [String] = []
            var finished: [String] = []
            for event in events {
                switch event {
                case .enqueue(let n):
                    let job = "job\(n % 4)"
                    let run = QueuedRun(id: "r\(enqueued.count)", job: job, maxConcurrentRunsOfJob: job == "job3" ? 2 : 1)
                    let accepted = queue.enqueue(run)
                    #expect(accepted)
                    enqueued.append(run.id)
                case .finish(let n):
                    guard !queue.running.isEmpty else { continue }
                    let id = queue.running[n % queue.running.count].id
                    finished.append(id)
                    var copy = queue
                    let startedByFinish = copy.finish(id)
                    // `finish` starts exactly what starting one by one would.
                    let wasRunning = queue.markFinished(id)
                    #expect(wasRunning)
                    var oneByOne: [String] = []
                    Self.startAll(&queue, into: &oneByOne)
                    #expect(startedByFinish.map(\.id) == oneByOne)
                    #expect(copy == queue)
                    started += oneByOne
                }
                Self.startAll(&queue, into: &started)
                #expect(queue.running.count <= limit, "never more than the limit")
                var perJob: [String: Int] = [:]
                for run in queue.running { perJob[run.job, default: 0] += 1 }
                for (job, count) in perJob { #expect(count <= (job == "job3" ? 2 : 1), "\(job) runs \(count) at once") }
                // Nothing lost or doubled: each run is waiting, running or finished, once.
                let accounted = queue.waiting.map(\.id) + queue.running.map(\.id) + finished
                #expect(accounted.sorted() == enqueued.sorted())
                #expect(Set(started).count == started.count, "no run started twice")
            }
        }
    }
}
