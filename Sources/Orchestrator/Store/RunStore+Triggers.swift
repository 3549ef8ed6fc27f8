import Foundation
import GRDB

// What schedules and sensors remember between looks, so a restart neither loses nor repeats
// a tick or a file.
extension RunStore {
    /// The `evaluatedThrough` last recorded for a schedule, or nil for one never evaluated
    /// (``ScheduleTicker/decide(lastEvaluated:now:)`` then starts from now).
    public func scheduleState(_ schedule: String) throws(OrchestratorError) -> Date? {
        try read { db in
            try Double.fetchOne(db, literal: "SELECT evaluated_through FROM schedule_state WHERE schedule = \(schedule)")
                .map(Self.date)
        }
    }

    /// Records a schedule's decision: how far it was evaluated, the ticks it decided to run
    /// (in the tick history, without a run) and how many missed ticks it skipped. A tick
    /// already in the history is not recorded twice.
    ///
    /// Prefer ``recordTicks(_:evaluatedThrough:skipped:queueing:vars:at:)``, which also queues
    /// the runs in the same transaction.
    public func recordTicks(_ schedule: String, evaluatedThrough: Date, ticks: [Date], skipped: Int) throws(OrchestratorError) {
        try write { db in
            try Self.saveScheduleState(db, schedule: schedule, evaluatedThrough: evaluatedThrough, skipped: skipped)
            for tick in ticks {
                try db.execute(literal: """
                    INSERT OR IGNORE INTO schedule_tick (schedule, tick, recorded_at)
                    VALUES (\(schedule), \(tick.timeIntervalSince1970), \(evaluatedThrough.timeIntervalSince1970))
                    """)
            }
        }
    }

    /// Records a schedule's decision and queues one run of `job` per tick, with trigger
    /// `.schedule(tick:)` and the vars `vars(tick)`, in one transaction: a crash can neither
    /// record a tick without its run nor queue a run whose tick is then decided again. A tick
    /// already in the history gets no second run. Returns the runs queued, oldest tick first.
    ///
    /// ```swift
    /// let decision = ticker.decide(lastEvaluated: try store.scheduleState("nightly"), now: clock.now)
    /// let runs = try store.recordTicks("nightly", evaluatedThrough: decision.evaluatedThrough,
    ///                                  skipped: decision.skipped, queueing: "daily_build",
    ///                                  ticks: decision.ticks, vars: { ["ds": day($0)] }, at: clock.now)
    /// ```
    @discardableResult
    public func recordTicks(_ schedule: String, evaluatedThrough: Date, skipped: Int, queueing job: String, ticks: [Date],
                            vars: (Date) -> [String: String], at: Date) throws(OrchestratorError) -> [RunRecord] {
        try write { db in
            try Self.saveScheduleState(db, schedule: schedule, evaluatedThrough: evaluatedThrough, skipped: skipped)
            var runs: [RunRecord] = []
            for tick in ticks.sorted() {
                try db.execute(literal: """
                    INSERT OR IGNORE INTO schedule_tick (schedule, tick, recorded_at)
                    VALUES (\(schedule), \(tick.timeIntervalSince1970), \(evaluatedThrough.timeIntervalSince1970))
                    """)
                guard db.changesCount == 1 else { continue }
                let tickID = db.lastInsertedRowID
                let run = try Self.insertRun(db, job: job, trigger: .schedule(tick: tick), vars: vars(tick), at: at)
                try db.execute(literal: "UPDATE schedule_tick SET run_id = \(run.id) WHERE id = \(tickID)")
                runs.append(run)
            }
            return runs
        }
    }

    /// A schedule's tick history, newest tick first.
    public func ticks(_ schedule: String, limit: Int = 50) throws(OrchestratorError) -> [ScheduleTickRecord] {
        try read { db in
            try Row.fetchAll(db, literal: """
                SELECT * FROM schedule_tick WHERE schedule = \(schedule) ORDER BY tick DESC LIMIT \(max(0, limit))
                """).map { row in
                ScheduleTickRecord(schedule: row["schedule"], tick: Self.date(row["tick"] as Double),
                                   recordedAt: Self.date(row["recorded_at"] as Double), runID: row["run_id"])
            }
        }
    }

    /// How many missed ticks of a schedule were skipped in all (without catch-up, or beyond
    /// its cap), for the schedule's page.
    public func skippedTicks(_ schedule: String) throws(OrchestratorError) -> Int {
        try read { db in
            try Int.fetchOne(db, literal: "SELECT skipped_total FROM schedule_state WHERE schedule = \(schedule)") ?? 0
        }
    }

    /// A sensor's saved cursor (a ``LandingCursor``, for instance), or nil for a sensor that
    /// never saved one.
    ///
    /// - Throws: `OrchestratorError` when the saved cursor is not a `C` (the sensor's kind
    ///   changed, say); saving a new cursor replaces it.
    public func sensorCursor<C: Codable>(_ sensor: String, as type: C.Type) throws(OrchestratorError) -> C? {
        let path = self.path
        return try read { db in
            guard let json = try String.fetchOne(db, literal: "SELECT cursor FROM sensor_cursor WHERE sensor = \(sensor)") else {
                return nil
            }
            do {
                return try Self.decodeJSON(type, from: json, what: "the cursor of sensor '\(sensor)'")
            } catch var error as OrchestratorError {
                error.file = path
                error.hint = "the sensor's definition may have changed; delete its cursor or save a new one (it then sees every file as new)"
                throw error
            }
        }
    }

    /// Saves a sensor's cursor, replacing the previous one. Prefer
    /// ``createRun(job:trigger:vars:at:savingCursor:forSensor:)`` when the look also starts a run.
    public func saveSensorCursor<C: Codable>(_ sensor: String, _ cursor: C) throws(OrchestratorError) {
        let json = try Self.encodeJSON(cursor, path: path, what: "the cursor of sensor '\(sensor)'")
        try write { db in try Self.saveCursor(db, sensor: sensor, json: json) }
    }

    static func saveCursor(_ db: Database, sensor: String, json: String) throws {
        try db.execute(literal: """
            INSERT INTO sensor_cursor (sensor, cursor) VALUES (\(sensor), \(json))
            ON CONFLICT (sensor) DO UPDATE SET cursor = excluded.cursor
            """)
    }

    static func saveScheduleState(_ db: Database, schedule: String, evaluatedThrough: Date, skipped: Int) throws {
        try db.execute(literal: """
            INSERT INTO schedule_state (schedule, evaluated_through, skipped_total)
            VALUES (\(schedule), \(evaluatedThrough.timeIntervalSince1970), \(max(0, skipped)))
            ON CONFLICT (schedule) DO UPDATE SET
                evaluated_through = max(evaluated_through, excluded.evaluated_through),
                skipped_total = skipped_total + excluded.skipped_total
            """)
    }
}
