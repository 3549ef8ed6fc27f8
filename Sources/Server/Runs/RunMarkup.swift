import Dashboards
import Foundation
import Orchestrator

/// Markup the runs pages share: status badges (a colour and the word), triggers with links to
/// the runs they name, run and job links, and the empty state that says how to get runs.
enum RunMarkup {
    /// `<span class="status status-failed">failed</span>`; `timed_out` reads "timed out".
    static func badge(_ status: String, label: String? = nil) -> String {
        let word = label ?? status.replacingOccurrences(of: "_", with: " ")
        return "<span class=\"status status-\(cssName(status))\">\(Markup.escape(word))</span>"
    }

    static func badge(_ status: RunStatus) -> String { badge(status.rawValue) }

    /// A status as a class-name suffix: letters, digits, `_` and `-` only.
    static func cssName(_ status: String) -> String {
        let kept = status.lowercased().unicodeScalars.map { CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-" ? Character($0) : "-" }
        return String(kept)
    }

    static func runPath(_ id: Int64) -> String { "/runs/\(id)" }

    static func runLink(_ id: Int64) -> String { "<a href=\"\(runPath(id))\">#\(id)</a>" }

    static func jobPath(_ job: String) -> String { "/runs?job=" + RunsService.Filter.percent(job) }

    /// What started a run, in a few words, with links to the runs it names.
    static func trigger(_ trigger: RunTrigger) -> String {
        switch trigger {
        case .manual: "manual"
        case .schedule(let tick): "schedule <span class=\"muted\">tick \(Markup.escape(TimeText.display(tick)))</span>"
        case .sensor(let files): "sensor <span class=\"muted\">\(files.count) file\(files.count == 1 ? "" : "s")</span>"
        case .chained(let run): "chained from \(runLink(run))"
        case .backfill(let partition): "backfill <span class=\"muted\">\(Markup.escape(partition))</span>"
        case .retry(let run): "retry of \(runLink(run))"
        }
    }

    /// The trigger in full, for the run page: the tick, every file, the run it follows.
    static func triggerDetail(_ trigger: RunTrigger, job: JobDefinition?) -> String {
        switch trigger {
        case .manual:
            return "Manual — <code>storehouse jobs run</code>, the API or a button"
        case .schedule(let tick):
            var html = "Schedule tick \(TimeText.element(tick))"
            if let schedule = job?.schedule?.schedule {
                html += " <span class=\"muted\">(cron <code>\(Markup.escape(schedule.cron.source))</code> in \(Markup.escape(TimeText.zoneName(schedule.timeZone))))</span>"
            }
            return html
        case .sensor(let files):
            var html = "Sensor: \(files.count) new file\(files.count == 1 ? "" : "s")"
            if case .landing(let path, _)? = job?.sensor { html += " in <code>\(Markup.escape(path))</code>" }
            guard !files.isEmpty else { return html }
            html += "<ul>" + files.prefix(50).map { "<li><code>\(Markup.escape($0))</code></li>" }.joined()
            if files.count > 50 { html += "<li class=\"muted\">and \(files.count - 50) more</li>" }
            return html + "</ul>"
        case .chained(let run):
            return "Chained: started by the success of run \(runLink(run))"
        case .backfill(let partition):
            return "Backfill of <code>\(Markup.escape(partition))</code>"
        case .retry(let run):
            return "Retry of run \(runLink(run))"
        }
    }

    /// Seconds between two instants as text; for one not ended, the time so far at `now`
    /// (a dash without it, or before the start).
    static func duration(from start: Date?, to end: Date?, now: Date? = nil) -> String {
        guard let start else { return "–" }
        if let end { return TimeText.duration(end.timeIntervalSince(start)) }
        guard let now else { return "–" }
        return TimeText.duration(now.timeIntervalSince(start)) + " so far"
    }

    /// What to do when there is nothing to show yet.
    static func emptyState(jobs: JobFile, filtered: Bool) -> String {
        if jobs.jobs.isEmpty {
            return """
                <div class="empty-state" id="no-runs"><p><strong>No jobs yet.</strong> This project has no jobs file \
                (<code>\(Markup.escape(jobs.path))</code>), so nothing has run.</p>
                <p class="hint">Define jobs in <code>jobs.yml</code> beside <code>dbt_project.yml</code> — steps such as \
                <code>- build: {}</code>, with an optional schedule — then run one with <code>storehouse jobs run NAME</code>; \
                its runs appear here.</p></div>

                """
        }
        if filtered {
            return "<div class=\"empty-state\" id=\"no-runs\"><p>No run matches these filters.</p>"
                + "<p class=\"hint\"><a href=\"/runs\">Show every run</a>.</p></div>\n"
        }
        let example = Markup.escape(jobs.jobs.first?.name ?? "NAME")
        return """
            <div class="empty-state" id="no-runs"><p><strong>No runs yet.</strong> Run a job with \
            <code>storehouse jobs run \(example)</code> (or <code>storehouse jobs run NAME</code> for any job below); \
            scheduled jobs run by themselves while <code>storehouse serve</code> is up.</p></div>

            """
    }
}
