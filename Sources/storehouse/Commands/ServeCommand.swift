import ArgumentParser
import Foundation
import Orchestrator
import SemanticLayer
import Server
import WarehouseDuckDB
import WarehouseKit

/// `storehouse serve`: the dashboards in a browser, served by the same binary.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the project's dashboards over its semantic layer in a web browser.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var warehouse: WarehouseOptions
    @OptionGroup var runStore: RunStoreOptions

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

    @Flag(name: .customLong("read-only"), help: "Only read the warehouse: other processes may read the file too, and no job runs here (the runs pages still show the history).")
    var readOnly = false

    @Option(name: .customLong("max-concurrent-runs"), help: "Job runs at once; more wait in a queue.")
    var maxConcurrentRuns: Int = 2

    @Option(name: .customLong("keep-runs-days"), help: "Finished runs older than this many days are deleted from the run store.")
    var keepRunsDays: Int = 30

    func validate() throws {
        guard maxConcurrentRuns >= 1 else { throw ValidationError("--max-concurrent-runs must be 1 or more") }
        guard keepRunsDays >= 1 else { throw ValidationError("--keep-runs-days must be 1 or more") }
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
        let runsPath: String
        let jobFile: JobFile
        let runs: RunStore
        do {
            // `--db x.duckdb` keeps its runs beside it too (unless --runs-db says otherwise).
            if runStore.runsDatabase == nil, let db = warehouse.databasePath, case .duckdb(let path, _)? = try? WarehouseLocation(parsing: db), path != ":memory:" {
                runsPath = RunStoreOptions.besideWarehouse(path)
            } else {
                runsPath = try runStore.path(for: loaded)
            }
            jobFile = try JobsProject.jobFile(of: loaded, required: false)
            do { runs = try RunStore(path: runsPath) } catch { throw CLIError("\(error)") }
        } catch { throw JobsProject.fail(error) }
        let lockPath = ServeLock.path(forRunStore: runsPath)
        if let other = ServeLock.running(at: lockPath) {
            throw ProjectCommandFailure.report(CLIError("storehouse serve is already running on this warehouse (pid \(other.pid), \(other.url))",
                hint: "open \(other.url)/ or stop that server first; a warehouse has one owner"))
        }
        // The owner opens the warehouse writable (for its jobs) and sandboxed (for the SQL
        // explorer); --read-only opens it read-only, as before jobs ran here.
        let store: any Warehouse
        do {
            let location = try warehouse.databasePath.map { try WarehouseLocation(parsing: $0) } ?? WarehouseLocation(target: loaded.manifest.target)
            store = readOnly ? try await location.open(forUntrustedReads: true)
                : try await location.open(asOwner: true, duckdbThreads: location.duckdbThreads(forConcurrentQueries: loaded.manifest.target.threads),
                                          allowedDirectories: ServeFileAccess.folders(projectRoot: loaded.manifest.projectRoot, jobs: jobFile))
        } catch { throw ProjectCommandFailure.report(error) }

        var options = ServerOptions(access: access)
        options.limits.queryTimeout = .milliseconds(Int(sqlTimeout * 1000))
        options.limits.sqlPerSecond = sqlRate
        options.limits.sqlBurst = max(1, Int((sqlRate * 4).rounded(.up)))
        let token = ServeLock.newToken()
        options.access = access.adding(adminToken: token)
        var scheduler: JobScheduler?
        if !readOnly {
            var load = project.loadOptions
            load.vars = nil // the job's and the run's vars are applied per step
            let landingFolders = jobFile.jobs.compactMap { job -> String? in
                if case .landing(let path, _) = job.sensor { return path } else { return nil }
            }
            let projects = ProjectCache(load: load, skipping: landingFolders)
            // The project serve just loaded is the one the first run would load again.
            if project.loadOptions.vars == nil { await projects.prime(with: loaded) }
            let executor = ProjectStepExecutor(load: load, warehouse: SharedWarehouse(existing: store), projects: projects)
            let alerts: WebhookAlertSink?
            do {
                alerts = try WebhookAlertSink.url(environment: ProcessInfo.processInfo.environment).map {
                    WebhookAlertSink(url: $0, log: Self.logLine)
                }
            } catch { throw JobsProject.fail(error) }
            let settings = JobScheduler.Settings(projectRoot: loaded.manifest.projectRoot, maxConcurrentRuns: maxConcurrentRuns, keepDays: keepRunsDays)
            let created = JobScheduler(jobs: jobFile, store: runs, executor: executor, settings: settings, alerts: alerts, log: Self.logLine)
            do {
                for retry in try await created.recover() {
                    guard case .retry(let original) = retry.trigger else { continue }
                    Self.logLine("run \(original) of job \(retry.job) was left unfinished by a stopped server: retrying it as run \(retry.id)")
                }
            } catch { throw JobsProject.fail(error) }
            scheduler = created
        }
        options.runs = RunsContext(store: runs, jobs: jobFile, scheduler: scheduler)
        // The docs trace column lineage with DuckDB's parser, whatever the warehouse is.
        let parser: DuckDBWarehouse?
        do {
            let opened = try DuckDBWarehouse(path: ":memory:")
            options.sqlParser = SQLParseTrees(aggregates: try await opened.aggregateFunctionNames(), parse: { try await opened.parseTree(of: $0) })
            parser = opened
        } catch {
            Self.logLine("warning: no SQL parser for column lineage (\(error)); the docs show none")
            parser = nil
        }
        let count = served.dashboards.count
        let host = self.host
        let alertsOn = ProcessInfo.processInfo.environment.keys.contains { $0.hasPrefix("STOREHOUSE_ALERT_WEBHOOK") }
        let scheduling = scheduler
        let background: [@Sendable () async -> Void] = scheduler.map { scheduler in [{ await scheduler.run() }] } ?? []
        let pid = getpid()
        do {
            try await StorehouseServer.run(served: served, warehouse: store, configuration: configuration, options: options,
                                           background: background) { port in
                let url = "http://\(["0.0.0.0", "::"].contains(host) ? "127.0.0.1" : host):\(port)"
                if let scheduler = scheduling {
                    await scheduler.setBaseURL(url)
                    do { try ServeLock(pid: pid, url: url, token: token, startedAt: Date()).write(to: lockPath) } catch {
                        Self.logLine("warning: \(error); CLI commands cannot hand work to this server")
                    }
                }
                // One line with the address, flushed at once: scripts and tests wait for it.
                var line = "storehouse serve: \(count) dashboard\(count == 1 ? "" : "s") at http://\(host):\(port)/ (Ctrl-C stops)\n"
                if let scheduler = scheduling {
                    let jobs = scheduler.jobs.jobs.count
                    line += "  jobs: \(jobs) from \(JobsProject.fileName), runs in \(runsPath)\(alertsOn ? ", alerts to the webhook" : "")\n"
                }
                FileHandle.standardOutput.write(Data(line.utf8))
            }
        } catch {
            ServeLock.remove(at: lockPath, pid: pid)
            await store.close()
            await parser?.close()
            throw error
        }
        ServeLock.remove(at: lockPath, pid: pid)
        await store.close()
        await parser?.close()
    }

    static let logLine: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data("storehouse serve: \(line)\n".utf8))
    }
}
