import XCTest
@testable import Orchestrator

final class RunQueueTests: XCTestCase {
    func testAtMostNRunAtOnceAndTheRestWaitInOrder() {
        var queue = RunQueue(maxConcurrentRuns: 2)
        for (id, job) in [("r1", "a"), ("r2", "b"), ("r3", "c"), ("r4", "d")] {
            XCTAssertTrue(queue.enqueue(QueuedRun(id: id, job: job)))
        }
        XCTAssertEqual(queue.nextToStart()?.id, "r1")
        XCTAssertEqual(queue.startReady().map(\.id), ["r1", "r2"])
        XCTAssertNil(queue.nextToStart())
        XCTAssertEqual(queue.finish("r2").map(\.id), ["r3"])
        XCTAssertEqual(queue.finish("r1").map(\.id), ["r4"])
        XCTAssertEqual(queue.running.map(\.id), ["r3", "r4"])
        XCTAssertEqual(queue.waiting, [])
    }

    func testOneRunPerJobWithoutHoldingBackOtherJobs() {
        var queue = RunQueue(maxConcurrentRuns: 4)
        queue.enqueue(QueuedRun(id: "d1", job: "daily"))
        queue.enqueue(QueuedRun(id: "d2", job: "daily"))
        queue.enqueue(QueuedRun(id: "i1", job: "ingest"))
        XCTAssertEqual(queue.startReady().map(\.id), ["d1", "i1"])
        XCTAssertEqual(queue.waiting.map(\.id), ["d2"])
        XCTAssertEqual(queue.finish("i1").map(\.id), [])
        XCTAssertEqual(queue.finish("d1").map(\.id), ["d2"])
    }

    func testJobsAllowingConcurrencyRunSideBySide() {
        var queue = RunQueue(maxConcurrentRuns: 5)
        for i in 1...4 { queue.enqueue(QueuedRun(id: "p\(i)", job: "partition", maxConcurrentRunsOfJob: 3)) }
        XCTAssertEqual(queue.startReady().map(\.id), ["p1", "p2", "p3"])
        XCTAssertEqual(queue.finish("p2").map(\.id), ["p4"])
    }

    func testDuplicatesCancelAndUnknownFinish() {
        var queue = RunQueue(maxConcurrentRuns: 1)
        XCTAssertTrue(queue.enqueue(QueuedRun(id: "r1", job: "a")))
        XCTAssertFalse(queue.enqueue(QueuedRun(id: "r1", job: "a")))
        XCTAssertEqual(queue.startNext()?.id, "r1")
        XCTAssertFalse(queue.enqueue(QueuedRun(id: "r1", job: "a")), "a running id is not queued again")
        queue.enqueue(QueuedRun(id: "r2", job: "b"))
        queue.enqueue(QueuedRun(id: "r3", job: "c"))
        XCTAssertTrue(queue.cancel("r2"))
        XCTAssertFalse(queue.cancel("r2"))
        XCTAssertEqual(queue.finish("nope"), [])
        XCTAssertEqual(queue.finish("r1").map(\.id), ["r3"])
    }

    func testQueueSurvivesEncoding() throws {
        var queue = RunQueue(maxConcurrentRuns: 2)
        queue.enqueue(QueuedRun(id: "r1", job: "a"))
        queue.enqueue(QueuedRun(id: "r2", job: "a"))
        _ = queue.startReady()
        let decoded = try JSONDecoder().decode(RunQueue.self, from: JSONEncoder().encode(queue))
        XCTAssertEqual(decoded, queue)
    }
}
