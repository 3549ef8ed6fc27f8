import ArgumentParser
import Foundation
import Ingest
import TransformProject
import WarehouseKit

/// `storehouse export`: selected relations written as Parquet to a folder (a lake), for engines
/// beyond one machine — Spark, Trino, BigQuery external tables.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the selected models, seeds, snapshots and sources as Parquet, one folder per table, with a manifest.",
        discussion: """
            Sources are exported too when selected (--select source:raw for the loaded raw tables). \
            Tables land in DIR/<schema>/<table>/ (hive-style DIR/<schema>/<table>/<col>=<value>/ with --partition-by); \
            DIR/_manifest.json lists every file with its row count. Each table is written aside and moved into place \
            once its row count is checked, so a reader never sees part of one.
            """)

    @OptionGroup var selection: SelectionOptions

    @Option(help: "The folder to write to (created when missing).")
    var to: String

    @Option(help: "A column to partition every selected table by (hive-style folders).")
    var partitionBy: String?

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        let loaded = try project.load()
        let relations = Self.relations(selected: try selection.selected(in: loaded.manifest, resourceTypes: ExportCommand.exportable),
                                           in: loaded.manifest)
        guard !relations.isEmpty else {
            throw ProjectCommandFailure.report(CLIError("nothing to export: the selection names no model, seed, snapshot or source",
                                                        hint: "select by folder (marts, path:models/marts), name or tag; storehouse ls --select … shows what a selection names"))
        }
        if loaded.manifest.target.type == "duckdb", let server = ServerHandOff.runningServer(for: loaded) {
            throw ServerHandOff.refusal(by: server, "this command cannot open it",
                hint: "add an export step to a job (`- export: {to: \(to), select: …}`) and run it from the server, or stop serve")
        }
        let folder = (to as NSString).isAbsolutePath ? to : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(to)
        let warehouse: any Warehouse
        do {
            warehouse = try await WarehouseLocation(target: loaded.manifest.target).open()
        } catch { throw ProjectCommandFailure.report(error) }
        do {
            let tables = try await ParquetExport(warehouse: warehouse, folder: folder).export(relations, partitionBy: partitionBy)
            await warehouse.close()
            print("exported \(tables.count) table\(tables.count == 1 ? "" : "s") to \(folder) (manifest: \(ExportManifest.fileName))")
            for table in tables { print(IngestReport.exported(table, folder: folder)) }
        } catch {
            await warehouse.close()
            throw ProjectCommandFailure.report(error)
        }
    }

    /// What `export` writes: what is built, and the sources it is built from.
    static let exportable: Set<ResourceType> = [.model, .seed, .snapshot, .source]

    /// The warehouse relations of selected nodes: ephemeral models are never built, so they are left out.
    static func relations(selected ids: [String], in manifest: Manifest) -> [RelationName] {
        ids.compactMap { manifest.nodes[$0] ?? manifest.sources[$0] }
            .filter { !$0.isEphemeral }
            .compactMap { node in node.relation.map { RelationName(schema: $0.schema, name: $0.identifier) } }
            .sorted()
    }
}
