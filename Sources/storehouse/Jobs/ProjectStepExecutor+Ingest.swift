import Foundation
import Ingest
import Orchestrator
import TransformProject
import WarehouseKit

extension ProjectStepExecutor {
    /// An `ingest` step: one connector of connectors.yml, as `storehouse ingest NAME` runs it. A
    /// load that leaves files unloaded fails the step, so the job's retries and alerts apply.
    func ingest(connector name: String, of loaded: LoadedProject, context: StepContext) async throws -> StepResult {
        let connector: Connector
        do {
            guard let file = try ConnectorsFile.load(projectRoot: loaded.manifest.projectRoot) else {
                throw StepFailure("the project has no \(ConnectorsFile.fileName), so there is no connector \(name); "
                    + "declare it there or remove the step from job '\(context.job.name)'")
            }
            guard let found = try file.selected([name]).first else { throw StepFailure("no connector \(name)") }
            connector = found
        } catch let failure as StepFailure { throw failure } catch { throw StepFailure("\(error)") }
        let store = try await warehouse.warehouse(for: loaded)
        let report: LoadReport
        do {
            report = try await IngestRunner.load(connector, into: store, root: loaded.manifest.projectRoot) { context.log($0) }
        } catch { throw StepFailure("\(error)") }
        let summary = IngestReport.summary(report)
        for line in summary.split(separator: "\n") { context.log(String(line)) }
        guard report.status == .succeeded else { throw StepFailure(summary) }
        return StepResult(summary: "\(report.connector): \(report.rowsLoaded) rows from \(report.count(.loaded) + report.count(.reloaded)) \(IngestReport.noun(report))s"
            + (report.rowsQuarantined > 0 ? ", \(report.rowsQuarantined) quarantined" : ""))
    }

    /// An `export` step: `storehouse export --select … --to …` on the warehouse the job shares.
    func export(to destination: String, format: ExportFormat, select: String?, partitionBy: String?, of loaded: LoadedProject, context: StepContext) async throws -> StepResult {
        guard format == .parquet else {
            throw StepFailure("export format \(format.rawValue) is not built yet; use format: parquet in step of job '\(context.job.name)'")
        }
        let relations: [RelationName]
        do {
            let criteria = select.map { $0.split(separator: " ").map(String.init) } ?? []
            let ids = try Selector(manifest: loaded.manifest).select(criteria, resourceTypes: ExportCommand.exportable)
            relations = ExportCommand.relations(selected: ids, in: loaded.manifest)
        } catch { throw StepFailure("\(error)") }
        guard !relations.isEmpty else { throw StepFailure("the export step's selection names no model, seed, snapshot or source") }
        let folder = (destination as NSString).isAbsolutePath ? destination
            : (loaded.manifest.projectRoot as NSString).appendingPathComponent(destination)
        let store = try await warehouse.warehouse(for: loaded)
        let tables: [ExportedTable]
        do {
            tables = try await ParquetExport(warehouse: store, folder: folder).export(relations, partitionBy: partitionBy)
        } catch { throw StepFailure("\(error)") }
        for table in tables { context.log(IngestReport.exported(table, folder: folder)) }
        return StepResult(summary: "exported \(tables.count) tables (\(tables.reduce(0) { $0 + $1.rows }) rows) to \(folder)")
    }
}
