import Foundation
import XCTest
@testable import ArrowIPC

final class ReaderFixtureTests: XCTestCase {
    func testPrimitives() throws { try Fixtures.check("primitives") }
    func testStrings() throws { try Fixtures.check("strings") }
    func testDecimals() throws { try Fixtures.check("decimals") }
    func testTemporal() throws { try Fixtures.check("temporal") }
    func testNested() throws { try Fixtures.check("nested") }
    func testMultipleBatches() throws { try Fixtures.check("multi_batch") }
    func testZeroRows() throws { try Fixtures.check("zero_rows") }
    func testSchemaOnly() throws { try Fixtures.check("schema_only") }
    func testDictionary() throws { try Fixtures.check("dictionary") }
    func testLegacyFormat() throws { try Fixtures.check("legacy_format") }
    func testSlicedBatch() throws { try Fixtures.check("sliced") }
    func testUnsupportedDuration() throws { try Fixtures.check("unsupported_duration") }
    func testCompressedStreamRejected() throws { try Fixtures.check("compressed_zstd") }

    /// Every fixture on disk has a test above (so new fixtures are not silently skipped).
    func testAllFixturesCovered() throws {
        let names = try Fixtures.allNames()
        XCTAssertEqual(names.count, 13, "fixtures: \(names)")
        for name in names { try Fixtures.check(name) }
    }

    func testSpotValues() throws {
        // A few hand-written expectations, independent of the JSON files.
        let (_, batches) = try ArrowStreamReader.read(try Fixtures.bytes("decimals"))
        XCTAssertEqual(batches[0].columns[0][0], .decimal("-12.50"))
        XCTAssertEqual(batches[0].columns[1][0], .decimal("9999999999999999999999999999.9999999999"))
        XCTAssertEqual(batches[0].columns[1][1], .decimal("-9999999999999999999999999999.9999999999"))
        XCTAssertEqual(batches[0].columns[1][2], .decimal("0.0000000001"))
        XCTAssertEqual(batches[0].columns[1][5], .decimal("0.0000000000"))
        let (_, t) = try ArrowStreamReader.read(try Fixtures.bytes("temporal"))
        XCTAssertEqual(t[0].columns[6][4], .timestamp(micros: -2, timezone: nil))      // -1500 ns floors to -2 us
        XCTAssertEqual(t[0].columns[5][1], .timestamp(micros: 1_700_000_000_123_456, timezone: "America/Los_Angeles"))
        XCTAssertEqual(t[0].columns[1][3], .date(days: -1))
        let (_, n) = try ArrowStreamReader.read(try Fixtures.bytes("nested"))
        XCTAssertEqual(n[0].columns[1][0], .structValue(names: ["a", "b"], values: [.int(1), .string("one")]))
        XCTAssertEqual(n[0].columns[2][0], .map(keys: [.string("a"), .string("b")], values: [.int(1), .null]))
        XCTAssertEqual(n[0].columns[0][3], .list([.null, .int(-5)]))
    }

    func testStreamWithoutEOS() throws {
        var data = try Fixtures.bytes("multi_batch")
        XCTAssertEqual(Array(data.suffix(8)), [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0])
        data.removeLast(8)
        let (_, batches) = try ArrowStreamReader.read(data)
        XCTAssertEqual(batches.map(\.rowCount), [3, 0, 1, 2])
    }

    func testDecimalText() {
        XCTAssertEqual(DecimalText.format(littleEndianWords: [1250, 0], scale: 2), "12.50")
        XCTAssertEqual(DecimalText.format(littleEndianWords: [UInt64(bitPattern: -1250), UInt64.max], scale: 2), "-12.50")
        XCTAssertEqual(DecimalText.format(littleEndianWords: [1, 0], scale: 3), "0.001")
        XCTAssertEqual(DecimalText.format(littleEndianWords: [0, 0], scale: 0), "0")
        XCTAssertEqual(DecimalText.format(littleEndianWords: [5, 0], scale: -2), "500")
        XCTAssertEqual(DecimalText.format(littleEndianWords: [0, 0x8000_0000_0000_0000], scale: 0),
                       "-170141183460469231731687303715884105728")
    }
}
