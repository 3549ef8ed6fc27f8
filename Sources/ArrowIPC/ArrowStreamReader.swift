// Reading of the Arrow IPC streaming format: a sequence of encapsulated
// messages (optional 0xFFFFFFFF continuation marker, int32 metadata length,
// flatbuffer Message, padding, body), terminated by an end-of-stream marker
// (length 0) or by the end of the data.

import Foundation

public enum ArrowStreamReader {
    /// Reads a whole IPC stream and returns the schema and every record batch.
    public static func read(_ data: [UInt8]) throws -> (schema: ArrowSchema, batches: [ArrowRecordBatch]) {
        try data.withUnsafeBytes { try read(bytes: $0) }
    }

    public static func read(_ data: Data) throws -> (schema: ArrowSchema, batches: [ArrowRecordBatch]) {
        try data.withUnsafeBytes { try read(bytes: $0) }
    }

    static func read(bytes: UnsafeRawBufferPointer) throws -> (schema: ArrowSchema, batches: [ArrowRecordBatch]) {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw ArrowError("Arrow stream: empty input, expected a schema message")
        }
        let total = bytes.count
        var pos = 0
        var messageIndex = 0
        var fields: [FieldDesc]?
        var schema = ArrowSchema(fields: [])
        var batches: [ArrowRecordBatch] = []
        var dictionaries: [Int64: [ArrowValue]] = [:]

        func int32(at p: Int) -> Int32 {
            Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: p, as: Int32.self))
        }

        while pos < total {
            let where_ = "Arrow stream: message \(messageIndex) at byte \(pos)"
            guard total - pos >= 4 else {
                throw ArrowError("\(where_): truncated, \(total - pos) bytes left where a 4-byte message prefix is expected")
            }
            var length = int32(at: pos)
            pos += 4
            if length == -1 {
                guard total - pos >= 4 else {
                    throw ArrowError("\(where_): truncated after the continuation marker, the metadata length is missing")
                }
                length = int32(at: pos)
                pos += 4
            }
            if length == 0 { break }    // end of stream
            guard length > 0 else {
                throw ArrowError("\(where_): expected the continuation marker 0xFFFFFFFF or a metadata length, found 0x\(String(UInt32(bitPattern: length), radix: 16, uppercase: true))")
            }
            let metaLength = Int(length)
            guard metaLength <= total - pos else {
                throw ArrowError("\(where_): truncated, metadata needs \(metaLength) bytes but only \(total - pos) remain")
            }
            let fb = FBBuffer(bytes: bytes, start: pos, end: pos + metaLength)
            pos += metaLength
            let headerType: UInt8
            let header: FBTable
            let bodyLength: Int
            do {
                let message = try fb.root()
                let version = try message.i16(0)
                guard version >= 3 else {
                    throw ArrowError("\(where_): metadata version V\(version + 1) is not supported (need V4 or V5)")
                }
                headerType = try message.u8(1)
                guard let h = try message.table(2) else {
                    throw ArrowError("\(where_): message has no header")
                }
                header = h
                bodyLength = Int(try message.i64(3))
            } catch let e as FlatBufferError {
                throw ArrowError("\(where_): malformed message metadata: \(e.message)")
            }
            guard bodyLength >= 0, bodyLength <= total - pos else {
                throw ArrowError("\(where_): truncated, body needs \(bodyLength) bytes but only \(total - pos) remain")
            }
            let body = base + pos
            pos += bodyLength
            messageIndex += 1

            switch headerType {
            case 1:
                guard fields == nil else { throw ArrowError("\(where_): a second schema message in one stream") }
                let decoded = try SchemaDecoder.decode(header)
                fields = decoded
                schema = ArrowSchema(fields: decoded.map(\.field))
            case 2, 3:
                guard let fields else {
                    throw ArrowError("\(where_): \(headerType == 2 ? "dictionary" : "record") batch before the schema message")
                }
                if headerType == 3 {
                    let context = "Arrow stream: record batch \(batches.count)"
                    let (rows, columns) = try decodeRecordBatch(header, fields: fields, body: body, bodyLength: bodyLength,
                                                                dictionaries: dictionaries, context: context)
                    batches.append(ArrowRecordBatch(schema: schema, rowCount: rows, columns: columns))
                } else {
                    try decodeDictionaryBatch(header, fields: fields, body: body, bodyLength: bodyLength,
                                              dictionaries: &dictionaries, where_: where_)
                }
            default:
                let names = ["NONE", "Schema", "DictionaryBatch", "RecordBatch", "Tensor", "SparseTensor"]
                let name = Int(headerType) < names.count ? names[Int(headerType)] : "#\(headerType)"
                throw ArrowError("\(where_): unsupported message type \(name)")
            }
        }
        guard fields != nil else { throw ArrowError("Arrow stream: no schema message before the end of the stream") }
        return (schema, batches)
    }

    /// RecordBatch: length 0, nodes 1, buffers 2, compression 3, variadicBufferCounts 4.
    static func decodeRecordBatch(_ rb: FBTable, fields: [FieldDesc], body: UnsafeRawPointer, bodyLength: Int,
                                  dictionaries: [Int64: [ArrowValue]], context: String) throws -> (Int, [[ArrowValue]]) {
        let rows: Int
        var decoder: BatchDecoder
        do {
            if let compression = try rb.table(3) {
                let codec = try compression.u8(0)
                let name = codec == 0 ? "LZ4_FRAME" : (codec == 1 ? "ZSTD" : "codec #\(codec)")
                throw ArrowError("\(context): body is compressed with \(name); compressed IPC streams are not supported")
            }
            rows = Int(try rb.i64(0))
            var nodes: [FieldNodeInfo] = []
            if let (s, n) = try rb.vector(1, elementSize: 16) {
                nodes.reserveCapacity(n)
                for i in 0..<n {
                    nodes.append(FieldNodeInfo(length: Int(try rb.buffer.i64(s + 16 * i)), nullCount: Int(try rb.buffer.i64(s + 16 * i + 8))))
                }
            }
            var buffers: [BufferInfo] = []
            if let (s, n) = try rb.vector(2, elementSize: 16) {
                buffers.reserveCapacity(n)
                for i in 0..<n {
                    buffers.append(BufferInfo(offset: Int(try rb.buffer.i64(s + 16 * i)), length: Int(try rb.buffer.i64(s + 16 * i + 8))))
                }
            }
            decoder = BatchDecoder(body: body, bodyLength: bodyLength, nodes: nodes, buffers: buffers,
                                   dictionaries: dictionaries, context: context)
        } catch let e as FlatBufferError {
            throw ArrowError("\(context): malformed metadata: \(e.message)")
        }
        var columns: [[ArrowValue]] = []
        columns.reserveCapacity(fields.count)
        for f in fields {
            if decoder.nodeIndex < decoder.nodes.count, decoder.nodes[decoder.nodeIndex].length != rows {
                throw decoder.fail(f, f.field.name, "column has \(decoder.nodes[decoder.nodeIndex].length) values but the batch has \(rows) rows")
            }
            columns.append(try decoder.decode(f, f.field.name))
        }
        return (rows, columns)
    }

    /// DictionaryBatch: id 0, data 1 (RecordBatch), isDelta 2.
    static func decodeDictionaryBatch(_ db: FBTable, fields: [FieldDesc], body: UnsafeRawPointer, bodyLength: Int,
                                      dictionaries: inout [Int64: [ArrowValue]], where_: String) throws {
        let id: Int64
        let isDelta: Bool
        let data: FBTable
        do {
            id = try db.i64(0)
            isDelta = try db.bool(2)
            guard let d = try db.table(1) else { throw ArrowError("\(where_): dictionary batch \(id) has no data") }
            data = d
        } catch let e as FlatBufferError {
            throw ArrowError("\(where_): malformed dictionary batch metadata: \(e.message)")
        }
        guard var valueField = SchemaDecoder.dictionaryField(id, in: fields) else {
            throw ArrowError("\(where_): dictionary batch \(id) matches no dictionary-encoded field in the schema")
        }
        valueField.dictionary = nil
        let (_, columns) = try decodeRecordBatch(data, fields: [valueField], body: body, bodyLength: bodyLength,
                                                 dictionaries: dictionaries, context: "Arrow stream: dictionary batch \(id)")
        if isDelta {
            dictionaries[id, default: []].append(contentsOf: columns[0])
        } else {
            dictionaries[id] = columns[0]
        }
    }
}
