import ArgumentParser
import ColumnLineage
import Foundation
import TransformProject
import TransformRuntime
import WarehouseDuckDB
import WarehouseKit

/// `storehouse lineage marts.dim_customers.lifetime_value`: where a column comes from, down to
/// sources and seeds, or (`--downstream`) every column built from it.
struct LineageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lineage",
        abstract: "Column-level lineage: where a column comes from (down to sources and seeds), or what is built from it.",
        discussion: """
            Each model's compiled SQL is traced with DuckDB's own parser; `select *` expands through the warehouse's \
            columns, so build the project first. Without COLUMN, prints how many columns of each model were traced.
            """)

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "The column: schema.relation.column, or relation.column when the relation's name is unique.")
    var column: String?

    @Flag(help: "Show the columns built from COLUMN instead of the ones it comes from.")
    var downstream = false

    @Option(name: [.short, .long], help: "Output format (text, json).")
    var format: OutputFormat = .text

    @Flag(help: "Print the project's lineage as OpenLineage job events (one JSON per line, the columnLineage facet on each model's output).")
    var openlineage = false

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        let loaded: LoadedProject
        do { loaded = try project.load() } catch { throw ProjectCommandFailure.report(error) }
        do {
            let lineage = try await Self.compute(loaded)
            if openlineage {
                for event in Self.openLineage(lineage, of: loaded).events(lineage) {
                    let data = try JSONSerialization.data(withJSONObject: event, options: [.sortedKeys, .withoutEscapingSlashes])
                    print(String(decoding: data, as: UTF8.self))
                }
                return
            }
            guard let column else {
                print(Self.summary(lineage))
                return
            }
            guard let source = lineage.column(named: column) else {
                let wanted = column.lowercased()
                let names = lineage.columnNames
                let sameColumn = names.filter { $0.hasSuffix("." + (wanted.split(separator: ".").last.map(String.init) ?? wanted)) }
                let near = NearMatches.find(wanted, among: Set(names)) + (sameColumn.count <= 3 ? sameColumn : [])
                throw CLIError("no column '\(column)' among the project's models, seeds, snapshots and sources",
                               hint: near.isEmpty ? "write it as schema.relation.column, e.g. marts.dim_customers.customer_id" : "did you mean \(Array(Set(near)).sorted().prefix(5).joined(separator: ", "))?")
            }
            let tree = downstream ? lineage.downstream(of: source) : lineage.upstream(of: source)
            switch format {
            case .text: print(Self.text(tree, downstream: downstream, lineage: lineage))
            case .json:
                let data = try JSONSerialization.data(withJSONObject: Self.json(tree, downstream: downstream), options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            }
        } catch {
            throw ProjectCommandFailure.report(error)
        }
    }

    /// Traces the project: DuckDB in memory parses (whatever the warehouse), the warehouse gives
    /// the columns of what is built.
    static func compute(_ loaded: LoadedProject) async throws -> ProjectLineage {
        let parser = try DuckDBWarehouse(path: ":memory:")
        do {
            let lineage = try await compute(loaded, parser: parser)
            await parser.close()
            return lineage
        } catch {
            await parser.close()
            throw error
        }
    }

    private static func compute(_ loaded: LoadedProject, parser: DuckDBWarehouse) async throws -> ProjectLineage {
        let aggregates = try await parser.aggregateFunctionNames()
        let parse: @Sendable (String) async throws -> Data = { try await parser.parseTree(of: $0) }
        let location = try WarehouseLocation(target: loaded.manifest.target)
        let warehouse: any Warehouse
        do { warehouse = try await location.open(forUntrustedReads: true) } catch {
            FileHandle.standardError.write(Data("warning: the warehouse could not be read (\(error)); lineage through `select *` needs its columns\n".utf8))
            return try await ProjectLineage.compute(project: loaded, warehouse: parser, aggregates: aggregates, parse: parse)
        }
        do {
            let lineage = try await ProjectLineage.compute(project: loaded, warehouse: warehouse, aggregates: aggregates, parse: parse)
            await warehouse.close()
            return lineage
        } catch {
            await warehouse.close()
            throw error
        }
    }

    /// OpenLineage's names for the project's warehouse: `duckdb:///abs/path.duckdb` or `postgres://host:port`.
    static func openLineage(_ lineage: ProjectLineage, of loaded: LoadedProject) -> OpenLineageEvents {
        let target = loaded.manifest.target
        var namespace = "\(target.type)://\(target.name)"
        if let location = try? WarehouseLocation(target: target) {
            switch location {
            case .duckdb(let path, _):
                namespace = "duckdb://" + URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL.path
            case .postgres(let configuration):
                namespace = "postgres://\(configuration.host):\(configuration.port)"
            case .spark(let configuration):
                // OpenLineage's naming for Spark: the Connect endpoint stands for the cluster.
                namespace = "spark://\(configuration.host):\(configuration.port)"
            }
        }
        return OpenLineageEvents(namespace: namespace, jobNamespace: loaded.manifest.projectName, database: target.database)
    }

    static func summary(_ lineage: ProjectLineage) -> String {
        var lines: [String] = []
        var traced = 0, untraced = 0
        for (relation, query) in lineage.relations.sorted(by: { $0.key < $1.key }) {
            let broken = query.columns.filter { $0.untraceable != nil }
            traced += query.columns.count - broken.count
            untraced += broken.count
            for column in broken { lines.append("  \(relation).\(column.name): \(column.untraceable ?? "")") }
        }
        for (relation, why) in lineage.failures.sorted(by: { $0.key < $1.key }) { lines.append("  \(relation): not traced: \(why)") }
        return (["\(lineage.relations.count) models traced: \(traced) columns traced, \(untraced) untraceable, \(lineage.failures.count) models not traced"] + lines)
            .joined(separator: "\n")
    }

    static func text(_ step: ProjectLineage.Step, downstream: Bool, lineage: ProjectLineage, indent: String = "", isLast: Bool = true, isRoot: Bool = true) -> String {
        var label = step.column.description
        if let derivation = step.derivation { label = downstream ? "\(label) (\(derivation))" : "\(derivation) of \(label)" }
        if step.next.isEmpty, step.untraceable == nil, !downstream, lineage.relations[step.column.relation] == nil {
            label += lineage.nodes[step.column.relation].map { "  [\($0.split(separator: ".").first ?? "")]" } ?? "  [not in the project]"
        }
        if let why = step.untraceable { label += "  (untraceable: \(why))" }
        var lines = [isRoot ? label : indent + (isLast ? "└── " : "├── ") + label]
        let childIndent = isRoot ? "" : indent + (isLast ? "    " : "│   ")
        for (index, next) in step.next.enumerated() {
            lines.append(text(next, downstream: downstream, lineage: lineage, indent: childIndent, isLast: index == step.next.count - 1, isRoot: false))
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ step: ProjectLineage.Step, downstream: Bool) -> [String: Any] {
        var object: [String: Any] = ["relation": step.column.relation, "column": step.column.column]
        if let derivation = step.derivation { object["derivation"] = derivation.description }
        if let why = step.untraceable { object["untraceable"] = why }
        object[downstream ? "downstream" : "upstream"] = step.next.map { json($0, downstream: downstream) }
        return object
    }
}
