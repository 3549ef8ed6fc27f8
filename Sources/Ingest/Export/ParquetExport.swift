import Foundation
#if canImport(Glibc)
import Glibc
#endif
import WarehouseKit

/// One table written as Parquet, as `_manifest.json` lists it.
public struct ExportedTable: Sendable, Codable, Hashable {
    public struct File: Sendable, Codable, Hashable {
        /// Relative to the export folder.
        public var path: String
        public var rows: Int
        public var bytes: Int
    }

    public struct Column: Sendable, Codable, Hashable {
        public var name: String
        public var type: String
    }

    public var relation: String
    /// The table's folder, relative to the export folder (`marts/fct_orders`).
    public var path: String
    public var rows: Int
    public var partitionBy: [String]
    public var columns: [Column]
    public var files: [File]
    public var exportedAt: Date

    enum CodingKeys: String, CodingKey {
        case relation, path, rows, columns, files
        case partitionBy = "partition_by"
        case exportedAt = "exported_at"
    }
}

/// `_manifest.json` at the export folder's root: every table exported there, its files and row counts.
public struct ExportManifest: Sendable, Codable {
    public static let fileName = "_manifest.json"
    public var formatVersion = 1
    public var tables: [String: ExportedTable]

    enum CodingKeys: String, CodingKey {
        case tables
        case formatVersion = "format_version"
    }
}

/// Writes tables as Parquet, one folder per table (`DIR/<schema>/<table>/`), hive-style
/// partitions (`region=EU/part-0.parquet`) when asked. A table is written into a hidden scratch
/// folder, its row count read back from the Parquet footers and checked against the table, and
/// only then moved into place, so a reader sees the old complete table or the new one, never
/// part of one; the manifest is written last, by rename.
public struct ParquetExport: Sendable {
    public let warehouse: any Warehouse
    public let folder: String

    public init(warehouse: any Warehouse, folder: String) {
        self.warehouse = warehouse
        self.folder = (folder as NSString).standardizingPath
    }

    public func export(_ relations: [RelationName], partitionBy: String? = nil, now: Date = Date()) async throws -> [ExportedTable] {
        guard warehouse.dialect.readsDataFiles else {
            throw IngestError("export writes Parquet through DuckDB; the \(warehouse.dialect.name) warehouse cannot write it itself",
                              hint: "export from the embedded DuckDB warehouse")
        }
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let scratch = (folder as NSString).appendingPathComponent(".storehouse-export-\(UUID().uuidString.lowercased())")
        try manager.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? manager.removeItem(atPath: scratch) }

        var written: [(table: ExportedTable, staged: String)] = []
        for relation in relations {
            written.append(try await write(relation, partitionBy: partitionBy, scratch: scratch, now: now))
        }
        for (table, staged) in written {
            let final = (folder as NSString).appendingPathComponent(table.path)
            try manager.createDirectory(atPath: (final as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if manager.fileExists(atPath: final) {
                let old = (scratch as NSString).appendingPathComponent("old-" + table.path.replacingOccurrences(of: "/", with: "."))
                try manager.moveItem(atPath: final, toPath: old)
            }
            try manager.moveItem(atPath: staged, toPath: final)
        }
        try writeManifest(adding: written.map(\.table))
        return written.map(\.table)
    }

    private func write(_ relation: RelationName, partitionBy: String?, scratch: String, now: Date) async throws -> (table: ExportedTable, staged: String) {
        let relativePath = "\(relation.schema)/\(relation.name)"
        let staged = (scratch as NSString).appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(atPath: staged, withIntermediateDirectories: true)
        return try await warehouse.read { db in
            guard try await db.relationKind(relation) != nil else {
                throw IngestError("\(relation) does not exist in the warehouse",
                                  hint: "build it first (storehouse build), or for a source load it (storehouse ingest or generate)")
            }
            let columns = try await db.columns(of: relation)
            var partitions: [String] = []
            if let partitionBy {
                guard columns.contains(where: { $0.name == partitionBy }) else {
                    throw IngestError("\(relation) has no column \(partitionBy) to partition by (it has \(columns.map(\.name).joined(separator: ", ")))",
                                      hint: "choose a column every selected table has, or export the tables separately")
                }
                partitions = [partitionBy]
            }
            return try await db.transaction {
                let expected = Int(try await db.query("select count(*) from \(relation)").scalar?.int64 ?? 0)
                let target = partitions.isEmpty ? (staged as NSString).appendingPathComponent("part-0.parquet") : staged
                var options = ["format parquet", "compression zstd"]
                if !partitions.isEmpty {
                    options += ["partition_by (\(partitions.map(SQL.quoteIdentifier).joined(separator: ", ")))", "filename_pattern 'part-{i}'"]
                }
                try await db.execute(SQL(unsafeRaw: "copy (select * from \(relation.quoted)) to \(SQL.quoteLiteral(target)) (\(options.joined(separator: ", ")))"))
                let footers = try await db.query(SQL(unsafeRaw: """
                    select file_name, sum(num_rows)::bigint from parquet_file_metadata(\(SQL.quoteLiteral(staged + "/**/*.parquet")))
                    group by file_name order by file_name
                    """))
                var files: [ExportedTable.File] = []
                for row in footers.rows {
                    let path = row[0].string ?? ""
                    let bytes = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
                    let relative = relativePath + "/" + String(path.dropFirst(staged.count + 1))
                    files.append(ExportedTable.File(path: relative, rows: Int(row[1].int64 ?? 0), bytes: bytes))
                }
                let total = files.reduce(0) { $0 + $1.rows }
                guard total == expected else {
                    throw IngestError("the Parquet files written for \(relation) hold \(total) rows; the table has \(expected); nothing was moved into place")
                }
                return (ExportedTable(relation: relation.description, path: relativePath, rows: total, partitionBy: partitions,
                                      columns: columns.map { .init(name: $0.name, type: $0.type) }, files: files, exportedAt: now),
                        staged)
            }
        }
    }

    /// Merges the new tables into the folder's manifest and replaces it by rename.
    private func writeManifest(adding tables: [ExportedTable]) throws {
        let path = (folder as NSString).appendingPathComponent(ExportManifest.fileName)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var manifest = FileManager.default.contents(atPath: path).flatMap { try? decoder.decode(ExportManifest.self, from: $0) }
            ?? ExportManifest(tables: [:])
        for table in tables { manifest.tables[table.relation] = table }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let temporary = path + ".tmp-\(UUID().uuidString.lowercased())"
        try encoder.encode(manifest).write(to: URL(fileURLWithPath: temporary))
        // rename(2) replaces the old manifest in one step: a reader opens the old file or the new one.
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw IngestError("could not write \(path): \(reason)")
        }
    }
}
