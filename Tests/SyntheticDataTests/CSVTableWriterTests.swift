import Foundation
import WarehouseKit
import XCTest
@testable import SyntheticData

final class CSVTableWriterTests: XCTestCase {
    func testQuotingNullsAndTimestamps() throws {
        let path = NSTemporaryDirectory() + "synthetic-csv-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try CSVTableWriter(path: path, header: ["id", "name", "price", "at"])
        try writer.write(ColumnBatch(columns: [
            BatchColumn(.int64([1, -20, 3])),
            BatchColumn(.text(["plain", "Port Authority, \"NY\"", ""]), nulls: [false, false, false]),
            BatchColumn(.double([1.5, 3, 0]), nulls: [false, false, true]),
            BatchColumn(.timestamp([0, 1_700_000_000_123_456, -1]), nulls: [false, true, false]),
        ]))
        try writer.close()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let expected = "id,name,price,at\n1,plain,1.5,1970-01-01 00:00:00\n"
            + "-20,\"Port Authority, \"\"NY\"\"\",3,\n3,\"\",,1969-12-31 23:59:59.999999\n"
        XCTAssertEqual(text, expected)
    }

    func testWritingIntoAMissingFolderNamesThePath() {
        XCTAssertThrowsError(try CSVTableWriter(path: "/nonexistent-folder/x.csv", header: ["a"])) {
            XCTAssertEqual("\($0)", "cannot write /nonexistent-folder/x.csv: the file cannot be created; check that the folder exists and is writable")
        }
    }
}
