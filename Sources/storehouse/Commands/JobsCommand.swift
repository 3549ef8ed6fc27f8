import ArgumentParser
import Foundation
import Orchestrator
import TransformProject

/// `storehouse jobs list|run`: the project's jobs (jobs.yml) and running one now.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List the project's jobs (jobs.yml) or run one now, recording the run.",
        subcommands: [JobsListCommand.self, JobsRunCommand.self],
        defaultSubcommand: JobsListCommand.self)
}

struct JobsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the jobs with their triggers, steps and last run.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var runStore: RunStoreOptions

    func run() async throws {
        let loaded = try reportingFailures { try project.load() }
        let file: JobFile
        do { file = try JobsProject.jobFile(of: loaded, required: false) } catch { throw JobsProject.fail(error) }
        guard !file.jobs.isEmpty else {
            print("no jobs: the project has no \(JobsProject.fileName)")
            return
        }
        // The store is read only if it exists: listing jobs must not create files.
        let storePath = try runStore.path(for: loaded)
        let store = FileManager.default.fileExists(atPath: storePath) ? try? RunStore(path: storePath) : nil
        let now = Date()
        for job in file.jobs {
            var trigger = "manual"
            if let schedule = job.schedule {
                let next = schedule.schedule.nextTick(after: now)
                trigger = "schedule \"\(schedule.schedule.cron.source)\" \(schedule.schedule.timeZone.identifier) (next \(RunsFormat.time(next, in: schedule.schedule.timeZone)))"
            } else if case .landing(let path, let sensor) = job.sensor {
                trigger = "files \(sensor.glob.pattern) landing in \(path) (at least \(JobDuration.format(sensor.minimumAge)) old)"
            }
            var last = "never run"
            if let store, let run = try? store.lastRun(job: job.name) {
                last = "last run \(run.id) \(run.status.rawValue) \(RunsFormat.time(run.queuedAt))"
            }
            print("\(job.name)  [\(trigger)]  \(last)")
            if let description = job.description { print("  \(description)") }
            print("  steps: " + job.steps.map(\.name).joined(separator: " → "))
        }
    }
}

struct JobsRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a job now: its steps in order, with their retries and time limits; exits 1 when the run fails.")

    @Argument(help: "The job's name in jobs.yml.")
    var name: String

    @OptionGroup var project: ProjectOptions
    @OptionGroup var runStore: RunStoreOptions

    @Option(name: .customLong("run-vars"), help: "YAML or JSON mapping added to the job's vars for this run, e.g. '{ds: 2026-01-31}'.")
    var runVars: String?

    func run() async throws {
        let loaded = try reportingFailures { try project.load() }
        let job: JobDefinition
        let store: RunStore
        let vars: [String: JobValue]
        do {
            job = try JobsProject.job(named: name, of: loaded)
            vars = try runVars.map { try JobValue.mapping(parsing: $0) } ?? [:]
            store = try runStore.open(for: loaded)
        } catch { throw JobsProject.fail(error) }
        if let server = ServerHandOff.runningServer(for: loaded) {
            var body: [String: Any] = ["job": job.name]
            if !vars.isEmpty { body["vars"] = try JSONSerialization.jsonObject(with: Data(JobValue.dict(vars).json.utf8)) }
            let succeeded: Bool
            do { succeeded = try await ServerHandOff.run(body, on: server, what: "job '\(job.name)'") } catch { throw JobsProject.fail(error) }
            if !succeeded { throw ExitCode(1) }
            return
        }

        var load = project.loadOptions
        load.vars = nil // the job's and the run's vars are applied per step
        let warehouse = SharedWarehouse()
        let runner = JobRunner(store: store, executor: ProjectStepExecutor(load: load, warehouse: warehouse), echo: { line in
            print(line)
            fflush(nil)
        })
        let record: RunRecord
        do { record = try await runner.run(job, trigger: .manual, vars: vars) } catch {
            await warehouse.close()
            throw JobsProject.fail(error)
        }
        await warehouse.close()
        print("`storehouse runs show \(record.id)` shows its steps, attempts and log")
        if record.status != .succeeded { throw ExitCode(1) }
    }
}

extension JobValue {
    /// A `--run-vars` mapping, in YAML or JSON.
    static func mapping(parsing text: String) throws -> [String: JobValue] {
        do { return try JobFile.vars(parsing: text) } catch { throw CLIError("\(error)", hint: "write a mapping such as '{ds: 2026-01-31}'") }
    }
}
