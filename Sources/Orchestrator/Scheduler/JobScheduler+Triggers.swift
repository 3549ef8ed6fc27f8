import Foundation

// The three things that start or flag runs on their own: schedules, landing folders, deadlines.
extension JobScheduler {
    /// Records the schedule's due ticks and queues a run for each, in one transaction.
    func fireSchedule(_ job: JobDefinition, now: Date) throws(OrchestratorError) {
        guard let schedule = job.schedule else { return }
        let last = try store.scheduleState(job.name)
        let decision = schedule.ticker.decide(lastEvaluated: last, now: now)
        // Nothing due: the stored state stays (the next decision walks from it just the same).
        guard last == nil || !decision.ticks.isEmpty else { return }
        let zone = schedule.schedule.timeZone
        let varsOf: (Date) -> [String: JobValue] = { tick in
            job.vars.merging(["ds": .string(Self.day(of: tick, in: zone))]) { _, tick in tick }
        }
        let runs = try store.recordTicks(job.name, evaluatedThrough: decision.evaluatedThrough, skipped: decision.skipped,
                                         queueing: job.name, ticks: decision.ticks, vars: { varsOf($0).mapValues(\.text) }, at: now)
        if decision.skipped > 0 {
            log("schedule of \(job.name): \(decision.skipped) missed tick\(decision.skipped == 1 ? "" : "s") skipped (catchup: \(schedule.catchup))")
        }
        for run in runs {
            guard case .schedule(let tick) = run.trigger else { continue }
            enqueue(run, job: job, vars: varsOf(tick))
        }
    }

    /// Hands new files of the job's landing folder to a run, saving the cursor with it.
    func lookAtSensor(_ job: JobDefinition, now: Date) throws(OrchestratorError) {
        guard case .landing(let path, let sensor) = job.sensor else { return }
        let key = "landing:" + job.name
        if cursors[job.name] == nil {
            let stored = try store.sensorCursor(key, as: LandingCursor.self) ?? .empty
            cursors[job.name] = stored
            savedCursors[job.name] = stored
        }
        let folder = path.hasPrefix("/") ? path : (settings.projectRoot as NSString).appendingPathComponent(path)
        let decision = sensor.evaluate(listing: LandingFolder.list(folder), cursor: cursors[job.name] ?? .empty, now: now)
        cursors[job.name] = decision.cursor
        if !decision.files.isEmpty {
            let files = decision.files.map(\.path)
            var vars = job.vars
            vars["files"] = .list(files.map { .string($0) })
            vars["landing_folder"] = .string(folder)
            let run = try store.createRun(job: job.name, trigger: .sensor(files: files), vars: vars.mapValues(\.text), at: now,
                                          savingCursor: decision.cursor, forSensor: key)
            savedCursors[job.name] = decision.cursor
            enqueue(run, job: job, vars: vars)
        } else if Self.differs(decision.cursor, savedCursors[job.name]) {
            // Pending files changed, or a handed file was forgotten: worth a write. A look that
            // only saw the same files again is not (it would write five times a second).
            try store.saveSensorCursor(key, decision.cursor)
            savedCursors[job.name] = decision.cursor
        }
    }

    /// After each deadline, alerts when no run of the job succeeded since the one before.
    func checkDeadline(_ job: JobDefinition, now: Date) throws(OrchestratorError) {
        guard let deadline = job.deadline else { return }
        let key = "deadline:" + job.name
        let last = try store.scheduleState(key)
        let decision = ScheduleTicker(schedule: deadline.schedule, catchup: false).decide(lastEvaluated: last, now: now)
        guard last == nil || !decision.ticks.isEmpty else { return }
        try store.recordTicks(key, evaluatedThrough: decision.evaluatedThrough, ticks: [], skipped: 0)
        guard let due = decision.ticks.last, let alerts else { return }
        let since = deadline.previous(before: due)
        let success = try store.lastRun(job: job.name, status: .succeeded)
        if let ended = success?.endedAt, ended > since, ended <= due { return }
        let zone = deadline.schedule.timeZone.identifier
        let link = settings.baseURL.map { " — \($0)/runs?job=\(job.name)" } ?? ""
        let lastWord = success?.endedAt.map { "; its last success ended \(ISO8601DateFormatter().string(from: $0))" } ?? "; it has never succeeded"
        let alert = Alert(kind: .deadlineMissed, job: job.name, runID: nil, status: nil,
                          message: "Job \(job.name) missed its deadline: no run succeeded by \(deadline.time) \(zone)\(lastWord)\(link)", at: now)
        Task { await alerts.send(alert) }
    }

    static func differs(_ a: LandingCursor, _ b: LandingCursor?) -> Bool {
        guard let b else { return true }
        return a.pending != b.pending || Set(a.handed.keys) != Set(b.handed.keys)
            || a.handed.contains { b.handed[$0.key]?.version != $0.value.version }
    }

    /// A tick's calendar day in the schedule's zone, `yyyy-MM-dd`: what models read as `var('ds')`.
    static func day(of instant: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}
