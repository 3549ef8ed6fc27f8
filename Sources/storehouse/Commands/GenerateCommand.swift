import ArgumentParser
import Foundation
import SyntheticData
import WarehouseDuckDB
import WarehouseKit

/// `storehouse generate`: a seeded, TheLook-compatible store (plus overlays and, on request, a
/// REES46 clickstream) into the warehouse's `raw` schema or a landing folder of files.
///
/// - `--format warehouse` (default) replaces `raw.*` in one transaction; `--days N` instead
///   appends N days of activity after the existing load and leaves every existing row as it is,
///   continuing the load's profile and growth curve.
/// - `--profile growing` (default) shapes a shop growing by `--growth` a year with seasons;
///   `--profile thelook` keeps the public dataset's rules, recent sign-up spike included.
/// - `--format csv|parquet --out DIR` writes one file per table into DIR.
/// - `--clickstream` adds the REES46 clickstream: `raw.clickstream_events` in the warehouse
///   (replaced on each run), or `DIR/clickstream.csv` next to the other files (REES46 ships CSV).
///   It covers the 30 days ending with the as-of date; it cannot be combined with `--days`.
///
/// Progress goes to stderr (one line per table: rows and seconds spent writing it); the summary
/// (total rows, rows/s) to stdout. Bad arguments exit with code 2 and one message.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a seeded TheLook-compatible store into the warehouse or a landing folder."
    )

    enum Format: String, CaseIterable {
        case warehouse, csv, parquet
    }

    // Values arrive as text and are checked in validate(), so every bad value (a negative or
    // non-numeric size, an unknown format) gets the same one-message, exit-code-2 treatment.

    @Option(name: .customLong("seed"), parsing: .unconditional,
            help: "Seed of the random streams: the same seed and as-of date give the same data (default 42).")
    var seedText: String?

    @Option(name: .customLong("as-of"), help: "The last day the data covers, YYYY-MM-DD, 2019-01-01 or later (default: today, UTC).")
    var asOf: String?

    @Option(name: .customLong("scale"), parsing: .unconditional,
            help: "Size: 1.0 = 100,000 users (about 3.7 million rows). Default 1.0.")
    var scaleText: String?

    @Option(name: .customLong("users"), parsing: .unconditional, help: "Size as an exact number of users (instead of --scale).")
    var usersText: String?

    @Option(name: .customLong("days"), parsing: .unconditional,
            help: "Append N days of activity after the existing load in the warehouse instead of regenerating.")
    var daysText: String?

    @Option(name: .customLong("format"), help: "Where the data goes: warehouse (default), csv or parquet.")
    var formatText: String = "warehouse"

    @Option(help: "The landing folder for csv and parquet files (created if missing).")
    var out: String?

    @Flag(help: "Also generate the REES46-format clickstream (raw.clickstream_events, or clickstream.csv in --out).")
    var clickstream = false

    @Option(name: .customLong("clickstream-rows"), parsing: .unconditional,
            help: "Clickstream rows (implies --clickstream; default: 1,000,000 × scale).")
    var clickstreamRowsText: String?

    @Option(name: .customLong("workers"), parsing: .unconditional,
            help: "Parallel generator workers (default: the number of cores). The data does not depend on it.")
    var workersText: String?

    var seed: UInt64? { seedText.flatMap { UInt64($0) } }
    var scale: Double? { scaleText.flatMap { Double($0) } }
    var users: Int? { usersText.flatMap { Int($0) } }
    var days: Int? { daysText.flatMap { Int($0) } }
    var clickstreamRows: Int? { clickstreamRowsText.flatMap { Int($0) } }
    var workers: Int? { workersText.flatMap { Int($0) } }
    var format: Format { Format(rawValue: formatText) ?? .warehouse }

    @OptionGroup var history: StoreHistoryOptions

    @OptionGroup var warehouse: WarehouseOptions

    // MARK: - Validation

    func validate() throws {
        do {
            try checkArguments()
        } catch let error as CLIError {
            throw GenerateCommand.exit(error)
        }
    }

    /// Every check that needs no warehouse, as one CLIError.
    func checkArguments() throws {
        func number<T: LosslessStringConvertible>(_ text: String?, _ flag: String, _ type: T.Type, _ what: String) throws {
            if let text, T(text) == nil { throw CLIError("\(flag) \(text) is not \(what)") }
        }
        try number(seedText, "--seed", UInt64.self, "a seed: use a whole number from 0 to 18446744073709551615")
        try number(scaleText, "--scale", Double.self, "a number: 1.0 = 100,000 users")
        try number(usersText, "--users", Int.self, "a whole number of users")
        try number(daysText, "--days", Int.self, "a whole number of days")
        try number(clickstreamRowsText, "--clickstream-rows", Int.self, "a whole number of rows")
        try number(workersText, "--workers", Int.self, "a whole number of workers")
        if Format(rawValue: formatText) == nil {
            throw CLIError("--format \(formatText) is not a known format", hint: "use warehouse, csv or parquet")
        }
        if let scale, !(scale.isFinite && scale > 0) {
            throw CLIError("--scale \(scaleText ?? "\(scale)") is not allowed: it must be a positive number", hint: "1.0 = 100,000 users; 0.01 = 1,000 users")
        }
        if let users, users < 1 { throw CLIError("--users \(users) is not allowed: generate at least 1 user") }
        if scale != nil, users != nil { throw CLIError("--scale and --users both set the size: pass only one") }
        if scale != nil || users != nil { _ = try options() }
        if let asOf { _ = try GenerateCommand.parseDate(asOf) }
        if let workers, workers < 1 { throw CLIError("--workers \(workers) is not allowed: use 1 or more") }
        try history.check()
        if let clickstreamRows, clickstreamRows < 1 {
            throw CLIError("--clickstream-rows \(clickstreamRows) is not allowed: generate at least 1 row")
        }
        switch format {
        case .warehouse:
            if out != nil { throw CLIError("--out is for --format csv or parquet; the warehouse format writes into --db") }
        case .csv, .parquet:
            if out == nil { throw CLIError("--format \(format.rawValue) needs a landing folder", hint: "pass --out DIR") }
        }
        if let days {
            if days < 1 { throw CLIError("--days \(days) is not allowed: append 1 day or more") }
            if format != .warehouse {
                throw CLIError("--days appends to a warehouse load; \(format.rawValue) files are always written whole",
                               hint: "drop --days, or use --format warehouse")
            }
            if seed != nil || asOf != nil || scale != nil || users != nil || history.isSet {
                throw CLIError("--days continues the existing load with its own seed, size, as-of date, profile and growth",
                               hint: "drop --seed, --as-of, --scale, --users, --profile and --growth when appending")
            }
            if wantsClickstream {
                throw CLIError("--clickstream regenerates the whole clickstream and cannot be combined with --days",
                               hint: "run `storehouse generate --clickstream` without --days")
            }
        }
    }

    var wantsClickstream: Bool { clickstream || clickstreamRows != nil }

    static func parseDate(_ text: String) throws -> CivilDate {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...CivilDate.daysIn(month: month, year: year)).contains(day)
        else {
            throw CLIError("--as-of \(text) is not a date", hint: "write it as YYYY-MM-DD, for example 2024-06-30")
        }
        let date = CivilDate(year: year, month: month, day: day)
        if date < GeneratorOptions.dataStart {
            throw CLIError("--as-of \(text) is before 2019-01-01, where TheLook's history starts", hint: "pick 2019-01-01 or later")
        }
        return date
    }

    var resolvedAsOf: CivilDate { (try? asOf.map(GenerateCommand.parseDate)) ?? GeneratorOptions.today() }
    var resolvedWorkers: Int { workers ?? ProcessInfo.processInfo.activeProcessorCount }

    func options() throws -> GeneratorOptions {
        do {
            if let users {
                return try GeneratorOptions(seed: seed ?? 42, asOf: resolvedAsOf, users: users, workers: resolvedWorkers,
                                            profile: history.profile, growthPerYear: history.growthPerYear)
            }
            return try GeneratorOptions(seed: seed ?? 42, asOf: resolvedAsOf, scale: scale ?? 1.0, workers: resolvedWorkers,
                                        profile: history.profile, growthPerYear: history.growthPerYear)
        } catch let error as SyntheticDataError {
            throw CLIError("\(error)")
        }
    }

    /// The clickstream rows: explicit, else 1,000,000 per unit of scale (users / 100,000).
    func clickstreamOptions(_ options: GeneratorOptions) throws -> ClickstreamOptions {
        let scale = Double(options.users) / Double(GeneratorOptions.usersAtScaleOne)
        return try ClickstreamOptions(seed: options.seed, rows: clickstreamRows ?? ClickstreamOptions.rows(scale: scale),
                                      asOf: options.asOf, workers: options.workers)
    }

    // MARK: - Running

    func run() async throws {
        do {
            try await generate()
        } catch let error as CLIError {
            throw GenerateCommand.exit(error)
        } catch let error as SyntheticDataError {
            throw GenerateCommand.exit(CLIError("\(error)"))
        } catch let error as WarehouseError {
            // A warehouse that cannot be reached or opened is the command's input, as for `query`.
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(error.kind == .connection ? 2 : 1)
        }
    }

    private func generate() async throws {
        let clock = ContinuousClock.now
        var report: GenerationReport
        var clickRows: Int?
        switch format {
        case .warehouse:
            let location = try warehouse.location
            if case .duckdb(let path, _) = location, let server = Self.servingServer(of: path) {
                try await handOff(to: server, path: path)
                return
            }
            if days != nil, case .duckdb(let path, _) = location, path != ":memory:", !FileManager.default.fileExists(atPath: path) {
                throw CLIError("nothing to append to: there is no warehouse at \(path)",
                               hint: "run `storehouse generate` first, or pass --db PATH")
            }
            // An existing DuckDB file is rewritten on a copy put in place at the end, so a kill
            // at any instant leaves the old file or the new one (see DuckDBStagedRewrite).
            if case .duckdb(let path, let settings) = location, path != ":memory:", FileManager.default.fileExists(atPath: path) {
                (report, clickRows) = try await DuckDBStagedRewrite.run(path: path) { staging in
                    let store = try DuckDBWarehouse(path: staging, threads: 1, settings: settings)
                    do {
                        let outcome = try await generate(into: store, path: path)
                        await store.close()
                        return outcome
                    } catch {
                        await store.close()
                        throw error
                    }
                }
                break
            }
            // One DuckDB thread: bulk appends gain nothing from more, and on a small machine idle
            // DuckDB workers spinning for tasks take CPU from the generator (a scale-1.0 load
            // measured 4–9 s with the default threads, 3.6–4 s with one).
            let store = try await warehouse.open(duckdbThreads: 1)
            // Closed (and so checkpointed) before the command returns, on every path: the data
            // must be in the .duckdb file itself, not only in its WAL, when the process exits.
            do {
                (report, clickRows) = try await generate(into: store, path: location.description)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        case .csv, .parquet:
            let options = try options()
            let folder = URL(fileURLWithPath: out!)
            let generator = StoreGenerator(options: options)
            if format == .csv {
                report = try await generator.writeFiles(to: folder, format: .csv)
            } else {
                let scratch = try DuckDBWarehouse(path: ":memory:")
                report = try await generator.writeFiles(to: folder, format: .parquet, scratch: scratch)
                await scratch.close()
            }
            if wantsClickstream {
                let started = ContinuousClock.now
                let file = folder.appendingPathComponent("clickstream.csv")
                clickRows = try await ClickstreamGenerator(options: try clickstreamOptions(options)).writeCSV(to: file)
                printTable(file.lastPathComponent, rows: clickRows!, seconds: ContinuousClock.now - started)
            }
        }
        let elapsed = ContinuousClock.now - clock
        // Per-table lines go first in StoreTable order (the clickstream line, if any, was printed as it finished).
        for table in StoreTable.allCases {
            let seconds = report.writeSeconds[table] ?? 0
            printTable(table.rawValue, rows: report.rowCounts[table] ?? 0, seconds: .milliseconds(Int(seconds * 1000)))
        }
        let total = report.totalRows + (clickRows ?? 0)
        let seconds = GenerateCommand.seconds(elapsed)
        let destination = format == .warehouse ? "\((try? warehouse.location.description) ?? warehouse.resolvedPath) (schema raw)" : out!
        let what = days.map { "appended \($0) day\($0 == 1 ? "" : "s") (run \(report.run.runNumber), as of \(report.run.asOf))" }
            ?? "generated as of \(report.run.asOf), seed \(report.run.seed), \(StoreHistoryOptions.describe(report.run.profile, growth: report.run.growthPerYear))"
        print("\(what): \(total) rows into \(destination) in \(String(format: "%.2f", seconds)) s (\(Int(Double(total) / max(seconds, 1e-9))) rows/s)")
    }

    /// The `storehouse serve` that owns the DuckDB file at `path` (its run store and lock sit
    /// beside it, or where $STOREHOUSE_RUNS_DB says), if one runs.
    static func servingServer(of path: String) -> ServeLock? {
        guard path != ":memory:" else { return nil }
        let environment = ProcessInfo.processInfo.environment["STOREHOUSE_RUNS_DB"] ?? ""
        let runStore = environment.isEmpty ? RunStoreOptions.besideWarehouse(path) : environment
        return ServeLock.running(at: ServeLock.path(forRunStore: runStore))
    }

    /// While serve owns the warehouse, `--days N` runs there as a job step; regenerating would
    /// replace raw.* under the server's dashboards and runs, so it is refused with what to do.
    private func handOff(to server: ServeLock, path: String) async throws {
        guard let days else {
            throw CLIError("storehouse serve (pid \(server.pid), \(server.url)) owns the warehouse at \(path): regenerating would replace raw.* under its dashboards and runs",
                           hint: "stop the server first, or append days with --days N, which runs in the server")
        }
        try await ServerHandOff.runStep(.generate, options: ["days": days], vars: nil, on: server, what: "`storehouse generate --days \(days)`")
    }

    /// Appends days or generates the store (and the clickstream) into an open warehouse.
    private func generate(into store: any Warehouse, path: String) async throws -> (GenerationReport, Int?) {
        if let days {
            let generator = StoreGenerator(options: try GeneratorOptions(users: 1, workers: resolvedWorkers))
            do {
                return (try await generator.append(days: days, into: store), nil)
            } catch SyntheticDataError.noPreviousLoad(let relation) {
                throw CLIError("nothing to append to: \(relation) is missing or empty in \(path)",
                               hint: "run `storehouse generate` (without --days) first")
            }
        }
        let options = try options()
        let report = try await StoreGenerator(options: options).generate(into: store)
        guard wantsClickstream else { return (report, nil) }
        let started = ContinuousClock.now
        let clickRows = try await ClickstreamGenerator(options: try clickstreamOptions(options))
            .generate(into: store, schema: options.schema)
        printTable("\(options.schema).\(ClickstreamGenerator.tableName)", rows: clickRows, seconds: ContinuousClock.now - started)
        return (report, clickRows)
    }

    private func printTable(_ name: String, rows: Int, seconds: Duration) {
        // Padded, never cut: a longer name pushes its figures right instead of losing its end.
        let line = (name.count < 28 ? name.padding(toLength: 28, withPad: " ", startingAt: 0) : name + " ")
            + String(format: "%12d rows  %7.2f s writing\n", rows, GenerateCommand.seconds(seconds))
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// Prints a user error as one message (with its hint) and gives exit code 2.
    static func exit(_ error: CLIError) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        return ExitCode(2)
    }
}
