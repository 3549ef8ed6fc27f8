import ArgumentParser
import Foundation
import Orchestrator

/// `storehouse runs [--job] [--status] [--limit]` and `storehouse runs show ID`: the run history.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "The run history: recent runs of the project's jobs, or one run's steps, attempts and log.",
        subcommands: [RunsListCommand.self, RunsShowCommand.self],
        defaultSubcommand: RunsListCommand.self)
}

extension RunStatus: ExpressibleByArgument {}

struct RunsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Recent runs, newest first.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var runStore: RunStoreOptions

    @Option(help: "Only runs of this job.")
    var job: String?

    @Option(help: "Only runs with this status: \(RunStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
    var status: RunStatus?

    @Option(help: "At most this many runs (default 20).")
    var limit: Int = 20

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be 1 or more") }
    }

    func run() async throws {
        let loaded = try reportingFailures { try project.load() }
        let runs: [RunRecord]
        do {
            let (store, path) = try runStore.openExisting(for: loaded)
            guard let store else {
                print("no runs recorded yet (no run store at \(path)); `storehouse jobs run NAME` or `storehouse serve` records them")
                return
            }
            runs = try store.runs(job: job, status: status, limit: limit)
        } catch { throw JobsProject.fail(error) }
        guard !runs.isEmpty else {
            print("no runs" + (job.map { " of job '\($0)'" } ?? "") + (status.map { " with status \($0.rawValue)" } ?? ""))
            return
        }
        let rows = runs.map { run in
            [String(run.id), run.job, run.status.rawValue, run.trigger.kind, RunsFormat.time(run.queuedAt),
             RunsFormat.duration(from: run.startedAt, to: run.endedAt), run.error.map(RunsFormat.firstLine) ?? ""]
        }
        print(RunsFormat.table(header: ["run", "job", "status", "trigger", "queued", "took", "error"], rows: rows))
    }
}

struct RunsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One run: its steps, attempts, timings, errors, node results and log.")

    @Argument(help: "The run's number (from `storehouse runs`).")
    var id: Int64

    @OptionGroup var project: ProjectOptions
    @OptionGroup var runStore: RunStoreOptions

    func run() async throws {
        let loaded = try reportingFailures { try project.load() }
        let detail: RunDetail?
        do {
            let (store, path) = try runStore.openExisting(for: loaded)
            guard let store else {
                throw CLIError("there is no run \(id): no runs are recorded yet (no run store at \(path))",
                               hint: "`storehouse jobs run NAME` or `storehouse serve` records runs")
            }
            detail = try store.run(id)
        } catch { throw JobsProject.fail(error) }
        guard let detail else {
            throw JobsProject.fail(CLIError("there is no run \(id)", hint: "`storehouse runs` lists the runs kept (old ones are purged)"))
        }
        let run = detail.run
        print("run \(run.id) of job '\(run.job)': \(run.status.rawValue)")
        print("  trigger: \(run.trigger.kind); queued \(RunsFormat.time(run.queuedAt)); took \(RunsFormat.duration(from: run.startedAt, to: run.endedAt))")
        if !run.vars.isEmpty { print("  vars: " + run.vars.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")) }
        if let error = run.error { print("  error: \(error)") }
        for attempt in detail.attempts {
            print("\nstep '\(attempt.step)' (\(attempt.kind)) attempt \(attempt.attempt): \(attempt.status.rawValue), "
                + "\(RunsFormat.duration(from: attempt.startedAt, to: attempt.endedAt)), started \(RunsFormat.time(attempt.startedAt))")
            if let error = attempt.error { print("  error: " + error.replacingOccurrences(of: "\n", with: "\n  ")) }
            let nodes = detail.nodeResults[attempt.id] ?? []
            if !nodes.isEmpty {
                let counts = Dictionary(grouping: nodes, by: \.status).map { "\($0.value.count) \($0.key)" }.sorted()
                print("  nodes: " + counts.joined(separator: ", "))
            }
            if !attempt.output.isEmpty {
                print("  log:")
                let output = attempt.output.hasSuffix("\n") ? String(attempt.output.dropLast()) : attempt.output
                print(output.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))
            }
        }
    }
}

/// How runs read in a terminal.
enum RunsFormat {
    static func time(_ date: Date, in zone: TimeZone = .current) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss zzz"
        return formatter.string(from: date)
    }

    static func duration(from start: Date?, to end: Date?) -> String {
        guard let start else { return "-" }
        guard let end else { return "running" }
        let seconds = end.timeIntervalSince(start)
        return seconds < 60 ? String(format: "%.2fs", seconds) : JobDuration.format(seconds.rounded())
    }

    static func firstLine(_ text: String) -> String {
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        return line.count > 80 ? String(line.prefix(77)) + "..." : line
    }

    static func table(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { $0.offset == row.count - 1 ? $0.element : $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
