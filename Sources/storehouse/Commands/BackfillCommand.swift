import ArgumentParser
import Foundation
import Orchestrator
import Synchronization
import TransformProject
import WarehouseKit

/// `storehouse backfill JOB --from DAY --to DAY [--parallel N]`: one run of the job per day, the
/// day in the run's vars (`ds` by default, as dbt users read `var('ds')`). Each day is a run of
/// its own in the run store, so a rerun of the same command skips the days that succeeded.
struct BackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Run a job once per day of a date range with the day in its vars; rerunning skips the days that succeeded.")

    @Argument(help: "The job's name in jobs.yml.")
    var name: String

    @Option(help: "The first day, YYYY-MM-DD.")
    var from: String

    @Option(help: "The last day, YYYY-MM-DD (included).")
    var to: String

    @Option(help: "How many days run at once (default 1).")
    var parallel: Int = 1

    @Option(name: .customLong("var"), help: "The var that carries the day (default ds).")
    var variable: String = "ds"

    @OptionGroup var project: ProjectOptions
    @OptionGroup var runStore: RunStoreOptions

    /// More days than this in one command is almost certainly a typo in a year.
    static let maximumDays = 3660

    func validate() throws {
        if parallel < 1 { throw ValidationError("--parallel must be 1 or more") }
        guard let first = CivilDate(iso: from), let last = CivilDate(iso: to) else {
            throw ValidationError("--from and --to take days written YYYY-MM-DD, such as 2026-01-31")
        }
        if first > last { throw ValidationError("--from \(from) is after --to \(to)") }
        if last.daysSinceEpoch - first.daysSinceEpoch + 1 > BackfillCommand.maximumDays {
            throw ValidationError("\(from) to \(to) is more than \(BackfillCommand.maximumDays) days; backfill a shorter range at a time")
        }
        if variable.isEmpty { throw ValidationError("--var needs a name") }
    }

    func run() async throws {
        let loaded = try reportingFailures { try project.load() }
        let job: JobDefinition
        let store: RunStore
        let done: Set<String>
        do {
            job = try JobsProject.job(named: name, of: loaded)
            store = try runStore.open(for: loaded)
            done = try store.succeededPartitions(job: name)
            if let server = ServerHandOff.runningServer(for: loaded) {
                throw CLIError("storehouse serve (pid \(server.pid), \(server.url)) owns the warehouse, and a backfill is not handed to it yet",
                               hint: "stop the server for the backfill (it resumes where it stopped if interrupted), then start it again")
            }
        } catch { throw JobsProject.fail(error) }

        let first = CivilDate(iso: from)!.daysSinceEpoch, last = CivilDate(iso: to)!.daysSinceEpoch
        let all = (first...last).map { CivilDate(daysSinceEpoch: $0).description }
        let todo = all.filter { !done.contains($0) }
        let skipped = all.count - todo.count
        print("backfill of job '\(name)': \(all.count) day\(all.count == 1 ? "" : "s") from \(from) to \(to)"
            + (skipped > 0 ? ", \(skipped) already succeeded (skipped)" : "") + "; \(todo.count) to run, \(min(parallel, max(1, todo.count))) at a time")
        fflush(nil)
        guard !todo.isEmpty else { return }

        var load = project.loadOptions
        load.vars = nil
        let warehouse = SharedWarehouse()
        let runner = JobRunner(store: store, executor: ProjectStepExecutor(load: load, warehouse: warehouse))
        let progress = BackfillProgress(total: todo.count)
        let variable = self.variable
        await withTaskGroup(of: Void.self) { group in
            var pending = todo[...]
            func startNext() {
                guard let day = pending.popFirst() else { return }
                group.addTask {
                    let started = Date()
                    do {
                        let record = try await runner.run(job, trigger: .backfill(partition: day), vars: [variable: .string(day)])
                        progress.finished(day, run: record, seconds: Date().timeIntervalSince(started))
                    } catch {
                        progress.failedToRecord(day, error)
                    }
                }
            }
            for _ in 0..<parallel { startNext() }
            for await _ in group { startNext() }
        }
        await warehouse.close()
        let (succeeded, failed) = progress.counts
        print("\(succeeded) day\(succeeded == 1 ? "" : "s") succeeded, \(failed) failed"
            + (failed > 0 ? "; rerun the same command to retry the failed days (`storehouse runs --job \(name) --status failed` lists them)" : ""))
        if failed > 0 { throw ExitCode(1) }
    }
}

/// One line per finished day with a bar, `[#####.....] 12/31 2026-01-12 succeeded (run 40, 3.1s)`.
final class BackfillProgress: Sendable {
    private let state = Mutex<(done: Int, succeeded: Int, failed: Int)>((0, 0, 0))
    let total: Int

    init(total: Int) { self.total = total }

    var counts: (succeeded: Int, failed: Int) { state.withLock { ($0.succeeded, $0.failed) } }

    func finished(_ day: String, run: RunRecord, seconds: Double) {
        let ok = run.status == .succeeded
        let line = state.withLock { counts -> String in
            counts.done += 1
            if ok { counts.succeeded += 1 } else { counts.failed += 1 }
            let detail = ok ? "" : ": " + RunsFormat.firstLine(run.error ?? "")
            return "\(bar(counts.done)) \(day) \(run.status.rawValue) (run \(run.id), \(String(format: "%.1f", seconds))s)\(detail)"
        }
        print(line)
        fflush(nil)
    }

    func failedToRecord(_ day: String, _ error: Error) {
        let line = state.withLock { counts -> String in
            counts.done += 1
            counts.failed += 1
            return "\(bar(counts.done)) \(day) not run: \(error)"
        }
        print(line)
        fflush(nil)
    }

    private func bar(_ done: Int) -> String {
        let width = 20
        let filled = total == 0 ? width : done * width / total
        let count = "\(String(done).leftPadded(to: String(total).count, with: " "))/\(total)"
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] " + count
    }
}
