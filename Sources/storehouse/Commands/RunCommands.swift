import ArgumentParser
import Foundation
import Orchestrator
import TransformProject
import TransformRuntime
import WarehouseDuckDB
import WarehouseKit

/// Flags every executing command shares (build, run, test, seed, snapshot).
struct ExecutionOptions: ParsableArguments {
    @Option(help: "How many nodes run at once (default: the profile's threads).")
    var threads: Int?

    @Flag(help: "Rebuild incremental models and seeds from scratch.")
    var fullRefresh = false

    @Flag(help: "Stop at the first failure; nodes not yet started are skipped.")
    var failFast = false

    @Flag(help: "Record the warehouse's profile of each model's statements in target/profiles.json (storehouse profile shows the slowest).")
    var profile = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be 1 or more") }
    }
}

/// Runs one of the executing verbs end to end: load, connect, run, print, exit code.
enum ProjectExecution {
    static func run(_ command: RunCommand, project: ProjectOptions, selection: SelectionOptions, execution: ExecutionOptions) async throws {
        let loaded: LoadedProject
        do { loaded = try project.load(command: command.rawValue) } catch { throw ProjectCommandFailure.report(error) }
        if let server = ServerHandOff.runningServer(for: loaded) {
            try await handOff(command, to: server, project: project, selection: selection, execution: execution)
            return
        }
        let concurrency = execution.threads ?? loaded.manifest.target.threads
        let warehouse: any Warehouse
        do {
            let location = try WarehouseLocation(target: loaded.manifest.target)
            warehouse = try await location.open(duckdbThreads: location.duckdbThreads(forConcurrentQueries: concurrency))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        var options = RunOptions(
            command: command, select: selection.select, exclude: selection.exclude,
            threads: concurrency, fullRefresh: execution.fullRefresh,
            failFast: execution.failFast, statePath: selection.state)
        options.profile = execution.profile
        let runner = TransformRunner(project: loaded, warehouse: warehouse, options: options, reporter: TerminalRunReporter())
        let summary: RunSummary
        do { summary = try await runner.run() } catch {
            await warehouse.close()
            throw ProjectCommandFailure.report(error)
        }
        await warehouse.close()
        print(TerminalRunReporter.summary(summary, projectRoot: loaded.manifest.projectRoot))
        if execution.profile {
            let profiled = summary.results.filter { $0.profile != nil }.count
            print(profiled == 0 ? "No model statement was profiled (nothing built, or only views and seeds)."
                : "Profiles of \(profiled) model\(profiled == 1 ? "" : "s") written to \(loaded.manifest.targetPath)/\(ProfileArtifact.fileName); `storehouse profile` shows the slowest.")
        }
        if !summary.succeeded { throw ExitCode(1) }
    }
}

extension ProjectExecution {
    /// The command as a one-step run in the server that owns the warehouse.
    static func handOff(_ command: RunCommand, to server: ServeLock, project: ProjectOptions, selection: SelectionOptions,
                        execution: ExecutionOptions) async throws {
        let verb = "storehouse \(command.rawValue)"
        guard selection.state == nil else {
            throw ProjectCommandFailure.report(CLIError("\(verb) --state cannot be handed to the running server (pid \(server.pid), \(server.url)), which owns the warehouse",
                                                        hint: "drop --state, or stop `storehouse serve` and run the command again"))
        }
        guard !execution.profile else {
            throw ProjectCommandFailure.report(CLIError("\(verb) --profile cannot be handed to the running server (pid \(server.pid), \(server.url)), which owns the warehouse",
                                                        hint: "stop `storehouse serve` and profile the build then, or run it without --profile"))
        }
        var options: [String: Any] = [:]
        if !selection.select.isEmpty { options["select"] = selection.select.joined(separator: " ") }
        if !selection.exclude.isEmpty { options["exclude"] = selection.exclude.joined(separator: " ") }
        if execution.fullRefresh, command != .test { options["full_refresh"] = true }
        let kind: StepKind = switch command {
        case .build: .build
        case .run: .run
        case .test: .test
        case .seed: .seed
        case .snapshot: .snapshot
        }
        try await ServerHandOff.runStep(kind, options: options, vars: project.vars, on: server, what: "`\(verb)`")
    }
}

/// A command that executes the project (build, run, test, seed, snapshot): the same flags and
/// flow, only the verb differs.
protocol ExecutingCommand: AsyncParsableCommand {
    static var verb: RunCommand { get }
    var project: ProjectOptions { get }
    var selection: SelectionOptions { get }
    var execution: ExecutionOptions { get }
}

extension ExecutingCommand {
    func run() async throws {
        try await ProjectExecution.run(Self.verb, project: project, selection: selection, execution: execution)
    }
}

struct BuildCommand: ExecutingCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Seed, run, snapshot and test the selected nodes in DAG order; a failing test skips what depends on it.")
    static let verb = RunCommand.build
    @OptionGroup var project: ProjectOptions
    @OptionGroup var selection: SelectionOptions
    @OptionGroup var execution: ExecutionOptions
}

struct RunModelsCommand: ExecutingCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Build the selected models.")
    static let verb = RunCommand.run
    @OptionGroup var project: ProjectOptions
    @OptionGroup var selection: SelectionOptions
    @OptionGroup var execution: ExecutionOptions
}

struct TestCommand: ExecutingCommand {
    static let configuration = CommandConfiguration(commandName: "test", abstract: "Run the selected data tests.")
    static let verb = RunCommand.test
    @OptionGroup var project: ProjectOptions
    @OptionGroup var selection: SelectionOptions
    @OptionGroup var execution: ExecutionOptions
}

struct SeedCommand: ExecutingCommand {
    static let configuration = CommandConfiguration(commandName: "seed", abstract: "Load the selected seed CSV files into tables.")
    static let verb = RunCommand.seed
    @OptionGroup var project: ProjectOptions
    @OptionGroup var selection: SelectionOptions
    @OptionGroup var execution: ExecutionOptions
}

struct SnapshotCommand: ExecutingCommand {
    static let configuration = CommandConfiguration(commandName: "snapshot", abstract: "Record changes of the selected snapshots (SCD type 2).")
    static let verb = RunCommand.snapshot
    @OptionGroup var project: ProjectOptions
    @OptionGroup var selection: SelectionOptions
    @OptionGroup var execution: ExecutionOptions
}
