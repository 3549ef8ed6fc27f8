import Foundation
import GRDB

extension RunStore {
    /// The partitions of `job` that have a succeeded backfill run: what a rerun of the same
    /// backfill skips. Runs purged by retention are forgotten, so their days run again.
    public func succeededPartitions(job: String) throws(OrchestratorError) -> Set<String> {
        try read { db in
            let rows = try Row.fetchAll(db, literal: """
                SELECT * FROM run WHERE job = \(job) AND trigger_kind = 'backfill' AND status = \(RunStatus.succeeded.rawValue)
                """)
            var partitions: Set<String> = []
            for row in rows {
                if case .backfill(let partition) = try Self.runRecord(row).trigger { partitions.insert(partition) }
            }
            return partitions
        }
    }
}
