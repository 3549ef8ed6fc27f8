import Foundation
import Ingest

/// How `storehouse ingest` and `storehouse export` (and their job steps) say what they did.
enum IngestReport {
    /// One line per file as it finishes: `  loaded     landing/a.csv  1,204 rows, 2 quarantined`.
    static func line(_ outcome: FileOutcome) -> String {
        var text = "  " + outcome.status.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0) + " " + outcome.path
        switch outcome.status {
        case .loaded, .reloaded:
            text += "  \(count(outcome.rows)) rows"
            if !outcome.quarantined.isEmpty { text += ", \(count(outcome.quarantined.count)) quarantined" }
            if let message = outcome.message { text += " (\(message))" }
        case .unchanged: break
        case .settling, .failed: text += outcome.message.map { ": " + $0 } ?? ""
        }
        return text
    }

    /// The load's last line, with what to look at next.
    static func summary(_ report: LoadReport) -> String {
        let seconds = max(report.finishedAt.timeIntervalSince(report.startedAt), 0.001)
        var parts: [String] = []
        for status in [FileOutcome.Status.loaded, .reloaded, .unchanged, .settling, .failed] where report.count(status) > 0 {
            parts.append("\(report.count(status)) \(status.rawValue)")
        }
        let noun = noun(report)
        var text = "\(report.connector) → \(report.target): \(report.status.rawValue); "
        text += report.files.isEmpty ? "no \(noun)s matched" : "\(report.files.count) \(noun)\(report.files.count == 1 ? "" : "s") (\(parts.joined(separator: ", ")))"
        text += "; \(count(report.rowsLoaded)) rows in \(String(format: "%.2f", seconds)) s"
        if report.rowsLoaded > 0 { text += " (\(count(Int(Double(report.rowsLoaded) / seconds))) rows/s)" }
        if report.rowsQuarantined > 0 {
            text += "\n  \(count(report.rowsQuarantined)) rows quarantined: select * from ingest.quarantine where load_id = '\(report.loadID)'"
        }
        if let error = report.error { text += "\n  error: \(error)" }
        return text
    }

    /// What a connector's items are: files, tables (PostgreSQL) or resources (REST).
    static func noun(_ report: LoadReport) -> String {
        switch report.kind {
        case "files": "file"
        case "rest": "resource"
        default: "table"
        }
    }

    static func exported(_ table: ExportedTable, folder: String) -> String {
        let partitions = table.partitionBy.isEmpty ? "" : ", partitioned by \(table.partitionBy.joined(separator: ", "))"
        return "  \(table.relation) → \((folder as NSString).appendingPathComponent(table.path))/  \(count(table.rows)) rows in \(table.files.count) file\(table.files.count == 1 ? "" : "s")\(partitions)"
    }

    static func count(_ value: Int) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = ","
        formatter.usesGroupingSeparator = true
        return formatter.string(from: NSNumber(value: value)) ?? String(value)
    }
}
