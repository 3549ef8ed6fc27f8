import Foundation
import GRDB

/// The latest result the run store holds for one node (model, seed, snapshot, test, source):
/// what the model graph colours it by and how old it says it is.
public struct NodeStatusRecord: Sendable, Equatable {
    /// The node's unique id, e.g. `model.analytics.dim_customers`.
    public var uniqueID: String
    /// `success`, `error`, `fail`, `warn`, `pass` or `skipped`, as the step reported it.
    public var status: String
    /// When the attempt that reported it ended; nil only for an attempt still running, which
    /// cannot have results yet unless another process wrote them by hand.
    public var endedAt: Date?
    /// The node's execution time in seconds.
    public var seconds: Double
    /// Rows affected, when the warehouse reported them.
    public var rows: Int?
    public var message: String?
    /// The run whose attempt reported it.
    public var runID: Int64
    /// A test's failing rows, and its first rows as JSON, where the run recorded them.
    public var failures: Int?
    public var failingRows: String?

    public init(uniqueID: String, status: String, endedAt: Date?, seconds: Double, rows: Int?, message: String?, runID: Int64,
                failures: Int? = nil, failingRows: String? = nil) {
        self.uniqueID = uniqueID
        self.status = status
        self.endedAt = endedAt
        self.seconds = seconds
        self.rows = rows
        self.message = message
        self.runID = runID
        self.failures = failures
        self.failingRows = failingRows
    }
}

extension RunStore {
    /// Each node's newest result across every run the store still holds, by unique id: a node
    /// that errored in one run and succeeded in a later one shows the success, with the later
    /// attempt's end.
    ///
    /// "Newest" is the reporting attempt's end (its start for one not ended), then the later
    /// attempt, then the later position within the attempt (a node listed twice by one step).
    /// Nodes no stored run reported are absent: never built, or built only by runs since purged.
    ///
    /// ```swift
    /// let latest = try store.latestNodeStatuses()
    /// latest["model.analytics.fact_orders"]?.status   // "success"
    /// ```
    public func latestNodeStatuses() throws(OrchestratorError) -> [String: NodeStatusRecord] {
        var latest: [String: NodeStatusRecord] = [:]
        for record in try rankedResults(of: nil, newest: 1) { latest[record.uniqueID] = record }
        return latest
    }

    /// The last `limit` results of each of `nodes` (a test's history across builds), newest
    /// first, by unique id.
    public func nodeHistory(_ nodes: [String], limit: Int = 10) throws(OrchestratorError) -> [String: [NodeStatusRecord]] {
        guard !nodes.isEmpty else { return [:] }
        var history: [String: [NodeStatusRecord]] = [:]
        for record in try rankedResults(of: nodes, newest: limit) { history[record.uniqueID, default: []].append(record) }
        return history
    }

    /// The `newest` latest results of each node (of `nodes`, or of every node), newest first.
    private func rankedResults(of nodes: [String]?, newest: Int) throws(OrchestratorError) -> [NodeStatusRecord] {
        try read { db in
            let only: GRDB.SQL = nodes.map { "WHERE node_result.unique_id IN \($0)" } ?? ""
            // One pass over node_result: the window ranks each node's results newest first.
            return try Row.fetchAll(db, literal: """
                SELECT unique_id, status, seconds, rows, message, failures, failing_rows, ended_at, run_id FROM (
                    SELECT node_result.unique_id, node_result.status, node_result.seconds, node_result.rows,
                           node_result.message, node_result.failures, node_result.failing_rows, step_attempt.ended_at, step_attempt.run_id,
                           row_number() OVER (
                               PARTITION BY node_result.unique_id
                               ORDER BY coalesce(step_attempt.ended_at, step_attempt.started_at) DESC,
                                        step_attempt.id DESC, node_result.position DESC
                           ) AS newest
                    FROM node_result JOIN step_attempt ON step_attempt.id = node_result.attempt_id
                    \(only)
                ) WHERE newest <= \(newest) ORDER BY unique_id, newest
                """).map(Self.nodeStatus)
        }
    }

    static func nodeStatus(_ row: Row) -> NodeStatusRecord {
        let rowsAffected: Int64? = row["rows"]
        let failures: Int64? = row["failures"]
        return NodeStatusRecord(
            uniqueID: row["unique_id"], status: row["status"], endedAt: date(row["ended_at"] as Double?),
            seconds: row["seconds"], rows: rowsAffected.map { Int($0) }, message: row["message"], runID: row["run_id"],
            failures: failures.map { Int($0) }, failingRows: row["failing_rows"])
    }
}
