import Dashboards
import Foundation
import SemanticLayer
import TransformProject
import TransformRuntime

/// `/docs/nodes/{unique_id}`: one model, seed, snapshot or source — what dbt docs shows, and what
/// it does not: the warehouse's row count and size, the last build, each test's last result with
/// its failing rows, each column's lineage, the metrics defined on the model and the dashboards
/// that show them. Pure: the route gathers what it shows.
struct DocsNodePage {
    var node: Node
    var relation: CatalogRelation?
    var results: LatestResults
    var tests: [Node]
    /// Each test's results in the run store's builds, newest first.
    var history: [String: [LatestResults.Latest]] = [:]
    var parents: [Node]
    var children: [Node]
    /// Compiled SQL for models and snapshots; nil for seeds and sources.
    var compiled: Result<String, DocsProblem>?
    var metrics: [Metric]
    /// The model's profile from the last `build --profile`, and when that was.
    var profile: (entry: ProfileArtifact.Entry, at: Date, warehouse: String)? = nil
    var tiles: [(dashboard: Dashboard, tile: Tile)]
    var dashboards: [Dashboard]
    var now: Date

    var title: String { DocsPaths.title(node) }

    func render() -> String {
        var html = DocsChrome.top(title: title, dashboards: dashboards)
        html += "<nav class=\"crumbs\"><a href=\"\(DocsPaths.root)\">Docs</a> › \(Markup.escape(node.resourceType.rawValue))s › \(Markup.escape(title))</nav>\n"
        html += "<h1 id=\"node-title\">\(Markup.escape(title)) <span class=\"kind kind-\(node.resourceType.rawValue)\">\(Markup.escape(kindWords))</span></h1>\n"
        html += "<p class=\"muted where\"><code>\(Markup.escape(node.relation.map { "\($0.schema).\($0.identifier)" } ?? "not built (ephemeral)"))</code>"
            + " · defined in <code>\(Markup.escape(node.originalFilePath))\(node.line > 1 ? ":\(node.line)" : "")</code>"
            + " · <a href=\"\(DocsPaths.graph(select: "+\(graphName)+"))\">show in the graph</a></p>\n"
        html += "<div class=\"doc-text\" id=\"description\">" + (node.description.isEmpty ? "<p class=\"muted\">No description. Add one in the YAML properties (<code>description:</code>).</p>"
            : DocsText.html(node.description)) + "</div>\n"
        html += facts() + columns() + testsSection() + lineage() + metricsSection() + profileSection() + configSection() + sql()
        return html + "</main>\n</body>\n</html>\n"
    }

    var kindWords: String {
        if node.resourceType == .source { return "source" }
        return node.resourceType == .model ? "model · \(node.config.materialized)" : node.resourceType.rawValue
    }

    /// `+name+` in the graph: a source is selected as `source:name.table`.
    var graphName: String { node.resourceType == .source ? "source:\(title)" : node.name }

    func facts() -> String {
        var rows: [(String, String)] = []
        if let relation {
            rows.append(("Type in the warehouse", Markup.escape(relation.type)))
            if let count = relation.rowCount { rows.append(("Rows", "<span id=\"row-count\">\(ValueFormat.integer.full(Double(count)))</span>")) }
            if let bytes = relation.bytes { rows.append(("Size", ProfileArtifact.bytes(Int(bytes)))) }
        } else if node.relation != nil && !node.isEphemeral {
            rows.append(("In the warehouse", "<span class=\"status status-never\">not built</span> <span class=\"muted\">`storehouse build --select \(Markup.escape(node.name))` builds it</span>"))
        }
        if let latest = results.latest(node.uniqueId) {
            var text = RunMarkup.badge(latest.status) + " " + Markup.escape(latest.endedAt.map { TimeText.age(of: $0, now: now) } ?? "")
            text += " · " + TimeText.duration(latest.seconds)
            if let rows = latest.rows, node.resourceType != .source { text += " · \(ValueFormat.integer.full(Double(rows))) rows" }
            text += latest.runID.map { " · run \(RunMarkup.runLink($0))" } ?? " · <code>storehouse build</code>"
            rows.append(("Last build", text))
        } else if node.resourceType != .source {
            rows.append(("Last build", "<span class=\"muted\">none on record</span>"))
        }
        if let owner = owner { rows.append(("Owner", Markup.escape(owner))) }
        if !node.config.tags.isEmpty { rows.append(("Tags", node.config.tags.map { "<a class=\"tag\" href=\"\(DocsPaths.graph(select: "tag:\($0)"))\">\(Markup.escape($0))</a>" }.joined(separator: " "))) }
        if node.resourceType == .source {
            if let loader = node.extra("loader")?.stringValue, !loader.isEmpty { rows.append(("Loader", Markup.escape(loader))) }
            if let field = node.extra("loaded_at_field")?.stringValue { rows.append(("Loaded at field", "<code>\(Markup.escape(field))</code>")) }
            if let freshness = node.extra("freshness"), !freshness.isNull { rows.append(("Freshness", "<code>\(Markup.escape(DocsText.value(freshness)))</code>")) }
        }
        guard !rows.isEmpty else { return "" }
        return "<dl class=\"facts\" id=\"facts\">" + rows.map { "<div><dt>\($0.0)</dt><dd>\($0.1)</dd></div>" }.joined() + "</dl>\n"
    }

    /// `meta.owner` from the config or the properties, or a source's `owner`.
    var owner: String? {
        for value in [node.config.meta["owner"], node.extra("meta")?["owner"], node.extra("owner")] {
            if let text = value?.stringValue, !text.isEmpty { return text }
            if let value, !value.isNull, value.stringValue == nil { return DocsText.value(value) }
        }
        return nil
    }

    /// Columns as built (the warehouse's order and types), then documented ones not built.
    func columns() -> String {
        var docs: [String: ColumnDoc] = [:]
        for column in node.columns { docs[column.name.lowercased()] = column }
        var rows: [(name: String, type: String?, doc: ColumnDoc?, built: Bool)] = (relation?.columns ?? []).map {
            ($0.name, $0.type, docs[$0.name.lowercased()], true)
        }
        let built = Set(rows.map { $0.name.lowercased() })
        for column in node.columns where !built.contains(column.name.lowercased()) {
            rows.append((column.name, column.dataType, column, relation == nil))
        }
        guard !rows.isEmpty else { return "<h2>Columns</h2>\n<p class=\"muted\">No columns known: none documented, and the relation is not built.</p>\n" }
        var testsByColumn: [String: [Node]] = [:]
        for test in tests { if let column = test.columnName { testsByColumn[column.lowercased(), default: []].append(test) } }
        let relationName = node.relation?.lowercasedName
        var html = "<h2>Columns <span class=\"count\">\(rows.count)</span></h2>\n<div class=\"table-wrap\"><table class=\"list columns\" id=\"columns\">\n"
            + "<thead><tr><th>Column</th><th>Type</th><th>Description</th><th>Tests</th></tr></thead>\n<tbody>\n"
        for row in rows {
            let name = relationName.map { "<a href=\"\(DocsPaths.column(relation: $0, column: row.name))\" title=\"Lineage of \(Markup.escape(row.name))\">\(Markup.escape(row.name))</a>" }
                ?? Markup.escape(row.name)
            var description = row.doc.map { $0.description.isEmpty ? "" : DocsText.inline($0.description) } ?? "<span class=\"muted\">undocumented</span>"
            if !row.built { description += " <span class=\"status status-warn\">not in the warehouse</span>" }
            let badges = (testsByColumn[row.name.lowercased()] ?? []).map { testBadge($0) }.joined(separator: " ")
            html += "<tr data-column=\"\(Markup.escape(row.name))\"><td class=\"name\">\(name)</td><td><code>\(Markup.escape(row.type ?? ""))</code></td>"
                + "<td>\(description)</td><td>\(badges)</td></tr>\n"
        }
        return html + "</tbody></table></div>\n"
    }

    /// A test's short name and its last result as one badge.
    func testBadge(_ test: Node) -> String {
        let status = results.latest(test.uniqueId)?.status ?? "never"
        let word = ["pass": "✓", "fail": "✗", "error": "✗", "warn": "!"][status] ?? "·"
        return "<span class=\"status status-\(RunMarkup.cssName(status))\" title=\"\(Markup.escape(test.name)): \(Markup.escape(status == "never" ? "not run yet" : status))\">"
            + "\(word) \(Markup.escape(DocsTestsTable.label(test)))</span>"
    }

    func testsSection() -> String {
        guard !tests.isEmpty else {
            return node.resourceType == .source || node.resourceType == .model
                ? "<h2>Tests</h2>\n<p class=\"muted\" id=\"tests\">No tests. Add <code>data_tests:</code> to its YAML properties.</p>\n" : ""
        }
        let table = DocsTestsTable(tests: tests, results: results, history: history, showTarget: false, now: now)
        let failing = table.failingCount
        return "<h2>Tests <span class=\"count\">\(tests.count)</span>\(failing > 0 ? " " + RunMarkup.badge("fail", label: "\(failing) failing") : "")</h2>\n"
            + table.render()
    }

    func lineage() -> String {
        func list(_ nodes: [Node], id: String, empty: String) -> String {
            guard !nodes.isEmpty else { return "<p class=\"muted\" id=\"\(id)\">\(empty)</p>" }
            return "<ul class=\"node-list\" id=\"\(id)\">" + nodes.map { node in
                "<li><a href=\"\(DocsPaths.node(node.uniqueId))\">\(Markup.escape(DocsPaths.title(node)))</a> <span class=\"muted\">\(Markup.escape(node.resourceType.rawValue))</span></li>"
            }.joined() + "</ul>"
        }
        return "<h2>Depends on and used by</h2>\n<div class=\"two\"><section><h3>Depends on</h3>"
            + list(parents, id: "parents", empty: node.resourceType == .source ? "A source: loaded from outside the project." : "Nothing.")
            + "</section><section><h3>Used by</h3>" + list(children, id: "children", empty: "No model reads it.") + "</section></div>\n"
    }

    func metricsSection() -> String {
        guard !metrics.isEmpty else { return "" }
        var html = "<h2>Metrics on this \(node.resourceType.rawValue) <span class=\"count\">\(metrics.count)</span></h2>\n<ul class=\"node-list\" id=\"metrics\">"
        for metric in metrics {
            html += "<li><a href=\"\(DocsPaths.metric(metric.name))\">\(Markup.escape(metric.name))</a> <span class=\"muted\">\(Markup.escape(metric.label ?? ""))</span></li>"
        }
        html += "</ul>\n"
        if !tiles.isEmpty {
            html += "<p class=\"muted\">Shown on " + DocsChrome.tileLinks(tiles) + ".</p>\n"
        }
        return html
    }

    func profileSection() -> String {
        guard let (entry, at, warehouse) = profile else { return "" }
        let p = entry.profile
        var html = "<h2>Query profile</h2>\n<p class=\"muted\">From <code>storehouse build --profile</code> \(Markup.escape(TimeText.age(of: at, now: now))) (\(Markup.escape(warehouse))'s profiler).</p>\n"
        var facts: [(String, String)] = [("Wall time", ProfileArtifact.duration(entry.wallSeconds)), ("Engine time", ProfileArtifact.duration(p.seconds))]
        if let rows = p.rowsScanned { facts.append(("Rows scanned", ValueFormat.integer.full(Double(rows)))) }
        if let rows = p.rowsProduced { facts.append(("Rows produced", ValueFormat.integer.full(Double(rows)))) }
        if let bytes = p.bytesWritten, bytes > 0 { facts.append(("Written", ProfileArtifact.bytes(bytes))) }
        if let bytes = p.bytesRead, bytes > 0 { facts.append(("Buffers read", ProfileArtifact.bytes(bytes))) }
        if let bytes = p.peakMemoryBytes { facts.append(("Peak memory", ProfileArtifact.bytes(bytes))) }
        html += "<dl class=\"facts\" id=\"profile\">" + facts.map { "<div><dt>\($0.0)</dt><dd>\($0.1)</dd></div>" }.joined() + "</dl>\n"
        if let advice = ProfileArtifact.advice(for: entry) { html += "<p class=\"hint\" id=\"profile-advice\">→ \(Markup.escape(advice))</p>\n" }
        guard !p.operators.isEmpty else { return html }
        let total = max(p.operators.map(\.seconds).reduce(0, +), 1e-9)
        html += "<div class=\"table-wrap\"><table class=\"list\" id=\"profile-operators\"><thead><tr><th>Operator</th><th class=\"num\">Time</th><th class=\"num\">Share</th>"
            + "<th class=\"num\">Rows</th><th>On</th></tr></thead><tbody>"
        for op in p.operators {
            html += "<tr><td><code>\(Markup.escape(op.name))</code></td><td class=\"num\">\(ProfileArtifact.duration(op.seconds))</td>"
                + "<td class=\"num\">\(Int((op.seconds / total * 100).rounded()))%</td><td class=\"num\">\(op.rows.map { ValueFormat.integer.full(Double($0)) } ?? "")</td>"
                + "<td class=\"message\">\(Markup.escape(String((op.detail ?? "").prefix(200))))</td></tr>"
        }
        return html + "</tbody></table></div>\n"
    }

    func configSection() -> String {
        let entries = node.config.entries.filter { !$0.1.isNull }
        guard !entries.isEmpty else { return "" }
        var html = "<details class=\"config\"><summary>Config (\(entries.count))</summary><table class=\"list\" id=\"config\"><tbody>"
        for (key, value) in entries.sorted(by: { $0.0 < $1.0 }) {
            html += "<tr><th>\(Markup.escape(key))</th><td><code>\(Markup.escape(DocsText.value(value)))</code></td></tr>"
        }
        return html + "</tbody></table></details>\n"
    }

    func sql() -> String {
        guard !node.rawCode.isEmpty else { return "" }
        var html = "<h2>SQL</h2>\n"
        if let compiled {
            switch compiled {
            case .success(let text): html += "<details open id=\"compiled-sql\"><summary>Compiled</summary><pre class=\"sql\">\(Markup.escape(text))</pre></details>\n"
            case .failure(let problem): html += "<p class=\"tile-error\" id=\"compile-error\">It does not compile: \(Markup.escape(problem.message))</p>\n"
            }
        }
        return html + "<details id=\"raw-sql\"\(compiled == nil ? " open" : "")><summary>Source (\(Markup.escape(node.originalFilePath)))</summary><pre class=\"sql\">\(Markup.escape(node.rawCode))</pre></details>\n"
    }
}
