/// Runs the nodes of a DAG with at most `threads` at a time, each as soon as its parents are done.
///
/// A node whose parent failed (with `blocksDescendants`) is not run: it is reported skipped, and
/// so are its own descendants. With `failFast`, the first failure stops new nodes from starting.
/// Pure scheduling: what a node does is the caller's `work`.
public struct GraphScheduler<ID: Hashable & Sendable & Comparable>: Sendable {
    public var parents: [ID: Set<ID>]
    /// Among ready nodes, which to start first: the one with the most descendants, so long
    /// chains (the critical path) start early and leaves such as tests fill the gaps.
    let weight: [ID: Int]

    /// `parents` may mention ids outside `nodes`: those are taken as already done.
    public init(nodes: [ID], parents: [ID: Set<ID>]) {
        let members = Set(nodes)
        var restricted: [ID: Set<ID>] = [:]
        for node in nodes { restricted[node] = (parents[node] ?? []).intersection(members) }
        self.parents = restricted
        weight = GraphScheduler.descendantCounts(restricted)
    }

    /// How many nodes depend on each node, directly or not.
    static func descendantCounts(_ parents: [ID: Set<ID>]) -> [ID: Int] {
        var children: [ID: [ID]] = [:]
        for (node, ps) in parents { for p in ps { children[p, default: []].append(node) } }
        var counts: [ID: Int] = [:]
        for node in parents.keys {
            var seen: Set<ID> = []
            var stack = children[node] ?? []
            while let next = stack.popLast() {
                if seen.insert(next).inserted { stack.append(contentsOf: children[next] ?? []) }
            }
            counts[node] = seen.count
        }
        return counts
    }

    /// Ready nodes sorted so `popLast()` yields the heaviest, ties by smallest id.
    func startOrder(_ a: ID, _ b: ID) -> Bool {
        let wa = weight[a] ?? 0, wb = weight[b] ?? 0
        return wa != wb ? wa < wb : a > b
    }

    public enum Verdict: Sendable, Equatable {
        case succeeded
        /// Failed; descendants are skipped when `blocksDescendants` (errors, failing tests),
        /// not for warnings.
        case failed(blocksDescendants: Bool)
    }

    /// Runs every node; returns the ids that were skipped because an ancestor failed or
    /// fail-fast stopped the run, in a stable order.
    public func run(threads: Int, failFast: Bool, work: @escaping @Sendable (ID) async -> Verdict) async -> [ID] {
        await run(threads: threads, failFast: failFast, batchKey: { _ in nil }) { batch in [await work(batch[0])] }
    }

    /// Runs every node as `run(threads:failFast:work:)` does, except that ready nodes sharing a
    /// `batchKey` are handed to one `work` call together (one thread), which returns a verdict per
    /// node in the order given. Nodes with the same parents become ready at the same moment, so a
    /// key made of the parents (the tests of one model, say) batches all of them.
    ///
    /// `concurrency` hears how many nodes may run at once from now on, each time that changes:
    /// 1 while a lone node runs with nothing ready behind it (a chain's bottleneck, which may
    /// then use every core), else `threads`.
    public func run(threads: Int, failFast: Bool, batchKey: @escaping @Sendable (ID) -> String?,
                    concurrency: (@Sendable (Int) async -> Void)? = nil,
                    work: @escaping @Sendable ([ID]) async -> [Verdict]) async -> [ID] {
        var children: [ID: [ID]] = [:]
        var waitingOn: [ID: Int] = [:]
        for (node, ps) in parents {
            waitingOn[node] = ps.count
            for p in ps { children[p, default: []].append(node) }
        }
        var ready = parents.keys.filter { waitingOn[$0] == 0 }.sorted()
        var blocked: Set<ID> = []
        var skipped: [ID] = []
        var stop = false
        var running = 0
        var reported = max(1, threads)

        await withTaskGroup(of: [(ID, Verdict)].self) { group in
            func release(_ node: ID, blocking: Bool) {
                for child in children[node] ?? [] {
                    if blocking { blocked.insert(child) }
                    waitingOn[child]! -= 1
                    if waitingOn[child] == 0 { ready.append(child) }
                }
            }
            while true {
                ready.sort(by: startOrder)
                var starting: [[ID]] = []
                while running + starting.count < max(1, threads), let node = ready.popLast() {
                    if blocked.contains(node) || stop {
                        skipped.append(node)
                        release(node, blocking: true)
                        continue
                    }
                    var batch = [node]
                    if let key = batchKey(node) {
                        let siblings = Set(ready.filter { batchKey($0) == key && !blocked.contains($0) })
                        ready.removeAll { siblings.contains($0) }
                        batch = (batch + siblings).sorted()
                    }
                    starting.append(batch)
                }
                // Said before the nodes start, so a lone node's statements run with what it is told.
                let allowed = running + starting.count <= 1 && ready.isEmpty ? 1 : max(1, threads)
                if let concurrency, allowed != reported {
                    reported = allowed
                    await concurrency(allowed)
                }
                for batch in starting {
                    running += 1
                    group.addTask {
                        let verdicts = await work(batch)
                        precondition(verdicts.count == batch.count, "one verdict per node of a batch")
                        return Array(zip(batch, verdicts))
                    }
                }
                guard running > 0, let finished = await group.next() else { break }
                running -= 1
                for (node, verdict) in finished {
                    switch verdict {
                    case .succeeded: release(node, blocking: false)
                    case .failed(let blocks):
                        if failFast && blocks { stop = true }
                        release(node, blocking: blocks)
                    }
                }
            }
        }
        return skipped
    }

    /// Topological order (parents first), ties broken by id; nil when there is a cycle.
    public func order() -> [ID]? {
        var waitingOn = parents.mapValues(\.count)
        var children: [ID: [ID]] = [:]
        for (node, ps) in parents { for p in ps { children[p, default: []].append(node) } }
        var ready = parents.keys.filter { waitingOn[$0] == 0 }.sorted(by: >)
        var out: [ID] = []
        while let node = ready.popLast() {
            out.append(node)
            for child in children[node] ?? [] {
                waitingOn[child]! -= 1
                if waitingOn[child] == 0 {
                    ready.append(child)
                    ready.sort(by: >)
                }
            }
        }
        return out.count == parents.count ? out : nil
    }
}
