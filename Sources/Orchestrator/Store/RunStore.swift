import Foundation
import GRDB

/// The orchestrator's memory: runs, their step attempts with logs and node results, schedule
/// ticks and sensor cursors, in an SQLite file beside the warehouse (`storehouse-runs.sqlite`,
/// say).
///
/// Every method is one transaction, so a process killed at any moment leaves the store as it
/// was before or after the call. Dates are whatever the caller's clock says; the store never
/// reads the time itself.
///
/// Two processes may open the same file (the CLI reading while `storehouse serve` writes): the
/// file is in WAL mode, so readers never wait for the writer, and a writer waits up to
/// ``busyTimeout`` for another writer before it fails.
///
/// ```swift
/// let store = try RunStore(path: ".storehouse/runs.sqlite")
/// _ = try store.markInterrupted(at: clock.now)              // once, by the process that runs jobs
/// let run = try store.createRun(job: "daily", trigger: .manual, vars: [:], at: clock.now)
/// try store.markStarted(run: run.id, at: clock.now)
/// let attempt = try store.startAttempt(run: run.id, step: "build", kind: "build", attempt: 1, at: clock.now)
/// try store.appendOutput(attempt: attempt.id, "1 of 42 OK created view stg_orders\n")
/// try store.finishAttempt(attempt.id, status: .succeeded, error: nil, nodeResults: results, at: clock.now)
/// try store.finishRun(run.id, status: .succeeded, error: nil, at: clock.now)
/// ```
public final class RunStore: Sendable {
    /// What the store was opened on: a file path, or `:memory:`.
    public let path: String
    /// How many bytes of each attempt's output are kept; older output is dropped first.
    public let outputLimit: Int
    let database: any DatabaseWriter

    /// One mebibyte: the end of a long build log, where the failure is, fits many times over.
    public static let defaultOutputLimit = 1 << 20
    /// How long a write waits for another process's write to finish, in seconds.
    public static let busyTimeout: TimeInterval = 10
    /// The error of runs and attempts found unfinished at start-up.
    public static let interruptedMessage = "the storehouse process running it stopped (killed or crashed) before it finished"

    /// Opens the store at `path`, creating the file and its folder if needed and bringing its
    /// schema up to date. `":memory:"` opens a private store that lives as long as this object,
    /// for tests.
    ///
    /// - Parameter outputLimit: bytes of output kept per attempt (at least 1 KiB).
    /// - Throws: `OrchestratorError` naming the path and what to do when the folder cannot be
    ///   created, the file is not an SQLite database (or not a run store), or it was written by
    ///   a newer storehouse.
    public init(path: String, outputLimit: Int = RunStore.defaultOutputLimit) throws(OrchestratorError) {
        self.path = path
        self.outputLimit = max(1_024, outputLimit)
        var configuration = Configuration()
        configuration.label = "RunStore"
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.foreignKeysEnabled = true
        // In WAL mode, NORMAL syncs at checkpoints rather than at every commit: a killed
        // process loses nothing committed (only a power cut could lose the last commits), and
        // a run's dozen small writes (attempts, log lines) stop costing a disk flush each.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        do {
            if path == ":memory:" {
                database = try DatabaseQueue(configuration: configuration)
            } else {
                let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
                do {
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                } catch {
                    throw OrchestratorError(
                        file: path, "cannot create the run store's folder \(folder.path): \(Self.reason(error))",
                        hint: "choose a writable location for the run store")
                }
                // A pool puts the file in WAL mode and lets the server's pages read while its
                // runner writes.
                database = try DatabasePool(path: path, configuration: configuration)
            }
            let migrator = Self.migrator
            if try database.read(migrator.hasBeenSuperseded) {
                throw OrchestratorError(
                    file: path, "the run store was written by a newer version of storehouse",
                    hint: "upgrade storehouse, or point this one at another run store")
            }
            try migrator.migrate(database)
        } catch {
            throw Self.wrap(error, path: path)
        }
    }

    // MARK: - Runs

    /// Records a new run, `queued`. A `.retry(ofRun:)` run counts one attempt more than the run
    /// it retries.
    @discardableResult
    public func createRun(job: String, trigger: RunTrigger, vars: [String: String], at: Date) throws(OrchestratorError) -> RunRecord {
        try write { db in try Self.insertRun(db, job: job, trigger: trigger, vars: vars, at: at) }
    }

    /// Records a run triggered by a sensor together with the sensor's new cursor, in one
    /// transaction: a crash can neither take the files without a run nor start a run for files
    /// the cursor forgets it took.
    @discardableResult
    public func createRun<C: Codable>(job: String, trigger: RunTrigger, vars: [String: String], at: Date,
                                      savingCursor cursor: C, forSensor sensor: String) throws(OrchestratorError) -> RunRecord {
        let json = try Self.encodeJSON(cursor, path: path, what: "the cursor of sensor '\(sensor)'")
        return try write { db in
            try Self.saveCursor(db, sensor: sensor, json: json)
            return try Self.insertRun(db, job: job, trigger: trigger, vars: vars, at: at)
        }
    }

    /// Marks a queued run `running` from `at`.
    public func markStarted(run: Int64, at: Date) throws(OrchestratorError) {
        try write { db in
            try db.execute(literal: "UPDATE run SET status = \(RunStatus.running.rawValue), started_at = \(at.timeIntervalSince1970) WHERE id = \(run)")
            try Self.requireChange(db, "run \(run)")
        }
    }

    /// Records the start of attempt `attempt` (1-based) of a step, `running`, with no output yet.
    public func startAttempt(run: Int64, step: String, kind: String, attempt: Int, at: Date) throws(OrchestratorError) -> StepAttemptRecord {
        try write { db in
            guard try Bool.fetchOne(db, literal: "SELECT 1 FROM run WHERE id = \(run)") != nil else {
                throw Self.missing("run \(run)")
            }
            try db.execute(literal: """
                INSERT INTO step_attempt (run_id, step, kind, attempt, status, started_at)
                VALUES (\(run), \(step), \(kind), \(attempt), \(RunStatus.running.rawValue), \(at.timeIntervalSince1970))
                """)
            return StepAttemptRecord(id: db.lastInsertedRowID, runID: run, step: step, kind: kind, attempt: attempt,
                                     status: .running, startedAt: at, endedAt: nil, output: "", error: nil)
        }
    }

    /// Records how an attempt ended, with the node results of a build-like step (in order).
    public func finishAttempt(_ attempt: Int64, status: RunStatus, error: String?, nodeResults: [NodeResultRecord],
                              at: Date) throws(OrchestratorError) {
        try write { db in
            try db.execute(literal: """
                UPDATE step_attempt SET status = \(status.rawValue), error = \(error), ended_at = \(at.timeIntervalSince1970)
                WHERE id = \(attempt)
                """)
            try Self.requireChange(db, "step attempt \(attempt)")
            // A step reports its results once; finishing twice replaces them rather than
            // listing nodes twice.
            try db.execute(literal: "DELETE FROM node_result WHERE attempt_id = \(attempt)")
            for (position, result) in nodeResults.enumerated() {
                try db.execute(literal: """
                    INSERT INTO node_result (attempt_id, position, unique_id, status, seconds, rows, message, failures, failing_rows)
                    VALUES (\(attempt), \(position), \(result.uniqueID), \(result.status), \(result.seconds),
                            \(result.rows), \(result.message), \(result.failures), \(result.failingRows))
                    """)
            }
        }
    }

    /// Records how a run ended.
    public func finishRun(_ run: Int64, status: RunStatus, error: String?, at: Date) throws(OrchestratorError) {
        try write { db in
            try db.execute(literal: """
                UPDATE run SET status = \(status.rawValue), error = \(error), ended_at = \(at.timeIntervalSince1970)
                WHERE id = \(run)
                """)
            try Self.requireChange(db, "run \(run)")
        }
    }

    // MARK: - Reading runs

    /// Runs, newest first (by queue time), optionally of one job and in one status.
    public func runs(job: String? = nil, status: RunStatus? = nil, limit: Int = 50) throws(OrchestratorError) -> [RunRecord] {
        var conditions: [SQL] = []
        if let job { conditions.append("job = \(job)") }
        if let status { conditions.append("status = \(status.rawValue)") }
        let filter: SQL = conditions.isEmpty ? "" : "WHERE \(conditions.joined(separator: " AND "))"
        return try read { db in
            try Row.fetchAll(db, literal: "SELECT * FROM run \(filter) ORDER BY queued_at DESC, id DESC LIMIT \(max(0, limit))")
                .map(Self.runRecord)
        }
    }

    /// The newest run of a job, optionally the newest in one status (the last success, say).
    public func lastRun(job: String, status: RunStatus? = nil) throws(OrchestratorError) -> RunRecord? {
        try runs(job: job, status: status, limit: 1).first
    }

    /// A run with all its attempts (oldest first, with their output) and node results, or nil
    /// when there is no such run (or it was purged).
    public func run(_ id: Int64) throws(OrchestratorError) -> RunDetail? {
        let limit = outputLimit
        return try read { db in
            guard let row = try Row.fetchOne(db, literal: "SELECT * FROM run WHERE id = \(id)") else { return nil }
            let run = try Self.runRecord(row)
            var attempts: [StepAttemptRecord] = []
            for row in try Row.fetchAll(db, literal: "SELECT * FROM step_attempt WHERE run_id = \(id) ORDER BY started_at, id") {
                let attemptID: Int64 = row["id"]
                let output = try Self.output(db, attempt: attemptID, dropped: row["output_dropped_bytes"], limit: limit)
                attempts.append(try Self.attemptRecord(row, output: output))
            }
            var nodeResults: [Int64: [NodeResultRecord]] = [:]
            let resultRows = try Row.fetchAll(db, literal: """
                SELECT node_result.* FROM node_result JOIN step_attempt ON step_attempt.id = node_result.attempt_id
                WHERE step_attempt.run_id = \(id) ORDER BY node_result.attempt_id, node_result.position
                """)
            for row in resultRows {
                let rows: Int64? = row["rows"]
                let failures: Int64? = row["failures"]
                nodeResults[row["attempt_id"], default: []].append(NodeResultRecord(
                    uniqueID: row["unique_id"], status: row["status"], seconds: row["seconds"],
                    rows: rows.map { Int($0) }, message: row["message"], failures: failures.map { Int($0) }, failingRows: row["failing_rows"]))
            }
            return RunDetail(run: run, attempts: attempts, nodeResults: nodeResults)
        }
    }

    // MARK: - Recovery and retention

    /// Marks every run and attempt still `queued` or `running` as `interrupted`, ended at `at`,
    /// with ``interruptedMessage`` as the error, and returns those runs (oldest first) so the
    /// caller can retry the ones whose policy says so.
    ///
    /// Call it once at start-up, from the process that owns the warehouse and runs jobs, before
    /// it starts any: runs are only ever in flight inside that process, so whatever it finds
    /// unfinished was left by one that died. A CLI command that only reads must not call it
    /// while `serve` runs.
    public func markInterrupted(at: Date) throws(OrchestratorError) -> [RunRecord] {
        let unfinished: SQL = "status IN (\(RunStatus.queued.rawValue), \(RunStatus.running.rawValue))"
        let message = Self.interruptedMessage
        let when = at.timeIntervalSince1970
        return try write { db in
            let ids = try Int64.fetchAll(db, literal: "SELECT id FROM run WHERE \(unfinished) ORDER BY queued_at, id")
            try db.execute(literal: """
                UPDATE step_attempt SET status = \(RunStatus.interrupted.rawValue), error = \(message), ended_at = \(when)
                WHERE \(unfinished)
                """)
            try db.execute(literal: """
                UPDATE run SET status = \(RunStatus.interrupted.rawValue), error = \(message), ended_at = \(when)
                WHERE \(unfinished)
                """)
            return try ids.compactMap { id in
                try Row.fetchOne(db, literal: "SELECT * FROM run WHERE id = \(id)").map(Self.runRecord)
            }
        }
    }

    /// Deletes finished runs that ended more than `keepDays` days before `now`, with their
    /// attempts, output and node results, and schedule ticks recorded before then. Runs still
    /// queued or running are never deleted, however old. Returns how many runs it deleted.
    ///
    /// Freed pages are reused by new runs, so a store purged regularly stops growing; the file
    /// itself does not shrink (run `VACUUM` in the `sqlite3` shell for that).
    @discardableResult
    public func purge(keepDays: Int, now: Date) throws(OrchestratorError) -> Int {
        let cutoff = now.addingTimeInterval(-Double(max(0, keepDays)) * 86_400).timeIntervalSince1970
        let finished = RunStatus.allCases.filter(\.isFinished).map(\.rawValue)
        return try write { db in
            try db.execute(literal: "DELETE FROM run WHERE status IN \(finished) AND ended_at < \(cutoff)")
            let deleted = db.changesCount
            try db.execute(literal: "DELETE FROM schedule_tick WHERE recorded_at < \(cutoff)")
            return deleted
        }
    }

    // MARK: - Transactions

    func write<T>(_ body: (Database) throws -> T) throws(OrchestratorError) -> T {
        do {
            return try database.write(body)
        } catch {
            throw Self.wrap(error, path: path)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(OrchestratorError) -> T {
        do {
            return try database.read(body)
        } catch {
            throw Self.wrap(error, path: path)
        }
    }

    static func insertRun(_ db: Database, job: String, trigger: RunTrigger, vars: [String: String], at: Date) throws -> RunRecord {
        var attempt = 1
        if case .retry(let original) = trigger {
            // The original may have been purged; the new run is a retry all the same.
            let previous = try Int.fetchOne(db, literal: "SELECT attempt FROM run WHERE id = \(original)") ?? 1
            attempt = previous + 1
        }
        try db.execute(literal: """
            INSERT INTO run (job, status, trigger_kind, trigger, vars, attempt, queued_at)
            VALUES (\(job), \(RunStatus.queued.rawValue), \(trigger.kind), \(try encodeJSON(trigger)),
                    \(try encodeJSON(vars)), \(attempt), \(at.timeIntervalSince1970))
            """)
        return RunRecord(id: db.lastInsertedRowID, job: job, status: .queued, trigger: trigger, vars: vars,
                         queuedAt: at, startedAt: nil, endedAt: nil, error: nil, attempt: attempt)
    }

    static func requireChange(_ db: Database, _ what: String) throws {
        if db.changesCount == 0 { throw missing(what) }
    }

    static func missing(_ what: String) -> OrchestratorError {
        OrchestratorError("no \(what) in the run store", hint: "it may have been purged; list runs with `storehouse runs`")
    }
}
