// A minimal FlatBuffers builder. Objects are written back to front (children
// before parents), so every uoffset points forward, as the format requires.
// Positions ("refs") are measured as the distance from the end of the buffer;
// the finished buffer's size is a multiple of 8, so alignment measured from the
// end equals alignment from the start.

struct FBRef {
    let fromEnd: Int
}

struct FlatBufferBuilder {
    private var storage: [UInt8]
    private var head: Int                   // index of the first used byte in storage
    private var tableStart = 0              // size when the current table was started
    private var fieldSlots: [(slot: Int, fromEnd: Int)] = []

    init(capacity: Int = 256) {
        storage = [UInt8](repeating: 0, count: max(capacity, 16))
        head = storage.count
    }

    /// Number of bytes written so far.
    var size: Int { storage.count - head }

    private mutating func ensure(_ extra: Int) {
        if head >= extra { return }
        var newCount = storage.count * 2
        while newCount - size < extra { newCount *= 2 }
        var grown = [UInt8](repeating: 0, count: newCount)
        let used = size
        grown.withUnsafeMutableBytes { dst in
            storage.withUnsafeBytes { src in
                dst.baseAddress!.advanced(by: newCount - used).copyMemory(from: src.baseAddress!.advanced(by: head), byteCount: used)
            }
        }
        storage = grown
        head = newCount - used
    }

    /// Pads with zeros so that after writing `additional` more bytes the size is a multiple of `alignment`.
    mutating func align(_ alignment: Int, additional: Int = 0) {
        let pad = (alignment - ((size + additional) % alignment)) % alignment
        ensure(pad)
        for _ in 0..<pad { head -= 1; storage[head] = 0 }
    }

    private mutating func prependRaw<T: FixedWidthInteger>(_ value: T) {
        let n = MemoryLayout<T>.size
        ensure(n)
        head -= n
        let le = value.littleEndian
        storage.withUnsafeMutableBytes { $0.storeBytes(of: le, toByteOffset: head, as: T.self) }
    }

    /// Prepends an aligned scalar.
    mutating func prepend<T: FixedWidthInteger>(_ value: T) {
        align(MemoryLayout<T>.size)
        prependRaw(value)
    }

    /// Prepends a uoffset referring to `ref`.
    mutating func prependOffset(_ ref: FBRef) {
        align(4)
        prependRaw(UInt32(size + 4 - ref.fromEnd))
    }

    mutating func string(_ s: String) -> FBRef {
        let utf8 = Array(s.utf8)
        align(4, additional: utf8.count + 1)
        ensure(utf8.count + 1)
        head -= 1
        storage[head] = 0
        head -= utf8.count
        for (i, b) in utf8.enumerated() { storage[head + i] = b }
        prependRaw(UInt32(utf8.count))
        return FBRef(fromEnd: size)
    }

    /// A vector of offsets (to tables or strings).
    mutating func offsetVector(_ refs: [FBRef]) -> FBRef {
        align(4, additional: 4 * refs.count)
        for r in refs.reversed() { prependOffset(r) }
        prependRaw(UInt32(refs.count))
        return FBRef(fromEnd: size)
    }

    /// A vector of structs made of Int64 members (Arrow's FieldNode and Buffer).
    mutating func int64StructVector(_ structs: [[Int64]], membersPerStruct: Int) -> FBRef {
        let bytes = structs.count * membersPerStruct * 8
        align(8, additional: bytes)
        for s in structs.reversed() {
            precondition(s.count == membersPerStruct)
            for m in s.reversed() { prependRaw(m) }
        }
        prependRaw(UInt32(structs.count))
        return FBRef(fromEnd: size)
    }

    mutating func startTable() {
        fieldSlots.removeAll(keepingCapacity: true)
        tableStart = size
    }

    mutating func add<T: FixedWidthInteger>(_ slot: Int, _ value: T) {
        prepend(value)
        fieldSlots.append((slot, size))
    }

    mutating func add(_ slot: Int, _ value: Bool) {
        add(slot, UInt8(value ? 1 : 0))
    }

    mutating func add(_ slot: Int, _ ref: FBRef) {
        prependOffset(ref)
        fieldSlots.append((slot, size))
    }

    /// Writes the table's vtable offset and vtable; returns the table.
    mutating func endTable() -> FBRef {
        prepend(Int32(0))                        // placeholder for the vtable soffset
        let tableEnd = size
        let slotCount = (fieldSlots.map { $0.slot }.max() ?? -1) + 1
        var entries = [UInt16](repeating: 0, count: slotCount)
        for f in fieldSlots { entries[f.slot] = UInt16(tableEnd - f.fromEnd) }
        for e in entries.reversed() { prependRaw(e) }
        prependRaw(UInt16(tableEnd - tableStart))
        prependRaw(UInt16(4 + 2 * slotCount))
        let vtableEnd = size
        // soffset = table position - vtable position (vtable lies before the table).
        let soffset = Int32(vtableEnd - tableEnd)
        let tablePos = storage.count - tableEnd
        storage.withUnsafeMutableBytes { $0.storeBytes(of: soffset.littleEndian, toByteOffset: tablePos, as: Int32.self) }
        fieldSlots.removeAll(keepingCapacity: true)
        return FBRef(fromEnd: tableEnd)
    }

    /// Writes the root offset and returns the finished buffer (size a multiple of 8).
    mutating func finish(root: FBRef) -> [UInt8] {
        align(8, additional: 4)
        prependOffset(root)
        return Array(storage[head...])
    }
}
