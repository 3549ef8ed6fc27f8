import Dashboards
import Foundation
import Orchestrator

/// `/runs/{id}`: one run — what started it and what it started, its steps on a time axis, and
/// each attempt with its error, its log (escaped, in a `<pre>`) and the node results of builds.
struct RunPage {
    var detail: RunDetail
    /// The run's job in the jobs file; nil when the job was since removed.
    var job: JobDefinition?
    /// Runs that retry this one or were chained from its success.
    var followUps: [RunRecord]
    var dashboards: [Dashboard]
    var now: Date

    var run: RunRecord { detail.run }

    func render() -> String {
        var html = PageChrome.head(title: "Run #\(run.id) · \(run.job)") + RunsAssets.link
            + PageChrome.header(dashboards: dashboards, current: PageChrome.runsPath)
        html += "<main class=\"run-page\" data-run=\"\(run.id)\" data-status=\"\(run.status.rawValue)\">\n"
        html += "<p class=\"crumbs\"><a href=\"/runs\">← Runs</a> · <a href=\"\(Markup.escape(RunMarkup.jobPath(run.job)))\">runs of \(Markup.escape(run.job))</a>"
            + " · <a href=\"/api/v1/runs/\(run.id)\">JSON</a></p>\n"
        html += "<h1>Run #\(run.id) · \(Markup.escape(run.job))\(RunMarkup.badge(run.status))</h1>\n"
        if let description = job?.description { html += "<p class=\"description\">\(Markup.escape(description))</p>\n" }
        if let error = run.error { html += "<pre class=\"run-error\" id=\"run-error\">\(Markup.escape(error))</pre>\n" }
        html += facts()
        html += "<h2>Steps</h2>\n"
        if detail.attempts.isEmpty {
            html += "<div class=\"empty-state\"><p>"
                + (run.status.isFinished ? "This run ended before any step started." : "No step has started yet: the run is \(run.status.rawValue).")
                + "</p></div>\n"
        } else {
            html += gantt()
            for (index, attempt) in detail.attempts.enumerated() {
                html += section(attempt, open: detail.attempts.count <= 4 || attempt.status != .succeeded || index == detail.attempts.count - 1)
            }
        }
        return html + "</main>\n</body>\n</html>\n"
    }

    func facts() -> String {
        var html = "<dl class=\"facts\">\n"
        html += "<dt>Job</dt><dd><a href=\"\(Markup.escape(RunMarkup.jobPath(run.job)))\">\(Markup.escape(run.job))</a>"
        if job == nil { html += " <span class=\"muted\">(no longer in the jobs file)</span>" }
        html += "</dd>\n<dt>Trigger</dt><dd class=\"trigger\">\(RunMarkup.triggerDetail(run.trigger, job: job))</dd>\n"
        if run.attempt > 1 { html += "<dt>Attempt</dt><dd>\(run.attempt) (this run retries an earlier one)</dd>\n" }
        html += "<dt>Queued</dt><dd>\(TimeText.element(run.queuedAt)) <span class=\"muted\">\(TimeText.age(of: run.queuedAt, now: now))</span></dd>\n"
        if let started = run.startedAt {
            html += "<dt>Started</dt><dd>\(TimeText.element(started))"
            let wait = started.timeIntervalSince(run.queuedAt)
            if wait >= 0.001 { html += " <span class=\"muted\">after waiting \(TimeText.duration(wait))</span>" }
            html += "</dd>\n"
        }
        if let ended = run.endedAt { html += "<dt>Ended</dt><dd>\(TimeText.element(ended))</dd>\n" }
        html += "<dt>Duration</dt><dd>\(RunMarkup.duration(from: run.startedAt, to: run.endedAt, now: run.status.isFinished ? nil : now))</dd>\n"
        if !run.vars.isEmpty {
            html += "<dt>Vars</dt><dd>" + run.vars.sorted { $0.key < $1.key }
                .map { "<code>\(Markup.escape($0.key))=\(Markup.escape($0.value))</code>" }.joined(separator: " ") + "</dd>\n"
        }
        if !followUps.isEmpty {
            html += "<dt>Followed by</dt><dd><ul>"
            for later in followUps {
                let why = if case .retry = later.trigger { "retry" } else { "chained job \(Markup.escape(later.job))" }
                html += "<li>\(RunMarkup.runLink(later.id)) \(why) \(RunMarkup.badge(later.status))</li>"
            }
            html += "</ul></dd>\n"
        }
        return html + "</dl>\n"
    }

    /// Every attempt on the run's time axis, so waits between retries and the slow step show.
    func gantt() -> String {
        let spans = detail.attempts.map { ($0.startedAt, $0.endedAt ?? (run.endedAt ?? now)) }
        let timeline = RunTimeline(spans: spans + [(run.startedAt ?? run.queuedAt, run.endedAt ?? spans.map(\.1).max() ?? now)])
        var html = "<div class=\"tile gantt\" aria-label=\"Steps on a time axis\">\n<span></span>\(timeline.axisHTML())<span></span>\n"
        for attempt in detail.attempts {
            let end = attempt.endedAt ?? (attempt.status.isFinished ? attempt.startedAt : now)
            let label = "\(attempt.step) · attempt \(attempt.attempt)"
            html += "<span class=\"label\"><a href=\"#attempt-\(attempt.id)\">\(Markup.escape(label))</a></span>"
            html += "<span class=\"track\"><a class=\"bar bar-\(attempt.status.rawValue)\" href=\"#attempt-\(attempt.id)\" "
                + "style=\"\(timeline.style(from: attempt.startedAt, to: end))\" title=\"\(Markup.escape(label)): \(attempt.status.rawValue)\"></a></span>"
            html += "<span class=\"took\">\(RunMarkup.badge(attempt.status)) \(RunMarkup.duration(from: attempt.startedAt, to: attempt.endedAt, now: attempt.status.isFinished ? nil : now))</span>\n"
        }
        return html + "</div>\n"
    }

    func section(_ attempt: StepAttemptRecord, open: Bool) -> String {
        let tries = detail.attempts.filter { $0.step == attempt.step }.count
        var html = "<section class=\"attempt attempt-\(attempt.status.rawValue)\" id=\"attempt-\(attempt.id)\" data-step=\"\(Markup.escape(attempt.step))\">\n"
        html += "<details\(open ? " open" : "")><summary>\(RunMarkup.badge(attempt.status))"
            + "<span class=\"step-name\">\(Markup.escape(attempt.step))</span>"
            + "<span class=\"muted\">\(Markup.escape(attempt.kind)) step · attempt \(attempt.attempt)\(tries > 1 ? " of \(tries)" : "")</span>"
            + "<span class=\"muted\">started \(TimeText.element(attempt.startedAt))</span>"
            + "<span class=\"muted\">took \(RunMarkup.duration(from: attempt.startedAt, to: attempt.endedAt, now: attempt.status.isFinished ? nil : now))</span>"
            + "</summary>\n<div class=\"body\">\n"
        if let error = attempt.error { html += "<pre class=\"attempt-error\">\(Markup.escape(error))</pre>\n" }
        html += "<h3>Log</h3>\n"
        if attempt.output.isEmpty {
            html += "<pre class=\"log empty\">(no output)</pre>\n"
        } else {
            html += "<pre class=\"log\">\(Markup.escape(attempt.output))</pre>\n"
        }
        if let nodes = detail.nodeResults[attempt.id], !nodes.isEmpty { html += nodeTable(nodes) }
        return html + "</div>\n</details>\n</section>\n"
    }

    /// The step's node results: the problems in view, every node (in the order they ran)
    /// behind a summary when there are many.
    func nodeTable(_ nodes: [NodeResultRecord]) -> String {
        var counts: [(String, Int)] = []
        for node in nodes {
            if let index = counts.firstIndex(where: { $0.0 == node.status }) { counts[index].1 += 1 } else { counts.append((node.status, 1)) }
        }
        var html = "<h3>Nodes <span class=\"run-tally\">" + counts.map { RunMarkup.badge($0.0, label: "\($0.1) \($0.0)") }.joined(separator: " ")
            + "</span></h3>\n"
        // Skipped nodes only follow from these; the tally counts them.
        let problems = nodes.filter { ["error", "fail", "warn"].contains($0.status) }
        if !problems.isEmpty { html += table(problems, className: "node-problems") }
        html += "<details class=\"all-nodes\"\(nodes.count <= 25 ? " open" : "")><summary>All \(nodes.count) node\(nodes.count == 1 ? "" : "s"), in the order they ran</summary>\n"
        return html + table(nodes, className: "node-results") + "</details>\n"
    }

    func table(_ nodes: [NodeResultRecord], className: String) -> String {
        var html = "<div class=\"table-wrap\"><table class=\"list \(className)\">\n<thead><tr><th>Node</th><th>Type</th><th>Status</th>"
            + "<th class=\"num\">Time</th><th class=\"num\">Rows</th></tr></thead>\n<tbody>\n"
        for node in nodes {
            let parts = node.uniqueID.split(separator: ".")
            let type = parts.first.map(String.init) ?? ""
            // A test's id ends in a hash; a source's name is `source_name.table`.
            let name = parts.count < 3 ? node.uniqueID : type == "test" ? String(parts[2]) : parts[2...].joined(separator: ".")
            let shown = type == "test" ? Markup.escape(name) : "<a href=\"\(PageChrome.modelGraphPath)#node-\(Markup.escape(node.uniqueID))\">\(Markup.escape(name))</a>"
            html += "<tr data-node=\"\(Markup.escape(node.uniqueID))\"><td title=\"\(Markup.escape(node.uniqueID))\">\(shown)</td>"
                + "<td>\(Markup.escape(type))</td><td>\(RunMarkup.badge(node.status))</td>"
                + "<td class=\"num\">\(TimeText.duration(node.seconds))</td><td class=\"num\">\(node.rows.map { ValueFormat.integer.full(Double($0)) } ?? "")</td></tr>\n"
            // A message is the engine's error, often many lines: a row of its own, full width.
            if let message = node.message, !message.isEmpty {
                html += "<tr class=\"message-row\"><td colspan=\"5\"><pre class=\"node-message\">\(Markup.escape(message))</pre></td></tr>\n"
            }
        }
        return html + "</tbody></table></div>\n"
    }
}
