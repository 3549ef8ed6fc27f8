import ArgumentParser
import Foundation
import SemanticLayer
import Server
import WarehouseKit

/// `storehouse serve`: the dashboards in a browser, served by the same binary.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the project's dashboards over its semantic layer in a web browser.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var warehouse: WarehouseOptions

    @Option(help: "Address to listen on. Only this machine (127.0.0.1) unless you change it.")
    var host: String = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one and prints it).")
    var port: Int = 8080

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard ["127.0.0.1", "localhost", "::1"].contains(host) else {
            throw ValidationError("serve listens on this machine only (127.0.0.1) until access tokens exist; "
                + "reach it from elsewhere through an SSH tunnel or a reverse proxy that authenticates")
        }
    }

    func run() async throws {
        let loaded = try project.load()
        let served: ServedProject
        do { served = try ServedProject(project: loaded) } catch let error as SemanticError {
            throw ProjectCommandFailure.report(CLIError(error.description, hint: "serve starts only when every dashboard, metric and semantic model is valid"))
        }
        // Pages only read: a read-only open cannot change the warehouse, whatever a page asks.
        let store = try await MetricsQueryCommand.openWarehouse(warehouse, project: loaded)
        let configuration = ServerConfiguration(host: host, port: port)
        let count = served.dashboards.count
        let host = self.host
        try await StorehouseServer.run(served: served, warehouse: store, configuration: configuration) { port in
            // One line with the address, flushed at once: scripts and tests wait for it.
            FileHandle.standardOutput.write(Data("storehouse serve: \(count) dashboard\(count == 1 ? "" : "s") at http://\(host):\(port)/ (Ctrl-C stops)\n".utf8))
        }
        await store.close()
    }
}
