/// An error from a warehouse: what the engine said, and the statement that caused it.
///
/// Parameter values are never part of the description, so secrets bound as parameters do not
/// end up in logs.
public struct WarehouseError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case connection, query, transaction, load, conversion, usage
    }

    public var kind: Kind
    public var message: String
    public var sql: String?

    public init(_ kind: Kind, _ message: String, sql: String? = nil) {
        self.kind = kind
        self.message = message
        self.sql = sql
    }

    public var description: String {
        var text = message
        if let sql, !sql.isEmpty {
            let lines = sql.split(separator: "\n", omittingEmptySubsequences: false)
            let shown = lines.prefix(12).map { "    " + $0 }.joined(separator: "\n")
            text += "\n  in SQL:\n" + shown + (lines.count > 12 ? "\n    … (\(lines.count - 12) more lines)" : "")
        }
        return text
    }
}
