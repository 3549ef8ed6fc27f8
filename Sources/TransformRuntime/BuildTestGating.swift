/// `build`'s extra ordering: a node waits for the tests of what it is built from, so bad data
/// stops where it is found instead of flowing downstream.
///
/// dbt's rule, kept exactly: a test gates a non-test node when every node the test depends on is
/// upstream of that node. A test on one model gates all of that model's descendants; a
/// relationships test between `orders` and `customers` gates only what is built from both, not
/// everything built from `customers` alone (gating those would also serialise unrelated
/// branches behind each other). Pure graph logic over unique ids.
public enum BuildTestGating {
    /// `parents` with the test edges added: for every test and every node that has all of the
    /// test's parents upstream, the test becomes one more parent of that node.
    public static func edges(parents: [String: Set<String>], isTest: (String) -> Bool) -> [String: Set<String>] {
        var children: [String: [String]] = [:]
        for (child, ps) in parents { for parent in ps { children[parent, default: []].append(child) } }
        var descendantsMemo: [String: Set<String>] = [:]
        func descendants(_ id: String) -> Set<String> {
            if let known = descendantsMemo[id] { return known }
            var seen: Set<String> = []
            var stack = children[id] ?? []
            while let next = stack.popLast() {
                if seen.insert(next).inserted { stack.append(contentsOf: children[next] ?? []) }
            }
            descendantsMemo[id] = seen
            return seen
        }
        var gated = parents
        for test in parents.keys.sorted() where isTest(test) {
            let tested = parents[test] ?? []
            guard let first = tested.first else { continue }
            // nodes with every tested node upstream: the intersection of their descendants
            var downstreamOfAll = descendants(first)
            for other in tested where other != first { downstreamOfAll.formIntersection(descendants(other)) }
            for node in downstreamOfAll where node != test && !isTest(node) {
                gated[node, default: []].insert(test)
            }
        }
        return gated
    }
}
