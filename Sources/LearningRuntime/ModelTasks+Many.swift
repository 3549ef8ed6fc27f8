import Foundation

/// Several models at once. Models do not depend on each other, so they run side by side (as
/// many as the machine has cores): while one is in its Newton passes, which use every core,
/// another reads and encodes its rows. Each model still either completes or leaves what was
/// there; one model's failure does not stop the others.
extension ModelTasks {
    /// What happened to one model of a batch, in the order the models were given.
    public struct Outcome<Value: Sendable>: Sendable {
        public var model: String
        public var result: Result<Value, any Error>
    }

    /// A model trained, then scored with its accepted version (the new one, unless it was not promoted).
    public struct Built: Sendable {
        public var trained: Trained
        public var scored: Scored
    }

    /// Trains `models` side by side; `ml_results.json` notes every version made.
    public func train(_ models: [DeclaredModel], now: Date) async -> [Outcome<Trained>] {
        let outcomes = await each(models) { try await train($0, now: now, noting: false) }
        note(trained: outcomes.compactMap { try? $0.result.get() }, scored: [], at: now)
        return outcomes
    }

    /// Scores `models` side by side; `ml_results.json` notes every table written.
    public func score(_ models: [DeclaredModel], now: Date) async -> [Outcome<Scored>] {
        let outcomes = await each(models) { try await score($0, now: now, noting: false) }
        note(trained: [], scored: outcomes.compactMap { try? $0.result.get() }, at: now)
        return outcomes
    }

    /// `ml build`: each model trained and then scored, the models side by side. A model whose
    /// training fails is not scored (its old scores stay).
    public func build(_ models: [DeclaredModel], now: Date) async -> [Outcome<Built>] {
        let outcomes = await each(models) { declared in
            // The rows to score are read while the model trains (they do not depend on it).
            async let rows = rowsToScore(declared)
            let trained = try await train(declared, now: now, noting: false)
            return Built(trained: trained, scored: try await score(declared, rows: try await rows, now: now, noting: false))
        }
        let built = outcomes.compactMap { try? $0.result.get() }
        note(trained: built.map(\.trained), scored: built.map(\.scored), at: now)
        return outcomes
    }

    /// Runs `work` for every model, at most one per core at a time; outcomes in `models`' order.
    private func each<Value: Sendable>(
        _ models: [DeclaredModel], _ work: @escaping @Sendable (DeclaredModel) async throws -> Value
    ) async -> [Outcome<Value>] {
        let width = max(1, min(models.count, ProcessInfo.processInfo.activeProcessorCount))
        var results = [Result<Value, any Error>?](repeating: nil, count: models.count)
        await withTaskGroup(of: (Int, Result<Value, any Error>).self) { group in
            var next = 0
            func start() {
                let index = next, declared = models[index]
                next += 1
                group.addTask {
                    do { return (index, .success(try await work(declared))) } catch { return (index, .failure(error)) }
                }
            }
            while next < width { start() }
            for await (index, result) in group {
                results[index] = result
                if next < models.count { start() }
            }
        }
        return zip(models, results).map { Outcome(model: $0.name, result: $1!) }
    }

    /// One write of `ml_results.json` for a whole batch (its models ran side by side).
    private func note(trained: [Trained], scored: [Scored], at now: Date) {
        guard let targetDirectory else { return }
        if !trained.isEmpty { try? ScoringRecord.write(trained, targetDirectory: targetDirectory, at: now) }
        if !scored.isEmpty { try? ScoringRecord.write(scored, targetDirectory: targetDirectory, at: now) }
    }
}
