import ArgumentParser
import Foundation
import Orchestrator
import TransformProject
import TransformRuntime
import WarehouseKit

/// `storehouse source freshness`: dbt's command group for sources.
struct SourceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "source",
        abstract: "Check the project's sources: how recently each got data.",
        subcommands: [SourceFreshnessCommand.self])
}

struct SourceFreshnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "freshness",
        abstract: "Check each source table's newest loaded_at_field against its warn_after/error_after; writes target/sources.json and exits 1 when one is stale.")

    @OptionGroup var project: ProjectOptions

    @Option(name: [.short, .long], parsing: .upToNextOption,
            help: "Sources to check, e.g. source:raw or source:raw.orders (default: every source table with freshness criteria).")
    var select: [String] = []

    @Option(name: .long, parsing: .upToNextOption, help: "Sources to leave out, in the same syntax as --select.")
    var exclude: [String] = []

    @Option(help: "How many checks run at once (default: the profile's threads).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be 1 or more") }
    }

    func run() async throws {
        let loaded: LoadedProject
        do { loaded = try project.load() } catch { throw ProjectCommandFailure.report(error) }
        if let server = ServerHandOff.runningServer(for: loaded) {
            try await handOff(to: server)
            return
        }
        let concurrency = threads ?? loaded.manifest.target.threads
        let warehouse: any Warehouse
        do {
            let location = try WarehouseLocation(target: loaded.manifest.target)
            if case .duckdb(let path, _) = location, path != ":memory:", !FileManager.default.fileExists(atPath: path) {
                throw CLIError("there is no warehouse at \(path), so no source has data to check",
                               hint: "load one first (`storehouse generate`), or fix the profile's path")
            }
            warehouse = try await location.open(duckdbThreads: location.duckdbThreads(forConcurrentQueries: concurrency))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let runner = SourceFreshnessRunner(project: loaded, warehouse: warehouse,
                                           options: SourceFreshnessOptions(select: select, exclude: exclude, threads: concurrency),
                                           reporter: TerminalFreshnessReporter())
        let summary: SourceFreshnessSummary
        do { summary = try await runner.run() } catch {
            await warehouse.close()
            throw ProjectCommandFailure.report(error)
        }
        await warehouse.close()
        print(FreshnessReport.summary(summary, projectRoot: loaded.manifest.projectRoot))
        if !summary.succeeded { throw ExitCode(1) }
    }

    /// The check as a one-step run in the server that owns the warehouse.
    private func handOff(to server: ServeLock) async throws {
        guard exclude.isEmpty else {
            throw ProjectCommandFailure.report(CLIError(
                "storehouse source freshness --exclude cannot be handed to the running server (pid \(server.pid), \(server.url)), which owns the warehouse",
                hint: "name the sources to check with --select instead"))
        }
        var options: [String: Any] = [:]
        if !select.isEmpty { options["select"] = select.joined(separator: " ") }
        try await ServerHandOff.runStep(.freshness, options: options, vars: project.vars, on: server, what: "`storehouse source freshness`")
    }
}
