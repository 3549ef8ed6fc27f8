import Foundation
import Orchestrator
import SyntheticData
import TransformProject
import TransformRuntime
import WarehouseKit

/// Carries out a job's steps the way the matching CLI commands do, on one project: `generate`
/// appends days to the store, `seed`/`build`/`run`/`test`/`snapshot` run the engine with the
/// step's selection and the run's vars, on the warehouse the command's steps share.
struct ProjectStepExecutor: StepExecutor {
    /// The project as the command line named it (folder, profiles, target); vars come per step.
    let load: LoadOptions
    let warehouse: SharedWarehouse
    /// In `serve`, projects loaded once per set of vars; nil loads the project for every step.
    var projects: ProjectCache? = nil

    func execute(_ step: JobStep, context: StepContext) async throws -> StepResult {
        switch step.action {
        case .generate(let days, let seed):
            if seed != nil {
                throw StepFailure("a generate step appends days to the existing load and keeps its seed; drop `seed:` from step '\(step.name)'")
            }
            return try await generate(days: days, context: context)
        case .seed(let selection): return try await engine(.seed, selection, context: context)
        case .build(let selection): return try await engine(.build, selection, context: context)
        case .run(let selection): return try await engine(.run, selection, context: context)
        case .test(let selection): return try await engine(.test, selection, context: context)
        case .snapshot(let selection): return try await engine(.snapshot, selection, context: context)
        case .freshness(let select):
            return try await freshness(select: select, of: try await project(vars: context.vars), context: context)
        case .docs:
            return try await docs(of: try await project(vars: context.vars), context: context)
        case .mlTrain(let names):
            return try await models(train: true, names: names, of: try await project(vars: context.vars), context: context)
        case .mlScore(let names):
            return try await models(train: false, names: names, of: try await project(vars: context.vars), context: context)
        case .ingest(let connector):
            return try await ingest(connector: connector, of: try await project(vars: context.vars), context: context)
        case .export(let destination, let format, let select, let partitionBy):
            return try await export(to: destination, format: format, select: select, partitionBy: partitionBy, of: try await project(vars: context.vars), context: context)
        }
    }

    private func project(vars: [String: JobValue]) async throws -> LoadedProject {
        let text = vars.isEmpty ? nil : JobValue.dict(vars).json
        do {
            if let projects { return try await projects.project(vars: text) }
            var options = load
            options.vars = text
            return try ProjectLoader.load(options)
        } catch { throw StepFailure("\(error)") }
    }

    private func generate(days: Int, context: StepContext) async throws -> StepResult {
        let loaded = try await project(vars: context.vars)
        let store = try await warehouse.warehouse(for: loaded)
        do {
            let generator = StoreGenerator(options: try GeneratorOptions(users: 1))
            let report = try await generator.append(days: days, into: store)
            let summary = "appended \(days) day\(days == 1 ? "" : "s") (run \(report.run.runNumber), as of \(report.run.asOf)): \(report.totalRows) rows"
            return StepResult(summary: summary)
        } catch SyntheticDataError.noPreviousLoad(let relation) {
            throw StepFailure("nothing to append to: \(relation) is missing or empty; run `storehouse generate` once before a job appends days")
        }
    }

    private func engine(_ command: RunCommand, _ selection: NodeSelection, context: StepContext) async throws -> StepResult {
        let loaded = try await project(vars: context.vars)
        let threads = loaded.manifest.target.threads
        let warehouse = try await self.warehouse.warehouse(for: loaded)
        let options = RunOptions(command: command, select: selection.select.map { [$0] } ?? [], exclude: selection.exclude.map { [$0] } ?? [],
                                 threads: threads, fullRefresh: selection.fullRefresh)
        let runner = TransformRunner(project: loaded, warehouse: warehouse, options: options, reporter: StepLogReporter(log: context.log))
        let summary: RunSummary
        do { summary = try await runner.run() } catch { throw StepFailure("\(error)") }
        let nodes = summary.results.map {
            NodeResultRecord(uniqueID: $0.uniqueId, status: $0.status.rawValue, seconds: $0.seconds, rows: $0.rowsAffected,
                             message: $0.status.isProblem || $0.status == .warn ? $0.message : nil, failures: $0.failures,
                             failingRows: $0.failingRows.flatMap { try? JSONSerialization.data(withJSONObject: $0.jsonObject) }.map { String(decoding: $0, as: UTF8.self) })
        }
        let text = TerminalRunReporter.summary(summary, projectRoot: loaded.manifest.projectRoot).trimmingCharacters(in: .whitespacesAndNewlines)
        guard summary.succeeded else {
            // The first line names what failed: it is what `storehouse runs` shows of the error.
            let problems = summary.results.filter(\.status.isProblem).map(\.name)
            let names = problems.prefix(3).joined(separator: ", ") + (problems.count > 3 ? " and \(problems.count - 3) more" : "")
            throw StepFailure("\(problems.count) node\(problems.count == 1 ? "" : "s") failed: \(names)\n\(text)", nodeResults: nodes)
        }
        return StepResult(summary: text, nodeResults: nodes)
    }
}

/// The engine's progress lines into a step's log.
struct StepLogReporter: RunReporter {
    let log: @Sendable (String) -> Void

    func runStarted(total: Int, threads: Int) {
        log(TerminalRunReporter.startLine(total: total, threads: threads))
    }

    func nodeFinished(_ result: NodeResult, index: Int, total: Int) {
        log(TerminalRunReporter.line(result, index: index, total: total))
    }

    func selectionMissed(_ misses: [SelectionMiss]) {
        for miss in misses { log("warning: \(miss)") }
    }
}
