import Foundation
import TransformProject

/// The project's buildable nodes — models, seeds, snapshots — with the sources they read, and
/// the edges of their `depends_on`, laid out left to right by DAG depth (the longest path from
/// an input), so every edge points right and a column is a stage of the build. Pure.
struct ModelGraph {
    struct Node: Sendable {
        var id: String
        /// The model's name; a source's `source_name.table`.
        var label: String
        var kind: ResourceType
        /// `table`, `view`, `incremental`, `ephemeral`…; nil for sources.
        var materialized: String?
        /// Parents among the shown nodes.
        var parents: [String]
        /// Tests attached to the node (their results mark it "tests failing").
        var tests: [String]
        var path: String
    }

    /// Every shown node by id.
    var nodes: [String: Node]

    static let kinds: Set<ResourceType> = [.model, .seed, .snapshot, .source]

    /// The graph of `manifest`, or of the nodes `selected` names (with the sources they read
    /// directly, which a selection leaves out unless it names them).
    init(manifest: Manifest, selected: Set<String>? = nil) {
        var shown = Set((Array(manifest.nodes.values) + Array(manifest.sources.values)).filter { Self.kinds.contains($0.resourceType) }.map(\.uniqueId))
        if let selected {
            var chosen = shown.intersection(selected)
            for id in chosen { manifest.resource(id)?.dependsOnNodes.filter { $0.hasPrefix("source.") }.forEach { chosen.insert($0) } }
            shown = chosen.intersection(shown)
        }
        var tests: [String: [String]] = [:]
        for test in manifest.nodes.values where test.resourceType == .test {
            guard let target = test.attachedNode ?? (test.dependsOnNodes.count == 1 ? test.dependsOnNodes.first : nil), shown.contains(target) else { continue }
            tests[target, default: []].append(test.uniqueId)
        }
        var nodes: [String: Node] = [:]
        for id in shown {
            guard let node = manifest.resource(id) else { continue }
            let parts = id.split(separator: ".")
            let label = node.resourceType == .source && parts.count >= 4 ? parts[2...].joined(separator: ".") : node.name
            nodes[id] = Node(id: id, label: label, kind: node.resourceType,
                             materialized: node.resourceType == .source ? nil : node.config.materialized,
                             parents: Array(Set(node.dependsOnNodes.filter(shown.contains))).sorted(),
                             tests: (tests[id] ?? []).sorted(), path: node.originalFilePath)
        }
        self.nodes = nodes
    }

    /// The longest path from an input to each node: 0 for nodes without shown parents.
    func depths() -> [String: Int] {
        var depth: [String: Int] = [:]
        var visiting: Set<String> = []
        func visit(_ id: String) -> Int {
            if let known = depth[id] { return known }
            // A cycle cannot load, but a broken manifest must not hang the page.
            guard visiting.insert(id).inserted else { return 0 }
            let value = (nodes[id]?.parents.map { visit($0) + 1 }.max()) ?? 0
            depth[id] = value
            return value
        }
        for id in nodes.keys.sorted() { _ = visit(id) }
        return depth
    }
}

/// Where each node of a `ModelGraph` sits: columns by depth, each as wide as its widest label,
/// rows ordered to keep edges short (barycentre sweeps, as in Sugiyama's method), columns
/// centred vertically. Coordinates are SVG user units.
struct ModelGraphLayout {
    struct Box {
        var x: Double
        var y: Double
        var width: Double
        var column: Int
    }

    static let nodeHeight = 40.0
    static let rowGap = 12.0
    static let columnGap = 56.0
    static let margin = 12.0
    static var pitch: Double { nodeHeight + rowGap }

    let columns: [[String]]
    let boxes: [String: Box]
    let width: Double
    let height: Double

    /// - Parameter widths: each node's wanted width (its labels plus padding).
    init(graph: ModelGraph, widths: [String: Double], sweeps: Int = 4) {
        let depths = graph.depths()
        let count = (depths.values.max() ?? -1) + 1
        var columns: [[String]] = Array(repeating: [], count: count)
        for (id, depth) in depths { columns[depth].append(id) }
        let kindOrder: [ResourceType: Int] = [.source: 0, .seed: 1, .snapshot: 2, .model: 3]
        for index in columns.indices {
            columns[index].sort { a, b in
                let (x, y) = (graph.nodes[a]!, graph.nodes[b]!)
                return (kindOrder[x.kind] ?? 9, x.path, x.label) < (kindOrder[y.kind] ?? 9, y.path, y.label)
            }
        }
        var children: [String: [String]] = [:]
        for node in graph.nodes.values { for parent in node.parents { children[parent, default: []].append(node.id) } }
        let tallest = columns.map(\.count).max() ?? 0

        func centres(_ columns: [[String]]) -> [String: Double] {
            var y: [String: Double] = [:]
            for column in columns {
                let offset = Double(tallest - column.count) * Self.pitch / 2
                for (row, id) in column.enumerated() { y[id] = offset + Double(row) * Self.pitch }
            }
            return y
        }
        // Sort each column by the mean height of its neighbours on one side, sweeping right
        // then left; nodes without such neighbours keep their place as their key.
        func sweep(_ order: [Int], neighbours: (String) -> [String]) {
            for index in order {
                let y = centres(columns)
                let keyed = columns[index].enumerated().map { row, id -> (Double, Int, String) in
                    let near = neighbours(id).compactMap { y[$0] }
                    return (near.isEmpty ? y[id]! : near.reduce(0, +) / Double(near.count), row, id)
                }
                columns[index] = keyed.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
            }
        }
        if count > 1 {
            for _ in 0..<sweeps {
                sweep(Array(1..<count)) { graph.nodes[$0]?.parents ?? [] }
                sweep(Array((0..<(count - 1)).reversed())) { children[$0] ?? [] }
            }
            sweep(Array(1..<count)) { graph.nodes[$0]?.parents ?? [] }
        }

        let y = centres(columns)
        var boxes: [String: Box] = [:]
        var x = Self.margin
        for (index, column) in columns.enumerated() {
            let width = column.compactMap { widths[$0] }.max() ?? 140
            for id in column { boxes[id] = Box(x: x, y: Self.margin + y[id]!, width: width, column: index) }
            x += width + Self.columnGap
        }
        self.columns = columns
        self.boxes = boxes
        width = max(x - Self.columnGap + Self.margin, 2 * Self.margin)
        height = Double(tallest) * Self.pitch - Self.rowGap + 2 * Self.margin
    }

    /// A curve from the parent's right edge to the child's left edge.
    func edgePath(from parent: String, to child: String) -> String? {
        guard let a = boxes[parent], let b = boxes[child] else { return nil }
        let (x1, y1) = (a.x + a.width, a.y + Self.nodeHeight / 2)
        let (x2, y2) = (b.x, b.y + Self.nodeHeight / 2)
        let bend = max(24, (x2 - x1) / 2)
        return "M\(Self.n(x1)) \(Self.n(y1)) C\(Self.n(x1 + bend)) \(Self.n(y1)) \(Self.n(x2 - bend)) \(Self.n(y2)) \(Self.n(x2)) \(Self.n(y2))"
    }

    static func n(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// About how wide `text` is drawn in a system sans-serif at `size` points: character
    /// classes in em, good to a few percent for identifiers.
    static func textWidth(_ text: String, size: Double, bold: Bool = false) -> Double {
        var ems = 0.0
        for character in text {
            switch character {
            case "i", "l", "j", "t", "f", "r", ".", ",", ":", ";", "'", "|", "!", "I", " ": ems += 0.3
            case "m", "w", "M", "W": ems += 0.86
            case "_": ems += 0.52
            case "0"..."9": ems += 0.58
            case "A"..."Z": ems += 0.68
            default: ems += character.isASCII ? 0.57 : 0.62
            }
        }
        return ems * size * (bold ? 1.15 : 1)
    }
}
