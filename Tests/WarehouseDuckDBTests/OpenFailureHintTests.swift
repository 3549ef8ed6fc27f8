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
