import Orchestrator
import TransformProject
import TransformRuntime

extension ProjectStepExecutor {
    /// A `docs` step: `storehouse docs generate` through the warehouse the job's steps share,
    /// so a job can end by refreshing the catalog (and `docs generate` works while serve runs).
    func docs(of loaded: LoadedProject, context: StepContext) async throws -> StepResult {
        let store = try await warehouse.warehouse(for: loaded)
        let outcome: DocsGeneration.Outcome
        do { outcome = try await DocsGeneration.run(loaded, warehouse: store) } catch { throw StepFailure("\(error)") }
        let text = outcome.summary(targetPath: loaded.manifest.targetPath)
        return StepResult(summary: text)
    }
}
