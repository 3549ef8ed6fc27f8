/// The typed arrays a columnar reader fills for one column, value by value or vector by vector
/// (only the array of the column's type is used), with the NULL mask: what the engines' result
/// decoders share, each reading its own wire format.
public struct BatchColumnBuilder: Sendable {
    /// `.boolean`, `.integer`, `.bigint`, `.double` (decimals too), `.text`, `.date`, `.timestamp` or `.timestampTZ`.
    public let type: ColumnType
    public var bools: [Bool] = []
    /// INTEGER values, or DATE days since 1970-01-01.
    public var int32s: [Int32] = []
    /// BIGINT values, or TIMESTAMP microseconds since 1970-01-01.
    public var int64s: [Int64] = []
    public var doubles: [Double] = []
    public var texts: [String] = []
    /// True where the row is NULL (its value slot holds a placeholder).
    public var nulls: [Bool] = []

    public init(_ type: ColumnType, capacity: Int = 0) {
        self.type = type
        nulls.reserveCapacity(capacity)
        switch type {
        case .boolean: bools.reserveCapacity(capacity)
        case .integer, .date: int32s.reserveCapacity(capacity)
        case .bigint, .timestamp, .timestampTZ: int64s.reserveCapacity(capacity)
        case .double, .decimal: doubles.reserveCapacity(capacity)
        case .text: texts.reserveCapacity(capacity)
        }
    }

    /// The values so far, with a mask only when some row is NULL.
    public var column: BatchColumn {
        let mask = nulls.contains(true) ? nulls : nil
        switch type {
        case .boolean: return BatchColumn(.bool(bools), nulls: mask)
        case .integer: return BatchColumn(.int32(int32s), nulls: mask)
        case .date: return BatchColumn(.date(int32s), nulls: mask)
        case .bigint: return BatchColumn(.int64(int64s), nulls: mask)
        case .timestamp: return BatchColumn(.timestamp(int64s), nulls: mask)
        case .timestampTZ: return BatchColumn(.timestampTZ(int64s), nulls: mask)
        case .double, .decimal: return BatchColumn(.double(doubles), nulls: mask)
        case .text: return BatchColumn(.text(texts), nulls: mask)
        }
    }
}
