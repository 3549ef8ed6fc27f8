import Foundation
import WarehouseKit

/// Copies tables from a PostgreSQL database into the warehouse. Every table of a load is read in
/// one repeatable-read transaction (one consistent snapshot of the source), through a server-side
/// cursor a chunk at a time, so memory holds one chunk whatever the table's size. Each table is
/// written in its own warehouse transaction together with its cursor: a load killed midway leaves
/// each table as it was or fully loaded, and the next load goes on from the saved cursor.
public struct PostgresLoader: Sendable {
    /// The source database (a `Warehouse` over PostgreSQL, opened by the caller).
    public let source: any Warehouse
    /// Where the rows go: the embedded DuckDB warehouse or a PostgreSQL one.
    public let target: any Warehouse
    public let now: @Sendable () -> Date

    public init(source: any Warehouse, target: any Warehouse, now: @escaping @Sendable () -> Date = { Date() }) {
        self.source = source
        self.target = target
        self.now = now
    }

    /// The text rows of one table, in schema `ingest` (the bulk appender writes to catalogued
    /// tables), created and dropped inside the table's transaction.
    static let staging = RelationName(schema: "ingest", name: "__pg_stage")

    public func load(_ connector: PostgresConnector, progress: @escaping @Sendable (FileOutcome) -> Void = { _ in }) async throws -> LoadReport {
        // A table and its cursor are written in one transaction: engines without transactions could half-load.
        guard target.dialect.supportsTransactions else {
            throw IngestError("\(connector.location): connector \(connector.name) loads into a DuckDB or PostgreSQL warehouse; this project's is \(target.dialect.name), which has no transactions to load a table and its cursor together",
                              hint: "load into DuckDB or PostgreSQL, then `storehouse export` the tables as Parquet for \(target.dialect.name) to read")
        }
        let started = now()
        let loadID = UUID().uuidString.lowercased()
        var report = LoadReport(loadID: loadID, connector: connector.name, kind: "postgres",
                                target: RelationName(schema: connector.intoSchema, name: "*"), startedAt: started, finishedAt: started, files: [])
        try await target.write { try await IngestCatalog.ensure(on: $0) }
        // A second connection in the same snapshot when the machine has a second core: each
        // large table is read in two halves side by side.
        let width = min(2, ProcessInfo.processInfo.activeProcessorCount)
        let outcomes: [FileOutcome] = try await SnapshotReaders.withReaders(of: source, width: width) { readers in
            var outcomes: [FileOutcome] = []
            for table in try await tables(of: connector, on: readers.connections[0]) {
                let outcome = await copy(table, connector: connector, loadID: loadID, from: readers)
                progress(outcome)
                outcomes.append(outcome)
            }
            return outcomes
        }
        report.files = outcomes
        report.finishedAt = now()
        let finished = report
        try await target.write { try await IngestCatalog.recordLoad(finished, on: $0) }
        return report
    }

    /// The connector's tables, checked against the schema's: an unknown one is an error naming those there are.
    private func tables(of connector: PostgresConnector, on pg: any WarehouseConnection) async throws -> [String] {
        let present = try await pg.query("""
            select table_name from information_schema.tables
            where table_schema = \(connector.schema) and table_type = 'BASE TABLE' order by 1
            """).rows.compactMap { $0[0].string }
        guard !connector.tables.isEmpty else {
            guard !present.isEmpty else {
                throw IngestError("schema \(connector.schema) of the source database has no tables", hint: "check the connector's schema")
            }
            return present
        }
        for table in connector.tables where !present.contains(table) {
            throw IngestError("\(connector.location): the source database has no table \(connector.schema).\(table)",
                              hint: present.isEmpty ? "schema \(connector.schema) has no tables" : "its tables: \(present.joined(separator: ", "))")
        }
        return connector.tables
    }

    private func copy(_ table: String, connector: PostgresConnector, loadID: String, from readers: SnapshotReaders) async -> FileOutcome {
        let name = "\(connector.schema).\(table)"
        // A savepoint per table: one table's failure (and its open cursors) is undone without
        // leaving the snapshot, so the other tables still load from it.
        do {
            try await readers.executeOnEach("savepoint storehouse_table")
            let outcome = try await copyTable(table, connector: connector, loadID: loadID, from: readers)
            try await readers.executeOnEach("release savepoint storehouse_table")
            return outcome
        } catch {
            for reader in readers.connections { _ = try? await reader.execute("rollback to savepoint storehouse_table") }
            return FileOutcome(path: name, status: .failed, message: "\(name): \(String(describing: error).replacingOccurrences(of: "\n", with: " "))")
        }
    }

    private func copyTable(_ table: String, connector: PostgresConnector, loadID: String, from readers: SnapshotReaders) async throws -> FileOutcome {
        let pg = readers.connections[0]
        let sourceName = "\(connector.schema).\(table)"
        let qualified = SQL.quoteIdentifier(connector.schema) + "." + SQL.quoteIdentifier(table)
        let columns = try await pg.query(PostgresColumn.catalogQuery(of: qualified)).rows.map(PostgresColumn.init(catalogRow:))
        let key = try await pg.query("""
            select a.attname from pg_index i
            join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
            where i.indrelid = \(qualified)::regclass and i.indisprimary order by array_position(i.indkey, a.attnum)
            """).rows.compactMap { $0[0].string }
        let cursorColumn = connector.cursorColumn.flatMap { wanted in columns.first { $0.name == wanted } }
        if cursorColumn != nil, key.isEmpty {
            throw IngestError("\(sourceName) has the cursor column \(connector.cursorColumn ?? "") but no primary key to merge changed rows on",
                              hint: "add a primary key to the source table, or leave it out of the connector's tables")
        }
        let target = RelationName(schema: connector.intoSchema, name: table)
        let engine = PostgresTypeMap.Engine(self.target.dialect)
        let selectList = columns.map { PostgresTypeMap.selectExpression(of: $0, for: engine) }.joined(separator: ", ")
        let names = columns.map { SQL.quoteIdentifier($0.name) }

        return try await self.target.write { db in
            try await db.transaction {
                let exists = try await db.relationKind(target) != nil
                var filter: String?
                var incremental = false
                if let cursorColumn, exists,
                   let saved = try await IngestCatalog.cursor(of: connector.name, table: sourceName, column: cursorColumn.name, on: db)
                {
                    // `>=`: rows written at the saved instant after the last load are read again; the merge makes that harmless.
                    filter = "\(SQL.quoteIdentifier(cursorColumn.name)) >= \(SQL.quoteLiteral(saved))::\(cursorColumn.formattedType)"
                    incremental = true
                }
                // A whole load of a table whose every column arrives in its own type goes straight
                // into the new table (replacing the old one inside this transaction); otherwise
                // through a staging table, cast or merged from there.
                let direct = !incremental && columns.allSatisfy { PostgresTypeMap.arrivesTyped($0, in: engine) }
                let landing = direct ? target : Self.staging
                let stagedTypes = columns.map { PostgresTypeMap.stagedType(of: $0) ?? .text }
                var definitions = zip(names, columns).map { "\($0) \(PostgresTypeMap.stagingType(of: $1, in: engine, dialect: db.dialect))" }
                let loadIDDefinition = "\(SQL.quoteIdentifier("_ingest_load_id")) \(db.dialect.typeName(for: .text))"
                if direct { definitions.append(loadIDDefinition) }
                try await db.execute(SQL(unsafeRaw: "create schema if not exists \(SQL.quoteIdentifier(target.schema))"))
                try await prepare(landing, definitions: definitions, engine: engine, keepIfSameShape: direct && exists, on: db)
                let appender = try await db.appender(into: landing)
                var rows = 0
                let parts = try await readers.read(select: selectList, from: qualified, filter: filter, chunkRows: connector.chunkRows) { chunk in
                    var batch = try Self.batch(chunk, types: stagedTypes, columns: columns, table: sourceName)
                    if direct { batch.columns.append(BatchColumn(.text([String](repeating: loadID, count: chunk.rowCount)))) }
                    try await appender.append(batch)
                    rows += chunk.rowCount
                }
                try await appender.finish()

                if !direct {
                    let casts = columns.map { PostgresTypeMap.castExpression(of: $0, staged: "__staged." + SQL.quoteIdentifier($0.name), in: engine) }
                    let typed = "select \(casts.joined(separator: ", ")), \(SQL.quoteLiteral(loadID)) from \(Self.staging.quoted) as __staged"
                    if incremental {
                        let matches = key.map { name in
                            let index = columns.firstIndex { $0.name == name }!
                            return "\(target.quoted).\(SQL.quoteIdentifier(name)) = \(casts[index])"
                        }.joined(separator: " and ")
                        try await db.execute(SQL(unsafeRaw: "delete from \(target.quoted) using \(Self.staging.quoted) as __staged where \(matches)"))
                    } else {
                        let definitions = zip(names, columns).map { "\($0) \(PostgresTypeMap.warehouseType(of: $1, in: engine))" }
                            + [loadIDDefinition]
                        try await prepare(target, definitions: definitions, engine: engine, keepIfSameShape: exists, on: db)
                    }
                    let insert = "insert into \(target.quoted) (\(names.joined(separator: ", ")), _ingest_load_id) \(typed)"
                    try await db.execute(SQL(unsafeRaw: insert))
                }
                if let cursorColumn {
                    let cast = PostgresTypeMap.castExpression(of: cursorColumn, staged: SQL.quoteIdentifier(cursorColumn.name), in: engine)
                    let newest = try await db.query(SQL(unsafeRaw: "select cast(max(\(cast)) as \(db.dialect.typeName(for: .text))) from \(landing.quoted)")).scalar?.string
                    if let newest {
                        try await IngestCatalog.saveCursor(newest, of: connector.name, table: sourceName, column: cursorColumn.name,
                                                           loadID: loadID, at: now(), on: db)
                    }
                }
                if !direct { try await db.execute(SQL(unsafeRaw: "drop table \(Self.staging.quoted)")) }
                let mode = (incremental ? "incremental from its cursor" : (cursorColumn == nil ? "whole" : "whole, cursor saved"))
                    + (parts > 1 ? ", read in \(parts) parts side by side" : "")
                return FileOutcome(path: sourceName, status: exists ? .reloaded : .loaded, rows: rows, message: "\(mode) → \(target)")
            }
        }
    }

    /// An empty `relation` with the columns `definitions` lists, inside the load's transaction.
    /// DuckDB drops and creates it. In PostgreSQL a table other objects depend on (the staging
    /// views of a project built on it) cannot be dropped without them, so a table whose columns
    /// are unchanged is emptied instead, and the views stay.
    private func prepare(_ relation: RelationName, definitions: [String], engine: PostgresTypeMap.Engine, keepIfSameShape: Bool,
                         on db: any WarehouseConnection) async throws
    {
        if engine == .postgres, keepIfSameShape {
            let present = try await db.query(PostgresColumn.catalogQuery(of: relation.quoted)).rows
                .map { "\(SQL.quoteIdentifier($0[0].string ?? "")) \($0[1].string ?? "")".lowercased() }
            if present == definitions.map({ $0.lowercased() }) {
                try await db.execute(SQL(unsafeRaw: "truncate \(relation.quoted)"))
                return
            }
        }
        do {
            try await db.execute(SQL(unsafeRaw: "drop table if exists \(relation.quoted)"))
        } catch {
            throw IngestError("\(relation)'s columns changed in the source and it cannot be replaced: \(error)",
                              hint: "drop the views built on \(relation) (or run the build with --full-refresh after dropping them), then load again")
        }
        try await db.execute(SQL(unsafeRaw: "create table \(relation.quoted) (\(definitions.joined(separator: ", ")))"))
    }

    /// A chunk as one batch for the staging table: the columns as decoded (each staged type is
    /// what the source connection decodes its column to). A date or timestamp PostgreSQL holds as
    /// `infinity` has no place in the typed column (it arrives as text): it stops the table with
    /// the value named rather than landing as some other instant.
    static func batch(_ chunk: ColumnarResult, types: [ColumnType], columns: [PostgresColumn], table: String) throws -> ColumnBatch {
        ColumnBatch(columns: try types.indices.map { index in
            let column = chunk.values[index]
            guard column.columnType != types[index] else { return column }
            if case .text(let texts) = column.values, [.date, .timestamp, .timestampTZ].contains(types[index]) {
                let odd = texts.first { $0.hasSuffix("infinity") } ?? "infinity"
                throw IngestError("\(table).\(columns[index].name) holds \(odd), which the loader cannot carry into the warehouse's \(columns[index].typeName) column",
                                  hint: "replace infinite dates in the source, or leave the table out of the connector's tables")
            }
            // Not reached today (each staged type is what the decoder gives); converted value by value if it were.
            return BatchColumn(type: types[index], values: (0..<column.count).map { column[$0] })
        })
    }
}
