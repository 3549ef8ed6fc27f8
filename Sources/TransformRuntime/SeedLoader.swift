import Foundation
import TransformProject
import WarehouseKit

/// Loads a seed CSV into its table: rows land as text in a staging table through the bulk
/// appender, then one `create table … as select cast(…)` gives every column its type (from
/// `column_types`, else inferred as dbt does: integer, double, boolean, date, timestamp, text).
/// The swap into place happens in one transaction.
struct SeedLoader {
    let project: LoadedProject
    let warehouse: any Warehouse

    func load(_ node: Node) async throws -> Int {
        guard let relation = node.relation else { throw TransformError(file: node.originalFilePath, "seed \(node.name) has no relation") }
        let path = (project.manifest.projectRoot as NSString).appendingPathComponent(node.originalFilePath)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TransformError(file: node.originalFilePath, "cannot read this seed file")
        }
        let table = try CSVTable(parsing: String(decoding: data, as: UTF8.self), file: node.originalFilePath)
        let overrides = Dictionary(node.config.columnTypes.map { ($0.0.lowercased(), $0.1) }, uniquingKeysWith: { a, _ in a })
        let dialect = warehouse.dialect
        let types = table.header.enumerated().map { index, name in
            overrides[name.lowercased()] ?? SeedTypeInference.infer(table.rows.map { $0[index] }, dialect: dialect)
        }
        let target = RelationName(schema: relation.schema, name: relation.identifier)
        let staging = RelationName(schema: relation.schema, name: relation.identifier + "__storehouse_seed")
        let sql = MaterializationSQL(dialect: dialect)
        let textType = dialect.typeName(for: .text)
        let casts = zip(table.header, types).map { name, type in
            "cast(\(SQL.quoteIdentifier(name)) as \(type)) as \(SQL.quoteIdentifier(name))"
        }.joined(separator: ", ")
        return try await warehouse.session { db in
            let existing = try await db.relationKind(target)
            try await db.transaction {
                try await db.execute(SQL(unsafeRaw: sql.drop(staging, kind: .table)))
                try await db.execute(SQL(unsafeRaw: "create table \(staging.quoted) (\(table.header.map { SQL.quoteIdentifier($0) + " " + textType }.joined(separator: ", ")))"))
                let columns = table.header.indices.map { index in
                    BatchColumn(.text(table.rows.map { $0[index] ?? "" }), nulls: table.rows.map { $0[index] == nil })
                }
                if !table.rows.isEmpty {
                    try await db.bulkLoad(into: staging, batches: [ColumnBatch(columns: columns)])
                }
                for statement in sql.table(target, sql: "select \(casts) from \(staging.quoted)", existing: existing) {
                    try await db.execute(SQL(unsafeRaw: statement))
                }
                try await db.execute(SQL(unsafeRaw: sql.drop(staging, kind: .table)))
            }
            return table.rows.count
        }
    }
}

/// A parsed CSV file: a header and rows of optional cells (an empty cell is NULL, as in dbt).
struct CSVTable {
    var header: [String]
    var rows: [[String?]]

    init(parsing text: String, file: String) throws {
        var records: [[String]] = []
        var field = ""
        var record: [String] = []
        var inQuotes = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        var sawAny = false
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            sawAny = true
            if inQuotes {
                if c == "\"" {
                    if let after = next() {
                        if after == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = after }
                    } else { inQuotes = false }
                } else { field.unicodeScalars.append(c) }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: inQuotes = true
            case ",": record.append(field); field = ""
            case "\r": continue
            case "\n":
                record.append(field)
                field = ""
                if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
                record = []
            default: field.unicodeScalars.append(c)
            }
        }
        if sawAny && (!field.isEmpty || !record.isEmpty) { record.append(field); records.append(record) }
        guard let header = records.first, !header.isEmpty, !(header.count == 1 && header[0].isEmpty) else {
            throw TransformError(file: file, "the seed is empty: a seed needs a header row naming its columns")
        }
        self.header = header.map { $0.trimmingCharacters(in: .whitespaces) }
        rows = []
        for (offset, record) in records.dropFirst().enumerated() where record.count != header.count {
            throw TransformError(file: file, line: offset + 2, column: 0,
                                 "row \(offset + 2) has \(record.count) fields but the header has \(header.count); fix the row or quote fields containing commas")
        }
        rows = records.dropFirst().map { $0.map { $0.isEmpty ? nil : $0 } }
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
