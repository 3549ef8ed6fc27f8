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

    public init(uniqueID: String, status: String, endedAt: Date?, seconds: Double, rows: Int?, message: String?, runID: Int64) {
        self.uniqueID = uniqueID
        self.status = status
        self.endedAt = endedAt
        self.seconds = seconds
        self.rows = rows
        self.message = message
        self.runID = runID
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
        try read { db in
            // One pass over node_result: the window ranks each node's results newest first.
            let rows = try Row.fetchAll(db, literal: """
                SELECT unique_id, status, seconds, rows, message, ended_at, run_id FROM (
                    SELECT node_result.unique_id, node_result.status, node_result.seconds, node_result.rows,
                           node_result.message, step_attempt.ended_at, step_attempt.run_id,
                           row_number() OVER (
                               PARTITION BY node_result.unique_id
                               ORDER BY coalesce(step_attempt.ended_at, step_attempt.started_at) DESC,
                                        step_attempt.id DESC, node_result.position DESC
                           ) AS newest
                    FROM node_result JOIN step_attempt ON step_attempt.id = node_result.attempt_id
                ) WHERE newest = 1
                """)
            var latest: [String: NodeStatusRecord] = [:]
            latest.reserveCapacity(rows.count)
            for row in rows {
                let rowsAffected: Int64? = row["rows"]
                let record = NodeStatusRecord(
                    uniqueID: row["unique_id"], status: row["status"], endedAt: Self.date(row["ended_at"] as Double?),
                    seconds: row["seconds"], rows: rowsAffected.map { Int($0) }, message: row["message"], runID: row["run_id"])
                latest[record.uniqueID] = record
            }
            return latest
        }
    }
}
