import Foundation
import GRDB

// Rows to records, JSON columns, and GRDB's errors to the module's.
extension RunStore {
    static func runRecord(_ row: Row) throws -> RunRecord {
        let id: Int64 = row["id"]
        let statusText: String = row["status"]
        guard let status = RunStatus(rawValue: statusText) else {
            throw OrchestratorError("run \(id) has an unknown status '\(statusText)'",
                                    hint: "it was written by another version of storehouse; upgrade storehouse")
        }
        return RunRecord(
            id: id, job: row["job"], status: status,
            trigger: try decodeJSON(RunTrigger.self, from: row["trigger"], what: "the trigger of run \(id)"),
            vars: try decodeJSON([String: String].self, from: row["vars"], what: "the vars of run \(id)"),
            queuedAt: date(row["queued_at"]), startedAt: date(row["started_at"]), endedAt: date(row["ended_at"]),
            error: row["error"], attempt: row["attempt"])
    }

    static func attemptRecord(_ row: Row, output: String) throws -> StepAttemptRecord {
        let id: Int64 = row["id"]
        let statusText: String = row["status"]
        guard let status = RunStatus(rawValue: statusText) else {
            throw OrchestratorError("step attempt \(id) has an unknown status '\(statusText)'",
                                    hint: "it was written by another version of storehouse; upgrade storehouse")
        }
        return StepAttemptRecord(
            id: id, runID: row["run_id"], step: row["step"], kind: row["kind"], attempt: row["attempt"], status: status,
            startedAt: date(row["started_at"]), endedAt: date(row["ended_at"]), output: output, error: row["error"])
    }

    static func date(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }
    static func date(_ seconds: Double?) -> Date? { seconds.map(Date.init(timeIntervalSince1970:)) }

    // Unix seconds inside JSON too, like the columns, so one convention holds in the whole file.
    static func encodeJSON<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func encodeJSON<T: Encodable>(_ value: T, path: String, what: String) throws(OrchestratorError) -> String {
        do {
            return try encodeJSON(value)
        } catch {
            throw OrchestratorError(file: path, "cannot encode \(what) as JSON: \(reason(error))")
        }
    }

    static func decodeJSON<T: Decodable>(_ type: T.Type, from text: String, what: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw OrchestratorError("cannot read \(what): \(reason(error))",
                                    hint: "it was written by another version of storehouse or edited by hand")
        }
    }

    /// Any error out of GRDB, Foundation or the store itself as an `OrchestratorError` that
    /// names the store's path and says what to do.
    static func wrap(_ error: any Error, path: String) -> OrchestratorError {
        if var error = error as? OrchestratorError {
            if error.file.isEmpty { error.file = path }
            return error
        }
        guard let error = error as? DatabaseError else {
            return OrchestratorError(file: path, "run store: \(reason(error))")
        }
        let sqlite = error.message ?? "SQLite error \(error.resultCode.rawValue)"
        switch error.resultCode {
        case .SQLITE_NOTADB:
            return OrchestratorError(
                file: path, "this file is not an SQLite database, so it cannot be the run store (\(sqlite))",
                hint: "move it aside or delete it and storehouse creates a new run store there, or point storehouse at another path")
        case .SQLITE_CORRUPT:
            return OrchestratorError(
                file: path, "the run store is damaged (\(sqlite))",
                hint: "move it aside (with its -wal and -shm files) and storehouse starts a new one; the run history in it is lost")
        case .SQLITE_CANTOPEN:
            return OrchestratorError(
                file: path, "cannot open the run store (\(sqlite))",
                hint: "check that the path is a file in a folder you may write to")
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
            return OrchestratorError(
                file: path, "cannot write to the run store (\(sqlite))",
                hint: "give this user write access to the file and its folder (SQLite also writes -wal and -shm files beside it)")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return OrchestratorError(
                file: path, "the run store stayed locked by another process for more than \(Int(busyTimeout)) s (\(sqlite))",
                hint: "another storehouse process is writing to it; try again, or stop that process")
        case .SQLITE_FULL:
            return OrchestratorError(
                file: path, "the disk holding the run store is full (\(sqlite))",
                hint: "free space, or purge old runs with a shorter retention")
        case .SQLITE_IOERR:
            return OrchestratorError(
                file: path, "the run store could not be read or written (\(sqlite))",
                hint: "check the disk and the file system holding it")
        default:
            return OrchestratorError(file: path, "run store: \(sqlite)")
        }
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? OrchestratorError { return error.description }
        if let error = error as? DecodingError {
            switch error {
            case .dataCorrupted(let context), .keyNotFound(_, let context), .typeMismatch(_, let context),
                 .valueNotFound(_, let context):
                return context.debugDescription
            @unknown default:
                return "\(error)"
            }
        }
        return (error as NSError).localizedDescription
    }
}

// Fetching from SQL literals (`\(value)` becomes a bound parameter), which GRDB offers for
// `execute` but, for fetches, only through `SQLRequest`.
extension Row {
    static func fetchAll(_ db: Database, literal: SQL) throws -> [Row] {
        try fetchAll(db, SQLRequest<Row>(literal: literal))
    }

    static func fetchOne(_ db: Database, literal: SQL) throws -> Row? {
        try fetchOne(db, SQLRequest<Row>(literal: literal))
    }

    static func fetchCursor(_ db: Database, literal: SQL) throws -> RowCursor {
        try fetchCursor(db, SQLRequest<Row>(literal: literal))
    }
}

extension DatabaseValueConvertible {
    static func fetchAll(_ db: Database, literal: SQL) throws -> [Self] {
        try fetchAll(db, SQLRequest<Self>(literal: literal))
    }

    static func fetchOne(_ db: Database, literal: SQL) throws -> Self? {
        try fetchOne(db, SQLRequest<Self>(literal: literal))
    }
}

extension RunStore {
    /// Rows in one of the store's tables; lets tests check that deletes cascade.
    func rowCount(_ table: String) throws(OrchestratorError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0 }
    }
}
