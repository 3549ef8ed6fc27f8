import WarehouseKit

/// A growing typed column with a null mask, turned into a `BatchColumn` at the end of a chunk.
struct ColumnBuilder<Value: Sendable>: Sendable {
    var values: [Value] = []
    /// Empty until the first NULL arrives, so columns without NULLs never pay for a mask.
    var nulls: [Bool] = []
    var nullCount = 0

    init(capacity: Int = 0) {
        values.reserveCapacity(capacity)
    }

    mutating func reserve(_ capacity: Int) { values.reserveCapacity(capacity) }

    @inline(__always)
    mutating func append(_ value: Value) {
        values.append(value)
        if nullCount > 0 { nulls.append(false) }
    }

    /// Appends NULL when `value` is nil; `placeholder` fills the value slot, which readers ignore.
    @inline(__always)
    mutating func append(_ value: Value?, placeholder: Value) {
        if let value {
            append(value)
        } else {
            if nullCount == 0 {
                nulls.reserveCapacity(values.capacity)
                nulls.append(contentsOf: repeatElement(false, count: values.count))
            }
            values.append(placeholder)
            nulls.append(true)
            nullCount += 1
        }
    }

    var count: Int { values.count }
    var mask: [Bool]? { nullCount > 0 ? nulls : nil }
}

extension ColumnBuilder where Value == Int64 {
    mutating func appendNull() { append(nil, placeholder: 0) }
    /// Shifts chunk-local ids to global ones once the chunk's place in the output is known.
    mutating func offset(by base: Int64) {
        guard base != 0 else { return }
        for i in values.indices { values[i] &+= base }
    }
    var int64Column: BatchColumn { BatchColumn(.int64(values), nulls: mask) }
    var timestampColumn: BatchColumn { BatchColumn(.timestamp(values), nulls: mask) }
}

extension ColumnBuilder where Value == Double {
    var column: BatchColumn { BatchColumn(.double(values), nulls: mask) }
}

extension ColumnBuilder where Value == String {
    var column: BatchColumn { BatchColumn(.text(values), nulls: mask) }
}

typealias Int64Builder = ColumnBuilder<Int64>
typealias DoubleBuilder = ColumnBuilder<Double>
typealias TextBuilder = ColumnBuilder<String>
