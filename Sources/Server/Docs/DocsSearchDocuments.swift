import Foundation
import SemanticLayer
import TransformProject
import TransformRuntime

/// The documents the docs search ranks: one per model, seed, snapshot and source; one per column
/// (documented in YAML or only built); one per metric.
enum DocsSearchDocuments {
    static func make(nodes: [Node], catalog: [String: CatalogRelation], metrics: [Metric]) -> [DocsSearchIndex.Document] {
        var documents: [DocsSearchIndex.Document] = []
        for node in nodes.sorted(by: { $0.uniqueId < $1.uniqueId }) {
            let kind = DocsSearchIndex.Document.Kind(rawValue: node.resourceType.rawValue) ?? .model
            let title = DocsPaths.title(node)
            var columns: [(name: String, description: String)] = node.columns.map { ($0.name, $0.description) }
            let documentedNames = Set(columns.map { $0.name.lowercased() })
            for column in catalog[node.uniqueId]?.columns ?? [] where !documentedNames.contains(column.name.lowercased()) {
                columns.append((column.name, ""))
            }
            documents.append(.init(kind: kind, title: title, summary: DocsText.firstSentence(node.description), link: DocsPaths.node(node.uniqueId),
                                   fields: [(title, 3), (node.description, 1), (columns.map(\.name).joined(separator: " "), 0.5)]))
            guard let relation = node.relation?.lowercasedName else { continue }
            for column in columns {
                documents.append(.init(kind: .column, title: "\(node.name).\(column.name)", summary: DocsText.firstSentence(column.description),
                                       link: DocsPaths.column(relation: relation, column: column.name),
                                       fields: [(column.name, 3), (column.description, 1), (node.name, 0.5)]))
            }
        }
        for metric in metrics {
            documents.append(.init(kind: .metric, title: metric.name, summary: DocsText.firstSentence(metric.description.isEmpty ? (metric.label ?? "") : metric.description),
                                   link: DocsPaths.metric(metric.name),
                                   fields: [(metric.name, 3), (metric.label ?? "", 2), (metric.description, 1)]))
        }
        return documents
    }
}

/// Where the docs pages are.
enum DocsPaths {
    static let root = "/docs"
    static let graph = "/docs/graph"

    static func node(_ id: String) -> String { "/docs/nodes/" + escape(id) }
    static func column(relation: String, column: String) -> String { "/docs/columns/" + escape("\(relation).\(column)") }
    static func metric(_ name: String) -> String { "/docs/metrics/" + escape(name) }
    static func graph(select: String) -> String { graph + "?select=" + (select.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") }

    /// A path segment: everything but letters, digits and `._-` percent-encoded.
    static func escape(_ segment: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "._-")
        return segment.addingPercentEncoding(withAllowedCharacters: allowed) ?? segment
    }

    /// What a node is called on the pages: a model's name; a source's `source_name.table`.
    static func title(_ node: Node) -> String {
        if node.resourceType == .source, let source = node.extra("source_name")?.stringValue { return "\(source).\(node.name)" }
        return node.name
    }
}

/// Descriptions as dbt writes them (Markdown, mostly plain): paragraphs, `code` and line breaks.
enum DocsText {
    /// The first sentence (or the first 160 characters) of a description.
    static func firstSentence(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        if let end = flat.range(of: ". ") { return String(flat[..<end.lowerBound]) + "." }
        return flat.count > 160 ? String(flat.prefix(157)) + "…" : flat
    }
}
