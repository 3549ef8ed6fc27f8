import Foundation
import TransformProject
import WarehouseKit

/// Loads a seed CSV into its table: rows land as text in a staging table through the bulk
/// appender, then one `create table … as select cast(…)` gives every column its type (from
/// `column_types`, else inferred as dbt does: integer, double, boolean, date, timestamp, text).
/// The swap into place happens in one transaction, so a seed that fails leaves the table as it was.
struct SeedLoader {
    let project: LoadedProject
    let warehouse: any Warehouse

    /// The staging table's extra column: each row's index in the file, to find a value that fails.
    static let rowColumn = "__storehouse_row"

    func load(_ node: Node) async throws -> Int {
        guard let relation = node.relation else { throw TransformError(file: node.originalFilePath, "seed \(node.name) has no relation") }
        let file = node.originalFilePath
        let path = project.manifest.absolutePath(of: node)
        guard let text = try ProjectText.read(path: path, file: file) else {
            throw TransformError(file: file, "cannot read this seed file")
        }
        let table = try SeedCSV(parsing: text, file: file, quote: try await quoteCharacter(path))
        let overrides = Dictionary(node.config.columnTypes.map { ($0.0.lowercased(), $0.1) }, uniquingKeysWith: { a, _ in a })
        let dialect = warehouse.dialect
        let types = table.header.enumerated().map { index, name in
            overrides[name.lowercased()] ?? SeedTypeInference.infer(table.rows.map { $0[index] }, dialect: dialect)
        }
        let target = RelationName(schema: relation.schema, name: relation.identifier)
        let staging = RelationName(schema: relation.schema, name: relation.identifier + "__storehouse_seed")
        let sql = MaterializationSQL(dialect: dialect)
        let casts = zip(table.header, types).map { name, type in
            "cast(\(SQL.quoteIdentifier(name)) as \(type)) as \(SQL.quoteIdentifier(name))"
        }.joined(separator: ", ")
        do {
            return try await warehouse.session { db in
                let existing = try await db.relationKind(target)
                try await db.transactionWhereSupported {
                    try await stage(table, in: staging, on: db)
                    for statement in sql.table(target, sql: "select \(casts) from \(staging.quoted)", existing: existing) {
                        try await db.execute(SQL(unsafeRaw: statement))
                    }
                    try await db.execute(SQL(unsafeRaw: sql.drop(staging, kind: .table)))
                }
                return table.rows.count
            }
        } catch let error as WarehouseError {
            let columns = zip(table.header, types).filter { $0.1 != dialect.typeName(for: .text) }
            if let value = try? await firstValueThatFails(table, columns: columns, staging: staging),
               let problem = value.error(table: table, file: file, engineMessage: error.message, declared: overrides) {
                throw problem
            }
            throw error
        }
    }

    /// The quote character seeds are read with: on DuckDB the one DuckDB's CSV sniffer finds, as
    /// dbt-duckdb loads seeds with `COPY … (FORMAT CSV, HEADER TRUE)` (a file quoting with `'`
    /// then reads `''` as NULL, as there); elsewhere `"`, as dbt-core's reader.
    private func quoteCharacter(_ path: String) async throws -> Unicode.Scalar {
        guard warehouse.dialect == .duckdb else { return "\"" }
        let sniffed = try? await warehouse.read { try await $0.query(SQL(unsafeRaw: "select \"Quote\" from sniff_csv(\(SQL.quoteLiteral(path)))")) }
        guard let text = sniffed?.scalar?.string, text.unicodeScalars.count == 1, let quote = text.unicodeScalars.first else { return "\"" }
        return quote
    }

    /// Drops and refills the staging table: every column as text, plus each row's index.
    private func stage(_ table: SeedCSV, in staging: RelationName, on db: any WarehouseConnection) async throws {
        let dialect = warehouse.dialect
        try await db.execute(SQL(unsafeRaw: MaterializationSQL(dialect: dialect).drop(staging, kind: .table)))
        let columns = table.header.map { SQL.quoteIdentifier($0) + " " + dialect.typeName(for: .text) }
            + [SQL.quoteIdentifier(Self.rowColumn) + " " + dialect.typeName(for: .bigint)]
        try await db.execute(SQL(unsafeRaw: "create table \(staging.quoted) (\(columns.joined(separator: ", ")))"))
        guard !table.rows.isEmpty else { return }
        let cells = table.header.indices.map { index in
            BatchColumn(.text(table.rows.map { $0[index] ?? "" }), nulls: table.rows.map { $0[index] == nil })
        }
        let rowIndexes = BatchColumn(.int64(table.rows.indices.map(Int64.init)))
        try await db.bulkLoad(into: staging, batches: [ColumnBatch(columns: cells + [rowIndexes])])
    }

    /// The typed copy failed: which cell could the engine not cast? Stages the rows again (the
    /// failed transaction took them) and bisects the rows of each typed column, so the error names
    /// the row and column on any engine, without parsing the engine's message.
    private func firstValueThatFails(_ table: SeedCSV, columns: [(String, String)], staging: RelationName) async throws -> FailingCell? {
        try await warehouse.session { db in
            try await stage(table, in: staging, on: db)
            func fails(_ column: String, _ type: String, rows: ClosedRange<Int>) async -> Bool {
                let row = SQL.quoteIdentifier(Self.rowColumn)
                let query = "select count(cast(\(SQL.quoteIdentifier(column)) as \(type))) from \(staging.quoted) where \(row) between \(rows.lowerBound) and \(rows.upperBound)"
                do { _ = try await db.query(SQL(unsafeRaw: query)); return false } catch { return true }
            }
            var found: FailingCell?
            for (column, type) in columns where await fails(column, type, rows: 0...max(0, table.rows.count - 1)) {
                var rows = 0...max(0, table.rows.count - 1)
                while rows.count > 1 {
                    let middle = rows.lowerBound + rows.count / 2 - 1
                    rows = await fails(column, type, rows: rows.lowerBound...middle) ? rows.lowerBound...middle : (middle + 1)...rows.upperBound
                }
                found = FailingCell(row: rows.lowerBound, column: table.header.firstIndex(of: column) ?? 0, type: type)
                break
            }
            _ = try? await db.execute(SQL(unsafeRaw: MaterializationSQL(dialect: warehouse.dialect).drop(staging, kind: .table)))
            return found
        }
    }
}

/// A seed cell the warehouse could not cast to its column's type.
struct FailingCell: Sendable {
    var row: Int
    var column: Int
    var type: String

    func error(table: SeedCSV, file: String, engineMessage: String, declared: [String: String]) -> TransformError? {
        guard table.rows.indices.contains(row), table.header.indices.contains(column) else { return nil }
        let name = table.header[column]
        let value = table.rows[row][column] ?? ""
        let at = table.positions[row][column]
        let why = declared[name.lowercased()] != nil
            ? "the seed's column_types gives `\(name)` the type \(type)"
            : "the other values of `\(name)` made it \(type)"
        let firstLine = engineMessage.split(separator: "\n").first.map(String.init) ?? engineMessage
        return TransformError(file: file, line: Int(at.line), column: Int(at.column),
                              "row \(row + 2), column `\(name)`: '\(value)' is not a valid \(type) (\(why); the warehouse said: \(firstLine)); fix the value or the column's type. Nothing was loaded: the table keeps its previous rows")
    }
}

/// dbt's seed type inference (agate's), per dialect.
enum SeedTypeInference {
    static func infer(_ values: [String?], dialect: SQLDialect) -> String {
        let present = values.compactMap { $0 }
        if present.isEmpty { return dialect.typeName(for: .text) }
        if present.allSatisfy({ Int64($0) != nil }) { return dialect.typeName(for: .integer) }
        if present.allSatisfy({ Double($0) != nil && !$0.lowercased().contains("n") }) { return dialect.typeName(for: .double) }
        let lowered = Set(present.map { $0.lowercased() })
        if lowered.isSubset(of: ["true", "false"]) { return dialect.typeName(for: .boolean) }
        if present.allSatisfy({ CivilDate(iso: $0) != nil }) { return dialect.typeName(for: .date) }
        if present.allSatisfy(isTimestamp) { return dialect.typeName(for: .timestamp) }
        return dialect.typeName(for: .text)
    }

    static func isTimestamp(_ text: String) -> Bool {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2, CivilDate(iso: parts[0]) != nil else { return false }
        let time = parts[1].split(separator: ":")
        return time.count >= 2 && time.count <= 3 && time.allSatisfy { Double($0.prefix(while: { $0 != "+" && $0 != "Z" })) != nil }
    }
}
