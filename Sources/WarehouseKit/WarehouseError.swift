/// An error from a warehouse: what the engine said, and the statement that caused it.
///
/// Parameter values are never part of the description, so secrets bound as parameters do not
/// end up in logs.
public struct WarehouseError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case connection, query, transaction, load, conversion, usage
    }

    /// A stable, machine-readable name for why a statement was refused or stopped, so an API can
    /// answer with it and a client can act on it without reading the message. A struct rather
    /// than an enum: adding a code must not break code that switches over the known ones.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The statement would change the database or the session (DML, DDL, COPY, SET, …).
        public static let notReadOnly = Code(rawValue: "not_read_only")
        /// The text holds more than one statement.
        public static let multipleStatements = Code(rawValue: "multiple_statements")
        /// The text holds no statement at all (empty, or only comments).
        public static let emptyStatement = Code(rawValue: "empty_statement")
        /// The engine could not parse the text.
        public static let syntax = Code(rawValue: "syntax")
        /// The statement reaches beyond the warehouse: files, network, extensions, privileges.
        public static let forbiddenAccess = Code(rawValue: "forbidden_access")
        /// The statement ran past its time limit and was interrupted.
        public static let timeout = Code(rawValue: "timeout")
        /// The caller gave up (its task was cancelled) and the statement was interrupted.
        public static let cancelled = Code(rawValue: "cancelled")
        /// A valid, permitted query that the engine could not run (a missing table, a bad cast …).
        public static let queryFailed = Code(rawValue: "query_failed")
        /// This warehouse cannot run untrusted SQL safely as it is opened or connected.
        public static let unsupported = Code(rawValue: "unsupported")
    }

    public var kind: Kind
    public var message: String
    public var sql: String?
    /// Set on errors of `Warehouse.runReadOnly`; nil elsewhere.
    public var code: Code?
    /// What to do about it, shown after the message.
    public var hint: String?

    public init(_ kind: Kind, _ message: String, sql: String? = nil, code: Code? = nil, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.sql = sql
        self.code = code
        self.hint = hint
    }

    public var description: String {
        var text = message
        if let hint, !hint.isEmpty { text += "\n  hint: " + hint }
        if let sql, !sql.isEmpty {
            let lines = sql.split(separator: "\n", omittingEmptySubsequences: false)
            let shown = lines.prefix(12).map { "    " + $0 }.joined(separator: "\n")
            text += "\n  in SQL:\n" + shown + (lines.count > 12 ? "\n    … (\(lines.count - 12) more lines)" : "")
        }
        return text
    }
}
