import Foundation
import Orchestrator
import TransformProject
import TransformRuntime

extension ProjectStepExecutor {
    /// A `freshness` step: `storehouse source freshness` on the step's sources. A stale source
    /// fails the step, naming the source and its age, so the run fails and the scheduler alerts;
    /// a warning alone passes, as in dbt.
    func freshness(select: String?, of loaded: LoadedProject, context: StepContext) async throws -> StepResult {
        let store = try await warehouse.warehouse(for: loaded)
        let options = SourceFreshnessOptions(select: select.map { [$0] } ?? [], threads: loaded.manifest.target.threads)
        let runner = SourceFreshnessRunner(project: loaded, warehouse: store, options: options,
                                           reporter: StepLogFreshnessReporter(log: context.log))
        let summary: SourceFreshnessSummary
        do { summary = try await runner.run() } catch { throw StepFailure("\(error)") }
        let nodes = summary.results.map { result in
            NodeResultRecord(uniqueID: result.uniqueId, status: result.status.rawValue, seconds: result.seconds,
                             message: result.status == .pass ? nil : FreshnessText.detail(result))
        }
        let text = FreshnessReport.summary(summary, projectRoot: loaded.manifest.projectRoot).trimmingCharacters(in: .whitespacesAndNewlines)
        guard summary.succeeded else {
            throw StepFailure("\(FreshnessReport.failureHeadline(summary))\n\(text)", nodeResults: nodes)
        }
        return StepResult(summary: text, nodeResults: nodes)
    }
}
