// A minimal FlatBuffers reader, written from the FlatBuffers binary format
// description: a root uoffset, tables with a signed offset to their vtable,
// vtables of uint16 field offsets, and uoffset-referenced vectors/strings.

/// Error raised while walking flatbuffer metadata; converted into an
/// `ArrowError` with context by the callers.
struct FlatBufferError: Error {
    let message: String
}

/// A view of one flatbuffer inside a larger byte buffer. Positions are
/// absolute offsets into `bytes`; every read is bounds checked against
/// `start..<end` (the flatbuffer's extent).
struct FBBuffer {
    let bytes: UnsafeRawBufferPointer
    let start: Int
    let end: Int

    @inline(__always)
    func check(_ pos: Int, _ size: Int) throws {
        if pos < start || size < 0 || pos > end - size {
            throw FlatBufferError(message: "flatbuffer read of \(size) bytes at \(pos - start) is outside the \(end - start)-byte metadata")
        }
    }

    @inline(__always)
    func u8(_ pos: Int) throws -> UInt8 {
        try check(pos, 1)
        return bytes[pos]
    }

    @inline(__always)
    func u16(_ pos: Int) throws -> UInt16 {
        try check(pos, 2)
        return UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: pos, as: UInt16.self))
    }

    @inline(__always)
    func i16(_ pos: Int) throws -> Int16 {
        Int16(bitPattern: try u16(pos))
    }

    @inline(__always)
    func u32(_ pos: Int) throws -> UInt32 {
        try check(pos, 4)
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: pos, as: UInt32.self))
    }

    @inline(__always)
    func i32(_ pos: Int) throws -> Int32 {
        Int32(bitPattern: try u32(pos))
    }

    @inline(__always)
    func i64(_ pos: Int) throws -> Int64 {
        try check(pos, 8)
        return Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: pos, as: Int64.self))
    }

    /// Follows a uoffset stored at `pos`.
    func deref(_ pos: Int) throws -> Int {
        let target = pos + Int(try u32(pos))
        try check(target, 0)
        return target
    }

    /// The root table of the buffer.
    func root() throws -> FBTable {
        try FBTable(buffer: self, position: deref(start))
    }
}

/// A table: a position whose first int32 is the (signed) distance back to its vtable.
struct FBTable {
    let buffer: FBBuffer
    let position: Int
    let vtable: Int
    let vtableSize: Int

    init(buffer: FBBuffer, position: Int) throws {
        self.buffer = buffer
        self.position = position
        let vt = position - Int(try buffer.i32(position))
        let size = Int(try buffer.u16(vt))
        if size < 4 || size % 2 != 0 {
            throw FlatBufferError(message: "invalid vtable size \(size) at \(vt - buffer.start)")
        }
        try buffer.check(vt, size)
        self.vtable = vt
        self.vtableSize = size
    }

    /// Absolute position of field `slot`, or nil if absent.
    @inline(__always)
    func fieldPosition(_ slot: Int) throws -> Int? {
        let entry = 4 + 2 * slot
        if entry + 2 > vtableSize { return nil }
        let off = Int(try buffer.u16(vtable + entry))
        return off == 0 ? nil : position + off
    }

    func bool(_ slot: Int, default def: Bool = false) throws -> Bool {
        guard let p = try fieldPosition(slot) else { return def }
        return try buffer.u8(p) != 0
    }

    func u8(_ slot: Int, default def: UInt8 = 0) throws -> UInt8 {
        guard let p = try fieldPosition(slot) else { return def }
        return try buffer.u8(p)
    }

    func i16(_ slot: Int, default def: Int16 = 0) throws -> Int16 {
        guard let p = try fieldPosition(slot) else { return def }
        return try buffer.i16(p)
    }

    func i32(_ slot: Int, default def: Int32 = 0) throws -> Int32 {
        guard let p = try fieldPosition(slot) else { return def }
        return try buffer.i32(p)
    }

    func i64(_ slot: Int, default def: Int64 = 0) throws -> Int64 {
        guard let p = try fieldPosition(slot) else { return def }
        return try buffer.i64(p)
    }

    func table(_ slot: Int) throws -> FBTable? {
        guard let p = try fieldPosition(slot) else { return nil }
        return try FBTable(buffer: buffer, position: buffer.deref(p))
    }

    func string(_ slot: Int) throws -> String? {
        guard let p = try fieldPosition(slot) else { return nil }
        let s = try buffer.deref(p)
        let n = Int(try buffer.u32(s))
        try buffer.check(s + 4, n)
        return String(decoding: UnsafeRawBufferPointer(rebasing: buffer.bytes[(s + 4)..<(s + 4 + n)]), as: UTF8.self)
    }

    /// A vector field: returns (position of first element, element count).
    func vector(_ slot: Int, elementSize: Int) throws -> (start: Int, count: Int)? {
        guard let p = try fieldPosition(slot) else { return nil }
        let v = try buffer.deref(p)
        let n = Int(try buffer.u32(v))
        if n > (buffer.end - v) / max(elementSize, 1) {
            throw FlatBufferError(message: "vector of \(n) elements at \(v - buffer.start) exceeds the metadata")
        }
        try buffer.check(v + 4, n * elementSize)
        return (v + 4, n)
    }

    /// A vector of tables.
    func tables(_ slot: Int) throws -> [FBTable] {
        guard let (s, n) = try vector(slot, elementSize: 4) else { return [] }
        var out: [FBTable] = []
        out.reserveCapacity(n)
        for i in 0..<n {
            out.append(try FBTable(buffer: buffer, position: buffer.deref(s + 4 * i)))
        }
        return out
    }
}
