import Foundation

/// A problem with a dbt project that the user must fix: what went wrong, where, and what to do.
///
/// `description` reads like a compiler diagnostic, `models/orders.sql:3:14: error: …`, so the
/// CLI can print it as is.
public struct TransformError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Project-relative path of the file at fault, or "" when no single file is to blame.
    public var file: String
    /// 1-based line, 0 when unknown. For a seed this is the CSV row number.
    public var line: Int
    /// 1-based column, 0 when unknown.
    public var column: Int
    /// The message, including what to do about it.
    public var message: String

    public init(file: String = "", line: Int = 0, column: Int = 0, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        if file.isEmpty { return "error: \(message)" }
        if line == 0 { return "\(file): error: \(message)" }
        if column == 0 { return "\(file):\(line): error: \(message)" }
        return "\(file):\(line):\(column): error: \(message)"
    }
}

/// Something in a project that loads but is probably not what its author meant, printed like a
/// compiler warning: `models/_core.yml:12:9: warning: …`.
public struct ProjectWarning: CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int = 0, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        column == 0 ? "\(file):\(line): warning: \(message)" : "\(file):\(line):\(column): warning: \(message)"
    }
}
