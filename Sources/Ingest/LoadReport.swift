import Foundation
import WarehouseKit

/// A row a file held that could not be loaded, kept in `ingest.quarantine`.
public struct QuarantinedRow: Sendable, Hashable, Codable {
    /// Where the row is in its file: the line for CSV (the header is line 1) and NDJSON, the
    /// position (1-based) for a JSON array's elements and Parquet rows.
    public var rowNumber: Int
    /// The column at fault, nil when the row as a whole is (a ragged CSV line, a line that is not JSON).
    public var column: String?
    public var reason: String
    /// The offending text: the line, or the value that did not convert.
    public var raw: String?

    public init(rowNumber: Int, column: String?, reason: String, raw: String?) {
        self.rowNumber = rowNumber
        self.column = column
        self.reason = reason
        self.raw = raw
    }
}

/// What became of one file (or, for a database source, one table) in a load.
public struct FileOutcome: Sendable, Hashable {
    public enum Status: String, Sendable, Codable {
        /// Loaded for the first time.
        case loaded
        /// Loaded before, changed since, and loaded again in place of its earlier rows.
        case reloaded
        /// Loaded before and unchanged: skipped.
        case unchanged
        /// Modified too recently (or still being written): left for the next load.
        case settling
        /// Could not be read; nothing of it was loaded.
        case failed
    }

    /// The file as loads name it, or the source table (`public.orders`).
    public var path: String
    public var status: Status
    public var rows: Int
    public var quarantined: [QuarantinedRow]
    public var message: String?

    public init(path: String, status: Status, rows: Int = 0, quarantined: [QuarantinedRow] = [], message: String? = nil) {
        self.path = path
        self.status = status
        self.rows = rows
        self.quarantined = quarantined
        self.message = message
    }
}

/// One run of one connector, as `ingest.loads` records it.
public struct LoadReport: Sendable {
    public enum Status: String, Sendable {
        /// Every file matched was loaded or skipped as unchanged or settling.
        case succeeded
        /// Some files failed; the others were loaded.
        case partial
        /// Nothing was loaded because of a failure (every file failed, or a replace rolled back).
        case failed
    }

    public var loadID: String
    public var connector: String
    /// `files` or `postgres`.
    public var kind: String = "files"
    /// The table loaded into; for a database source, its schema (`raw.*`).
    public var target: RelationName
    public var startedAt: Date
    public var finishedAt: Date
    public var files: [FileOutcome]
    /// A failure of the load as a whole (a replace rolled back), besides the files' own.
    public var error: String?

    public var rowsLoaded: Int { files.filter { $0.status == .loaded || $0.status == .reloaded }.reduce(0) { $0 + $1.rows } }
    public var rowsQuarantined: Int { files.reduce(0) { $0 + $1.quarantined.count } }
    public func count(_ status: FileOutcome.Status) -> Int { files.filter { $0.status == status }.count }

    public var status: Status {
        if error != nil { return .failed }
        let failed = count(.failed)
        if failed == 0 { return .succeeded }
        return failed == files.count ? .failed : .partial
    }
}
