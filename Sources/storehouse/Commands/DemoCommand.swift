import ArgumentParser
import Foundation
import Synchronization
import SyntheticData
import TransformProject
import TransformRuntime
import WarehouseDuckDB
import WarehouseKit

/// `storehouse demo`: the main job end to end on the embedded warehouse — generate a store,
/// build and test the bundled analytics project, print the store report.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate store data, build and test the analytics project, and print a store report.")

    @Option(help: "Store size: 1.0 = 100,000 users like the public TheLook dataset.")
    var scale: Double = 1.0

    @Option(help: "Random seed; the same seed and as-of date give the same data.")
    var seed: UInt64 = 42

    @Option(help: "The last day the data covers, YYYY-MM-DD (default: a fixed 2026-11-20, so runs are comparable).")
    var asOf: String = "2026-11-20"

    @Option(help: "The analytics project folder.")
    var projectDir: String = "analytics"

    @Option(help: "How many models run at once.")
    var threads: Int = 2

    @OptionGroup var history: StoreHistoryOptions

    @OptionGroup var warehouse: WarehouseOptions

    func validate() throws {
        if !(scale > 0) { throw ValidationError("--scale must be greater than 0, e.g. 0.1 or 1.0") }
        do { try history.check() } catch let error as CLIError { throw ValidationError(error.description) }
        if CivilDate(iso: asOf) == nil { throw ValidationError("--as-of must be a date written YYYY-MM-DD, got '\(asOf)'") }
        if threads < 1 { throw ValidationError("--threads must be 1 or more") }
    }

    func run() async throws {
        let started = Date()
        var location = try warehouse.location
        if case .duckdb(let path, _) = location, path != ":memory:" {
            location = .duckdb(path: URL(fileURLWithPath: path).standardizedFileURL.path)
        }
        guard FileManager.default.fileExists(atPath: (projectDir as NSString).appendingPathComponent("dbt_project.yml")) else {
            throw CLIError("no analytics project at \(projectDir)/dbt_project.yml",
                           hint: "run from the Storehouse folder (the one holding analytics/), or pass --project-dir")
        }
        // One DuckDB thread while loading: the appender gains nothing from more, and idle DuckDB
        // workers take CPU from the generator. The build sets its own count below.
        let store = try await location.open(duckdbThreads: 1)
        // Closed (and so checkpointed) on every path before the command returns: what was
        // loaded and built must be in the .duckdb file itself, not only in its WAL.
        do {
            try await runSteps(on: store, location: location, started: started)
        } catch {
            await store.close()
            throw error
        }
    }

    private func runSteps(on store: any Warehouse, location: WarehouseLocation, started: Date) async throws {
        // 1. data
        let options = try GeneratorOptions(seed: seed, asOf: CivilDate(iso: asOf)!, scale: scale,
                                           profile: history.profile, growthPerYear: history.growthPerYear)
        step(1, "Generating store data (scale \(scale), seed \(seed), as of \(asOf), "
             + "\(StoreHistoryOptions.describe(options.profile, growth: options.growthPerYear)))")
        let generated = try await StoreGenerator(options: options).generate(into: store)
        // The marketplace clickstream (REES46 format) beside the store: the analytics project
        // deduplicates it in staging and builds its category funnel.
        let clickstreamStarted = Date()
        let clickstreamRows = try await ClickstreamGenerator(options: try ClickstreamOptions(
            seed: seed, rows: ClickstreamOptions.rows(scale: scale), asOf: options.asOf, workers: options.workers))
            .generate(into: store, schema: options.schema)
        let rows = generated.totalRows + clickstreamRows
        let seconds = generated.seconds + Date().timeIntervalSince(clickstreamStarted)
        done("\(grouped(rows)) rows in \(String(format: "%.1f", seconds))s "
             + "(\(grouped(Int(Double(rows) / max(seconds, 0.001)))) rows/s; \(grouped(clickstreamRows)) of them marketplace clickstream)")

        // 2. build + test
        step(2, "Building and testing the analytics project (\(projectDir))")
        if let buildThreads = location.duckdbThreads(forConcurrentQueries: threads) {
            try await store.write { try await $0.execute(SQL(unsafeRaw: "set threads to \(buildThreads)")) }
        }
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in location.projectEnvironment { environment[key] = value }
        let project: LoadedProject
        do {
            project = try ProjectLoader.load(LoadOptions(projectDir: projectDir, profilesDir: projectDir, environment: environment))
        } catch { throw ProjectCommandFailure.report(error) }
        let progress = DemoProgress()
        let runner = TransformRunner(project: project, warehouse: store,
                                     options: RunOptions(command: .build, threads: threads), reporter: progress)
        let summary = try await runner.run()
        progress.finish()
        let tests = summary.results.filter { $0.resourceType == .test }
        let built = summary.results.filter { $0.resourceType != .test && $0.status == .success }.count
        done("\(built) models and snapshots built, \(tests.filter { $0.status == .pass }.count) of \(tests.count) tests passed"
             + (tests.contains { $0.status == .warn } ? " (\(tests.filter { $0.status == .warn }.count) warnings)" : "")
             + " in \(String(format: "%.1f", summary.seconds))s")
        if !summary.succeeded {
            print(TerminalRunReporter.summary(summary, projectRoot: project.manifest.projectRoot))
            throw ExitCode(1)
        }

        // 3. report
        step(3, "Store report")
        let martsSchema = project.manifest.nodes.values.first { $0.name == "daily_revenue" }?.relation?.schema ?? "marts"
        print("")
        print(try await StoreReport(martsSchema: martsSchema).render(from: store))
        await store.close()

        print("""

            Finished in \(String(format: "%.1f", Date().timeIntervalSince(started)))s. The warehouse is \(location).
            Query it:  storehouse query "select * from \(martsSchema).daily_revenue order by revenue_date desc limit 7"\(dbFlag(location))
            Rebuild:   \(location.projectEnvironment.sorted { $0.key < $1.key }.filter { !$0.key.contains("PASSWORD") }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")) storehouse build --project-dir \(projectDir)
            Metrics:   storehouse metrics query --project-dir \(projectDir)\(dbFlag(location)) --metrics net_revenue,orders --group-by metric_time__month --order-by -metric_time__month --limit 6
            Dashboards: storehouse serve --project-dir \(projectDir)\(dbFlag(location))   then open http://127.0.0.1:8080/
            """)
    }

    private func dbFlag(_ location: WarehouseLocation) -> String {
        switch location {
        case .duckdb(let path, _): return " --db \(path)"
        case .postgres, .spark: return " --db '\(WarehouseLocation.redacted(warehouse.resolvedPath))'"
        }
    }

    private func step(_ n: Int, _ text: String) {
        print("[\(n)/3] \(text)…")
        fflush(nil)
    }
    private func done(_ text: String) { print("      \(text)") }
    private func grouped(_ n: Int) -> String { TerminalRunReporter.grouped(n) }
}

/// A one-line progress display that rewrites itself on a terminal, and prints every tenth node
/// otherwise (logs stay short).
final class DemoProgress: RunReporter {
    private let isTerminal = isatty(STDOUT_FILENO) == 1
    private let output = Mutex(())

    func runStarted(total: Int, threads: Int) {}

    func nodeFinished(_ result: NodeResult, index: Int, total: Int) {
        let line = "      \(index)/\(total) \(result.resourceType.rawValue) \(result.name) \(TerminalRunReporter.label(result.status))"
        if isTerminal {
            output.withLock { _ in
                FileHandle.standardOutput.write(Data(("\r\u{1B}[K" + line).utf8))
            }
        } else if index % 25 == 0 || index == total || result.status.isProblem {
            print(line)
            fflush(nil)
        }
    }

    func finish() { if isTerminal { FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8)) } }
}
