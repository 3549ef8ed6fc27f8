import Foundation

/// A problem with a job file, a schedule or another orchestrator input that the user must fix:
/// what went wrong, where, and what to do.
///
/// `description` reads like a compiler diagnostic so the CLI can print it as is:
/// `jobs.yml:7:9: unknown step kind 'shell' — allowed: …; a job file cannot run commands`.
public struct OrchestratorError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Project-relative path of the file at fault, or "" when the input did not come from a file.
    public var file: String
    /// 1-based line, 0 when unknown.
    public var line: Int
    /// 1-based column, 0 when unknown.
    public var column: Int
    /// What went wrong.
    public var message: String
    /// What to do about it, or "" when the message already says so.
    public var hint: String

    public init(file: String = "", line: Int = 0, column: Int = 0, _ message: String, hint: String = "") {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
    }

    public var description: String {
        let text = hint.isEmpty ? message : "\(message); \(hint)"
        if file.isEmpty { return text }
        if line == 0 { return "\(file): \(text)" }
        if column == 0 { return "\(file):\(line): \(text)" }
        return "\(file):\(line):\(column): \(text)"
    }

    /// The same error, placed at a position in a file. Errors from values parsed out of a file
    /// (a cron expression, a duration) know nothing of the file; the loader adds it.
    public func located(file: String, line: Int, column: Int) -> OrchestratorError {
        var copy = self
        copy.file = file
        copy.line = line
        copy.column = column
        return copy
    }
}
