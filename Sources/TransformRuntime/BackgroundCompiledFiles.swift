import Foundation
import TransformProject

/// Writes compiled SQL files on a queue of its own while the run goes on: creating thousands of
/// files costs seconds of kernel time on some disks, which the nodes need not wait for. The first
/// failure is kept and reported by `finish`, which waits for the queue.
final class BackgroundCompiledFiles: @unchecked Sendable {
    private let queue = DispatchQueue(label: "storehouse.compiled-sql")
    private var files: CompiledSQLFiles  // used on `queue` only
    private var failure: (any Error)?    // used on `queue` only
    private var written: Set<String> = [] // used on `queue` only

    init(projectRoot: String) { files = CompiledSQLFiles(projectRoot: projectRoot) }

    func enqueue(_ node: CompiledNode) {
        queue.async { [self] in
            guard failure == nil else { return }
            do {
                try files.write(node)
                written.insert(node.uniqueId)
            } catch { failure = error }
        }
    }

    /// Waits for the queue, then writes whichever of `nodes` it has not written (unit tests
    /// compile as they run), and reports the first failure.
    func finish(writing nodes: [CompiledNode]) throws {
        try queue.sync {
            if let failure { throw failure }
            for node in nodes where !written.contains(node.uniqueId) {
                try files.write(node)
                written.insert(node.uniqueId)
            }
        }
    }
}

