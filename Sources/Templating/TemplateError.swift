import Foundation

/// Any failure while lexing, parsing or rendering a template, located at file:line:col.
///
/// Its description reads like a compiler's:
/// ```
/// models/stg_orders.sql:3:14: error: unexpected end of template, expected 'endif' to close 'if' opened at 2:1
/// {% if x %}
///              ^
/// ```
public struct TemplateError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The template's name as given to `Template(source:name:)`; empty for a message raised by host
    /// code that has not been located yet.
    public var file: String
    /// 1-based line; 0 when not located.
    public var line: Int
    /// 1-based column (in characters); 0 when not located.
    public var column: Int
    /// What went wrong, without the location.
    public var message: String
    /// The source line the error points at, shown under the message with a caret.
    public var sourceLine: String
    /// The macros the error passed through, innermost first: where it happened, then each caller.
    public var callChain: [CallFrame] = []
    /// Line, in the template that called the outermost macro of `callChain`, of that call.
    public var callerLine = 0

    /// One macro the error passed through, with the line inside it where the error (or the call
    /// that led to it) happened.
    public struct CallFrame: Sendable, Equatable {
        public var macro: String
        public var file: String
        public var line: Int
    }

    /// `> in macro inner (macros/m.sql:4)`, `> called by macro outer (macros/m.sql:1)`, …, then
    /// `> called by <what>`: dbt's call chain under a message, with lines.
    public func chain(calledBy what: String, file: String) -> String {
        guard !callChain.isEmpty else { return "" }
        var lines = callChain.enumerated().map { index, frame in
            "  > \(index == 0 ? "in" : "called by") macro \(frame.macro) (\(frame.file)\(frame.line > 0 ? ":\(frame.line)" : ""))"
        }
        lines.append("  > called by \(what) (\(file)\(callerLine > 0 ? ":\(callerLine)" : ""))")
        return "\n" + lines.joined(separator: "\n")
    }

    public init(file: String, line: Int, column: Int, message: String, sourceLine: String = "") {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.sourceLine = sourceLine
    }

    /// An error with only a message, for host functions to throw (e.g. dbt's
    /// `exceptions.raise_compiler_error`). The template call site adds file, line and column.
    public static func raised(_ message: String) -> TemplateError {
        TemplateError(file: "", line: 0, column: 0, message: message)
    }

    /// True once file:line:col is known.
    public var isLocated: Bool { line > 0 }

    public var description: String {
        guard isLocated else { return "error: \(message)" }
        var text = "\(file):\(line):\(column): error: \(message)"
        if !sourceLine.isEmpty || column > 0 {
            text += "\n" + sourceLine + "\n"
            // Keep tabs so the caret lines up under the same terminal columns.
            let prefix = sourceLine.prefix(max(0, column - 1))
            text += String(prefix.map { $0 == "\t" ? "\t" : " " }) + "^"
        }
        return text
    }
}

/// Maps byte offsets in a template's source to line, column and line text, for error messages.
struct SourceLocator: Sendable {
    let bytes: [UInt8]
    let lineStarts: [Int]

    init(bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        lineStarts = starts
    }

    func lineIndex(of offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// 1-based line and character column of `offset`.
    func position(of offset: Int) -> (line: Int, column: Int) {
        let clamped = min(max(0, offset), bytes.count)
        let li = lineIndex(of: clamped)
        let start = lineStarts[li]
        let prefix = String(decoding: bytes[start..<clamped], as: UTF8.self)
        return (li + 1, prefix.count + 1)
    }

    func lineText(of offset: Int) -> String {
        let li = lineIndex(of: min(max(0, offset), bytes.count))
        let start = lineStarts[li]
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    func error(file: String, offset: Int, message: String) -> TemplateError {
        let (line, column) = position(of: offset)
        return TemplateError(file: file, line: line, column: column, message: message, sourceLine: lineText(of: offset))
    }
}
