/// One query from someone the warehouse does not trust (the SQL explorer, `storehouse query`):
/// it runs only if the engine itself guarantees it cannot change anything or reach beyond the
/// warehouse, and it stops at a row limit and a time limit.
///
/// Every check is the engine's: the statement count and kind come from the engine's parser, the
/// statement runs in a read-only transaction on a connection that cannot touch files, network
/// or extensions, and the time limit interrupts the running statement. Nothing matches keywords
/// in the text.
///
/// ```swift
/// let answer = try await warehouse.runReadOnly(ReadOnlyQuery("select * from marts.daily_revenue",
///                                                             rowLimit: 500, timeout: .seconds(10)))
/// if answer.truncated { print("showing the first 500 rows") }
/// ```
public struct ReadOnlyQuery: Sendable, Hashable {
    /// The SQL: exactly one query, without parameters.
    public var text: String
    /// Rows returned at most; rows past it are never fetched from the engine.
    public var rowLimit: Int
    /// How long the query may run before it is interrupted; nil for no limit (a local user's
    /// own terminal). A server always sets one.
    public var timeout: Duration?

    public init(_ text: String, rowLimit: Int = 1000, timeout: Duration? = .seconds(30)) {
        self.text = text
        self.rowLimit = max(0, rowLimit)
        self.timeout = timeout
    }
}

/// What a read-only query returned.
public struct ReadOnlyQueryResult: Sendable, Hashable {
    /// At most `rowLimit` rows; the columns carry the engine's type names.
    public var resultSet: ResultSet
    /// The query had more rows than `rowLimit`; they were not fetched.
    public var truncated: Bool
    /// Wall time from the start of the request to the last row fetched.
    public var elapsed: Duration

    public init(resultSet: ResultSet, truncated: Bool, elapsed: Duration) {
        self.resultSet = resultSet
        self.truncated = truncated
        self.elapsed = elapsed
    }

    public var columnTypes: [String] { resultSet.columns.map(\.type) }
}

extension Warehouse {
    /// Adapters that cannot sandbox a statement refuse every one: failing closed is the point.
    public func runReadOnly(_ query: ReadOnlyQuery) async throws -> ReadOnlyQueryResult {
        throw WarehouseError(.usage, "the \(dialect.name) warehouse cannot run untrusted SQL read-only",
                             sql: query.text, code: .unsupported,
                             hint: "run the query on a DuckDB or PostgreSQL warehouse")
    }
}

/// The errors of `runReadOnly`, worded the same on every engine: what happened, then what to do.
/// Adapters pass the engine's own message where it says more than we could.
public enum ReadOnlyRefusal {
    public static func notReadOnly(_ statementKind: String, sql: String, engineMessage: String? = nil) -> WarehouseError {
        WarehouseError(.query, "only a query that changes nothing can run here, and this is \(statementKind)"
                       + (engineMessage.map { ": \($0)" } ?? ""),
                       sql: sql, code: .notReadOnly,
                       hint: "write one SELECT (or WITH … SELECT, VALUES); changes go through the project's models and `storehouse build`")
    }

    public static func multipleStatements(_ count: Int?, sql: String) -> WarehouseError {
        WarehouseError(.query, "the text holds \(count.map(String.init) ?? "more than one") statements; one query runs per request",
                       sql: sql, code: .multipleStatements,
                       hint: "send the statements one at a time, without a `;` between them")
    }

    public static func empty(sql: String) -> WarehouseError {
        WarehouseError(.query, "there is no statement to run: the text is empty or only comments", sql: sql, code: .emptyStatement,
                       hint: "write a query, e.g. select * from marts.daily_revenue limit 10")
    }

    public static func syntax(_ engineMessage: String, sql: String) -> WarehouseError {
        WarehouseError(.query, engineMessage, sql: sql, code: .syntax, hint: "fix the SQL where the message points")
    }

    public static func forbiddenAccess(_ engineMessage: String, sql: String, hint: String? = nil) -> WarehouseError {
        WarehouseError(.query, "the query reaches outside the warehouse (files, network, extensions or privileged functions), which is not allowed here: \(engineMessage)",
                       sql: sql, code: .forbiddenAccess,
                       hint: hint ?? "query the warehouse's tables; files are loaded with `storehouse generate` or ingest first")
    }

    public static func timeout(_ limit: Duration, sql: String) -> WarehouseError {
        WarehouseError(.query, "the query ran past its time limit of \(seconds(limit)) and was stopped", sql: sql, code: .timeout,
                       hint: "narrow it (filters, a limit, fewer joins) or allow it more time")
    }

    public static func cancelled(sql: String) -> WarehouseError {
        WarehouseError(.query, "the query was cancelled by its caller and stopped", sql: sql, code: .cancelled)
    }

    public static func failed(_ engineMessage: String, sql: String) -> WarehouseError {
        WarehouseError(.query, engineMessage, sql: sql, code: .queryFailed)
    }

    static func seconds(_ duration: Duration) -> String {
        // Whole milliseconds first, so 300 ms reads "0.3 s" and not a binary fraction's tail.
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return WarehouseValue.format(double: Double(milliseconds) / 1000) + " s"
    }
}
