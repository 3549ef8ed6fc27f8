/// A query's answer column by column, for readers of many rows (feature tables for learning):
/// values stay in typed arrays instead of one boxed `WarehouseValue` each. Integers arrive as
/// `int64` (`int32` from an engine's 32-bit columns, such as PostgreSQL's `integer`), decimals and floats as `double` (a decimal beyond a double's 15–17 digits is rounded),
/// dates and timestamps as themselves, and anything else as its text.
public struct ColumnarResult: Sendable {
    public var columns: [ColumnInfo]
    public var values: [BatchColumn]
    public var rowCount: Int

    public init(columns: [ColumnInfo], values: [BatchColumn], rowCount: Int) {
        precondition(columns.count == values.count && values.allSatisfy { $0.count == rowCount }, "a column of values per column, each of rowCount")
        self.columns = columns
        self.values = values
        self.rowCount = rowCount
    }

    /// Boxed rows (what an engine without a columnar reader answers), each column typed by the
    /// kind of its non-null values: one kind keeps it, integers mixed with doubles or decimals
    /// become doubles, any other mix becomes text.
    public init(_ result: ResultSet) {
        let rows = result.rows
        let values = result.columns.indices.map { index -> BatchColumn in
            let column = rows.map { $0[index] }
            let type = ColumnarResult.commonType(of: column)
            guard type == .text else { return BatchColumn(type: type, values: column) }
            return BatchColumn(type: .text, values: column.map { $0.isNull ? .null : .text($0.string ?? $0.description) })
        }
        self.init(columns: result.columns, values: values, rowCount: rows.count)
    }

    static func commonType(of values: [WarehouseValue]) -> ColumnType {
        var kinds: Set<ColumnType> = []
        for value in values {
            switch value {
            case .null: continue
            case .bool: kinds.insert(.boolean)
            case .int: kinds.insert(.bigint)
            case .double, .decimal: kinds.insert(.double)
            case .date: kinds.insert(.date)
            case .timestamp: kinds.insert(.timestamp)
            case .timestampTZ: kinds.insert(.timestampTZ)
            case .text, .blob: kinds.insert(.text)
            }
            if kinds.count > 2 { break }
        }
        if kinds.count == 1 { return kinds.first! }
        return kinds == [.bigint, .double] ? .double : .text
    }
}

extension WarehouseConnection {
    public func queryColumns(_ sql: SQL) async throws -> ColumnarResult {
        ColumnarResult(try await query(sql))
    }
}
