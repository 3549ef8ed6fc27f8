/// Rows returned by a query, fully materialised.
public struct ResultSet: Sendable, Hashable {
    public var columns: [ColumnInfo]
    public var rows: [[WarehouseValue]]

    public init(columns: [ColumnInfo], rows: [[WarehouseValue]]) {
        self.columns = columns
        self.rows = rows
    }

    public var columnNames: [String] { columns.map(\.name) }
    public var count: Int { rows.count }

    /// The first column of the first row, the common shape of `select count(*) …`.
    public var scalar: WarehouseValue? { rows.first?.first }

    public func column(_ name: String) -> [WarehouseValue]? {
        guard let i = columns.firstIndex(where: { $0.name == name }) else { return nil }
        return rows.map { $0[i] }
    }

    public func row(_ index: Int) -> [String: WarehouseValue] {
        Dictionary(zip(columnNames, rows[index]), uniquingKeysWith: { first, _ in first })
    }
}
