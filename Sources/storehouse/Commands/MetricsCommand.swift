import ArgumentParser
import Foundation
import SemanticLayer
import TransformProject
import WarehouseKit

/// `storehouse metrics …`: the project's semantic layer from the terminal, in the shape of
/// MetricFlow's `mf` (list, dimensions, query, validate).
struct MetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "List, check and query the metrics the project defines in its semantic layer.",
        subcommands: [MetricsListCommand.self, MetricsDimensionsCommand.self, MetricsQueryCommand.self, MetricsValidateCommand.self])
}

/// Loads a project and its semantic layer; every failure is one message and exit code 2.
struct SemanticProjectOptions: ParsableArguments {
    @OptionGroup var project: ProjectOptions

    func load() throws -> (LoadedProject, SemanticManifest) {
        let loaded = try project.load()
        do {
            return (loaded, try SemanticManifest.load(from: loaded))
        } catch let error as SemanticError {
            throw CLIError(error.description)
        }
    }
}

struct MetricsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the metrics with their type and the dimensions they can be grouped by.")

    @OptionGroup var options: SemanticProjectOptions

    @Flag(help: "Print each metric's description too.")
    var verbose = false

    func run() async throws {
        let (_, semantics) = try reportingFailures { try options.load() }
        let catalogue = MetricCatalogue(semantics)
        for metric in semantics.metrics.sorted(by: { $0.name < $1.name }) {
            print("• \(metric.name) [\(metric.typeName)]" + (metric.label.map { ": \($0)" } ?? ""))
            if verbose, !metric.description.isEmpty { print("    \(metric.description)") }
            let dimensions = (try? catalogue.dimensions(of: [metric.name])) ?? []
            let shown = dimensions.prefix(6).map(\.name).joined(separator: ", ")
            print("    dimensions: \(shown)\(dimensions.count > 6 ? ", … (\(dimensions.count) in all)" : "")")
        }
        if !semantics.savedQueries.isEmpty {
            print("\nsaved queries: " + semantics.savedQueries.map(\.name).sorted().joined(separator: ", "))
        }
    }
}

struct MetricsDimensionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dimensions", abstract: "List the dimensions every named metric can be grouped by.")

    @OptionGroup var options: SemanticProjectOptions

    @Option(help: "Comma-separated metric names.")
    var metrics: String

    func run() async throws {
        let (_, semantics) = try reportingFailures { try options.load() }
        let names = metrics.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let dimensions = try reportingFailures { try MetricCatalogue(semantics).dimensions(of: names) }
        for dimension in dimensions {
            print(dimension.name + (dimension.isTime ? "  (time: \(dimension.grains.map(\.rawValue).joined(separator: ", ")))" : ""))
        }
    }
}

struct MetricsValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "validate", abstract: "Check every semantic model, metric and saved query, and that each metric runs.")

    @OptionGroup var options: SemanticProjectOptions

    @Flag(help: "Also run every metric once against the warehouse (catches expressions naming missing columns).")
    var againstWarehouse = false

    @OptionGroup var warehouse: WarehouseOptions

    func run() async throws {
        let (loaded, semantics) = try reportingFailures { try options.load() }
        print("\(semantics.semanticModels.count) semantic models, \(semantics.metrics.count) metrics, \(semantics.savedQueries.count) saved queries: definitions OK")
        guard againstWarehouse else { return }
        let store = try await MetricsQueryCommand.openWarehouse(warehouse, project: loaded)
        var failures = 0
        for metric in semantics.metrics {
            do {
                let groups = semantics.canGroupByMetricTime(metric) ? ["metric_time__day"] : []
                let plan = try MetricQueryPlanner(semantics, dialect: store.dialect).plan(MetricQuery(metrics: [metric.name], groupBy: groups, limit: 1))
                _ = try await store.read { try await $0.query(SQL(unsafeRaw: plan.sql)) }
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("\(metric.location): error: metric '\(metric.name)' fails in the warehouse: \(error)\n".utf8))
            }
        }
        await store.close()
        if failures > 0 { throw ExitCode(1) }
        print("every metric ran against the warehouse")
    }
}

struct MetricsQueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Query metrics grouped by dimensions (the same flags as MetricFlow's mf query).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }

    @OptionGroup var options: SemanticProjectOptions
    @OptionGroup var warehouse: WarehouseOptions

    @Option(help: "Comma-separated metric names.")
    var metrics: String?

    @Option(name: .customLong("group-by"), help: "Comma-separated dimensions: metric_time__month, customer__segment, …")
    var groupBy: String?

    @Option(name: .customLong("where"), help: "A filter, e.g. \"{{ Dimension('customer__segment') }} = 'VIP'\" (repeatable).")
    var filters: [String] = []

    @Option(name: [.customLong("order-by"), .customLong("order")], parsing: .unconditional, help: "Comma-separated metric or group-by names; prefix - for descending.")
    var orderBy: String?

    @Option(help: "At most this many rows.")
    var limit: Int?

    @Option(name: .customLong("start-time"), help: "First day (or time) of metric_time to include, e.g. 2024-01-01.")
    var startTime: String?

    @Option(name: .customLong("end-time"), help: "Last day (or time) of metric_time to include.")
    var endTime: String?

    @Option(name: .customLong("saved-query"), help: "Run a saved query of the project by name (other flags add to it).")
    var savedQuery: String?

    @Option(name: .shortAndLong, help: "Output format.")
    var format: Format = .table

    @Flag(help: "Print the SQL instead of running it.")
    var explain = false

    func validate() throws {
        if metrics == nil, savedQuery == nil { throw ValidationError("name the metrics with --metrics a,b (or run a --saved-query)") }
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
    }

    static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func run() async throws {
        let (loaded, semantics) = try reportingFailures { try options.load() }
        var query = MetricQuery(metrics: Self.list(metrics), groupBy: Self.list(groupBy), filters: filters, orderBy: Self.list(orderBy),
                                limit: limit, startTime: startTime, endTime: endTime)
        if let savedQuery {
            guard let saved = semantics.savedQuery(named: savedQuery) else {
                throw ProjectCommandFailure.report(CLIError("unknown saved query '\(savedQuery)'",
                    hint: "the project's saved queries: " + semantics.savedQueries.map(\.name).joined(separator: ", ")))
            }
            query.metrics = saved.metrics + query.metrics
            query.groupBy = saved.groupBy + query.groupBy
            query.filters = saved.filters + query.filters
        }
        let location = try warehouse.databasePath.map { try WarehouseLocation(parsing: $0) } ?? (try? WarehouseLocation(target: loaded.manifest.target))
        let dialect: SQLDialect = {
            switch location {
            case .postgres?: return .postgres
            case .spark?: return .spark
            default: return .duckdb
            }
        }()
        let plan = try reportingFailures { try MetricQueryPlanner(semantics, dialect: dialect).plan(query) }
        if explain {
            print(plan.sql)
            return
        }
        let store = try await Self.openWarehouse(warehouse, project: loaded)
        let result: ResultSet
        do {
            result = try await store.read { try await $0.query(SQL(unsafeRaw: plan.sql)) }
            await store.close()
        } catch {
            await store.close()
            FileHandle.standardError.write(Data("error: the metrics query failed in the warehouse: \(error)\n  hint: `storehouse metrics query … --explain` prints the SQL; check that the project is built (`storehouse build`)\n".utf8))
            throw ExitCode(1)
        }
        switch format {
        case .table: print(TableRenderer.render(result), terminator: "")
        case .csv: print(result.csvText, terminator: "")
        case .json: print(JSONRenderer.render(result))
        }
    }

    /// The warehouse `--db` names, else the project's profile target, opened as `query` opens it:
    /// read-only and sandboxed (metrics and pages only read), and never created where there is none.
    static func openWarehouse(_ options: WarehouseOptions, project: LoadedProject) async throws -> any Warehouse {
        do {
            let location = try options.databasePath.map { try WarehouseLocation(parsing: $0) } ?? WarehouseLocation(target: project.manifest.target)
            return try await location.open(forUntrustedReads: true)
        } catch {
            throw ProjectCommandFailure.report(error)
        }
    }
}

/// Runs `body`, turning a definition or query error into one message on stderr and exit code 2.
func reportingFailures<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as SemanticError {
        throw ProjectCommandFailure.report(CLIError(error.description))
    } catch let error as ExitCode {
        throw error
    } catch {
        throw ProjectCommandFailure.report(error)
    }
}
