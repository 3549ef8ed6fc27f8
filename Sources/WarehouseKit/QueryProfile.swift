import Foundation

/// What the engine says a statement cost: its time, the rows it read and produced, memory, and
/// the time of each operator of its plan (DuckDB's profiler; PostgreSQL's
/// `EXPLAIN (ANALYZE, BUFFERS)`). `storehouse build --profile` keeps one per model.
public struct QueryProfile: Sendable, Equatable {
    /// One operator of the plan: `HASH_JOIN`, `TABLE_SCAN`, `Seq Scan`, … with its own time
    /// (children excluded) and the rows it produced.
    public struct Operator: Sendable, Equatable {
        public var name: String
        public var seconds: Double
        public var rows: Int?
        /// What it works on: the table scanned, the join condition, the sort keys.
        public var detail: String?

        public init(name: String, seconds: Double, rows: Int? = nil, detail: String? = nil) {
            self.name = name
            self.seconds = seconds
            self.rows = rows
            self.detail = detail
        }
    }

    /// The engine's time for the statement.
    public var seconds: Double
    public var rowsScanned: Int?
    /// Rows the statement produced (inserted, or returned).
    public var rowsProduced: Int?
    public var bytesWritten: Int?
    /// Blocks read from disk and found in cache (PostgreSQL's BUFFERS), in bytes.
    public var bytesRead: Int?
    public var peakMemoryBytes: Int?
    /// Every operator, slowest first.
    public var operators: [Operator]

    public init(seconds: Double, rowsScanned: Int? = nil, rowsProduced: Int? = nil, bytesWritten: Int? = nil, bytesRead: Int? = nil,
                peakMemoryBytes: Int? = nil, operators: [Operator] = []) {
        self.seconds = seconds
        self.rowsScanned = rowsScanned
        self.rowsProduced = rowsProduced
        self.bytesWritten = bytesWritten
        self.bytesRead = bytesRead
        self.peakMemoryBytes = peakMemoryBytes
        self.operators = operators.sorted { $0.seconds > $1.seconds }
    }

    /// Several statements of one build (a table's create, rename and drop) as one profile: times,
    /// rows and bytes add up, memory is the peak, operators are pooled.
    public static func combined(_ profiles: [QueryProfile]) -> QueryProfile? {
        guard !profiles.isEmpty else { return nil }
        func sum(_ values: [Int?]) -> Int? { values.contains { $0 != nil } ? values.compactMap { $0 }.reduce(0, +) : nil }
        return QueryProfile(seconds: profiles.map(\.seconds).reduce(0, +),
                            rowsScanned: sum(profiles.map(\.rowsScanned)), rowsProduced: sum(profiles.map(\.rowsProduced)),
                            bytesWritten: sum(profiles.map(\.bytesWritten)), bytesRead: sum(profiles.map(\.bytesRead)),
                            peakMemoryBytes: profiles.compactMap(\.peakMemoryBytes).max(),
                            operators: profiles.flatMap(\.operators))
    }

    /// The operator that takes the most time, with its share of all operators' time.
    public var dominant: (operator: Operator, share: Double)? {
        guard let first = operators.first else { return nil }
        let total = operators.map(\.seconds).reduce(0, +)
        return (first, total > 0 ? first.seconds / total : 0)
    }
}
