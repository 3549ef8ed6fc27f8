import Foundation

/// The orchestrator inside `storehouse serve`: it fires schedules, looks at landing folders,
/// queues runs (at most `maxConcurrentRuns` at once, one per job unless the job allows more),
/// runs them with `JobRunner`, chains jobs, retries runs a crash interrupted, sends alerts and
/// purges old runs.
///
/// The decisions are the pure values it is built from (`ScheduleTicker`, `LandingFolderSensor`,
/// `RunQueue`, `RetryPolicy`, `AlertRule`); this actor only feeds them the clock, the run store
/// and the folders, and carries out what they decide. Every decision is recorded in the run
/// store before it is acted on, so a restart neither loses nor repeats a tick or a file.
///
/// ```swift
/// let scheduler = JobScheduler(jobs: file, store: store, executor: executor, settings: .init(projectRoot: root))
/// try await scheduler.recover()
/// await scheduler.run()          // until the task is cancelled
/// ```
public actor JobScheduler {
    public struct Settings: Sendable {
        /// Where relative landing-folder paths start.
        public var projectRoot: String
        /// The most runs running at once.
        public var maxConcurrentRuns: Int
        /// How often landing folders are looked at (schedules wake exactly at their ticks).
        public var sensorInterval: TimeInterval
        /// Finished runs older than this many days are purged (checked hourly).
        public var keepDays: Int
        /// The server's address, for links in alerts (`http://host:port`); nil leaves them out.
        public var baseURL: String?

        public init(projectRoot: String, maxConcurrentRuns: Int = 4, sensorInterval: TimeInterval = 0.2, keepDays: Int = 30,
                    baseURL: String? = nil) {
            self.projectRoot = projectRoot
            self.maxConcurrentRuns = max(1, maxConcurrentRuns)
            self.sensorInterval = max(0.01, sensorInterval)
            self.keepDays = max(1, keepDays)
            self.baseURL = baseURL
        }
    }

    public nonisolated let jobs: JobFile
    public nonisolated let store: RunStore
    let executor: any StepExecutor
    let clock: any SchedulerClock
    let alerts: (any AlertSink)?
    var settings: Settings
    /// Problems the scheduler cannot raise to anyone (a run store that fails to write): stderr in `serve`.
    let log: @Sendable (String) -> Void

    var queue: RunQueue
    /// What a queued run needs to start: its job (a job of the file, or one handed in whole by
    /// the CLI) and its vars.
    var pending: [Int64: (job: JobDefinition, vars: [String: JobValue])] = [:]
    var running: [Int64: Task<Void, Never>] = [:]
    var feeds: [Int64: RunFeed] = [:]
    /// Landing cursors as last persisted and as last computed, by job.
    var cursors: [String: LandingCursor] = [:]
    var savedCursors: [String: LandingCursor] = [:]
    var lastPurge: Date?

    public init(jobs: JobFile, store: RunStore, executor: any StepExecutor, settings: Settings,
                clock: any SchedulerClock = WallClock(), alerts: (any AlertSink)? = nil,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.jobs = jobs
        self.store = store
        self.executor = executor
        self.settings = settings
        self.clock = clock
        self.alerts = alerts
        self.log = log
        self.queue = RunQueue(maxConcurrentRuns: settings.maxConcurrentRuns)
    }

    // MARK: - Start and the loop

    /// Marks runs a previous process left unfinished as interrupted and queues a retry of those
    /// that never started and of those whose job's retry policy allows another attempt. Call it
    /// once, before `run()`. Returns the retries queued.
    @discardableResult
    public func recover() throws(OrchestratorError) -> [RunRecord] {
        let now = clock.now
        var retries: [RunRecord] = []
        for run in try store.markInterrupted(at: now) {
            guard let job = jobs[run.job] else { continue }
            let neverStarted = run.startedAt == nil
            let policy = job.retries ?? .none
            guard neverStarted || run.attempt <= policy.retries else {
                alert(after: run, willRetry: false)
                continue
            }
            let vars = run.vars.mapValues { JobValue.string($0) }
            let retry = try store.createRun(job: job.name, trigger: .retry(ofRun: run.id), vars: run.vars, at: now)
            enqueue(retry, job: job, vars: vars)
            retries.append(retry)
        }
        startReady()
        return retries
    }

    /// Fires schedules, looks at sensors and deadlines, until the task is cancelled; then stops
    /// the runs in flight (they end `cancelled`) and waits for them.
    public func run() async {
        while !Task.isCancelled {
            let now = clock.now
            evaluate(now: now)
            do { try await clock.sleep(until: nextWakeUp(after: now)) } catch { break }
        }
        await stopRuns()
    }

    /// One look at everything that starts runs, at `now`. Errors are logged, not thrown: one
    /// bad folder must not stop the schedules.
    public func evaluate(now: Date) {
        for job in jobs.jobs {
            do {
                if job.schedule != nil { try fireSchedule(job, now: now) }
                if job.sensor != nil { try lookAtSensor(job, now: now) }
                if job.deadline != nil { try checkDeadline(job, now: now) }
            } catch {
                log("job \(job.name): \(error)")
            }
        }
        if lastPurge.map({ now.timeIntervalSince($0) >= 3600 }) ?? true {
            lastPurge = now
            do { try store.purge(keepDays: settings.keepDays, now: now) } catch { log("purging old runs: \(error)") }
        }
        startReady()
    }

    /// When the loop should look again: the next schedule tick or deadline, or the next sensor look.
    func nextWakeUp(after now: Date) -> Date {
        var next = now.addingTimeInterval(60)
        for job in jobs.jobs {
            if let schedule = job.schedule { next = min(next, schedule.schedule.nextTick(after: now)) }
            if let deadline = job.deadline { next = min(next, deadline.schedule.nextTick(after: now)) }
            if job.sensor != nil { next = min(next, now.addingTimeInterval(settings.sensorInterval)) }
        }
        return next
    }

    /// Where the server listens, once it does: alerts link to its pages.
    public func setBaseURL(_ url: String) {
        settings.baseURL = url
    }

    // MARK: - Runs from outside

    /// Queues a run of a job of the file (a page's button, `storehouse jobs run` handed over by
    /// the CLI) and starts it if there is room. `vars` are added to the job's own.
    public func submit(job name: String, vars: [String: JobValue] = [:], trigger: RunTrigger = .manual) throws(OrchestratorError) -> RunRecord {
        guard let job = jobs[name] else {
            throw OrchestratorError("no job named '\(name)' in \(jobs.path)",
                                    hint: jobs.jobs.isEmpty ? "declare it under `jobs:`" : "jobs: \(jobs.jobs.map(\.name).joined(separator: ", "))")
        }
        return try submit(job, vars: vars, trigger: trigger)
    }

    /// Queues a run of a job that is not in the file: a CLI command (`build -s orders+`) handed
    /// to the server, as a one-step job.
    public func submit(_ job: JobDefinition, vars: [String: JobValue] = [:], trigger: RunTrigger = .manual) throws(OrchestratorError) -> RunRecord {
        let merged = job.vars.merging(vars) { _, run in run }
        let record = try store.createRun(job: job.name, trigger: trigger, vars: merged.mapValues(\.text), at: clock.now)
        enqueue(record, job: job, vars: merged)
        startReady()
        return record
    }

    /// A run's log lines and its end, from the start of its log. A run this scheduler does not
    /// hold (finished before, or unknown) yields only its end, read from the store.
    public func follow(_ runID: Int64) -> AsyncStream<RunEvent> {
        if let feed = feeds[runID] { return feed.follow() }
        let record = try? store.run(runID)?.run
        return AsyncStream { continuation in
            if let record { continuation.yield(.finished(record)) }
            continuation.finish()
        }
    }

    /// Ids of the runs waiting and running, for tests and the status page.
    public var activeRuns: (waiting: [Int64], running: [Int64]) {
        (queue.waiting.compactMap { Int64($0.id) }, queue.running.compactMap { Int64($0.id) })
    }

    /// Waits until nothing is queued or running (tests; a drain before stopping).
    public func waitUntilIdle() async {
        while let task = running.values.first {
            await task.value
        }
    }

    // MARK: - Queue and runner

    func enqueue(_ record: RunRecord, job: JobDefinition, vars: [String: JobValue]) {
        pending[record.id] = (job, vars)
        feeds[record.id] = RunFeed()
        queue.enqueue(QueuedRun(id: String(record.id), job: job.name, maxConcurrentRunsOfJob: job.maxConcurrentRuns))
    }

    func startReady() {
        for queued in queue.startReady() {
            guard let id = Int64(queued.id), let (job, vars) = pending.removeValue(forKey: id) else { continue }
            launch(id, job: job, vars: vars)
        }
    }

    private func launch(_ id: Int64, job: JobDefinition, vars: [String: JobValue]) {
        let feed = feeds[id] ?? RunFeed()
        feeds[id] = feed
        let clock = self.clock
        let runner = JobRunner(store: store, executor: executor, now: { clock.now },
                               sleep: { seconds in try await clock.sleep(until: clock.now.addingTimeInterval(seconds)) },
                               echo: { feed.append($0) })
        running[id] = Task {
            let record: RunRecord?
            do { record = try await runner.execute(job, run: id, vars: vars) } catch {
                self.log("run \(id) of job \(job.name): \(error)")
                record = try? self.store.run(id)?.run
            }
            self.finished(id, job: job, record: record)
        }
    }

    private func finished(_ id: Int64, job: JobDefinition, record: RunRecord?) {
        running[id] = nil
        let feed = feeds.removeValue(forKey: id)
        for next in queue.finish(String(id)) {
            guard let nextID = Int64(next.id), let (nextJob, vars) = pending.removeValue(forKey: nextID) else { continue }
            launch(nextID, job: nextJob, vars: vars)
        }
        guard let record else { return }
        feed?.finish(record)
        guard !Task.isCancelled, jobs[job.name] != nil else { return }
        alert(after: record, willRetry: false)
        let chained = record.status == .succeeded ? job.onSuccess : (AlertRule.isFailure(record.status) ? job.onFailure : [])
        for name in chained {
            do { _ = try submit(job: name, trigger: .chained(fromRun: id)) } catch { log("chaining \(name) after run \(id): \(error)") }
        }
    }

    private func stopRuns() async {
        for task in running.values { task.cancel() }
        await waitUntilIdle()
    }

    // MARK: - Alerts

    func alert(after run: RunRecord, willRetry: Bool) {
        guard let alerts else { return }
        // The job's previous outcome: runs that were retried (interrupted, then run again) did
        // not end anything and are passed over, as are cancelled ones.
        let recent = (try? store.runs(job: run.job, limit: 20)) ?? []
        let retried = Set(recent.compactMap { if case .retry(let original) = $0.trigger { original } else { nil } })
        let previous = recent.first {
            $0.id < run.id && $0.status.isFinished && $0.status != .cancelled && !retried.contains($0.id)
        }?.status
        guard let kind = AlertRule.afterRun(run, previous: previous, willRetry: willRetry) else { return }
        let alert = Alert(kind: kind, job: run.job, runID: run.id, status: run.status,
                          message: AlertRule.message(kind, run: run, link: settings.baseURL.map { "\($0)/runs/\(run.id)" }), at: clock.now)
        Task { await alerts.send(alert) }
    }
}
