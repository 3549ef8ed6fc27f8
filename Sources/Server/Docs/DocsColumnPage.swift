import ColumnLineage
import Dashboards
import Foundation
import TransformProject
import TransformRuntime

/// `/docs/columns/{schema.relation.column}`: one column — its type and description, where it comes
/// from (the tree up to sources and seeds, each step with how: identity, transformation,
/// aggregation, window), what is built from it (down to the metrics and dashboard tiles a change
/// would move), and the models that join, filter or group on it without returning it. Pure.
struct DocsColumnPage {
    var relation: String
    var column: String
    /// The node that builds or declares the relation; nil when it is outside the project.
    var node: Node?
    var type: String?
    var doc: ColumnDoc?
    var lineage: ProjectLineage?
    /// Why there is no lineage, when there is none.
    var unavailable: String?
    var metrics: [String]
    var tiles: [(dashboard: Dashboard, tile: Tile)]
    var dashboards: [Dashboard]

    var source: ColumnSource { ColumnSource(relation, column) }

    func render() -> String {
        let shortName = "\(node?.name ?? relation).\(column)"
        var html = DocsChrome.top(title: shortName, dashboards: dashboards)
        html += "<nav class=\"crumbs\"><a href=\"\(DocsPaths.root)\">Docs</a> › "
            + (node.map { "<a href=\"\(DocsPaths.node($0.uniqueId))\">\(Markup.escape(DocsPaths.title($0)))</a>" } ?? Markup.escape(relation))
            + " › \(Markup.escape(column))</nav>\n"
        html += "<h1 id=\"column-title\">\(Markup.escape(shortName)) <span class=\"kind kind-column\">column</span></h1>\n"
        html += "<p class=\"muted where\"><code>\(Markup.escape("\(relation).\(column)"))</code>\(type.map { " · <code>\(Markup.escape($0))</code>" } ?? "")"
            + "\(node.map { " · in the \($0.resourceType.rawValue) <a href=\"\(DocsPaths.node($0.uniqueId))\">\(Markup.escape(DocsPaths.title($0)))</a>" } ?? "")</p>\n"
        if let description = doc?.description, !description.isEmpty {
            html += "<div class=\"doc-text\" id=\"description\">\(DocsText.html(description))</div>\n"
        } else {
            html += "<p class=\"muted\" id=\"description\">Undocumented.</p>\n"
        }
        guard let lineage else {
            return html + "<p class=\"tile-error\" id=\"lineage-unavailable\">No column lineage: \(Markup.escape(unavailable ?? "not traced"))</p>\n</main>\n</body>\n</html>\n"
        }
        html += origins(lineage) + upstream(lineage) + downstream(lineage) + uses(lineage) + impact()
        return html + "</main>\n</body>\n</html>\n"
    }

    func origins(_ lineage: ProjectLineage) -> String {
        let (columns, problems) = lineage.origins(of: source)
        var html = "<h2>Comes from</h2>\n"
        if lineage.relations[relation] == nil, lineage.failures[relation] == nil {
            html += "<p id=\"origins\">This column is an input: it is loaded into a \(node?.resourceType.rawValue ?? "relation") outside the project's models.</p>\n"
        } else if columns.isEmpty && problems.isEmpty {
            html += "<p id=\"origins\">A constant: no column of another relation feeds it.</p>\n"
        } else if !columns.isEmpty {
            html += "<ul class=\"origins\" id=\"origins\">" + columns.sorted().map { "<li>\(link($0, lineage))</li>" }.joined() + "</ul>\n"
        }
        if !problems.isEmpty {
            html += "<div class=\"tile-error\" id=\"untraceable\"><p>Part of its lineage could not be traced:</p><ul>"
                + problems.map { "<li>\(Markup.escape($0))</li>" }.joined() + "</ul></div>\n"
        }
        return html
    }

    func upstream(_ lineage: ProjectLineage) -> String {
        let tree = lineage.upstream(of: source)
        guard !tree.next.isEmpty else { return "" }
        return "<h2>Upstream</h2>\n<p class=\"muted\">Each column with how the one above is made from it.</p>\n<div class=\"lineage-tree\" id=\"upstream\">"
            + branch(tree.next, lineage: lineage, downstream: false) + "</div>\n"
    }

    func downstream(_ lineage: ProjectLineage) -> String {
        let tree = lineage.downstream(of: source)
        guard !tree.next.isEmpty else { return "<h2>Downstream</h2>\n<p class=\"muted\" id=\"downstream\">No column of another model is built from it.</p>\n" }
        return "<h2>Downstream</h2>\n<p class=\"muted\">Every column built from it, with how.</p>\n<div class=\"lineage-tree\" id=\"downstream\">"
            + branch(tree.next, lineage: lineage, downstream: true) + "</div>\n"
    }

    func branch(_ steps: [ProjectLineage.Step], lineage: ProjectLineage, downstream: Bool, depth: Int = 0) -> String {
        var html = "<ul>"
        for step in steps {
            html += "<li>" + link(step.column, lineage)
            if let derivation = step.derivation { html += " <span class=\"derivation d-\(derivation)\">\(derivation)</span>" }
            if let why = step.untraceable { html += " <span class=\"status status-warn\" title=\"\(Markup.escape(why))\">untraceable</span>" }
            // Deep trees fold after a few levels; the column's own page goes on.
            if !step.next.isEmpty {
                html += depth < 6 ? branch(step.next, lineage: lineage, downstream: downstream, depth: depth + 1)
                    : " <a class=\"more\" href=\"\(DocsPaths.column(relation: step.column.relation, column: step.column.column))\">more…</a>"
            }
            html += "</li>"
        }
        return html + "</ul>"
    }

    /// Models that use the column without returning it: in a join, a filter or a group by.
    func uses(_ lineage: ProjectLineage) -> String {
        var rows: [(String, String)] = []
        for (name, query) in lineage.relations.sorted(by: { $0.key < $1.key }) {
            var how: [String] = []
            if query.joinKeys.contains(source) { how.append("join") }
            if query.filters.contains(source) { how.append("filter") }
            if query.groupKeys.contains(source) { how.append("group by") }
            if !how.isEmpty { rows.append((name, how.joined(separator: ", "))) }
        }
        guard !rows.isEmpty else { return "" }
        return "<h2>Used in</h2>\n<ul class=\"node-list\" id=\"uses\">" + rows.map { name, how in
            "<li>\(relationLink(name, lineage)) <span class=\"derivation\">\(Markup.escape(how))</span></li>"
        }.joined() + "</ul>\n"
    }

    func impact() -> String {
        var html = "<h2>A change here moves</h2>\n"
        if metrics.isEmpty {
            html += "<p class=\"muted\" id=\"impact-metrics\">No metric reads it.</p>\n"
        } else {
            html += "<ul class=\"node-list\" id=\"impact-metrics\">" + metrics.map { "<li><a href=\"\(DocsPaths.metric($0))\">\(Markup.escape($0))</a> <span class=\"muted\">metric</span></li>" }.joined() + "</ul>\n"
        }
        if !tiles.isEmpty {
            html += "<p id=\"impact-tiles\">Dashboard tiles that show one of those metrics or read a model built from it: \(DocsChrome.tileLinks(tiles)).</p>\n"
        }
        return html
    }

    func link(_ column: ColumnSource, _ lineage: ProjectLineage) -> String {
        "<a href=\"\(DocsPaths.column(relation: column.relation, column: column.column))\"><code>\(Markup.escape(column.description))</code></a>"
            + (lineage.relations[column.relation] == nil ? kindTag(column.relation, lineage) : "")
    }

    func relationLink(_ relation: String, _ lineage: ProjectLineage) -> String {
        guard let id = lineage.nodes[relation] else { return "<code>\(Markup.escape(relation))</code>" }
        return "<a href=\"\(DocsPaths.node(id))\"><code>\(Markup.escape(relation))</code></a>"
    }

    /// ` source`, ` seed`: what an input column's relation is.
    func kindTag(_ relation: String, _ lineage: ProjectLineage) -> String {
        guard let id = lineage.nodes[relation], let kind = id.split(separator: ".").first else { return " <span class=\"muted\">not in the project</span>" }
        return " <span class=\"kind kind-\(kind)\">\(kind)</span>"
    }
}
