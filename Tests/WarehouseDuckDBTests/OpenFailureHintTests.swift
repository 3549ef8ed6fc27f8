@testable import WarehouseDuckDB
import XCTest

/// The hint under a file that will not open names the real reason: "lock" inside "block" is not
/// a lock held by another program.
final class OpenFailureHintTests: XCTestCase {
    func testACorruptBlockIsNotMistakenForALock() {
        let corrupt = DuckDBWarehouse.explainOpenFailure(path: "w.duckdb", message: "Data Corruption Error: Corrupt database file: computed checksum 520696343118515823 does not match stored checksum 12285356185504352621 in block at location 12288")
        XCTAssertFalse(corrupt.contains("another program holds this file"), corrupt)
        XCTAssertTrue(corrupt.contains("hint: the file's metadata does not match its checksum"), corrupt)
        let held = DuckDBWarehouse.explainOpenFailure(path: "w.duckdb", message: "IO Error: Could not set lock on file \"w.duckdb\": Conflicting lock is held in storehouse (PID 42)")
        XCTAssertTrue(held.contains("hint: another program holds this file"), held)
    }
}

/// A process stopped between a checkpoint's write of the file and its removal of the
/// write-ahead log leaves a log DuckDB refuses ("created for an older version of this database").
/// Reproduced exactly: the log of committed rows is copied while the database is open, the
/// database closes (checkpoint: the rows move into the file, the log goes), the old log comes
/// back. The warehouse opens, every row is there once, and the log is kept beside the file.
final class StaleWALTests: XCTestCase {
    func testALogFromBeforeTheLastCheckpointIsSetAsideAndNothingIsLost() async throws {
        let folder = NSTemporaryDirectory() + "storehouse-stale-wal-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/w.duckdb"
        let first = try DuckDBWarehouse(path: path)
        try await first.write { db in
            try await db.execute("create table orders (id integer)")
            try await db.execute("insert into orders select * from range(1000)")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + ".wal"), "the committed rows are in the log")
        try FileManager.default.copyItem(atPath: path + ".wal", toPath: folder + "/saved.wal")
        await first.close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".wal"), "the checkpoint removed the log")
        try FileManager.default.copyItem(atPath: folder + "/saved.wal", toPath: path + ".wal")

        let reopened = try DuckDBWarehouse(path: path)
        let count = try await reopened.read { try await $0.query("select count(*), sum(id) from orders").rows[0] }
        XCTAssertEqual(count, [.int(1000), .int(499_500)])
        await reopened.close()
        let kept = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("w.duckdb.wal.stale-") }
        XCTAssertEqual(kept.count, 1, "the old log is kept beside the file")

        // A reader meets the same log (a query or serve --read-only after such a kill): it opens too.
        try FileManager.default.copyItem(atPath: folder + "/saved.wal", toPath: path + ".wal")
        let reader = try DuckDBWarehouse(path: path, readOnly: true)
        let read = try await reader.read { try await $0.query("select count(*), sum(id) from orders").rows[0] }
        XCTAssertEqual(read, [.int(1000), .int(499_500)])
        await reader.close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".wal"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("w.duckdb.wal.stale-") }.count, 2)
    }
}
