// Decoding of record batch bodies into column-major `ArrowValue` arrays,
// following the pre-order flattening of nodes and buffers (Columnar.rst).

struct FieldNodeInfo {
    let length: Int
    let nullCount: Int
}

struct BufferInfo {
    let offset: Int
    let length: Int
}

@inline(__always)
func isValid(_ bitmap: UnsafeRawPointer, _ i: Int) -> Bool {
    (bitmap.load(fromByteOffset: i >> 3, as: UInt8.self) >> UInt8(i & 7)) & 1 != 0
}

@inline(__always)
func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

func halfToDouble(_ h: UInt16) -> Double {
    let sign: FloatingPointSign = h & 0x8000 != 0 ? .minus : .plus
    let exp = Int((h >> 10) & 0x1f)
    let frac = Double(h & 0x3ff)
    if exp == 0 { return Double(sign: sign, exponent: -24, significand: frac) }
    if exp == 31 { return frac == 0 ? (sign == .minus ? -.infinity : .infinity) : .nan }
    return Double(sign: sign, exponent: exp - 15, significand: 1 + frac / 1024)
}

struct BatchDecoder {
    let body: UnsafeRawPointer
    let bodyLength: Int
    let nodes: [FieldNodeInfo]
    let buffers: [BufferInfo]
    let dictionaries: [Int64: [ArrowValue]]
    let context: String                 // e.g. "Arrow stream: record batch 2"
    var nodeIndex = 0
    var bufferIndex = 0

    func fail(_ f: FieldDesc, _ path: String, _ message: String) -> ArrowError {
        ArrowError("\(context), column '\(path)' (\(f.field.type)): \(message)")
    }

    mutating func node(_ f: FieldDesc, _ path: String) throws -> FieldNodeInfo {
        guard nodeIndex < nodes.count else {
            throw fail(f, path, "the batch declares \(nodes.count) field nodes but the schema needs more")
        }
        let n = nodes[nodeIndex]
        nodeIndex += 1
        // Bounded so that size computations below cannot overflow.
        guard n.length >= 0, n.length <= 1 << 40, n.nullCount >= 0 else {
            throw fail(f, path, "invalid field node (length \(n.length), null count \(n.nullCount))")
        }
        return n
    }

    /// Takes the next buffer, checks it lies in the body and holds at least `required` bytes.
    mutating func buffer(_ f: FieldDesc, _ path: String, required: Int, _ what: String) throws -> (UnsafeRawPointer, Int) {
        guard bufferIndex < buffers.count else {
            throw fail(f, path, "the batch declares \(buffers.count) buffers but the schema needs more")
        }
        let index = bufferIndex
        bufferIndex += 1
        let b = buffers[index]
        if b.offset < 0 || b.length < 0 || b.offset > bodyLength || b.length > bodyLength - b.offset {
            throw fail(f, path, "body ends at byte \(bodyLength) but buffer \(index) needs \(b.length) bytes at \(b.offset)")
        }
        if b.length < required {
            throw fail(f, path, "buffer \(index) (\(what)) has \(b.length) bytes but \(required) are needed")
        }
        return (body + b.offset, b.length)
    }

    /// Validity bitmap, or nil when every value is valid.
    mutating func validity(_ f: FieldDesc, _ path: String, _ n: FieldNodeInfo) throws -> UnsafeRawPointer? {
        if n.nullCount == 0 {
            _ = try buffer(f, path, required: 0, "validity")
            return nil
        }
        if n.nullCount > n.length {
            throw fail(f, path, "null count \(n.nullCount) exceeds length \(n.length)")
        }
        return try buffer(f, path, required: (n.length + 7) / 8, "validity").0
    }

    @inline(__always)
    func build(_ count: Int, _ valid: UnsafeRawPointer?, _ make: (Int) throws -> ArrowValue) rethrows -> [ArrowValue] {
        var out: [ArrowValue] = []
        out.reserveCapacity(count)
        if let v = valid {
            for i in 0..<count { out.append(isValid(v, i) ? try make(i) : .null) }
        } else {
            for i in 0..<count { out.append(try make(i)) }
        }
        return out
    }

    /// Node, validity and a fixed-width values buffer.
    mutating func fixed(_ f: FieldDesc, _ path: String, width: Int) throws -> (FieldNodeInfo, UnsafeRawPointer?, UnsafeRawPointer) {
        let n = try node(f, path)
        let v = try validity(f, path, n)
        let (d, _) = try buffer(f, path, required: n.length * width, "values")
        return (n, v, d)
    }

    /// Reads `count + 1` offsets (32- or 64-bit) and checks they are non-decreasing and within `limit`.
    mutating func offsets(_ f: FieldDesc, _ path: String, count: Int, large: Bool) throws -> [Int] {
        let w = large ? 8 : 4
        let (p, _) = try buffer(f, path, required: count == 0 ? 0 : (count + 1) * w, "offsets")
        if count == 0 { return [0] }
        var out = [Int](repeating: 0, count: count + 1)
        for i in 0...count {
            out[i] = large ? Int(Int64(littleEndian: p.loadUnaligned(fromByteOffset: i &* 8, as: Int64.self)))
                           : Int(Int32(littleEndian: p.loadUnaligned(fromByteOffset: i &* 4, as: Int32.self)))
        }
        return out
    }

    func checkOffsets(_ f: FieldDesc, _ path: String, _ offs: [Int], limit: Int) throws {
        var prev = offs[0]
        if prev < 0 { throw fail(f, path, "offset 0 is negative (\(prev))") }
        for i in 1..<offs.count {
            let o = offs[i]
            if o < prev || o > limit {
                throw fail(f, path, "offset \(i) is \(o), outside \(prev)...\(limit)")
            }
            prev = o
        }
    }

    mutating func decode(_ f: FieldDesc, _ path: String) throws -> [ArrowValue] {
        if let dict = f.dictionary { return try decodeDictionary(f, path, dict) }
        switch f.field.type {
        case .null:
            return Array(repeating: .null, count: try node(f, path).length)
        case .bool:
            let n = try node(f, path)
            let v = try validity(f, path, n)
            let (d, _) = try buffer(f, path, required: (n.length + 7) / 8, "values")
            return build(n.length, v) { .bool(isValid(d, $0)) }
        case let .int(w, signed):
            let (n, v, d) = try fixed(f, path, width: w / 8)
            switch (w, signed) {
            case (8, true): return build(n.length, v) { .int(Int64(d.load(fromByteOffset: $0, as: Int8.self))) }
            case (16, true): return build(n.length, v) { .int(Int64(Int16(littleEndian: d.loadUnaligned(fromByteOffset: $0 &* 2, as: Int16.self)))) }
            case (32, true): return build(n.length, v) { .int(Int64(Int32(littleEndian: d.loadUnaligned(fromByteOffset: $0 &* 4, as: Int32.self)))) }
            case (64, true): return build(n.length, v) { .int(Int64(littleEndian: d.loadUnaligned(fromByteOffset: $0 &* 8, as: Int64.self))) }
            case (8, false): return build(n.length, v) { .uint(UInt64(d.load(fromByteOffset: $0, as: UInt8.self))) }
            case (16, false): return build(n.length, v) { .uint(UInt64(UInt16(littleEndian: d.loadUnaligned(fromByteOffset: $0 &* 2, as: UInt16.self)))) }
            case (32, false): return build(n.length, v) { .uint(UInt64(UInt32(littleEndian: d.loadUnaligned(fromByteOffset: $0 &* 4, as: UInt32.self)))) }
            default: return build(n.length, v) { .uint(UInt64(littleEndian: d.loadUnaligned(fromByteOffset: $0 &* 8, as: UInt64.self))) }
            }
        case let .floatingPoint(w):
            let (n, v, d) = try fixed(f, path, width: w / 8)
            switch w {
            case 16: return build(n.length, v) { .double(halfToDouble(UInt16(littleEndian: d.loadUnaligned(fromByteOffset: $0 &* 2, as: UInt16.self)))) }
            case 32: return build(n.length, v) { .double(Double(Float(bitPattern: UInt32(littleEndian: d.loadUnaligned(fromByteOffset: $0 &* 4, as: UInt32.self))))) }
            default: return build(n.length, v) { .double(Double(bitPattern: UInt64(littleEndian: d.loadUnaligned(fromByteOffset: $0 &* 8, as: UInt64.self)))) }
            }
        case let .decimal(_, scale, w):
            let (n, v, d) = try fixed(f, path, width: w / 8)
            let limbs = w / 64
            return build(n.length, v) { i in
                var words = [UInt64](repeating: 0, count: limbs)
                for k in 0..<limbs {
                    words[k] = UInt64(littleEndian: d.loadUnaligned(fromByteOffset: i &* (w / 8) &+ k &* 8, as: UInt64.self))
                }
                return .decimal(DecimalText.format(littleEndianWords: words, scale: scale))
            }
        case .utf8, .largeUtf8, .binary, .largeBinary:
            let large = f.field.type == .largeUtf8 || f.field.type == .largeBinary
            let text = f.field.type == .utf8 || f.field.type == .largeUtf8
            let n = try node(f, path)
            let v = try validity(f, path, n)
            let offs = try offsets(f, path, count: n.length, large: large)
            let (d, dataLength) = try buffer(f, path, required: 0, "data")
            try checkOffsets(f, path, offs, limit: dataLength)
            return offs.withUnsafeBufferPointer { o in
                build(n.length, v) { i in
                    let bytes = UnsafeRawBufferPointer(start: d + o[i], count: o[i + 1] &- o[i])
                    return text ? .string(String(decoding: bytes, as: UTF8.self)) : .binary(Array(bytes))
                }
            }
        case let .date(unit):
            if unit == .day {
                let (n, v, d) = try fixed(f, path, width: 4)
                return build(n.length, v) { .date(days: Int32(littleEndian: d.loadUnaligned(fromByteOffset: $0 &* 4, as: Int32.self))) }
            }
            let (n, v, d) = try fixed(f, path, width: 8)
            return try build(n.length, v) { i in
                let ms = Int64(littleEndian: d.loadUnaligned(fromByteOffset: i &* 8, as: Int64.self))
                guard let days = Int32(exactly: floorDiv(ms, 86_400_000)) else {
                    throw fail(f, path, "date64 value \(ms) at row \(i) is out of the date32 range")
                }
                return .date(days: days)
            }
        case let .timestamp(unit, tz):
            let (n, v, d) = try fixed(f, path, width: 8)
            return try build(n.length, v) { i in
                let raw = Int64(littleEndian: d.loadUnaligned(fromByteOffset: i &* 8, as: Int64.self))
                return .timestamp(micros: try toMicros(raw, unit, f, path, i), timezone: tz)
            }
        case let .time(unit, w):
            let (n, v, d) = try fixed(f, path, width: w / 8)
            return try build(n.length, v) { i in
                let raw = w == 32 ? Int64(Int32(littleEndian: d.loadUnaligned(fromByteOffset: i &* 4, as: Int32.self)))
                                  : Int64(littleEndian: d.loadUnaligned(fromByteOffset: i &* 8, as: Int64.self))
                return .time(micros: try toMicros(raw, unit, f, path, i))
            }
        case .list, .largeList:
            let n = try node(f, path)
            let v = try validity(f, path, n)
            let offs = try offsets(f, path, count: n.length, large: f.field.type.isLargeList)
            let child = try decode(f.children[0], path + "." + f.children[0].field.name)
            try checkOffsets(f, path, offs, limit: child.count)
            return build(n.length, v) { .list(Array(child[offs[$0]..<offs[$0 + 1]])) }
        case let .fixedSizeList(_, size):
            let n = try node(f, path)
            let v = try validity(f, path, n)
            let child = try decode(f.children[0], path + "." + f.children[0].field.name)
            let (needed, overflow) = n.length.multipliedReportingOverflow(by: size)
            guard !overflow, child.count >= needed else {
                throw fail(f, path, "child has \(child.count) values but \(n.length) lists of \(size) need \(n.length * size)")
            }
            return build(n.length, v) { .list(Array(child[($0 * size)..<($0 * size + size)])) }
        case .structType:
            let n = try node(f, path)
            let v = try validity(f, path, n)
            var columns: [[ArrowValue]] = []
            for c in f.children {
                let values = try decode(c, path + "." + c.field.name)
                guard values.count >= n.length else {
                    throw fail(f, path, "child '\(c.field.name)' has \(values.count) values, fewer than the struct's \(n.length)")
                }
                columns.append(values)
            }
            let names = f.children.map(\.field.name)
            return build(n.length, v) { i in .structValue(names: names, values: columns.map { $0[i] }) }
        case .map:
            let n = try node(f, path)
            let v = try validity(f, path, n)
            let offs = try offsets(f, path, count: n.length, large: false)
            let entries = f.children[0]
            let entriesPath = path + "." + entries.field.name
            let en = try node(entries, entriesPath)
            _ = try validity(entries, entriesPath, en)
            let keys = try decode(entries.children[0], entriesPath + "." + entries.children[0].field.name)
            let values = try decode(entries.children[1], entriesPath + "." + entries.children[1].field.name)
            try checkOffsets(f, path, offs, limit: min(keys.count, values.count))
            return build(n.length, v) { .map(keys: Array(keys[offs[$0]..<offs[$0 + 1]]), values: Array(values[offs[$0]..<offs[$0 + 1]])) }
        }
    }

    func toMicros(_ raw: Int64, _ unit: TimeUnit, _ f: FieldDesc, _ path: String, _ row: Int) throws -> Int64 {
        let factor: Int64
        switch unit {
        case .microsecond: return raw
        case .nanosecond: return floorDiv(raw, 1000)
        case .millisecond: factor = 1000
        case .second: factor = 1_000_000
        }
        let (m, overflow) = raw.multipliedReportingOverflow(by: factor)
        if overflow { throw fail(f, path, "value \(raw) \(unit) at row \(row) overflows microseconds") }
        return m
    }

    mutating func decodeDictionary(_ f: FieldDesc, _ path: String, _ dict: DictionaryInfo) throws -> [ArrowValue] {
        let w = dict.indexBitWidth
        let (n, v, d) = try fixed(f, path, width: w / 8)
        guard let values = dictionaries[dict.id] else {
            throw fail(f, path, "no dictionary batch with id \(dict.id) precedes this batch")
        }
        return try build(n.length, v) { i in
            let index: Int
            switch w {
            case 8: index = dict.indexSigned ? Int(d.load(fromByteOffset: i, as: Int8.self)) : Int(d.load(fromByteOffset: i, as: UInt8.self))
            case 16: index = dict.indexSigned ? Int(Int16(littleEndian: d.loadUnaligned(fromByteOffset: i &* 2, as: Int16.self))) : Int(UInt16(littleEndian: d.loadUnaligned(fromByteOffset: i &* 2, as: UInt16.self)))
            case 32: index = dict.indexSigned ? Int(Int32(littleEndian: d.loadUnaligned(fromByteOffset: i &* 4, as: Int32.self))) : Int(UInt32(littleEndian: d.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self)))
            default: index = Int(truncatingIfNeeded: Int64(littleEndian: d.loadUnaligned(fromByteOffset: i &* 8, as: Int64.self)))
            }
            guard index >= 0 && index < values.count else {
                throw fail(f, path, "dictionary index \(index) at row \(i) is outside the \(values.count)-entry dictionary \(dict.id)")
            }
            return values[index]
        }
    }
}

extension ArrowType {
    var isLargeList: Bool {
        if case .largeList = self { return true }
        return false
    }
}
