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
        var lines: [String] = []
        do {
            for declared in try tasks.selected(names) {
                if train {
                    let trained = try await tasks.train(declared, now: Date())
                    let text = MLReport.trained(trained)
                    for line in text.split(separator: "\n") { context.log(String(line)) }
                    lines.append("\(declared.name) v\(trained.model.version) \(trained.decision.promoted ? "promoted" : "not promoted")")
                } else {
                    let scored = try await tasks.score(declared, now: Date())
                    let text = MLReport.scored(scored)
                    context.log(text)
                    lines.append("\(declared.name) v\(scored.version): \(scored.rows) rows")
                }
            }
        } catch { throw StepFailure("\(error)") }
        return StepResult(summary: (train ? "trained " : "scored ") + lines.joined(separator: ", "))
    }
}
