import Foundation
import XCTest
@testable import ArrowIPC

final class BadInputTests: XCTestCase {
    func errorMessage(_ bytes: [UInt8]) -> String? {
        do {
            _ = try ArrowStreamReader.read(bytes)
            return nil
        } catch {
            return (error as? ArrowError)?.message ?? "not an ArrowError: \(error)"
        }
    }

    /// A stream with one decimal(12,2) column 'price' and hand-made record batch metadata.
    func stream(nodes: [FieldNodeInfo], buffers: [BufferInfo], body: [UInt8], rows: Int = 2) -> [UInt8] {
        let schema = ArrowSchema(fields: [ArrowField(name: "price", type: .decimal(precision: 12, scale: 2, bitWidth: 128))])
        var out: [UInt8] = []
        MessageEncoder.frame(metadata: MessageEncoder.schemaMessage(schema), body: [], into: &out)
        MessageEncoder.frame(metadata: MessageEncoder.recordBatchMessage(length: rows, nodes: nodes, buffers: buffers,
                                                                         bodyLength: body.count), body: body, into: &out)
        out += MessageEncoder.endOfStream
        return out
    }

    func testHandMadeStreamIsValid() throws {
        // -1250 and 1 as two's complement 128-bit values.
        var body: [UInt8] = []
        for (lo, hi) in [(UInt64(bitPattern: -1250), UInt64.max), (1, 0)] {
            withUnsafeBytes(of: lo.littleEndian) { body += $0 }
            withUnsafeBytes(of: hi.littleEndian) { body += $0 }
        }
        let bytes = stream(nodes: [FieldNodeInfo(length: 2, nullCount: 0)],
                           buffers: [BufferInfo(offset: 0, length: 0), BufferInfo(offset: 0, length: 32)], body: body)
        let (_, batches) = try ArrowStreamReader.read(bytes)
        XCTAssertEqual(batches[0].columns[0], [.decimal("-12.50"), .decimal("0.01")])
    }

    func testBufferPastBodyEnd() {
        let bytes = stream(nodes: [FieldNodeInfo(length: 2, nullCount: 0)],
                           buffers: [BufferInfo(offset: 0, length: 0), BufferInfo(offset: 8, length: 32)],
                           body: [UInt8](repeating: 0, count: 16))
        XCTAssertEqual(errorMessage(bytes),
                       "Arrow stream: record batch 0, column 'price' (decimal(12,2)): body ends at byte 16 but buffer 1 needs 32 bytes at 8")
    }

    func testBufferTooShortForValues() {
        let bytes = stream(nodes: [FieldNodeInfo(length: 2, nullCount: 0)],
                           buffers: [BufferInfo(offset: 0, length: 0), BufferInfo(offset: 0, length: 16)],
                           body: [UInt8](repeating: 0, count: 16))
        XCTAssertEqual(errorMessage(bytes),
                       "Arrow stream: record batch 0, column 'price' (decimal(12,2)): buffer 1 (values) has 16 bytes but 32 are needed")
    }

    func testMissingBuffersAndNodes() {
        XCTAssertEqual(errorMessage(stream(nodes: [FieldNodeInfo(length: 2, nullCount: 0)],
                                           buffers: [BufferInfo(offset: 0, length: 0)], body: [])),
                       "Arrow stream: record batch 0, column 'price' (decimal(12,2)): the batch declares 1 buffers but the schema needs more")
        XCTAssertEqual(errorMessage(stream(nodes: [], buffers: [], body: [])),
                       "Arrow stream: record batch 0, column 'price' (decimal(12,2)): the batch declares 0 field nodes but the schema needs more")
    }

    func testInvalidNode() {
        let bytes = stream(nodes: [FieldNodeInfo(length: -1, nullCount: 0)], buffers: [], body: [], rows: -1)
        XCTAssertEqual(errorMessage(bytes),
                       "Arrow stream: record batch 0, column 'price' (decimal(12,2)): invalid field node (length -1, null count 0)")
    }

    func testNodeLengthMismatch() {
        let bytes = stream(nodes: [FieldNodeInfo(length: 1, nullCount: 0)],
                           buffers: [BufferInfo(offset: 0, length: 0), BufferInfo(offset: 0, length: 16)],
                           body: [UInt8](repeating: 0, count: 16), rows: 2)
        XCTAssertEqual(errorMessage(bytes),
                       "Arrow stream: record batch 0, column 'price' (decimal(12,2)): column has 1 values but the batch has 2 rows")
    }

    func testTruncatedStreams() throws {
        let full = try Fixtures.bytes("primitives")
        XCTAssertEqual(errorMessage(Array(full.prefix(6))),
                       "Arrow stream: message 0 at byte 0: truncated after the continuation marker, the metadata length is missing")
        XCTAssertEqual(errorMessage(Array(full.prefix(2))),
                       "Arrow stream: message 0 at byte 0: truncated, 2 bytes left where a 4-byte message prefix is expected")
        let metaLength = Int(full.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4, as: Int32.self) })
        XCTAssertEqual(errorMessage(Array(full.prefix(100))),
                       "Arrow stream: message 0 at byte 0: truncated, metadata needs \(metaLength) bytes but only 92 remain")
        // Cut inside the record batch body.
        let cut = Array(full.dropLast(20))
        let message = errorMessage(cut) ?? ""
        XCTAssertTrue(message.hasPrefix("Arrow stream: message 1 at byte \(8 + metaLength): truncated, body needs "), message)
        XCTAssertTrue(message.hasSuffix(" remain"), message)
        XCTAssertEqual(errorMessage([]), "Arrow stream: empty input, expected a schema message")
        XCTAssertEqual(errorMessage([0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]),
                       "Arrow stream: no schema message before the end of the stream")
    }

    func testWrongContinuation() throws {
        var data = try Fixtures.bytes("primitives")
        data[0] = 0xFE
        XCTAssertEqual(errorMessage(data),
                       "Arrow stream: message 0 at byte 0: expected the continuation marker 0xFFFFFFFF or a metadata length, found 0xFFFFFFFE")
    }

    func testGarbageMetadata() {
        // A plausible length followed by bytes that are not a flatbuffer Message.
        let bytes: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 8, 0, 0, 0, 0xF0, 0xFF, 0, 0, 0, 0, 0, 0]
        let message = errorMessage(bytes) ?? ""
        XCTAssertTrue(message.hasPrefix("Arrow stream: message 0 at byte 0: malformed message metadata: flatbuffer read of "), message)
    }

    func testUnsupportedTypeFixture() throws {
        XCTAssertEqual(errorMessage(try Fixtures.bytes("unsupported_duration")),
                       "Arrow stream: schema field 'elapsed': unsupported type Duration")
    }

    func testCompressedFixture() throws {
        XCTAssertEqual(errorMessage(try Fixtures.bytes("compressed_zstd")),
                       "Arrow stream: record batch 0: body is compressed with ZSTD; compressed IPC streams are not supported")
    }
}
