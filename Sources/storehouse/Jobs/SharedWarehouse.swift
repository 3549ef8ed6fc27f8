import Foundation
import TransformProject
import WarehouseKit

/// The warehouse a command's job steps share: opened on the first step that needs it and
/// closed (so checkpointed) once at the end. One instance for every step and every partition of
/// a backfill: DuckDB lets one writer hold a file, and opening it again per step cost its
/// start-up each time.
///
/// The opening is one task that every caller awaits. An actor alone is not enough: it is
/// re-entered while the first caller awaits the open, and two parallel backfill days each
/// opened a DuckDB instance of their own on the same file — two writers, each blind to the
/// other's commits, and a day's rows vanished while both runs reported success.
actor SharedWarehouse {
    private var opening: Task<any Warehouse, any Error>?
    /// Whether `close()` closes it: not when it was handed in (serve closes its own).
    private let owned: Bool

    init() { owned = true }

    /// The warehouse `serve` opened and owns; steps use it as it is.
    init(existing warehouse: any Warehouse) {
        opening = Task { warehouse }
        owned = false
    }

    /// The warehouse the project's profile names, sized for builds of `threads` nodes at once.
    func warehouse(for project: LoadedProject) async throws -> any Warehouse {
        if let opening { return try await opening.value }
        let target = project.manifest.target
        let task = Task<any Warehouse, any Error> {
            let location = try WarehouseLocation(target: target)
            return try await location.open(duckdbThreads: location.duckdbThreads(forConcurrentQueries: target.threads))
        }
        opening = task
        return try await task.value
    }

    func close() async {
        guard owned else { return }
        if let warehouse = try? await opening?.value { await warehouse.close() }
        opening = nil
    }
}
