import Foundation
import Orchestrator
import TransformRuntime

/// Each node's newest result, from the two places results are kept: the run store (a job's
/// runs) and target/run_results.json (the last `storehouse build`, in or outside a job).
struct LatestResults {
    /// Latest result per unique id in the run store; empty without one.
    var statuses: [String: NodeStatusRecord]
    var lastBuild: BuildRecord?

    /// A node's newest result: from a job's run (with its id), or from the last CLI build.
    struct Latest {
        var status: String
        var endedAt: Date?
        var seconds: Double
        var rows: Int?
        var message: String?
        var runID: Int64?
        /// A test's failing rows and the first of them, where the build recorded them.
        var failures: Int?
        var failingRows: FailingRowsSample?
    }

    /// The newer of the run store's result and the last build's.
    func latest(_ id: String) -> Latest? {
        let stored = statuses[id].map(Self.latest)
        guard let result = lastBuild?.result(for: id) else { return stored }
        let built = Latest(status: result.status, endedAt: result.completedAt ?? lastBuild?.generatedAt, seconds: result.executionTime,
                           rows: result.rowsAffected, message: result.message, runID: nil, failures: result.failures, failingRows: result.failingRows)
        guard let stored else { return built }
        // The same build recorded by a job and written to run_results.json: keep the job's run.
        return (built.endedAt ?? .distantPast).timeIntervalSince(stored.endedAt ?? .distantPast) > 1 ? built : stored
    }

    /// A run store's record as a result.
    static func latest(_ record: NodeStatusRecord) -> Latest {
        Latest(status: record.status, endedAt: record.endedAt, seconds: record.seconds, rows: record.rows, message: record.message,
               runID: record.runID, failures: record.failures,
               failingRows: record.failingRows.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }.flatMap(FailingRowsSample.init(jsonObject:)))
    }
}
