import Dashboards
import Foundation
import Orchestrator

/// `/runs`: the run history as a timeline (newest first, a bar per run on one time axis), with
/// filters in a GET form so a view is a shareable URL, paging, and the jobs with their
/// schedules and last runs. Pure: the route gathers the records.
struct RunsPage {
    var runs: [RunRecord]
    var hasMore: Bool
    var filter: RunsService.Filter
    /// Jobs the filter offers.
    var jobNames: [String]
    var jobs: [(job: JobDefinition, lastRun: RunRecord?)]
    var jobFile: JobFile
    var dashboards: [Dashboard]
    var now: Date

    static let limitChoices = [25, 50, 100, 200, 500]

    func render() -> String {
        var html = PageChrome.head(title: "Runs") + RunsAssets.link + PageChrome.header(dashboards: dashboards, current: PageChrome.runsPath)
        html += "<main class=\"runs-page\">\n<h1>Runs</h1>\n"
        html += "<p class=\"description\">Every run of the project's jobs, newest first, on one time axis (UTC). "
            + "Open a run for its steps, attempts and logs; the <a href=\"\(PageChrome.modelGraphPath)\">model graph</a> shows what each run built.</p>\n"
        let filtered = filter.job != nil || filter.status != nil || filter.page > 1
        html += filterForm()
        if runs.isEmpty {
            html += RunMarkup.emptyState(jobs: jobFile, filtered: filtered)
        } else {
            html += tally()
            html += table()
            html += pager()
        }
        html += jobsSection()
        return html + "</main>\n</body>\n</html>\n"
    }

    func filterForm() -> String {
        var html = "<form class=\"filters\" method=\"get\" action=\"/runs\">\n<label>Job <select name=\"job\" data-autosubmit><option value=\"\">All jobs</option>"
        for name in jobNames {
            html += "<option value=\"\(Markup.escape(name))\"\(name == filter.job ? " selected" : "")>\(Markup.escape(name))</option>"
        }
        html += "</select></label>\n<label>Status <select name=\"status\" data-autosubmit><option value=\"\">Any status</option>"
        for status in RunStatus.allCases {
            html += "<option value=\"\(status.rawValue)\"\(status == filter.status ? " selected" : "")>\(status.rawValue.replacingOccurrences(of: "_", with: " "))</option>"
        }
        html += "</select></label>\n<label>Show <select name=\"limit\" data-autosubmit>"
        var choices = Self.limitChoices
        if !choices.contains(filter.limit) { choices = (choices + [filter.limit]).sorted() }
        for limit in choices {
            html += "<option value=\"\(limit)\"\(limit == filter.limit ? " selected" : "")>\(limit) runs</option>"
        }
        return html + "</select></label>\n<button type=\"submit\">Apply</button> <a class=\"reset\" href=\"/runs\">Reset</a>\n</form>\n"
    }

    func tally() -> String {
        var counts: [RunStatus: Int] = [:]
        for run in runs { counts[run.status, default: 0] += 1 }
        var html = "<p class=\"run-tally\"><span>\(runs.count) run\(runs.count == 1 ? "" : "s")"
            + (filter.page > 1 ? " on page \(filter.page)" : "") + "</span>"
        for status in RunStatus.allCases {
            if let count = counts[status] { html += RunMarkup.badge(status.rawValue, label: "\(count) \(status.rawValue.replacingOccurrences(of: "_", with: " "))") }
        }
        return html + "</p>\n"
    }

    /// A row per run; the last column puts its queue wait and run time on the page's time axis.
    func table() -> String {
        let timeline = RunTimeline(spans: runs.map { run in (run.queuedAt, run.endedAt ?? max(now, run.startedAt ?? run.queuedAt)) })
        var html = "<div class=\"tile results\"><div class=\"table-wrap\"><table class=\"list runs-table\">\n<thead><tr><th>Run</th><th>Status</th>"
            + "<th>Job</th><th>Trigger</th><th>Started</th><th class=\"num\">Duration</th>"
            + "<th class=\"timeline-head\" title=\"When each run waited (light) and ran, on one axis in UTC\">\(timeline.axisHTML())</th></tr></thead>\n<tbody>\n"
        for run in runs {
            html += "<tr class=\"run-row\" data-run=\"\(run.id)\" data-status=\"\(run.status.rawValue)\">"
            html += "<td><a href=\"\(RunMarkup.runPath(run.id))\">#\(run.id)</a>\(run.attempt > 1 ? "<small>attempt \(run.attempt)</small>" : "")</td>"
            html += "<td>\(RunMarkup.badge(run.status))</td>"
            html += "<td><a href=\"\(Markup.escape(RunMarkup.jobPath(run.job)))\">\(Markup.escape(run.job))</a></td>"
            html += "<td>\(RunMarkup.trigger(run.trigger))</td>"
            if let started = run.startedAt {
                html += "<td>\(TimeText.element(started))<small>\(TimeText.age(of: started, now: now))</small></td>"
            } else {
                html += "<td><span class=\"muted\">not started</span><small>queued \(TimeText.age(of: run.queuedAt, now: now))</small></td>"
            }
            html += "<td class=\"num\">\(RunMarkup.duration(from: run.startedAt, to: run.endedAt, now: run.status.isFinished ? nil : now))</td>"
            html += "<td class=\"timeline\"><span class=\"track\">\(bars(run, on: timeline))</span></td></tr>\n"
        }
        return html + "</tbody></table></div></div>\n"
    }

    func bars(_ run: RunRecord, on timeline: RunTimeline) -> String {
        var html = ""
        let started = run.startedAt ?? (run.status.isFinished ? run.endedAt ?? run.queuedAt : now)
        if started.timeIntervalSince(run.queuedAt) > 0 {
            html += "<span class=\"bar queued\" style=\"\(timeline.style(from: run.queuedAt, to: started))\" "
                + "title=\"queued \(TimeText.display(run.queuedAt)), waited \(TimeText.duration(started.timeIntervalSince(run.queuedAt)))\"></span>"
        }
        if let start = run.startedAt {
            let end = run.endedAt ?? now
            let title = "#\(run.id) \(run.job) \(run.status.rawValue): \(TimeText.display(start)) for \(TimeText.duration(end.timeIntervalSince(start)))"
            html += "<a class=\"bar bar-\(run.status.rawValue)\" href=\"\(RunMarkup.runPath(run.id))\" style=\"\(timeline.style(from: start, to: end))\" "
                + "title=\"\(Markup.escape(title))\" aria-label=\"\(Markup.escape(title))\"></a>"
        }
        return html
    }

    func pager() -> String {
        guard filter.page > 1 || hasMore else { return "" }
        var html = "<nav class=\"pager\">"
        if filter.page > 1 { html += "<a rel=\"prev\" href=\"/runs\(Markup.escape(filter.query(page: filter.page - 1)))\">← Newer</a> " }
        html += "<span>Page \(filter.page)</span>"
        if hasMore { html += " <a rel=\"next\" href=\"/runs\(Markup.escape(filter.query(page: filter.page + 1)))\">Older →</a>" }
        return html + "</nav>\n"
    }

    /// The jobs file's jobs: what starts each, its steps, and how its last run went.
    func jobsSection() -> String {
        guard !jobs.isEmpty else { return "" }
        var html = "<h2>Jobs</h2>\n<p class=\"description\">From <code>\(Markup.escape(jobFile.path))</code>. Run one with "
            + "<code>storehouse jobs run NAME</code>.</p>\n<div class=\"tile results\"><div class=\"table-wrap\"><table class=\"list jobs-table\">\n"
            + "<thead><tr><th>Job</th><th>Starts</th><th>Steps</th><th>Last run</th></tr></thead>\n<tbody>\n"
        for (job, last) in jobs {
            html += "<tr data-job=\"\(Markup.escape(job.name))\"><td><a href=\"\(Markup.escape(RunMarkup.jobPath(job.name)))\">\(Markup.escape(job.name))</a>"
            if let description = job.description { html += "<br><span class=\"muted\">\(Markup.escape(description))</span>" }
            html += "</td><td>\(starts(job))</td>"
            html += "<td>\(Markup.escape(job.steps.map(\.name).joined(separator: " → ")))"
            if !job.onSuccess.isEmpty { html += "<br><span class=\"muted\">then \(Markup.escape(job.onSuccess.joined(separator: ", ")))</span>" }
            html += "</td><td>"
            if let last {
                html += "\(RunMarkup.badge(last.status)) \(RunMarkup.runLink(last.id))"
                html += " <span class=\"muted\">\(TimeText.age(of: last.endedAt ?? last.startedAt ?? last.queuedAt, now: now))</span>"
            } else {
                html += "<span class=\"muted\">never run</span>"
            }
            html += "</td></tr>\n"
        }
        return html + "</tbody></table></div></div>\n"
    }

    func starts(_ job: JobDefinition) -> String {
        var parts: [String] = []
        if let planned = job.schedule {
            let next = planned.schedule.nextTick(after: now)
            parts.append("schedule <code>\(Markup.escape(planned.schedule.cron.source))</code> \(Markup.escape(TimeText.zoneName(planned.schedule.timeZone)))"
                + "<br><span class=\"muted\" title=\"\(TimeText.iso(next))\">next \(TimeText.display(next)), \(TimeText.until(next, now: now))</span>")
        }
        if case .landing(let path, let sensor)? = job.sensor {
            parts.append("new files <code>\(Markup.escape(sensor.glob.pattern))</code> in <code>\(Markup.escape(path))</code>")
        }
        let upstream = jobFile.jobs.filter { $0.onSuccess.contains(job.name) }.map(\.name)
        if !upstream.isEmpty { parts.append("after \(Markup.escape(upstream.joined(separator: ", "))) succeeds") }
        return parts.isEmpty ? "<span class=\"muted\">by hand</span>" : parts.joined(separator: "<br>")
    }
}
