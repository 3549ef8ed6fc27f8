import Foundation
import Synchronization
import TransformProject
import TransformRuntime
import WarehouseKit

/// One progress line per node as it finishes, then a summary naming every failure with its
/// compiled SQL file and the engine's message.
final class TerminalRunReporter: RunReporter {
    private let output = Mutex(())

    func runStarted(total: Int, threads: Int) {
        print(TerminalRunReporter.startLine(total: total, threads: threads))
        fflush(nil)
    }

    func selectionMissed(_ misses: [SelectionMiss]) {
        for miss in misses { FileHandle.standardError.write(Data("warning: \(miss)\n".utf8)) }
    }

    func nodeFinished(_ result: NodeResult, index: Int, total: Int) {
        let line = TerminalRunReporter.line(result, index: index, total: total)
        output.withLock { _ in
            print(line)
            fflush(nil) // progress must reach a pipe as it happens, not at exit
        }
    }

    /// `Running 12 nodes with 2 threads`.
    static func startLine(total: Int, threads: Int) -> String {
        if total == 0 { return "Nothing to do: no node is selected; check --select and --exclude, or list the project's nodes with `storehouse ls`" }
        return "Running \(total) node\(total == 1 ? "" : "s") with \(threads) thread\(threads == 1 ? "" : "s")"
    }

    /// `[ 3/12] model    stg_orders    OK    view    0.12s`: one finished node.
    static func line(_ result: NodeResult, index: Int, total: Int) -> String {
        let width = String(total).count
        let position = "[\(String(index).leftPadded(to: width, with: " "))/\(total)]"
        let kind = result.resourceType.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
        let shown = displayName(result)
        let name = shown.count > 44 ? String(shown.prefix(41)) + "..." : shown
        let label = TerminalRunReporter.label(result.status).padding(toLength: 5, withPad: " ", startingAt: 0)
        var detail: String
        switch result.status {
        case .success: detail = result.message + (result.rowsAffected.map { " \(TerminalRunReporter.grouped($0)) rows" } ?? "")
        case .pass: detail = ""
        case .fail where result.resourceType == .unitTest: detail = "actual differs"
        case .fail, .warn: detail = "\(result.failures ?? 0) failing row\(result.failures == 1 ? "" : "s")"
        case .error: detail = "error"
        case .skipped: detail = "upstream failed"
        }
        return "\(position) \(kind) \(name.padding(toLength: 44, withPad: " ", startingAt: 0)) \(label) \(detail.padding(toLength: 24, withPad: " ", startingAt: 0)) \(String(format: "%6.2fs", result.seconds))"
    }

    /// A unit test shows as `model::test`, as dbt prints it; other nodes by name.
    static func displayName(_ result: NodeResult) -> String {
        // A versioned model shows its version: `dim_customers.v2`.
        if result.resourceType == .model, result.uniqueId.split(separator: ".").count == 4 {
            return result.name + "." + (result.uniqueId.split(separator: ".").last.map(String.init) ?? "")
        }
        guard result.resourceType == .unitTest else { return result.name }
        let parts = result.uniqueId.split(separator: ".", maxSplits: 2)
        return parts.count == 3 ? parts[2].replacingOccurrences(of: ".", with: "::") : result.name
    }

    static func label(_ status: NodeStatus) -> String {
        switch status {
        case .success, .pass: return "OK"
        case .error: return "ERROR"
        case .fail: return "FAIL"
        case .warn: return "WARN"
        case .skipped: return "SKIP"
        }
    }

    static func summary(_ summary: RunSummary, projectRoot: String) -> String {
        let ok = summary.count(.success) + summary.count(.pass)
        var text = "\nDone in \(String(format: "%.2f", summary.seconds))s: \(ok) ok, \(summary.count(.warn)) warned, "
            + "\(summary.count(.error)) errored, \(summary.count(.fail)) failed, \(summary.count(.skipped)) skipped"
        let problems = summary.results.filter { $0.status == .error || $0.status == .fail || $0.status == .warn }
        for result in problems {
            text += "\n\n\(label(result.status)) \(result.resourceType.rawValue) \(displayName(result))"
            if let path = result.compiledPath { text += "\n  compiled SQL: \((projectRoot as NSString).appendingPathComponent(path))" }
            let message = result.message.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
            text += "\n" + message
        }
        return text
    }

    /// `1234567` → `1,234,567`.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + String(out.reversed())
    }
}
