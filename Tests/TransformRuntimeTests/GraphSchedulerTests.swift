import Synchronization
import TransformRuntime
import XCTest

final class GraphSchedulerTests: XCTestCase {
    // a → b → d, a → c → d, e alone
    let parents: [String: Set<String>] = ["a": [], "b": ["a"], "c": ["a"], "d": ["b", "c"], "e": []]

    func testParentsAlwaysFinishBeforeChildrenAndEveryNodeRunsOnce() async {
        let log = Mutex<[String]>([])
        let scheduler = GraphScheduler(nodes: ["a", "b", "c", "d", "e"], parents: parents)
        let skipped = await scheduler.run(threads: 3, failFast: false) { node in
            log.withLock { $0.append(node) }
            return .succeeded
        }
        let order = log.withLock { $0 }
        XCTAssertEqual(skipped, [])
        XCTAssertEqual(order.sorted(), ["a", "b", "c", "d", "e"])
        XCTAssertLessThan(order.firstIndex(of: "a")!, order.firstIndex(of: "b")!)
        XCTAssertLessThan(order.firstIndex(of: "c")!, order.firstIndex(of: "d")!)
        XCTAssertLessThan(order.firstIndex(of: "b")!, order.firstIndex(of: "d")!)
    }

    func testReadyNodesSharingABatchKeyRunInOneCallAndReleaseTheirChildren() async {
        // a's three tests (t1…t3) share a key; b depends on t2, as a model depends on its parent's tests under build.
        let graph: [String: Set<String>] = ["a": [], "t1": ["a"], "t2": ["a"], "t3": ["a"], "b": ["t2"], "u": ["b"], "e": []]
        let calls = Mutex<[[String]]>([])
        let scheduler = GraphScheduler(nodes: Array(graph.keys), parents: graph)
        let skipped = await scheduler.run(threads: 2, failFast: false, batchKey: { $0.hasPrefix("t") || $0 == "u" ? "tests of \(graph[$0]!.sorted())" : nil }) { batch in
            calls.withLock { $0.append(batch) }
            return batch.map { $0 == "t3" ? .failed(blocksDescendants: true) : .succeeded }
        }
        let batches = calls.withLock { $0 }
        XCTAssertEqual(batches.filter { $0.count > 1 }, [["t1", "t2", "t3"]])
        XCTAssertEqual(batches.flatMap { $0 }.sorted(), ["a", "b", "e", "t1", "t2", "t3", "u"])
        XCTAssertLessThan(batches.firstIndex(of: ["t1", "t2", "t3"])!, batches.firstIndex(of: ["b"])!)
        XCTAssertEqual(skipped, [], "t3 failing blocks nothing: no node depends on it")
    }

    func testALoneNodeWithNothingReadyBehindItIsToldItMayUseEveryCore() async {
        // a → {b, c} → d: a and d run alone with nothing ready behind them; b and c run together.
        let graph: [String: Set<String>] = ["a": [], "b": ["a"], "c": ["a"], "d": ["b", "c"]]
        let log = Mutex<[String]>([])
        let scheduler = GraphScheduler(nodes: Array(graph.keys), parents: graph)
        _ = await scheduler.run(threads: 2, failFast: false, batchKey: { _ in nil },
                                concurrency: { count in log.withLock { $0.append("concurrency \(count)") } }) { batch in
            log.withLock { $0.append("run \(batch[0])") }
            return [.succeeded]
        }
        let events = log.withLock { $0 }
        let start = { (node: String) in events.firstIndex(of: "run \(node)")! }
        // Told 1 before a runs alone (or while it runs), 2 once b and c are both ready, 1 again for d.
        XCTAssertEqual(events.filter { $0.hasPrefix("concurrency") }, ["concurrency 1", "concurrency 2", "concurrency 1"], "\(events)")
        let raised = events.indices.filter { events[$0] == "concurrency 2" }[0]
        XCTAssertLessThan(start("a"), raised)
        XCTAssertLessThan(raised, events.lastIndex(of: "concurrency 1")!)
        XCTAssertLessThan(events.lastIndex(of: "concurrency 1")!, start("d") + 1)

        // With one thread nothing ever changes, so nothing is said.
        let quiet = Mutex(0)
        _ = await scheduler.run(threads: 1, failFast: false, batchKey: { _ in nil }, concurrency: { _ in quiet.withLock { $0 += 1 } }) { _ in [.succeeded] }
        XCTAssertEqual(quiet.withLock { $0 }, 0)
    }

    func testAFailureSkipsDescendantsButNotOtherBranches() async {
        let ran = Mutex<Set<String>>([])
        let scheduler = GraphScheduler(nodes: ["a", "b", "c", "d", "e"], parents: parents)
        let skipped = await scheduler.run(threads: 2, failFast: false) { node in
            ran.withLock { _ = $0.insert(node) }
            return node == "b" ? .failed(blocksDescendants: true) : .succeeded
        }
        XCTAssertEqual(skipped, ["d"])
        XCTAssertEqual(ran.withLock { $0 }, ["a", "b", "c", "e"])
    }

    func testAWarningDoesNotSkipDescendants() async {
        let scheduler = GraphScheduler(nodes: ["a", "b", "c", "d", "e"], parents: parents)
        let skipped = await scheduler.run(threads: 2, failFast: false) { node in
            node == "a" ? .failed(blocksDescendants: false) : .succeeded
        }
        XCTAssertEqual(skipped, [])
    }

    func testFailFastStopsEverythingNotYetStarted() async {
        let scheduler = GraphScheduler(nodes: ["a", "b", "c", "d", "e"], parents: parents)
        let skipped = await scheduler.run(threads: 1, failFast: true) { node in
            node == "a" ? .failed(blocksDescendants: true) : .succeeded
        }
        XCTAssertEqual(Set(skipped), ["b", "c", "d", "e"])
    }

    func testConcurrencyNeverExceedsThreads() async {
        let state = Mutex<(now: Int, peak: Int)>((0, 0))
        let nodes = (0..<12).map { "n\($0)" }
        let scheduler = GraphScheduler(nodes: nodes, parents: [:])
        _ = await scheduler.run(threads: 3, failFast: false) { _ in
            state.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) }
            try? await Task.sleep(nanoseconds: 20_000_000)
            state.withLock { $0.now -= 1 }
            return .succeeded
        }
        XCTAssertEqual(state.withLock { $0.peak }, 3)
    }

    func testNodesWithMoreDescendantsStartFirst() async {
        // "z" heads a long chain, "a" is a leaf: with one thread, z starts first despite its name.
        let chain: [String: Set<String>] = ["a": [], "z": [], "z1": ["z"], "z2": ["z1"]]
        let log = Mutex<[String]>([])
        _ = await GraphScheduler(nodes: ["a", "z", "z1", "z2"], parents: chain).run(threads: 1, failFast: false) { node in
            log.withLock { $0.append(node) }
            return .succeeded
        }
        XCTAssertEqual(log.withLock { $0 }, ["z", "z1", "a", "z2"])
    }

    func testOrderIsTopologicalAndNilOnACycle() {
        XCTAssertEqual(GraphScheduler(nodes: ["a", "b", "c", "d", "e"], parents: parents).order(), ["a", "b", "c", "d", "e"])
        XCTAssertNil(GraphScheduler(nodes: ["x", "y"], parents: ["x": ["y"], "y": ["x"]]).order())
    }
}
