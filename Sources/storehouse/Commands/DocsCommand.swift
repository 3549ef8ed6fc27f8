import ArgumentParser
import Foundation
import TransformProject
import TransformRuntime

/// `storehouse docs generate`: dbt's command group for the project's documentation.
struct DocsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "The project's documentation artifacts.",
        subcommands: [DocsGenerateCommand.self])
}

struct DocsGenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Compile the project and describe what the warehouse holds for it: writes target/manifest.json and target/catalog.json (dbt's shapes).")

    @OptionGroup var project: ProjectOptions

    @Flag(name: .customLong("no-compile"), help: "Write only catalog.json, leaving manifest.json and target/compiled as they are.")
    var noCompile = false

    func run() async throws {
        let started = Date()
        let loaded: LoadedProject
        do { loaded = try project.load() } catch { throw ProjectCommandFailure.report(error) }
        let manifest = loaded.manifest
        if let server = ServerHandOff.runningServer(for: loaded) {
            // The server owns the warehouse: it runs the step and streams its log back.
            guard !noCompile else {
                throw ProjectCommandFailure.report(CLIError(
                    "storehouse docs generate --no-compile cannot be handed to the running server (pid \(server.pid), \(server.url)), which owns the warehouse",
                    hint: "leave out --no-compile (the server compiles, then writes the catalog)"))
            }
            try await ServerHandOff.runStep(.docs, vars: project.vars, on: server, what: "`storehouse docs generate`")
            return
        }
        do {
            let location = try WarehouseLocation(target: manifest.target)
            let warehouse = try await location.open(forUntrustedReads: true)
            let outcome: DocsGeneration.Outcome
            do { outcome = try await DocsGeneration.run(loaded, warehouse: warehouse, compile: !noCompile, startedAt: started) } catch {
                await warehouse.close()
                throw error
            }
            await warehouse.close()
            print(outcome.summary(targetPath: manifest.targetPath))
        } catch {
            throw ProjectCommandFailure.report(error)
        }
    }
}
