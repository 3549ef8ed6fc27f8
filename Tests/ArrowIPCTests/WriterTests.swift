import Foundation
import XCTest
@testable import ArrowIPC

/// Streams written by the Swift writer. Set ARROW_WRITER_OUT to a directory to keep
/// them for Fixtures/verify_writer.py, which re-reads them with pyarrow.
enum WriterSamples {
    static let max38 = "9999999999999999999999999999.9999999999"

    static func allTypes() throws -> (ArrowSchema, [ArrowWriteColumn], Int) {
        let schema = ArrowSchema(fields: [
            ArrowField(name: "b", type: .bool),
            ArrowField(name: "i8", type: .int(bitWidth: 8, signed: true), nullable: false),
            ArrowField(name: "i16", type: .int(bitWidth: 16, signed: true)),
            ArrowField(name: "i32", type: .int(bitWidth: 32, signed: true)),
            ArrowField(name: "i64", type: .int(bitWidth: 64, signed: true)),
            ArrowField(name: "f32", type: .floatingPoint(bitWidth: 32)),
            ArrowField(name: "f64", type: .floatingPoint(bitWidth: 64)),
            ArrowField(name: "s", type: .utf8),
            ArrowField(name: "bin", type: .binary),
            ArrowField(name: "d32", type: .date(unit: .day)),
            ArrowField(name: "ts_utc", type: .timestamp(unit: .microsecond, timezone: "UTC")),
            ArrowField(name: "ts_ntz", type: .timestamp(unit: .microsecond, timezone: nil)),
            ArrowField(name: "price", type: .decimal(precision: 12, scale: 2, bitWidth: 128)),
            ArrowField(name: "wide", type: .decimal(precision: 38, scale: 10, bitWidth: 128), nullable: false),
            ArrowField(name: "no_nulls", type: .int(bitWidth: 64, signed: true)),
            ArrowField(name: "all_null", type: .utf8),
        ])
        let columns: [ArrowWriteColumn] = [
            .bool([true, false, true, false, true], valid: [true, false, true, true, true]),
            .int8([-128, 0, 127, 5, 1], valid: nil),
            .int16([-32768, 32767, 0, 1, 2], valid: [true, true, false, true, true]),
            .int32([.min, .max, 0, -1, 7], valid: [true, true, true, false, true]),
            .int64([.min, .max, 0, -1, 42], valid: [true, false, true, true, true]),
            .float([1.5, -2.25, 0, .infinity, 0.1], valid: [true, true, false, true, true]),
            .double([1.5, -0.0, 1e300, -.infinity, 0.1], valid: [true, true, true, true, false]),
            .utf8(["hello", "", "日本語🎉", "x", "ignored"], valid: [true, true, true, true, false]),
            .binary([[0, 1, 255], [], [0xDE, 0xAD], [1], [2]], valid: [true, true, false, true, true]),
            .date32([0, 19000, -1, -719162, 2932896], valid: [true, false, true, true, true]),
            .timestampMicros([0, 1_700_000_000_123_456, -1, 5, 42], valid: [true, true, true, false, true]),
            .timestampMicros([-62_135_596_800_000_000, 253_402_300_799_999_999, 0, 1, -1], valid: nil),
            .decimalText(["-12.50", "0.01", "1234567890.12", "not a number (null)", "-0.5"], valid: [true, true, true, false, true]),
            .decimal128(unscaled: [try ArrowDecimal128(max38, precision: 38, scale: 10),
                                   try ArrowDecimal128("-" + max38, precision: 38, scale: 10),
                                   ArrowDecimal128(0), ArrowDecimal128(1), ArrowDecimal128(-1)], valid: nil),
            .int64([10, 20, 30, 40, 50], valid: nil),
            .utf8(["a", "b", "c", "d", "e"], valid: [false, false, false, false, false]),
        ]
        return (schema, columns, 5)
    }

    static let allTypesExpected: [[ArrowValue]] = [
        [.bool(true), .null, .bool(true), .bool(false), .bool(true)],
        [.int(-128), .int(0), .int(127), .int(5), .int(1)],
        [.int(-32768), .int(32767), .null, .int(1), .int(2)],
        [.int(Int64(Int32.min)), .int(Int64(Int32.max)), .int(0), .null, .int(7)],
        [.int(.min), .null, .int(0), .int(-1), .int(42)],
        [.double(1.5), .double(-2.25), .null, .double(.infinity), .double(Double(Float(0.1)))],
        [.double(1.5), .double(-0.0), .double(1e300), .double(-.infinity), .null],
        [.string("hello"), .string(""), .string("日本語🎉"), .string("x"), .null],
        [.binary([0, 1, 255]), .binary([]), .null, .binary([1]), .binary([2])],
        [.date(days: 0), .null, .date(days: -1), .date(days: -719162), .date(days: 2932896)],
        [.timestamp(micros: 0, timezone: "UTC"), .timestamp(micros: 1_700_000_000_123_456, timezone: "UTC"),
         .timestamp(micros: -1, timezone: "UTC"), .null, .timestamp(micros: 42, timezone: "UTC")],
        [.timestamp(micros: -62_135_596_800_000_000, timezone: nil), .timestamp(micros: 253_402_300_799_999_999, timezone: nil),
         .timestamp(micros: 0, timezone: nil), .timestamp(micros: 1, timezone: nil), .timestamp(micros: -1, timezone: nil)],
        [.decimal("-12.50"), .decimal("0.01"), .decimal("1234567890.12"), .null, .decimal("-0.50")],
        [.decimal(max38), .decimal("-" + max38), .decimal("0.0000000000"), .decimal("0.0000000001"), .decimal("-0.0000000001")],
        [.int(10), .int(20), .int(30), .int(40), .int(50)],
        [.null, .null, .null, .null, .null],
    ]

    /// 1000 rows, for offsets and bitmaps beyond a few bytes.
    static func many() -> (ArrowSchema, [ArrowWriteColumn], Int) {
        let n = 1000
        let schema = ArrowSchema(fields: [ArrowField(name: "id", type: .int(bitWidth: 64, signed: true)),
                                          ArrowField(name: "label", type: .utf8)])
        let ids = (0..<n).map { Int64($0 * $0) - 500 }
        let labels = (0..<n).map { "row \($0) " + String(repeating: "é", count: $0 % 5) }
        let valid = (0..<n).map { $0 % 7 != 3 }
        return (schema, [.int64(ids, valid: valid), .utf8(labels, valid: nil)], n)
    }

    static func allTypesSchemaOnly() -> ArrowSchema {
        let kv = ArrowField(name: "entries", type: .structType([ArrowField(name: "key", type: .utf8, nullable: false),
                                                                ArrowField(name: "value", type: .int(bitWidth: 32, signed: true))]),
                            nullable: false)
        return ArrowSchema(fields: [
            ArrowField(name: "n", type: .null),
            ArrowField(name: "u16", type: .int(bitWidth: 16, signed: false)),
            ArrowField(name: "f16", type: .floatingPoint(bitWidth: 16)),
            ArrowField(name: "d256", type: .decimal(precision: 60, scale: 4, bitWidth: 256)),
            ArrowField(name: "ls", type: .largeUtf8),
            ArrowField(name: "lb", type: .largeBinary),
            ArrowField(name: "d64", type: .date(unit: .millisecond)),
            ArrowField(name: "ts_ns", type: .timestamp(unit: .nanosecond, timezone: "Europe/Paris")),
            ArrowField(name: "t32", type: .time(unit: .millisecond, bitWidth: 32)),
            ArrowField(name: "t64", type: .time(unit: .nanosecond, bitWidth: 64)),
            ArrowField(name: "li", type: .list(ArrowField(name: "item", type: .int(bitWidth: 64, signed: true)))),
            ArrowField(name: "lli", type: .largeList(ArrowField(name: "item", type: .utf8))),
            ArrowField(name: "fsl", type: .fixedSizeList(ArrowField(name: "item", type: .floatingPoint(bitWidth: 32)), size: 3)),
            ArrowField(name: "st", type: .structType([ArrowField(name: "a", type: .int(bitWidth: 32, signed: true)),
                                                      ArrowField(name: "b", type: .utf8, nullable: false)])),
            ArrowField(name: "mp", type: .map(entries: kv, keysSorted: false)),
        ])
    }

    static func schemaOnlyStream(_ schema: ArrowSchema) -> [UInt8] {
        var out: [UInt8] = []
        MessageEncoder.frame(metadata: MessageEncoder.schemaMessage(schema), body: [], into: &out)
        out += MessageEncoder.endOfStream
        return out
    }
}

final class WriterTests: XCTestCase {
    func save(_ name: String, _ bytes: [UInt8]) throws {
        guard let dir = ProcessInfo.processInfo.environment["ARROW_WRITER_OUT"] else { return }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: dir).appendingPathComponent(name + ".arrows"))
    }

    func testAllWriteTypesRoundTrip() throws {
        let (schema, columns, rows) = try WriterSamples.allTypes()
        let bytes = try ArrowStreamWriter.write(schema: schema, columns: columns, rowCount: rows)
        try save("all_types", bytes)
        let (readSchema, batches) = try ArrowStreamReader.read(bytes)
        XCTAssertEqual(readSchema, schema)
        XCTAssertEqual(batches.count, 1)
        XCTAssertEqual(batches[0].rowCount, 5)
        for (i, expected) in WriterSamples.allTypesExpected.enumerated() {
            XCTAssertEqual(batches[0].columns[i], expected, "column \(schema.fields[i].name)")
        }
    }

    func testLayoutAlignment() throws {
        let (schema, columns, rows) = try WriterSamples.allTypes()
        let bytes = try ArrowStreamWriter.write(schema: schema, columns: columns, rowCount: rows)
        // Each message: marker, length, metadata; the body must start 8-aligned.
        var pos = 0
        var bodies = 0
        while pos < bytes.count {
            XCTAssertEqual(Array(bytes[pos..<pos + 4]), [0xFF, 0xFF, 0xFF, 0xFF])
            let len = Int(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: pos + 4, as: Int32.self) })
            if len == 0 { XCTAssertEqual(pos + 8, bytes.count); break }
            XCTAssertEqual((pos + 8 + len) % 8, 0, "body of message at \(pos) is not 8-aligned")
            let bodyLength: Int = try bytes.withUnsafeBytes {
                let m = try FBBuffer(bytes: $0, start: pos + 8, end: pos + 8 + len).root()
                return Int(try m.i64(3))
            }
            XCTAssertEqual(bodyLength % 8, 0)
            pos += 8 + len + bodyLength
            bodies += 1
        }
        XCTAssertEqual(bodies, 2)
    }

    func testManyRowsRoundTrip() throws {
        let (schema, columns, rows) = WriterSamples.many()
        let bytes = try ArrowStreamWriter.write(schema: schema, columns: columns, rowCount: rows)
        try save("many", bytes)
        let (_, batches) = try ArrowStreamReader.read(bytes)
        XCTAssertEqual(batches[0].rowCount, 1000)
        for i in 0..<1000 {
            let valid = i % 7 != 3
            XCTAssertEqual(batches[0].columns[0][i], valid ? .int(Int64(i * i) - 500) : .null)
            XCTAssertEqual(batches[0].columns[1][i], .string("row \(i) " + String(repeating: "é", count: i % 5)))
        }
    }

    func testZeroRowWrite() throws {
        let schema = ArrowSchema(fields: [ArrowField(name: "a", type: .int(bitWidth: 32, signed: true)),
                                          ArrowField(name: "s", type: .utf8)])
        let bytes = try ArrowStreamWriter.write(schema: schema, columns: [.int32([], valid: nil), .utf8([], valid: [])], rowCount: 0)
        try save("empty", bytes)
        let (s, batches) = try ArrowStreamReader.read(bytes)
        XCTAssertEqual(s, schema)
        XCTAssertEqual(batches.map(\.rowCount), [0])
        XCTAssertEqual(batches[0].columns, [[], []])
    }

    func testSchemaRoundTripAllTypes() throws {
        let schema = WriterSamples.allTypesSchemaOnly()
        let bytes = WriterSamples.schemaOnlyStream(schema)
        try save("schema_all_types", bytes)
        let (s, batches) = try ArrowStreamReader.read(bytes)
        XCTAssertEqual(s, schema)
        XCTAssertTrue(batches.isEmpty)
    }

    func testWriterErrors() throws {
        let schema = ArrowSchema(fields: [ArrowField(name: "id", type: .int(bitWidth: 64, signed: true), nullable: false)])
        func message(_ columns: [ArrowWriteColumn], rows: Int, schema: ArrowSchema = schema) -> String? {
            do {
                _ = try ArrowStreamWriter.write(schema: schema, columns: columns, rowCount: rows)
                return nil
            } catch {
                return (error as? ArrowError)?.message
            }
        }
        XCTAssertEqual(message([.int64([1, 2], valid: nil)], rows: 3),
                       "Arrow writer: column 'id' (int64): 2 values for 3 rows")
        XCTAssertEqual(message([.int32([1], valid: nil)], rows: 1),
                       "Arrow writer: column 'id' (int64): int32 data does not match the field type")
        XCTAssertEqual(message([.int64([1], valid: [false])], rows: 1),
                       "Arrow writer: column 'id' (int64): 1 null(s) in a non-nullable field")
        XCTAssertEqual(message([], rows: 1), "Arrow writer: schema has 1 fields but 0 columns were given")
        let dec = ArrowSchema(fields: [ArrowField(name: "p", type: .decimal(precision: 4, scale: 2, bitWidth: 128))])
        XCTAssertEqual(message([.decimalText(["1.234"], valid: nil)], rows: 1, schema: dec),
                       "Arrow writer: column 'p' (decimal(4,2)): row 0: decimal '1.234' for decimal(4,2): more than 2 fraction digits")
        XCTAssertEqual(message([.decimalText(["123.4"], valid: nil)], rows: 1, schema: dec),
                       "Arrow writer: column 'p' (decimal(4,2)): row 0: decimal '123.4' for decimal(4,2): needs 5 digits, more than the precision allows")
    }

    func testDecimalParse() throws {
        let d = try ArrowDecimal128("-12.5", precision: 10, scale: 2)
        XCTAssertEqual(d, ArrowDecimal128(-1250))
        XCTAssertEqual(try ArrowDecimal128("+0.001", precision: 5, scale: 3), ArrowDecimal128(1))
        XCTAssertEqual(try ArrowDecimal128("1.2300", precision: 5, scale: 2), ArrowDecimal128(123))
        let big = try ArrowDecimal128("99999999999999999999999999999999999999", precision: 38, scale: 0)
        XCTAssertEqual(DecimalText.format(littleEndianWords: [big.low, UInt64(bitPattern: big.high)], scale: 0),
                       "99999999999999999999999999999999999999")
        XCTAssertThrowsError(try ArrowDecimal128("1e5", precision: 10, scale: 0))
        XCTAssertThrowsError(try ArrowDecimal128("", precision: 10, scale: 0))
        XCTAssertThrowsError(try ArrowDecimal128("-", precision: 10, scale: 0))
    }
}
