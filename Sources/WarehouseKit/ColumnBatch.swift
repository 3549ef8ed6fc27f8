/// A column type independent of the engine; each dialect spells it (`SQLDialect.typeName(for:)`).
public enum ColumnType: Sendable, Hashable {
    case boolean, integer, bigint, double, text, date, timestamp, timestampTZ
    case decimal(precision: Int, scale: Int)
}

/// A column of a table to create: name, type, nullability.
public struct ColumnDefinition: Sendable, Hashable {
    public var name: String
    public var type: ColumnType
    public var isNullable: Bool
    public init(_ name: String, _ type: ColumnType, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.isNullable = nullable
    }
}

/// A batch of rows stored column by column, the unit of bulk loads.
///
/// Columnar batches let an adapter copy whole vectors (DuckDB's appender takes data chunks,
/// PostgreSQL's COPY streams rows) instead of boxing every value.
public struct ColumnBatch: Sendable {
    public var columns: [BatchColumn]

    public init(columns: [BatchColumn]) {
        precondition(Set(columns.map(\.count)).count <= 1, "every column of a batch has the same row count")
        self.columns = columns
    }

    public var count: Int { columns.first?.count ?? 0 }

    /// Builds a batch from boxed rows; slower than filling columns directly, for small loads.
    public init(rows: [[WarehouseValue]], types: [ColumnType]) {
        columns = types.enumerated().map { index, type in
            BatchColumn(type: type, values: rows.map { $0[index] })
        }
    }
}

/// One column of a `ColumnBatch`. `nulls`, when present, is true where the row is NULL; the
/// value stored at such a row is ignored.
public struct BatchColumn: Sendable {
    public enum Values: Sendable {
        case bool([Bool])
        case int32([Int32])
        case int64([Int64])
        case double([Double])
        case text([String])
        /// Days since 1970-01-01.
        case date([Int32])
        /// Microseconds since 1970-01-01 UTC.
        case timestamp([Int64])
        case timestampTZ([Int64])
    }

    public var values: Values
    public var nulls: [Bool]?

    public init(_ values: Values, nulls: [Bool]? = nil) {
        self.values = values
        self.nulls = nulls
        if let nulls { precondition(nulls.count == count, "null mask length matches the values") }
    }

    public var count: Int {
        switch values {
        case .bool(let v): return v.count
        case .int32(let v), .date(let v): return v.count
        case .int64(let v), .timestamp(let v), .timestampTZ(let v): return v.count
        case .double(let v): return v.count
        case .text(let v): return v.count
        }
    }

    public func isNull(_ row: Int) -> Bool { nulls?[row] ?? false }

    /// The column type that holds these values.
    public var columnType: ColumnType {
        switch values {
        case .bool: return .boolean
        case .int32: return .integer
        case .int64: return .bigint
        case .double: return .double
        case .text: return .text
        case .date: return .date
        case .timestamp: return .timestamp
        case .timestampTZ: return .timestampTZ
        }
    }

    /// The value at a row, boxed.
    public subscript(row: Int) -> WarehouseValue {
        if isNull(row) { return .null }
        switch values {
        case .bool(let v): return .bool(v[row])
        case .int32(let v): return .int(Int64(v[row]))
        case .int64(let v): return .int(v[row])
        case .double(let v): return .double(v[row])
        case .text(let v): return .text(v[row])
        case .date(let v): return .date(days: v[row])
        case .timestamp(let v): return .timestamp(micros: v[row])
        case .timestampTZ(let v): return .timestampTZ(micros: v[row])
        }
    }

    /// Converts boxed values to a column of the given type; values that do not fit become NULL.
    public init(type: ColumnType, values boxed: [WarehouseValue]) {
        let nulls = boxed.map(\.isNull)
        let mask = nulls.contains(true) ? nulls : nil
        switch type {
        case .boolean: self.init(.bool(boxed.map { $0.bool ?? false }), nulls: mask)
        case .integer: self.init(.int32(boxed.map { Int32(truncatingIfNeeded: $0.int64 ?? 0) }), nulls: mask)
        case .bigint: self.init(.int64(boxed.map { $0.int64 ?? 0 }), nulls: mask)
        case .double, .decimal: self.init(.double(boxed.map { $0.double ?? 0 }), nulls: mask)
        case .text: self.init(.text(boxed.map { $0.string ?? "" }), nulls: mask)
        case .date:
            self.init(.date(boxed.map { if case .date(let d) = $0 { return d } else { return 0 } }), nulls: mask)
        case .timestamp, .timestampTZ:
            let micros = boxed.map { v -> Int64 in
                switch v {
                case .timestamp(let m), .timestampTZ(let m): return m
                default: return 0
                }
            }
            self.init(type == .timestamp ? .timestamp(micros) : .timestampTZ(micros), nulls: mask)
        }
    }
}
