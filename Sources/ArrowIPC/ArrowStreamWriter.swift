// Writing one record batch as an Arrow IPC stream: Schema message,
// RecordBatch message, end-of-stream marker. Buffers are 8-byte aligned and
// padded to multiples of 8 bytes; the body is uncompressed.

/// A decimal128 unscaled value in two's complement (high and low 64 bits).
public struct ArrowDecimal128: Sendable, Hashable {
    public var high: Int64
    public var low: UInt64

    public init(high: Int64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public init(_ value: Int64) {
        self.init(high: value < 0 ? -1 : 0, low: UInt64(bitPattern: value))
    }

    /// Parses decimal text at the given precision and scale ("-12.5" at scale 2 → unscaled -1250).
    public init(_ text: String, precision: Int, scale: Int) throws {
        let (h, l) = try DecimalText.parse128(text, precision: precision, scale: scale)
        self.init(high: h, low: l)
    }
}

/// Column data to write, column-major, with an optional validity array (nil = no nulls).
/// Values at null positions are ignored but must be present (arrays have `rowCount` entries).
public enum ArrowWriteColumn: Sendable {
    case bool([Bool], valid: [Bool]?)
    case int8([Int8], valid: [Bool]?)
    case int16([Int16], valid: [Bool]?)
    case int32([Int32], valid: [Bool]?)
    case int64([Int64], valid: [Bool]?)
    case float([Float], valid: [Bool]?)
    case double([Double], valid: [Bool]?)
    case utf8([String], valid: [Bool]?)
    case binary([[UInt8]], valid: [Bool]?)
    case date32([Int32], valid: [Bool]?)                   // days since 1970-01-01
    case timestampMicros([Int64], valid: [Bool]?)          // field type must be timestamp(.microsecond, tz)
    case decimal128(unscaled: [ArrowDecimal128], valid: [Bool]?)
    case decimalText([String], valid: [Bool]?)             // parsed with the field's precision and scale

    var kind: String {
        switch self {
        case .bool: return "bool"
        case .int8: return "int8"
        case .int16: return "int16"
        case .int32: return "int32"
        case .int64: return "int64"
        case .float: return "float"
        case .double: return "double"
        case .utf8: return "utf8"
        case .binary: return "binary"
        case .date32: return "date32"
        case .timestampMicros: return "timestampMicros"
        case .decimal128: return "decimal128"
        case .decimalText: return "decimalText"
        }
    }
}

public enum ArrowStreamWriter {
    /// Writes schema + one record batch + end-of-stream as an IPC stream.
    public static func write(schema: ArrowSchema, columns: [ArrowWriteColumn], rowCount: Int) throws -> [UInt8] {
        guard columns.count == schema.fields.count else {
            throw ArrowError("Arrow writer: schema has \(schema.fields.count) fields but \(columns.count) columns were given")
        }
        guard rowCount >= 0 else { throw ArrowError("Arrow writer: negative row count \(rowCount)") }
        var body = BodyWriter()
        for (field, column) in zip(schema.fields, columns) {
            try body.append(column, field: field, rowCount: rowCount)
        }
        var out: [UInt8] = []
        out.reserveCapacity(body.bytes.count + 1024)
        MessageEncoder.frame(metadata: MessageEncoder.schemaMessage(schema), body: [], into: &out)
        let meta = MessageEncoder.recordBatchMessage(length: rowCount, nodes: body.nodes, buffers: body.buffers,
                                                     bodyLength: body.bytes.count)
        MessageEncoder.frame(metadata: meta, body: body.bytes, into: &out)
        out.append(contentsOf: MessageEncoder.endOfStream)
        return out
    }
}

struct BodyWriter {
    var bytes: [UInt8] = []
    var nodes: [FieldNodeInfo] = []
    var buffers: [BufferInfo] = []

    mutating func pad() {
        let n = (8 - bytes.count % 8) % 8
        bytes.append(contentsOf: repeatElement(0, count: n))
    }

    mutating func addBuffer<T>(_ values: [T]) {
        let start = bytes.count
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        buffers.append(BufferInfo(offset: start, length: bytes.count - start))
        pad()
    }

    mutating func addBitmap(_ bits: [Bool]) {
        var packed = [UInt8](repeating: 0, count: (bits.count + 7) / 8)
        for (i, b) in bits.enumerated() where b { packed[i >> 3] |= 1 << UInt8(i & 7) }
        addBuffer(packed)
    }

    mutating func append(_ column: ArrowWriteColumn, field: ArrowField, rowCount: Int) throws {
        func fail(_ msg: String) -> ArrowError {
            ArrowError("Arrow writer: column '\(field.name)' (\(field.type)): \(msg)")
        }
        func expect(_ ok: Bool) throws {
            if !ok { throw fail("\(column.kind) data does not match the field type") }
        }
        func prologue(_ count: Int, _ valid: [Bool]?) throws {
            guard count == rowCount else { throw fail("\(count) values for \(rowCount) rows") }
            var nulls = 0
            if let valid {
                guard valid.count == rowCount else { throw fail("validity has \(valid.count) entries for \(rowCount) rows") }
                nulls = valid.reduce(0) { $0 + ($1 ? 0 : 1) }
            }
            if nulls > 0 && !field.nullable { throw fail("\(nulls) null(s) in a non-nullable field") }
            nodes.append(FieldNodeInfo(length: rowCount, nullCount: nulls))
            if nulls > 0, let valid {
                addBitmap(valid)
            } else {
                buffers.append(BufferInfo(offset: bytes.count, length: 0))
            }
        }
        switch column {
        case let .bool(v, valid):
            try expect(field.type == .bool); try prologue(v.count, valid); addBitmap(v)
        case let .int8(v, valid):
            try expect(field.type == .int(bitWidth: 8, signed: true)); try prologue(v.count, valid); addBuffer(v)
        case let .int16(v, valid):
            try expect(field.type == .int(bitWidth: 16, signed: true)); try prologue(v.count, valid); addBuffer(v)
        case let .int32(v, valid):
            try expect(field.type == .int(bitWidth: 32, signed: true)); try prologue(v.count, valid); addBuffer(v)
        case let .int64(v, valid):
            try expect(field.type == .int(bitWidth: 64, signed: true)); try prologue(v.count, valid); addBuffer(v)
        case let .float(v, valid):
            try expect(field.type == .floatingPoint(bitWidth: 32)); try prologue(v.count, valid); addBuffer(v)
        case let .double(v, valid):
            try expect(field.type == .floatingPoint(bitWidth: 64)); try prologue(v.count, valid); addBuffer(v)
        case let .date32(v, valid):
            try expect(field.type == .date(unit: .day)); try prologue(v.count, valid); addBuffer(v)
        case let .timestampMicros(v, valid):
            guard case .timestamp(.microsecond, _) = field.type else { throw fail("timestampMicros data needs a timestamp field with unit microsecond") }
            try prologue(v.count, valid); addBuffer(v)
        case let .utf8(v, valid):
            try expect(field.type == .utf8); try prologue(v.count, valid)
            try addVariable(v.count, valid, fail) { i, out in out.append(contentsOf: v[i].utf8) }
        case let .binary(v, valid):
            try expect(field.type == .binary); try prologue(v.count, valid)
            try addVariable(v.count, valid, fail) { i, out in out.append(contentsOf: v[i]) }
        case let .decimal128(v, valid):
            guard case .decimal(_, _, 128) = field.type else { throw fail("decimal128 data needs a 128-bit decimal field") }
            try prologue(v.count, valid)
            addBuffer(v.flatMap { [$0.low, UInt64(bitPattern: $0.high)] })
        case let .decimalText(v, valid):
            guard case let .decimal(p, s, 128) = field.type else { throw fail("decimal text needs a 128-bit decimal field") }
            try prologue(v.count, valid)
            var words: [UInt64] = []
            words.reserveCapacity(2 * v.count)
            for i in 0..<v.count {
                if let valid, !valid[i] { words += [0, 0]; continue }
                do {
                    let d = try ArrowDecimal128(v[i], precision: p, scale: s)
                    words += [d.low, UInt64(bitPattern: d.high)]
                } catch let e as ArrowError {
                    throw fail("row \(i): \(e.message)")
                }
            }
            addBuffer(words)
        }
    }

    /// Offsets (int32) and data buffers of a utf8/binary column; null rows are written empty.
    mutating func addVariable(_ count: Int, _ valid: [Bool]?, _ fail: (String) -> ArrowError,
                              _ emit: (Int, inout [UInt8]) -> Void) throws {
        var offsets = [Int32](repeating: 0, count: count + 1)
        var data: [UInt8] = []
        for i in 0..<count {
            if valid?[i] ?? true { emit(i, &data) }
            guard let o = Int32(exactly: data.count) else { throw fail("more than 2 GiB of data; use several batches") }
            offsets[i + 1] = o
        }
        addBuffer(offsets)
        addBuffer(data)
    }
}
