import Foundation
import WarehouseKit

/// Rewrites an existing DuckDB file so that a process killed at any instant leaves either the
/// old file, untouched, or the whole new one: the work happens on a copy beside it, which is
/// checkpointed, synced and renamed over the original.
///
/// Why: DuckDB 2.0 rewrites a metadata block of an existing file in place when it checkpoints,
/// and that block holds the only copy of the previous checkpoint's metadata. A SIGKILL during
/// that one write can leave the block half new and half old, and the file no longer opens
/// ("Corrupt database file: computed checksum … does not match"). Measured: 7 corrupt files in
/// 60 kills with the write slowed, one in a kill loop of the suite. A file being created has no
/// earlier checkpoint to lose, so only rewrites of an existing file need this.
public enum DuckDBStagedRewrite {
    /// Runs `body` on a copy of `path` (its WAL folded in first) and puts the copy in place when
    /// `body` returns, after the caller closed (and so checkpointed) its database on it. Errors
    /// leave the original as it was and remove the copy. Copies left by killed processes are
    /// removed first.
    public static func run<T>(path: String, _ body: (_ stagingPath: String) async throws -> T) async throws -> T {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        removeAbandonedCopies(of: name, in: folder)
        // Fold a pending WAL into the file, so the copy holds everything.
        if FileManager.default.fileExists(atPath: path + ".wal") {
            let database = try DuckDBWarehouse(path: path, threads: 1)
            await database.close()
        }
        let staging = (folder as NSString).appendingPathComponent(".\(name).rewrite-\(getpid())")
        remove(staging)
        // Another writer committing to the original meanwhile would be lost by the rename: a
        // read-only handle keeps writers out (DuckDB's file lock) for the whole rewrite.
        let guardHandle = try DuckDBWarehouse(path: path, readOnly: true, threads: 1)
        do {
            try FileManager.default.copyItem(atPath: path, toPath: staging)
            let result = try await body(staging)
            guard !FileManager.default.fileExists(atPath: staging + ".wal") else {
                throw WarehouseError(.connection, "the rewritten copy \(staging) still has a write-ahead log after closing, so its checkpoint did not finish; the original \(path) is unchanged")
            }
            try sync(staging)
            // A log beside the original belongs to the old file (folded in above; writers were
            // kept out since): next to the new file DuckDB would refuse it as stale.
            if FileManager.default.fileExists(atPath: path + ".wal") {
                _ = DuckDBWarehouse.moveWALAside(path: path)
            }
            guard rename(staging, path) == 0 else {
                throw WarehouseError(.connection, "cannot put the rewritten copy in place of \(path): \(String(cString: strerror(errno))); the original is unchanged")
            }
            try? sync(folder)
            await guardHandle.close()
            return result
        } catch {
            await guardHandle.close()
            remove(staging)
            throw error
        }
    }

    /// `.<name>.rewrite-<pid>` files whose process is gone.
    static func removeAbandonedCopies(of name: String, in folder: String) {
        let prefix = ".\(name).rewrite-"
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where entry.hasPrefix(prefix) {
            let pidText = entry.dropFirst(prefix.count).prefix { $0.isNumber }
            guard let pid = Int32(pidText), kill(pid, 0) != 0, errno == ESRCH else { continue }
            remove((folder as NSString).appendingPathComponent(String(entry.prefix(prefix.count + pidText.count))))
        }
    }

    static func remove(_ staging: String) {
        for file in [staging, staging + ".wal"] { try? FileManager.default.removeItem(atPath: file) }
    }

    static func sync(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw WarehouseError(.connection, "cannot open \(path) to sync it: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw WarehouseError(.connection, "cannot sync \(path): \(String(cString: strerror(errno)))") }
    }
}
