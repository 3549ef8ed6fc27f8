import Dashboards
import Foundation
import Orchestrator
import TransformProject

/// `/models/graph`: the model graph as server-drawn SVG, each node coloured by its latest
/// result in the run store and labelled with its age, with a legend (colour and words), what
/// needs attention, and every node as a table. Pure: the route gathers the statuses.
struct ModelGraphPage {
    var graph: ModelGraph
    /// Latest result per unique id (nodes and tests); empty without a run store.
    var statuses: [String: NodeStatusRecord]
    /// The last build's results (target/run_results.json), for nodes built outside a job by
    /// `storehouse build` (or built there after the job's run).
    var lastBuild: BuildRecord?
    var hasRunStore: Bool
    /// The `select` the reader typed (dbt selector syntax), and why it failed, if it did.
    var selection: String
    var selectionError: String?
    var dashboards: [Dashboard]
    var now: Date

    /// What a node shows: its status class, the second line, where it links.
    struct NodeView {
        var status: String
        var line: String
        var link: String?
        var title: String
        var failingTests: [String]
        var latest: Latest?
    }

    typealias Latest = LatestResults.Latest

    func latest(_ id: String) -> Latest? { LatestResults(statuses: statuses, lastBuild: lastBuild).latest(id) }

    static let legend: [(status: String, words: String)] = [
        ("success", "built"), ("error", "error"), ("skipped", "skipped (upstream failed)"), ("warn", "warning"),
        ("never", "never built"), ("source", "source (input)"), ("ephemeral", "ephemeral (inlined, not built)"),
    ]

    func view(_ node: ModelGraph.Node) -> NodeView {
        let latest = latest(node.id)
        let failing = node.tests.filter { ["fail", "error"].contains(statuses[$0]?.status ?? "") }
        var status: String
        var line: String
        if let latest {
            status = latest.status
            let word = ["success": "built", "pass": "passed", "fail": "failed"][latest.status] ?? latest.status
            line = latest.endedAt.map { "\(word) \(TimeText.age(of: $0, now: now))" } ?? word
        } else if node.kind == .source {
            (status, line) = ("source", "source")
        } else if node.materialized == "ephemeral" {
            (status, line) = ("ephemeral", "ephemeral, not built")
        } else {
            (status, line) = ("never", "never built")
        }
        if !failing.isEmpty { line += " · \(failing.count) test\(failing.count == 1 ? "" : "s") failing" }
        var title = "\(node.label) — \(node.kind.rawValue)\(node.materialized.map { ", \($0)" } ?? "")\n\(line)"
        if let latest {
            title += "\n" + (latest.runID.map { "run #\($0)" } ?? "storehouse build, outside a job") + " · \(TimeText.duration(latest.seconds))"
                + (latest.rows.map { " · \($0) rows" } ?? "")
            if let ended = latest.endedAt { title += "\nended \(TimeText.display(ended))" }
            if let message = latest.message, !message.isEmpty { title += "\n\(message)" }
        }
        for test in failing { title += "\nfailing: \(test.split(separator: ".").dropFirst(2).first ?? "")" }
        return NodeView(status: RunMarkup.cssName(status), line: line, link: latest?.runID.map(RunMarkup.runPath), title: title,
                        failingTests: failing, latest: latest)
    }

    func render() -> String {
        let views = graph.nodes.mapValues(view)
        var html = PageChrome.head(title: "Model graph") + RunsAssets.link + PageChrome.header(dashboards: dashboards, current: PageChrome.modelGraphPath)
        html += "<main class=\"wide graph-page\">\n<h1>Model graph</h1>\n"
        html += "<p class=\"description\">The project's models, seeds and snapshots with the sources they read, left to right in build order. "
            + "Each node shows its latest result (from the runs of jobs, or the last <code>storehouse build</code>) and how long ago that was; click a node for the run that built it. "
            + "See also the <a href=\"/runs\">runs</a> and the <a href=\"/dashboards/data_health\">data health</a> dashboard.</p>\n"
        html += form()
        if !hasRunStore {
            html += "<div class=\"empty-state\"><p>This server has no run store, so no node has a status.</p>"
                + "<p class=\"hint\">Serve with <code>storehouse serve</code> (it opens the run store beside the warehouse).</p></div>\n"
        } else if statuses.isEmpty {
            html += "<div class=\"empty-state\" id=\"no-runs\"><p><strong>No job has built anything yet.</strong> Run a job with "
                + "<code>storehouse jobs run NAME</code> (for example one with a <code>build</code> step); the graph then colours each node by "
                + "its result and links it to its run\(lastBuild == nil ? "" : ". Until then, colours come from the last <code>storehouse build</code>").</p></div>\n"
        }
        html += summary(views) + legendList() + attention(views)
        if graph.nodes.isEmpty {
            html += "<div class=\"empty-state\"><p>No model, seed, snapshot or source\(selection.isEmpty ? "" : " matches this selection").</p></div>\n"
        } else {
            html += "<div class=\"tile graph-wrap\">\(svg(views))</div>\n"
            html += table(views)
        }
        return html + "</main>\n</body>\n</html>\n"
    }

    func form() -> String {
        var html = "<form class=\"filters\" method=\"get\" action=\"\(PageChrome.modelGraphPath)\" role=\"search\">"
            + "<label>Show only <input type=\"search\" name=\"select\" value=\"\(Markup.escape(selection))\" "
            + "placeholder=\"+fact_orders+   path:models/marts   tag:nightly\" title=\"A node selection, as storehouse build --select takes it\"></label>"
            + "<button type=\"submit\">Show</button> <a class=\"reset\" href=\"\(PageChrome.modelGraphPath)\">Everything</a>"
            + "<span class=\"muted\">selection syntax as <code>--select</code>: <code>+name</code> adds parents, <code>name+</code> children</span></form>\n"
        if let selectionError { html += "<p class=\"tile-error\" id=\"selection-error\">\(Markup.escape(selectionError))</p>\n" }
        return html
    }

    func summary(_ views: [String: NodeView]) -> String {
        var counts: [String: Int] = [:]
        for view in views.values { counts[view.status, default: 0] += 1 }
        let failing = views.values.filter { !$0.failingTests.isEmpty }.count
        var html = "<p class=\"run-tally\" id=\"graph-summary\"><span>\(graph.nodes.count) node\(graph.nodes.count == 1 ? "" : "s")</span>"
        let short = ["success": "built", "error": "error", "fail": "failed", "pass": "passed", "warn": "warning", "skipped": "skipped",
                     "never": "never built", "source": "sources", "ephemeral": "ephemeral"]
        for status in counts.keys.sorted(by: { (Self.order[$0] ?? 99, $0) < (Self.order[$1] ?? 99, $1) }) {
            html += RunMarkup.badge(status, label: "\(counts[status]!) \(short[status] ?? status)")
        }
        if failing > 0 { html += RunMarkup.badge("fail", label: "\(failing) with failing tests") }
        return html + "</p>\n"
    }

    /// Problems first in the summary.
    static let order = ["error": 0, "fail": 1, "warn": 2, "skipped": 3, "never": 4, "success": 5, "pass": 6, "ephemeral": 7, "source": 8]

    func legendList() -> String {
        "<ul class=\"legend\" aria-label=\"Legend\"><li class=\"legend-title\">Legend</li>" + Self.legend.map { "<li>\(RunMarkup.badge($0.status, label: $0.words))</li>" }.joined()
            + "<li>\(RunMarkup.badge("fail", label: "red outline: tests failing"))</li></ul>\n"
    }

    /// Nodes whose latest result is a problem, with the message and the run.
    func attention(_ views: [String: NodeView]) -> String {
        let problems = graph.nodes.values.filter { node in
            let view = views[node.id]!
            return ["error", "fail", "warn", "skipped"].contains(view.status) || !view.failingTests.isEmpty
        }.sorted { $0.label < $1.label }
        guard !problems.isEmpty else { return "" }
        var html = "<section class=\"attention\" id=\"attention\"><h2>Needs attention</h2><ul>"
        for node in problems {
            let view = views[node.id]!
            html += "<li><a href=\"#node-\(Markup.escape(node.id))\">\(Markup.escape(node.label))</a> \(RunMarkup.badge(view.status))"
            if !view.failingTests.isEmpty { html += " " + RunMarkup.badge("fail", label: "\(view.failingTests.count) test\(view.failingTests.count == 1 ? "" : "s") failing") }
            if let latest = view.latest {
                html += " \(latest.endedAt.map { TimeText.age(of: $0, now: now) } ?? "")"
                    + (latest.runID.map { " in \(RunMarkup.runLink($0))" } ?? " by <code>storehouse build</code>")
                // The first line says what broke; the run page has the whole message.
                if let first = latest.message?.split(separator: "\n").first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                    html += " — <span class=\"muted\">\(Markup.escape(String(first.prefix(200))))</span>"
                }
            }
            html += "</li>"
        }
        return html + "</ul></section>\n"
    }

    static let padding = 12.0
    static let stripe = 5.0

    func svg(_ views: [String: NodeView]) -> String {
        var widths: [String: Double] = [:]
        for node in graph.nodes.values {
            let name = ModelGraphLayout.textWidth(node.label, size: 12, bold: true)
            let line = ModelGraphLayout.textWidth(views[node.id]!.line, size: 11)
            widths[node.id] = min(260, max(120, max(name, line) + 2 * Self.padding + Self.stripe))
        }
        let layout = ModelGraphLayout(graph: graph, widths: widths)
        let height = ModelGraphLayout.nodeHeight
        var svg = "<svg class=\"model-graph\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(ModelGraphLayout.n(layout.width)) \(ModelGraphLayout.n(layout.height))\" "
            + "width=\"\(ModelGraphLayout.n(layout.width))\" height=\"\(ModelGraphLayout.n(layout.height))\" role=\"img\" "
            + "aria-label=\"Model graph: \(graph.nodes.count) nodes coloured by their latest status\">\n"
            + "<defs><marker id=\"arrow\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
            + "<path d=\"M0 0 L8 4 L0 8 z\" fill=\"#afb8c1\"/></marker></defs>\n<g class=\"edges\">\n"
        for child in graph.nodes.values.sorted(by: { $0.id < $1.id }) {
            for parent in child.parents {
                guard let path = layout.edgePath(from: parent, to: child.id) else { continue }
                svg += "<path class=\"edge\" d=\"\(path)\" marker-end=\"url(#arrow)\" data-from=\"\(Markup.escape(parent))\" data-to=\"\(Markup.escape(child.id))\"/>\n"
            }
        }
        svg += "</g>\n<g class=\"nodes\">\n"
        for column in layout.columns {
            for id in column {
                guard let node = graph.nodes[id], let box = layout.boxes[id], let view = views[id] else { continue }
                let label = Self.fit(node.label, width: box.width - 2 * Self.padding - Self.stripe, size: 12, bold: true)
                let line = Self.fit(view.line, width: box.width - 2 * Self.padding - Self.stripe, size: 11, bold: false)
                var group = "<g class=\"node status-\(view.status) kind-\(node.kind.rawValue)\(view.failingTests.isEmpty ? "" : " tests-failing")\" "
                    + "id=\"node-\(Markup.escape(id))\" data-node=\"\(Markup.escape(id))\" data-status=\"\(view.status)\" "
                    + "transform=\"translate(\(ModelGraphLayout.n(box.x)) \(ModelGraphLayout.n(box.y)))\">"
                group += "<title>\(Markup.escape(view.title))</title>"
                group += "<rect class=\"box\" width=\"\(ModelGraphLayout.n(box.width))\" height=\"\(ModelGraphLayout.n(height))\" rx=\"6\"/>"
                group += "<rect class=\"stripe\" x=\"1\" y=\"1\" width=\"\(ModelGraphLayout.n(Self.stripe))\" height=\"\(ModelGraphLayout.n(height - 2))\" rx=\"2\"/>"
                group += "<text class=\"name\" x=\"\(ModelGraphLayout.n(Self.padding + Self.stripe - 2))\" y=\"17\">\(Markup.escape(label))</text>"
                group += "<text class=\"age\" x=\"\(ModelGraphLayout.n(Self.padding + Self.stripe - 2))\" y=\"32\">\(Markup.escape(line))</text></g>"
                if let link = view.link {
                    svg += "<a href=\"\(link)\" aria-label=\"\(Markup.escape(node.label)): \(Markup.escape(view.line)), open run\">\(group)</a>\n"
                } else {
                    svg += group + "\n"
                }
            }
        }
        return svg + "</g>\n</svg>"
    }

    /// `text` cut with an ellipsis to fit `width`.
    static func fit(_ text: String, width: Double, size: Double, bold: Bool) -> String {
        // A little slack: the column's width was worked out from this very text.
        guard ModelGraphLayout.textWidth(text, size: size, bold: bold) > width + 0.5 else { return text }
        var kept = text
        while !kept.isEmpty, ModelGraphLayout.textWidth(kept + "…", size: size, bold: bold) > width { kept.removeLast() }
        return kept + "…"
    }

    /// Every node in words: for reading without the picture, and for searching the page.
    func table(_ views: [String: NodeView]) -> String {
        let depths = graph.depths()
        let ordered = graph.nodes.values.sorted { (depths[$0.id] ?? 0, $0.label) < (depths[$1.id] ?? 0, $1.label) }
        var html = "<details class=\"node-table\"><summary>Every node as a table (\(ordered.count))</summary>\n<div class=\"tile results\"><div class=\"table-wrap\">"
            + "<table class=\"list\">\n<thead><tr><th>Node</th><th>Type</th><th>Status</th><th>Last result</th><th class=\"num\">Time</th>"
            + "<th class=\"num\">Rows</th><th>Run</th><th>Depends on</th></tr></thead>\n<tbody>\n"
        for node in ordered {
            let view = views[node.id]!
            html += "<tr data-node=\"\(Markup.escape(node.id))\"><td title=\"\(Markup.escape(node.id))\">\(Markup.escape(node.label))</td>"
                + "<td>\(Markup.escape(node.kind.rawValue))\(node.materialized.map { " · \(Markup.escape($0))" } ?? "")</td>"
                + "<td>\(RunMarkup.badge(view.status))</td><td>\(Markup.escape(view.line))</td>"
                + "<td class=\"num\">\(view.latest.map { TimeText.duration($0.seconds) } ?? "")</td>"
                + "<td class=\"num\">\(view.latest?.rows.map { ValueFormat.integer.full(Double($0)) } ?? "")</td>"
                + "<td>\(view.latest.map { $0.runID.map(RunMarkup.runLink) ?? "CLI build" } ?? "")</td>"
                + "<td>\(Markup.escape(node.parents.compactMap { graph.nodes[$0]?.label }.joined(separator: ", ")))</td></tr>\n"
        }
        return html + "</tbody></table></div></div></details>\n"
    }
}
