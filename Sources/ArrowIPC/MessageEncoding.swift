// Encoding of Schema and RecordBatch messages (Schema.fbs / Message.fbs) with
// the hand-written FlatBufferBuilder, and encapsulated-message framing.

#if _endian(big)
#error("ArrowIPC writes buffers in host byte order and assumes a little-endian host")
#endif

enum MessageEncoder {
    static let metadataVersionV5: Int16 = 4

    /// Type union id and parameters table for a type; children are written by the caller.
    private static func typeTable(_ type: ArrowType, _ b: inout FlatBufferBuilder) -> (UInt8, FBRef) {
        func unit(_ u: TimeUnit) -> Int16 {
            switch u {
            case .second: return 0
            case .millisecond: return 1
            case .microsecond: return 2
            case .nanosecond: return 3
            }
        }
        func empty(_ id: UInt8) -> (UInt8, FBRef) {
            b.startTable()
            return (id, b.endTable())
        }
        switch type {
        case .null: return empty(1)
        case let .int(w, s):
            b.startTable(); b.add(0, Int32(w)); b.add(1, s)
            return (2, b.endTable())
        case let .floatingPoint(w):
            b.startTable(); b.add(0, Int16(w == 16 ? 0 : (w == 32 ? 1 : 2)))
            return (3, b.endTable())
        case .binary: return empty(4)
        case .utf8: return empty(5)
        case .bool: return empty(6)
        case let .decimal(p, s, w):
            b.startTable(); b.add(0, Int32(p)); b.add(1, Int32(s)); b.add(2, Int32(w))
            return (7, b.endTable())
        case let .date(u):
            b.startTable(); b.add(0, Int16(u == .day ? 0 : 1))
            return (8, b.endTable())
        case let .time(u, w):
            b.startTable(); b.add(0, unit(u)); b.add(1, Int32(w))
            return (9, b.endTable())
        case let .timestamp(u, tz):
            let tzRef = tz.map { b.string($0) }
            b.startTable(); b.add(0, unit(u))
            if let tzRef { b.add(1, tzRef) }
            return (10, b.endTable())
        case .list: return empty(12)
        case .structType: return empty(13)
        case let .fixedSizeList(_, n):
            b.startTable(); b.add(0, Int32(n))
            return (16, b.endTable())
        case let .map(_, sorted):
            b.startTable(); b.add(0, sorted)
            return (17, b.endTable())
        case .largeBinary: return empty(19)
        case .largeUtf8: return empty(20)
        case .largeList: return empty(21)
        }
    }

    static func children(of type: ArrowType) -> [ArrowField] {
        switch type {
        case let .list(f), let .largeList(f), let .fixedSizeList(f, _): return [f]
        case let .structType(fs): return fs
        case let .map(e, _): return [e]
        default: return []
        }
    }

    /// Field: name 0, nullable 1, type_type 2, type 3, dictionary 4, children 5.
    private static func field(_ f: ArrowField, _ b: inout FlatBufferBuilder) -> FBRef {
        let childRefs = children(of: f.type).map { field($0, &b) }
        let childVector = b.offsetVector(childRefs)
        let name = b.string(f.name)
        let (typeID, typeRef) = typeTable(f.type, &b)
        b.startTable()
        b.add(0, name)
        b.add(3, typeRef)
        b.add(5, childVector)
        b.add(1, f.nullable)
        b.add(2, typeID)
        return b.endTable()
    }

    private static func message(_ headerType: UInt8, _ header: FBRef, bodyLength: Int, _ b: inout FlatBufferBuilder) -> [UInt8] {
        b.startTable()
        b.add(3, Int64(bodyLength))
        b.add(2, header)
        b.add(0, metadataVersionV5)
        b.add(1, headerType)
        let root = b.endTable()
        return b.finish(root: root)
    }

    /// Flatbuffer metadata of a Schema message.
    static func schemaMessage(_ schema: ArrowSchema) -> [UInt8] {
        var b = FlatBufferBuilder()
        let refs = schema.fields.map { field($0, &b) }
        let fields = b.offsetVector(refs)
        b.startTable()
        b.add(1, fields)
        b.add(0, Int16(0))          // little endian
        let s = b.endTable()
        return message(1, s, bodyLength: 0, &b)
    }

    /// Flatbuffer metadata of a RecordBatch message.
    static func recordBatchMessage(length: Int, nodes: [FieldNodeInfo], buffers: [BufferInfo], bodyLength: Int) -> [UInt8] {
        var b = FlatBufferBuilder()
        let bufferVector = b.int64StructVector(buffers.map { [Int64($0.offset), Int64($0.length)] }, membersPerStruct: 2)
        let nodeVector = b.int64StructVector(nodes.map { [Int64($0.length), Int64($0.nullCount)] }, membersPerStruct: 2)
        b.startTable()
        b.add(0, Int64(length))
        b.add(1, nodeVector)
        b.add(2, bufferVector)
        let rb = b.endTable()
        return message(3, rb, bodyLength: bodyLength, &b)
    }

    /// Encapsulated message: continuation marker, padded metadata length, metadata, padding, body.
    static func frame(metadata: [UInt8], body: [UInt8], into out: inout [UInt8]) {
        let padded = (metadata.count + 7) & ~7
        out.append(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF])
        withUnsafeBytes(of: Int32(padded).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: metadata)
        out.append(contentsOf: repeatElement(0, count: padded - metadata.count))
        out.append(contentsOf: body)
    }

    static let endOfStream: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]
}
