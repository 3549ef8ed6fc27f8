import Foundation
import TransformProject
import WarehouseKit

/// dbt's freshness statuses: a source table is fresh (`pass`), old enough to warn, stale
/// (`error`), or could not be checked (`runtime error`: no loaded_at_field, a failing query, a
/// column that holds no timestamps).
public enum FreshnessStatus: String, Sendable, CaseIterable {
    case pass, warn, error
    case runtimeError = "runtime error"

    /// Whether the check fails the command (exit 1) or the job step, as in dbt.
    public var isFailure: Bool { self == .error || self == .runtimeError }
}

extension FreshnessThreshold {
    /// dbt's verdict for a newest row `age` seconds old: error when past `error_after`, else
    /// warn when past `warn_after`, else pass. A threshold is passed only when strictly exceeded.
    ///
    /// ```swift
    /// FreshnessThreshold(warnAfter: FreshnessTime(count: 1, period: .hour)).status(age: 3601) // .warn
    /// ```
    public func status(age: Double) -> FreshnessStatus {
        if let limit = errorAfter?.seconds, age > limit { return .error }
        if let limit = warnAfter?.seconds, age > limit { return .warn }
        return .pass
    }
}

/// What a freshness query found: the newest load time and the warehouse's clock.
public struct FreshnessMeasurement: Sendable, Equatable {
    /// The newest `loaded_at_field`, taken as UTC when it has no zone; 0001-01-01 when the table
    /// (under its filter) has no rows or only nulls, which dbt reads as "infinitely long ago".
    public var maxLoadedAt: Timestamp
    /// The warehouse's `current_timestamp` when it ran the query.
    public var snapshottedAt: Timestamp
    /// False when there was no value at all (the 0001-01-01 case).
    public var hasRows: Bool

    public init(maxLoadedAt: Timestamp, snapshottedAt: Timestamp, hasRows: Bool = true) {
        self.maxLoadedAt = maxLoadedAt
        self.snapshottedAt = snapshottedAt
        self.hasRows = hasRows
    }

    /// dbt's stand-in for a missing maximum.
    public static let beginningOfTime = Timestamp(date: CivilDate(year: 1, month: 1, day: 1))

    /// Seconds from the newest row to the snapshot (negative for rows dated in the future).
    public var age: Double { Double(snapshottedAt.micros - maxLoadedAt.micros) / 1_000_000 }

    /// Reads the query's one row, `(max_loaded_at, snapshotted_at)`. Throws for values that are
    /// not timestamps (a DATE or text column), as dbt does.
    public init(row: [WarehouseValue], field: String, relation: String) throws {
        guard row.count == 2 else {
            throw TransformError("the freshness query of \(relation) returned \(row.count) columns instead of max_loaded_at and snapshotted_at")
        }
        func timestamp(_ value: WarehouseValue, _ what: String) throws -> Timestamp? {
            switch value {
            case .null: return nil
            case .timestamp(let micros), .timestampTZ(let micros): return Timestamp(micros: micros)
            default:
                throw TransformError("""
                    expected a timestamp when querying \(what) of \(relation) but got \(FreshnessMeasurement.typeName(value)) \
                    '\(value)'; point loaded_at_field at a timestamp column, or cast it, e.g. cast(\(field) as timestamp)
                    """)
            }
        }
        let newest = try timestamp(row[0], "'\(field)'")
        guard let snapshot = try timestamp(row[1], "the current time") else {
            throw TransformError("the warehouse returned no current time for the freshness query of \(relation)")
        }
        self.init(maxLoadedAt: newest ?? FreshnessMeasurement.beginningOfTime, snapshottedAt: snapshot, hasRows: newest != nil)
    }

    static func typeName(_ value: WarehouseValue) -> String {
        switch value {
        case .date: return "a date"
        case .text: return "text"
        case .int, .double, .decimal: return "a number"
        case .bool: return "a boolean"
        default: return "a value"
        }
    }
}

/// One source table's freshness check, as the terminal, job logs and sources.json report it.
public struct SourceFreshnessResult: Sendable {
    public var uniqueId: String
    public var sourceName: String
    public var tableName: String
    public var status: FreshnessStatus
    public var criteria: FreshnessThreshold
    /// nil when the check could not run (`runtime error`).
    public var measurement: FreshnessMeasurement?
    /// Why a check could not run, or a note on a table without rows.
    public var message: String?
    /// The query that ran, nil when none did.
    public var sql: String?
    public var startedAt: Date
    public var executeStartedAt: Date
    public var completedAt: Date
    public var threadName: String

    /// `raw.orders`.
    public var name: String { "\(sourceName).\(tableName)" }
    public var seconds: Double { completedAt.timeIntervalSince(startedAt) }
}

/// Every checked source, in unique-id order.
public struct SourceFreshnessSummary: Sendable {
    public var results: [SourceFreshnessResult]
    public var seconds: Double
    /// Where sources.json was written.
    public var artifactPath: String

    public func count(_ status: FreshnessStatus) -> Int { results.filter { $0.status == status }.count }
    /// No source is stale or failed to check (warnings pass, as in dbt).
    public var succeeded: Bool { !results.contains { $0.status.isFailure } }
}

/// The SQL of dbt's `collect_freshness`: the newest `loaded_at_field` under the filter, and the
/// warehouse's clock. `current_timestamp` means the same on DuckDB and PostgreSQL.
enum FreshnessQuery {
    static func sql(relation: QualifiedRelation, loadedAtField: String, filter: String?) -> String {
        var text = "select\n  max(\(loadedAtField)) as max_loaded_at,\n  current_timestamp as snapshotted_at\nfrom \(relation)"
        if let filter, !filter.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { text += "\nwhere \(filter)" }
        return text
    }
}

/// Ages and thresholds as people read them.
public enum FreshnessText {
    /// `3d 4h`, `2h 5m`, `45s`; `in the future` below zero.
    public static func age(_ seconds: Double) -> String {
        if seconds < 0 { return "in the future" }
        let total = Int(seconds)
        let (days, hours, minutes) = (total / 86_400, total % 86_400 / 3600, total % 3600 / 60)
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(minutes)m" }
        if minutes > 0 { return "\(minutes)m \(total % 60)s" }
        return "\(total)s"
    }

    /// `12 hours`, `1 day`.
    public static func threshold(_ time: FreshnessTime?) -> String? {
        guard let time, let count = time.count, let period = time.period else { return nil }
        return "\(count) \(period.rawValue)\(count == 1 ? "" : "s")"
    }

    /// `3d 4h old (error after 2 days)`, or why the check did not run.
    public static func detail(_ result: SourceFreshnessResult) -> String {
        guard let measurement = result.measurement else { return result.message ?? "could not be checked" }
        guard measurement.hasRows else { return "no rows" }
        let age = FreshnessText.age(measurement.age)
        let old = age == "in the future" ? "newest row dated in the future" : "\(age) old"
        switch result.status {
        case .error: return old + (threshold(result.criteria.errorAfter).map { " (error after \($0))" } ?? "")
        case .warn: return old + (threshold(result.criteria.warnAfter).map { " (warn after \($0))" } ?? "")
        default: return old
        }
    }
}
