import WarehouseKit

/// Moves the staged rows of one file into the connector's table: creates the table on first use,
/// adds columns a later file brings, and applies the write disposition. Every loaded row carries
/// `_ingest_file` (the file it came from) and `_ingest_load_id`.
struct TableWriter {
    let connector: FileConnector
    /// Files: a file loaded again replaces its own earlier rows. An API's pages are not a file
    /// loaded again, so REST loads append (or merge) without it.
    var replacesEarlierRowsOfSource = true

    static let lineageColumns = ["_ingest_file", "_ingest_load_id"]

    /// The table's columns without the lineage ones; nil when it does not exist.
    static func existingColumns(of table: RelationName, on db: any WarehouseConnection) async throws -> [ColumnInfo]? {
        guard try await db.relationKind(table) != nil else { return nil }
        return try await db.columns(of: table).filter { !lineageColumns.contains($0.name) }
    }

    /// Creates `table` with `columns` and the `lineage` columns (text), or adds to it the columns
    /// it does not have yet (older rows read NULL there).
    static func ensureTable(_ table: RelationName, columns: [ColumnInfo], lineage: [String], on db: any WarehouseConnection) async throws {
        try await db.execute(SQL(unsafeRaw: "create schema if not exists \(SQL.quoteIdentifier(table.schema))"))
        if let existing = try await existingColumns(of: table, on: db) {
            for column in columns where !existing.contains(where: { $0.name == column.name }) {
                try await db.execute(SQL(unsafeRaw: "alter table \(table.quoted) add column \(SQL.quoteIdentifier(column.name)) \(column.type)"))
            }
        } else {
            let definitions = columns.map { "\(SQL.quoteIdentifier($0.name)) \($0.type)" } + lineage.map { "\(SQL.quoteIdentifier($0)) VARCHAR" }
            try await db.execute(SQL(unsafeRaw: "create table \(table.quoted) (\(definitions.joined(separator: ", ")))"))
        }
    }

    /// Writes the rows of `source` (a table, or a parenthesised query), whose columns are
    /// `columns`; returns how many.
    @discardableResult
    func write(_ columns: [ColumnInfo], from source: String, file: String, loadID: String, on db: any WarehouseConnection) async throws -> Int {
        let table = connector.into
        guard !columns.isEmpty else {
            try await db.execute(SQL(unsafeRaw: "create schema if not exists \(SQL.quoteIdentifier(table.schema))"))
            return 0
        }
        try await Self.ensureTable(table, columns: columns, lineage: Self.lineageColumns, on: db)
        let names = columns.map { SQL.quoteIdentifier($0.name) }
        var select = "select \(names.joined(separator: ", ")), \(SQL.quoteLiteral(file)) as _ingest_file, \(SQL.quoteLiteral(loadID)) as _ingest_load_id from \(source)"
        switch connector.disposition {
        case .append, .replace:
            // A file loaded before and changed since replaces its own earlier rows.
            if replacesEarlierRowsOfSource { try await db.execute("delete from \(table) where _ingest_file = \(file)") }
        case .merge:
            let keys = connector.primaryKey.map(SQL.quoteIdentifier)
            select += " qualify row_number() over (partition by \(keys.joined(separator: ", ")) order by __row desc) = 1"
            let matches = keys.map { "\(table.quoted).\($0) = \(FileStaging.stage).\($0)" }.joined(separator: " and ")
            try await db.execute(SQL(unsafeRaw: "delete from \(table.quoted) using \(FileStaging.stage) where \(matches)"))
        }
        return try await db.execute(SQL(unsafeRaw: "insert into \(table.quoted) by name \(select)"))
    }
}
