import Foundation
import LearningRuntime
import Orchestrator
import TransformProject

extension ProjectStepExecutor {
    /// An `ml_train` or `ml_score` step: `storehouse ml train` / `ml score` through the warehouse
    /// the job's steps share, so a daily job can build, train and score in one run (and the CLI
    /// commands work while serve owns the warehouse).
    func models(train: Bool, names: [String], of loaded: LoadedProject, context: StepContext) async throws -> StepResult {
        let file: MLProjectFile
        do {
            guard let found = try MLProjectFile.load(projectRoot: loaded.manifest.projectRoot) else {
                throw StepFailure("the project has no \(MLProjectFile.fileName), so there is no model to \(train ? "train" : "score"); "
                    + "declare models there or remove the step from job '\(context.job.name)'")
            }
            file = found
        } catch let failure as StepFailure { throw failure } catch { throw StepFailure("\(error)") }
        let store = try await warehouse.warehouse(for: loaded)
        let tasks = ModelTasks(project: file, manifest: loaded.manifest, warehouse: store)
        let selected: [DeclaredModel]
        do { selected = try tasks.selected(names) } catch { throw StepFailure("\(error)") }
        var lines: [String] = [], failures: [String] = []
        if train {
            for outcome in await tasks.train(selected, now: Date()) {
                switch outcome.result {
                case .success(let trained):
                    for line in MLReport.trained(trained).split(separator: "\n") { context.log(String(line)) }
                    lines.append("\(outcome.model) v\(trained.model.version) \(trained.decision.promoted ? "promoted" : "not promoted")")
                case .failure(let error): failures.append("\(error)")
                }
            }
        } else {
            for outcome in await tasks.score(selected, now: Date()) {
                switch outcome.result {
                case .success(let scored):
                    context.log(MLReport.scored(scored))
                    lines.append("\(outcome.model) v\(scored.version): \(scored.rows) rows")
                case .failure(let error): failures.append("\(error)")
                }
            }
        }
        if !failures.isEmpty { throw StepFailure(failures.joined(separator: "\n")) }
        return StepResult(summary: (train ? "trained " : "scored ") + lines.joined(separator: ", "))
    }
}
