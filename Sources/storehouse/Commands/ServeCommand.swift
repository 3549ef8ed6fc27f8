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

    @Option(help: "Address to listen on. Only this machine (127.0.0.1) unless you change it; any other address needs an access token.")
    var host: String = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one and prints it).")
    var port: Int = 8080

    @Option(name: .customLong("token-file"), help: ArgumentHelp(
        "Access tokens, one a line: `viewer <token>` or `admin <token>`. STOREHOUSE_TOKEN (viewer) and STOREHOUSE_ADMIN_TOKEN (admin) add one each.",
        valueName: "file"))
    var tokenFile: String?

    @Option(name: .customLong("sql-timeout"), help: "Seconds a query from the SQL explorer or the API may run before it is stopped.")
    var sqlTimeout: Double = 30

    @Option(name: .customLong("sql-rate"), help: "SQL queries a second each client may send (from the explorer or /api/v1/sql), after a burst of four times as many.")
    var sqlRate: Double = 5

    func validate() throws {
        guard sqlRate > 0 else { throw ValidationError("--sql-rate must be more than 0") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard sqlTimeout > 0 else { throw ValidationError("--sql-timeout must be more than 0 seconds") }
    }

    func run() async throws {
        let configuration = ServerConfiguration(host: host, port: port)
        let access: AccessPolicy
        do { access = try AccessPolicy.load(tokenFile: tokenFile, environment: ProcessInfo.processInfo.environment) } catch let error as AccessError {
            throw ProjectCommandFailure.report(CLIError(error.message, hint: error.hint))
        }
        guard access.requiresToken || configuration.isLoopbackOnly else {
            throw ProjectCommandFailure.report(CLIError("serve would listen on \(host), beyond this machine, without an access token",
                hint: "give it tokens with --token-file FILE (lines `viewer <token>` or `admin <token>`; make one with `openssl rand -hex 32`) "
                    + "or STOREHOUSE_TOKEN, or listen on 127.0.0.1"))
        }
        let loaded = try project.load()
        let served: ServedProject
        do { served = try ServedProject(project: loaded) } catch let error as SemanticError {
            throw ProjectCommandFailure.report(CLIError(error.description, hint: "serve starts only when every dashboard, metric and semantic model is valid"))
        }
        // Pages only read: a read-only open cannot change the warehouse, whatever a page asks.
        let store = try await MetricsQueryCommand.openWarehouse(warehouse, project: loaded)
        var options = ServerOptions(access: access)
        options.limits.queryTimeout = .milliseconds(Int(sqlTimeout * 1000))
        options.limits.sqlPerSecond = sqlRate
        options.limits.sqlBurst = max(1, Int((sqlRate * 4).rounded(.up)))
        let count = served.dashboards.count
        let host = self.host
        try await StorehouseServer.run(served: served, warehouse: store, configuration: configuration, options: options) { port in
            // One line with the address, flushed at once: scripts and tests wait for it.
            FileHandle.standardOutput.write(Data("storehouse serve: \(count) dashboard\(count == 1 ? "" : "s") at http://\(host):\(port)/ (Ctrl-C stops)\n".utf8))
        }
        await store.close()
    }
}
