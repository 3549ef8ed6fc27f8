import Dashboards
import Foundation
import SemanticLayer
import TransformProject

/// `/docs`: the project at a glance — models by folder, sources, seeds, snapshots and metrics,
/// each with the first sentence of its description — or, with `?q=`, the ranked search results.
/// Pure.
struct DocsHomePage {
    var projectName: String
    var nodes: [Node]
    var metrics: [Metric]
    var query: String
    var hits: [DocsSearchIndex.Hit]
    var dashboards: [Dashboard]

    func render() -> String {
        var html = DocsChrome.top(title: query.isEmpty ? "Docs" : "Search: \(query)", dashboards: dashboards, query: query)
        if !query.isEmpty { return html + results() + "</main>\n</body>\n</html>\n" }
        let counts = Dictionary(grouping: nodes, by: \.resourceType).mapValues(\.count)
        html += "<h1>\(Markup.escape(projectName)) docs</h1>\n<p class=\"run-tally\" id=\"docs-counts\">"
            + [(ResourceType.model, "models"), (.source, "sources"), (.seed, "seeds"), (.snapshot, "snapshots")].map { "<span>\(counts[$0.0] ?? 0) \($0.1)</span>" }.joined()
            + "<span>\(metrics.count) metrics</span></p>\n"
        html += "<p class=\"description\">Every model, source, seed and snapshot with its columns, tests and last results; each column's lineage "
            + "from the sources to the metrics and dashboards. Search above, walk the <a href=\"\(DocsPaths.graph)\">lineage graph</a>, "
            + "or see <a href=\"/docs/tests\">every test</a> with its last result and failing rows.</p>\n"
        let models = Dictionary(grouping: nodes.filter { $0.resourceType == .model }) { node in
            (node.originalFilePath as NSString).deletingLastPathComponent
        }
        html += "<h2>Models</h2>\n"
        for folder in models.keys.sorted() {
            html += "<details class=\"folder\" open><summary><code>\(Markup.escape(folder))</code> <span class=\"count\">\(models[folder]!.count)</span></summary>"
                + list(models[folder]!) + "</details>\n"
        }
        for (kind, title) in [(ResourceType.source, "Sources"), (.seed, "Seeds"), (.snapshot, "Snapshots")] {
            let shown = nodes.filter { $0.resourceType == kind }
            guard !shown.isEmpty else { continue }
            html += "<h2>\(title)</h2>\n" + list(shown) + "\n"
        }
        if !metrics.isEmpty {
            html += "<h2>Metrics</h2>\n<ul class=\"doc-list\" id=\"metric-list\">" + metrics.sorted { $0.name < $1.name }.map { metric in
                "<li><a href=\"\(DocsPaths.metric(metric.name))\">\(Markup.escape(metric.name))</a> <span class=\"muted\">\(Markup.escape(DocsText.firstSentence(metric.description.isEmpty ? metric.label ?? "" : metric.description)))</span></li>"
            }.joined() + "</ul>\n"
        }
        return html + "</main>\n</body>\n</html>\n"
    }

    func list(_ nodes: [Node]) -> String {
        "<ul class=\"doc-list\">" + nodes.sorted { DocsPaths.title($0) < DocsPaths.title($1) }.map { node in
            "<li><a href=\"\(DocsPaths.node(node.uniqueId))\">\(Markup.escape(DocsPaths.title(node)))</a> <span class=\"muted\">\(Markup.escape(DocsText.firstSentence(node.description)))</span></li>"
        }.joined() + "</ul>"
    }

    func results() -> String {
        var html = "<h1>Search</h1>\n<p class=\"muted\" id=\"result-count\">\(hits.count == 0 ? "Nothing" : "\(hits.count) best result\(hits.count == 1 ? "" : "s")") for “\(Markup.escape(query))”.</p>\n"
        guard !hits.isEmpty else {
            return html + "<p class=\"empty-state\">Try fewer words, a column name (<code>lifetime_value</code>) or a part of one; names, descriptions and column names are searched.</p>\n"
        }
        html += "<ol class=\"results\" id=\"results\">"
        for hit in hits {
            html += "<li data-kind=\"\(hit.document.kind.rawValue)\"><span class=\"kind kind-\(hit.document.kind.rawValue)\">\(hit.document.kind.rawValue)</span> "
                + "<a href=\"\(hit.document.link)\">\(Markup.escape(hit.document.title))</a>"
                + (hit.document.summary.isEmpty ? "" : "<p class=\"muted\">\(Markup.escape(hit.document.summary))</p>") + "</li>"
        }
        return html + "</ol>\n"
    }
}

/// `/docs/metrics/{name}`: a metric — what it means, its type, the measures and models it reads,
/// its filters, and the dashboard tiles that show it. Pure.
struct DocsMetricPage {
    var metric: Metric
    var semantics: SemanticManifest
    /// The model that builds each semantic model's relation, by `schema.identifier`.
    var modelIDs: [String: String]
    var tiles: [(dashboard: Dashboard, tile: Tile)]
    var dashboards: [Dashboard]

    func render() -> String {
        var html = DocsChrome.top(title: metric.name, dashboards: dashboards)
        html += "<nav class=\"crumbs\"><a href=\"\(DocsPaths.root)\">Docs</a> › metrics › \(Markup.escape(metric.name))</nav>\n"
        html += "<h1 id=\"metric-title\">\(Markup.escape(metric.name)) <span class=\"kind kind-metric\">\(Markup.escape(metric.typeName)) metric</span></h1>\n"
        if let label = metric.label { html += "<p class=\"muted where\">\(Markup.escape(label)) · defined in <code>\(Markup.escape(metric.location.description))</code></p>\n" }
        html += metric.description.isEmpty ? "<p class=\"muted\">No description.</p>\n" : "<div class=\"doc-text\" id=\"description\">\(DocsText.html(metric.description))</div>\n"
        html += "<h2>Reads</h2>\n<ul class=\"node-list\" id=\"measures\">"
        for name in semantics.measures(of: metric) {
            guard let (model, measure) = semantics.measure(named: name) else { continue }
            let relation = model.relation.lowercasedName
            let target = modelIDs[relation].map { "<a href=\"\(DocsPaths.node($0))\">\(Markup.escape(model.relation.identifier))</a>" } ?? Markup.escape(relation)
            html += "<li><code>\(Markup.escape(measure.agg.rawValue))(\(Markup.escape(measure.expr.isEmpty ? measure.name : measure.expr)))</code> — measure "
                + "<code>\(Markup.escape(measure.name))</code> of semantic model <code>\(Markup.escape(model.name))</code> on \(target)</li>"
        }
        html += "</ul>\n"
        if !metric.filters.isEmpty {
            html += "<h2>Filters</h2>\n<ul>" + metric.filters.map { "<li><code>\(Markup.escape($0))</code></li>" }.joined() + "</ul>\n"
        }
        html += "<h2>On the dashboards</h2>\n" + (tiles.isEmpty ? "<p class=\"muted\" id=\"tiles\">No tile shows it.</p>\n"
            : "<p id=\"tiles\">\(DocsChrome.tileLinks(tiles))</p>\n")
        return html + "</main>\n</body>\n</html>\n"
    }
}
