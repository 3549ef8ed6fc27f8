import Dashboards
import Foundation
import TransformProject
import TransformRuntime

/// Tests with their last results, problems first: the status, how many rows failed and the first
/// of them, when, and the history across the stored builds. A model's page shows its own tests;
/// `/docs/tests` (linked from Data health) shows every test of the project. Pure.
struct DocsTestsTable {
    var tests: [Node]
    var results: LatestResults
    /// Each test's stored results, newest first.
    var history: [String: [LatestResults.Latest]]
    /// Whether to name what each test checks (the tests page lists many models' tests).
    var showTarget: Bool
    var now: Date

    static let problems: Set<String> = ["fail", "error", "warn"]

    var failingCount: Int { tests.filter { ["fail", "error"].contains(results.latest($0.uniqueId)?.status ?? "") }.count }

    func render() -> String {
        // Problems first, then by name.
        let rank = { (test: Node) -> Int in ["fail": 0, "error": 0, "warn": 1][results.latest(test.uniqueId)?.status ?? ""] ?? 2 }
        let ordered = tests.sorted { (rank($0), $0.name) < (rank($1), $1.name) }
        let columns = showTarget ? 8 : 7
        var html = "<div class=\"table-wrap\"><table class=\"list tests\" id=\"tests\">\n<thead><tr><th>Test</th>\(showTarget ? "<th>On</th>" : "")<th>Column</th>"
            + "<th>Last result</th><th class=\"num\">Failing rows</th><th>When</th><th>History</th><th>Message</th></tr></thead>\n<tbody>\n"
        for test in ordered {
            let latest = results.latest(test.uniqueId)
            html += "<tr data-test=\"\(Markup.escape(test.uniqueId))\" data-status=\"\(RunMarkup.cssName(latest?.status ?? "never"))\">"
                + "<td title=\"\(Markup.escape(test.name))\">\(Markup.escape(Self.label(test)))</td>"
            if showTarget {
                html += "<td>" + (test.attachedNode.map { id in
                    "<a href=\"\(DocsPaths.node(id))\">\(Markup.escape(id.split(separator: ".").dropFirst(2).joined(separator: ".")))</a>"
                } ?? "<span class=\"muted\">singular</span>") + "</td>"
            }
            html += "<td>\(Markup.escape(test.columnName ?? "—"))</td>"
                + "<td>\(latest.map { RunMarkup.badge($0.status) } ?? RunMarkup.badge("never", label: "not run"))</td>"
                + "<td class=\"num\">\(latest?.failures.map { ValueFormat.integer.full(Double($0)) } ?? "")</td>"
                + "<td>\(Markup.escape(latest?.endedAt.map { TimeText.age(of: $0, now: now) } ?? ""))\(latest?.runID.map { " · " + RunMarkup.runLink($0) } ?? "")</td>"
                + "<td class=\"history\">\(marks(test.uniqueId))</td>"
                + "<td class=\"message\">\(Markup.escape(String((latest?.message ?? "").prefix(300))))</td></tr>\n"
            if let latest, let sample = latest.failingRows, Self.problems.contains(latest.status) {
                html += "<tr class=\"sample-row\"><td colspan=\"\(columns)\">\(Self.sample(sample, failures: latest.failures, test: test.uniqueId))</td></tr>\n"
            }
        }
        return html + "</tbody></table></div>\n"
    }

    /// The test's results in the stored builds, oldest to newest, one mark each.
    func marks(_ id: String) -> String {
        guard let stored = history[id], !stored.isEmpty else { return "" }
        return "<span class=\"marks\" aria-label=\"last \(stored.count) results\">" + stored.reversed().map { result in
            let word = ["pass": "✓", "fail": "✗", "error": "✗", "warn": "!"][result.status] ?? "·"
            let when = result.endedAt.map { TimeText.display($0) } ?? ""
            let failing = result.failures.map { $0 > 0 ? ", \($0) failing" : "" } ?? ""
            let title = "\(result.status)\(failing), \(when)\(result.runID.map { ", run #\($0)" } ?? "")"
            return "<span class=\"mark status-\(RunMarkup.cssName(result.status))\" title=\"\(Markup.escape(title))\">\(word)</span>"
        }.joined() + "</span>"
    }

    /// A failing test's first rows as a small table.
    static func sample(_ sample: FailingRowsSample, failures: Int?, test: String) -> String {
        var html = "<details class=\"sample\" data-sample=\"\(Markup.escape(test))\"><summary>First \(sample.rows.count) of "
            + "\(failures.map { ValueFormat.integer.full(Double($0)) } ?? "the") failing rows</summary>"
            + "<div class=\"table-wrap\"><table class=\"list\"><thead><tr>" + sample.columns.map { "<th>\(Markup.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in sample.rows {
            html += "<tr>" + row.map { "<td>\($0.map(Markup.escape) ?? "<span class=\"muted\">null</span>")</td>" }.joined() + "</tr>"
        }
        return html + "</tbody></table></div></details>"
    }

    /// `unique`, `accepted_values`, `relationships → dim_customers`, or a singular test's name.
    static func label(_ test: Node) -> String {
        if test.unitTest != nil { return "unit test: \(test.name)" }
        guard let metadata = test.testMetadata else { return test.name }
        if metadata.name == "relationships", let to = metadata.kwargs.first(where: { $0.0 == "to" })?.1.stringValue {
            let target = to.split(separator: "'").dropFirst().first.map(String.init) ?? to
            return "relationships → \(target)"
        }
        return metadata.name
    }
}

/// `/docs/tests`: every test of the project with its last result, failing rows and history —
/// the data health dashboard links here. `?status=fail` (or warn, pass, never) narrows it. Pure.
struct DocsTestsPage {
    var table: DocsTestsTable
    var status: String?
    var total: Int
    var dashboards: [Dashboard]

    static let statuses = ["fail", "error", "warn", "pass", "never"]

    func render() -> String {
        var html = DocsChrome.top(title: "Tests", dashboards: dashboards)
        html += "<nav class=\"crumbs\"><a href=\"\(DocsPaths.root)\">Docs</a> › tests</nav>\n<h1>Tests</h1>\n"
        html += "<p class=\"description\">Every test of the project with its latest result (from the runs of jobs, or the last <code>storehouse build</code>), "
            + "how many rows failed and the first of them, and its results in the stored builds (oldest to newest). "
            + "See also the <a href=\"/dashboards/data_health\">data health</a> dashboard.</p>\n"
        var counts: [String: Int] = [:]
        for test in table.tests { counts[table.results.latest(test.uniqueId)?.status ?? "never", default: 0] += 1 }
        html += "<p class=\"run-tally\" id=\"test-tally\"><span>\(total) tests</span>"
            + Self.statuses.compactMap { status in counts[status].map { RunMarkup.badge(status, label: "\($0) \(status == "never" ? "not run" : status)") } }.joined()
            + "</p>\n"
        html += "<form class=\"filters\" method=\"get\" action=\"/docs/tests\"><label>Show <select name=\"status\">"
            + "<option value=\"\">every test</option>"
            + Self.statuses.map { "<option value=\"\($0)\"\($0 == status ? " selected" : "")>\($0 == "never" ? "not run" : $0)</option>" }.joined()
            + "</select></label><button type=\"submit\">Show</button></form>\n"
        if table.tests.isEmpty {
            html += "<p class=\"empty-state\" id=\"no-tests\">No test \(status.map { "is \($0 == "never" ? "not run" : $0)" } ?? "in this project").</p>\n"
        } else {
            html += table.render()
        }
        return html + "</main>\n</body>\n</html>\n"
    }
}
