/// The dependency graph of a manifest: parents, children, topological order; a cycle is an error
/// that names it (`model.x.a -> model.x.b -> model.x.a`).
public struct DAG: Sendable {
    public let parents: [String: [String]]
    public let children: [String: [String]]
    /// Every resource, parents before children (ties broken by unique id, so the order is stable).
    public let topologicalOrder: [String]

    public init(manifest: Manifest) throws {
        var parents: [String: [String]] = [:]
        var children: [String: [String]] = [:]
        let count = manifest.nodes.count + manifest.sources.count + manifest.exposures.count
        parents.reserveCapacity(count)
        children.reserveCapacity(count)
        // Visiting order does not matter (children are sorted below), so the dictionaries are read
        // in place rather than through `allResources`, which copies and sorts every node.
        for resources in [manifest.nodes, manifest.sources, manifest.exposures] {
            for (id, node) in resources {
                parents[id] = node.dependsOnNodes
                if children[id] == nil { children[id] = [] }
                for p in node.dependsOnNodes { children[p, default: []].append(id) }
            }
        }
        for key in children.keys { children[key]!.sort() }
        self.parents = parents
        self.children = children

        // Kahn's algorithm in waves: each wave is every node whose parents are all placed, sorted by
        // id, so the order is stable without re-sorting a queue for every release.
        var indegree = parents.mapValues { $0.filter { parents[$0] != nil }.count }
        var wave = indegree.filter { $0.value == 0 }.map(\.key).sorted()
        var order: [String] = []
        order.reserveCapacity(parents.count)
        while !wave.isEmpty {
            order.append(contentsOf: wave)
            var next: [String] = []
            for id in wave {
                for c in children[id] ?? [] {
                    indegree[c]! -= 1
                    if indegree[c] == 0 { next.append(c) }
                }
            }
            wave = next.sorted()
        }
        if order.count < parents.count {
            let stuck = Set(parents.keys).subtracting(order)
            let cycle = DAG.findCycle(in: stuck, parents: parents)
            let file = manifest.resource(cycle[0])?.originalFilePath ?? ""
            throw TransformError(file: file, "dependency cycle: \(cycle.joined(separator: " -> ")); remove one of these refs to break it")
        }
        topologicalOrder = order
    }

    static func findCycle(in stuck: Set<String>, parents: [String: [String]]) -> [String] {
        let start = stuck.min()!
        var path: [String] = [start]
        var seen: [String: Int] = [start: 0]
        var current = start
        while true {
            guard let next = (parents[current] ?? []).filter({ stuck.contains($0) }).sorted().first else { return path }
            if let index = seen[next] {
                // Read as "depends on": a -> b means a refs b.
                return Array(path[index...]) + [next]
            }
            seen[next] = path.count
            path.append(next)
            current = next
        }
    }

    /// All ancestors of `id`, up to `depth` generations (nil = all).
    public func ancestors(of id: String, depth: Int? = nil) -> Set<String> { walk(from: id, edges: parents, depth: depth) }
    /// All descendants of `id`, up to `depth` generations (nil = all).
    public func descendants(of id: String, depth: Int? = nil) -> Set<String> { walk(from: id, edges: children, depth: depth) }

    private func walk(from id: String, edges: [String: [String]], depth: Int?) -> Set<String> {
        var result: Set<String> = []
        var frontier = [id]
        var level = 0
        while !frontier.isEmpty, depth.map({ level < $0 }) ?? true {
            var next: [String] = []
            for n in frontier { for e in edges[n] ?? [] where result.insert(e).inserted { next.append(e) } }
            frontier = next
            level += 1
        }
        return result
    }
}
