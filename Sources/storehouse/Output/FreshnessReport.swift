import Foundation
import Synchronization
import TransformRuntime
import WarehouseKit

/// Source freshness as people read it: one line per source in the layout of `build`'s progress
/// lines, then a summary naming each source that warned, is stale or could not be checked.
enum FreshnessReport {
    /// `Checking freshness of 3 sources with 2 threads`.
    static func startLine(total: Int, threads: Int) -> String {
        "Checking freshness of \(total) source\(total == 1 ? "" : "s") with \(threads) thread\(threads == 1 ? "" : "s")"
    }

    /// `[1/3] source   raw.orders    PASS  5h 12m old    0.02s`.
    static func line(_ result: SourceFreshnessResult, index: Int, total: Int) -> String {
        let width = String(total).count
        let position = "[\(String(index).leftPadded(to: width, with: " "))/\(total)]"
        let name = result.name.count > 44 ? String(result.name.prefix(41)) + "..." : result.name
        let detail = result.status == .runtimeError ? "could not be checked" : FreshnessText.detail(result)
        return "\(position) source   \(padded(name, 44)) \(padded(label(result.status), 5)) \(padded(detail, 24)) \(String(format: "%6.2fs", result.seconds))"
    }

    static func label(_ status: FreshnessStatus) -> String {
        switch status {
        case .pass: return "PASS"
        case .warn: return "WARN"
        case .error: return "STALE"
        case .runtimeError: return "ERROR"
        }
    }

    /// The counts, where sources.json went, then each problem with its detail.
    static func summary(_ summary: SourceFreshnessSummary, projectRoot: String) -> String {
        var text = "\nDone in \(String(format: "%.2f", summary.seconds))s: \(counts(summary))"
        if summary.results.isEmpty {
            text += "\nno selected source table has freshness criteria; give one `loaded_at_field` and "
                + "`freshness: {warn_after: {count: 12, period: hour}}` in its sources YAML"
        }
        text += "\nwrote \(relative(summary.artifactPath, to: projectRoot))"
        for result in summary.results where result.status != .pass {
            text += "\n\n\(label(result.status)) source \(result.name)"
            for line in problemLines(result) { text += "\n  " + line }
        }
        return text
    }

    /// `2 passed, 1 warned, 1 stale, 0 errored`.
    static func counts(_ summary: SourceFreshnessSummary) -> String {
        "\(summary.count(.pass)) passed, \(summary.count(.warn)) warned, \(summary.count(.error)) stale, \(summary.count(.runtimeError)) errored"
    }

    /// What went wrong with one source, a line each.
    static func problemLines(_ result: SourceFreshnessResult) -> [String] {
        guard let measurement = result.measurement else {
            var lines = (result.message ?? "could not be checked").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if let sql = result.sql { lines += ["query:"] + sql.split(separator: "\n").map { "  " + $0 } }
            return lines
        }
        var lines: [String] = []
        if measurement.hasRows {
            lines.append("newest row \(measurement.maxLoadedAt) UTC, \(FreshnessText.detail(result)); checked at \(measurement.snapshottedAt) UTC")
        } else if let message = result.message {
            lines.append(message)
        }
        let limits = [FreshnessText.threshold(result.criteria.warnAfter).map { "warn after \($0)" },
                      FreshnessText.threshold(result.criteria.errorAfter).map { "error after \($0)" }].compactMap { $0 }
        if !limits.isEmpty { lines.append("criteria: " + limits.joined(separator: ", ") + (result.criteria.filter.map { ", rows where \($0)" } ?? "")) }
        return lines
    }

    /// The first line of a failed freshness step: which sources are stale, how old, and which
    /// could not be checked. It is what an alert and `storehouse runs` show.
    static func failureHeadline(_ summary: SourceFreshnessSummary) -> String {
        let stale = summary.results.filter { $0.status == .error }
        let broken = summary.results.filter { $0.status == .runtimeError }
        var parts: [String] = []
        if !stale.isEmpty {
            let names = stale.map { $0.measurement?.hasRows == false ? "\($0.name) has no rows" : "\($0.name) is \(FreshnessText.detail($0))" }
            parts.append("\(stale.count) source\(stale.count == 1 ? "" : "s") stale: " + names.joined(separator: "; "))
        }
        if !broken.isEmpty {
            parts.append("\(broken.count) source\(broken.count == 1 ? "" : "s") could not be checked: \(broken.map(\.name).joined(separator: ", "))")
        }
        return parts.joined(separator: ". ")
    }

    static func padded(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func relative(_ path: String, to root: String) -> String {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}

/// Freshness progress on the terminal, a line per source as it is checked.
final class TerminalFreshnessReporter: SourceFreshnessReporter {
    private let output = Mutex(())

    func freshnessStarted(total: Int, threads: Int) {
        print(FreshnessReport.startLine(total: total, threads: threads))
        fflush(nil)
    }

    func sourceChecked(_ result: SourceFreshnessResult, index: Int, total: Int) {
        let line = FreshnessReport.line(result, index: index, total: total)
        output.withLock { _ in
            print(line)
            fflush(nil) // progress must reach a pipe as it happens
        }
    }
}

/// Freshness progress into a job step's log.
struct StepLogFreshnessReporter: SourceFreshnessReporter {
    let log: @Sendable (String) -> Void

    func freshnessStarted(total: Int, threads: Int) { log(FreshnessReport.startLine(total: total, threads: threads)) }

    func sourceChecked(_ result: SourceFreshnessResult, index: Int, total: Int) {
        log(FreshnessReport.line(result, index: index, total: total))
    }
}
