import Foundation
import WarehouseKit

/// The tables in schema `ingest` where loads are recorded, in the warehouse itself so a load and
/// its record commit together:
/// - `ingest.loads`: one row per connector run (started, finished, files, rows, status, error);
/// - `ingest.file_ledger`: one row per file a connector loaded (size, modified, sha256, rows), so
///   an unchanged file is skipped and a changed one reloaded;
/// - `ingest.quarantine`: the rows files held that could not be loaded, with file, row, column and reason.
public enum IngestCatalog {
    public static let loads = RelationName(schema: "ingest", name: "loads")
    public static let ledger = RelationName(schema: "ingest", name: "file_ledger")
    public static let quarantine = RelationName(schema: "ingest", name: "quarantine")
    /// Per connector and source table: the cursor column and the greatest value loaded, saved in
    /// the transaction that loaded the rows up to it.
    public static let cursors = RelationName(schema: "ingest", name: "cursors")

    public static func ensure(on db: any WarehouseConnection) async throws {
        try await db.execute("create schema if not exists ingest")
        try await db.execute(SQL(unsafeRaw: """
            create table if not exists \(loads.quoted) (
                load_id VARCHAR, connector VARCHAR, kind VARCHAR, target VARCHAR,
                started_at TIMESTAMP, finished_at TIMESTAMP, status VARCHAR,
                files_loaded INTEGER, files_unchanged INTEGER, files_settling INTEGER, files_failed INTEGER,
                rows_loaded BIGINT, rows_quarantined BIGINT, error VARCHAR)
            """))
        try await db.execute(SQL(unsafeRaw: """
            create table if not exists \(ledger.quoted) (
                connector VARCHAR, target VARCHAR, file_path VARCHAR, size BIGINT, modified \(db.dialect.doubleTypeName), sha256 VARCHAR,
                rows BIGINT, rows_quarantined BIGINT, load_id VARCHAR, loaded_at TIMESTAMP)
            """))
        try await db.execute(SQL(unsafeRaw: """
            create table if not exists \(cursors.quoted) (
                connector VARCHAR, source_table VARCHAR, cursor_column VARCHAR, value VARCHAR, load_id VARCHAR, saved_at TIMESTAMP)
            """))
        try await db.execute(SQL(unsafeRaw: """
            create table if not exists \(quarantine.quoted) (
                load_id VARCHAR, connector VARCHAR, target VARCHAR, file_path VARCHAR, row_number BIGINT,
                column_name VARCHAR, reason VARCHAR, raw VARCHAR, quarantined_at TIMESTAMP)
            """))
    }

    struct LedgerEntry {
        var size: Int
        var modified: Double
        var sha256: String
    }

    static func ledgerEntries(of connector: String, on db: any WarehouseConnection) async throws -> [String: LedgerEntry] {
        let result = try await db.query("select file_path, size, modified, sha256 from \(ledger) where connector = \(connector)")
        var entries: [String: LedgerEntry] = [:]
        for row in result.rows {
            guard let path = row[0].string else { continue }
            entries[path] = LedgerEntry(size: Int(row[1].int64 ?? -1), modified: row[2].double ?? 0, sha256: row[3].string ?? "")
        }
        return entries
    }

    /// Records a file as loaded (replacing its earlier entry and quarantined rows) in the
    /// transaction that loaded it.
    static func recordFile(_ file: LandingFile, sha256: String, outcome: FileOutcome, connector: FileConnector,
                           loadID: String, at date: Date, on db: any WarehouseConnection) async throws
    {
        try await db.execute("delete from \(ledger) where connector = \(connector.name) and file_path = \(file.name)")
        try await db.execute("delete from \(quarantine) where connector = \(connector.name) and file_path = \(file.name)")
        try await db.execute("""
            insert into \(ledger) values (\(connector.name), \(connector.into.description), \(file.name), \(file.size),
                \(file.modified), \(sha256), \(outcome.rows), \(outcome.quarantined.count), \(loadID), \(date))
            """)
        try await recordQuarantine(outcome.quarantined, connector: connector.name, target: connector.into, source: file.name,
                                   loadID: loadID, at: date, on: db)
    }

    /// Rows a source held that could not be loaded, each with its place and reason.
    static func recordQuarantine(_ rows: [QuarantinedRow], connector: String, target: RelationName, source: String, loadID: String,
                                 at date: Date, on db: any WarehouseConnection) async throws
    {
        guard !rows.isEmpty else { return }
        let insert = try await db.prepare("insert into \(quarantine.quoted) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        for row in rows {
            try await insert.execute([
                .text(loadID), .text(connector), .text(target.description), .text(source),
                .int(Int64(row.rowNumber)), row.column.map { .text($0) } ?? .null, .text(row.reason),
                row.raw.map { .text($0) } ?? .null, date.warehouseValue,
            ])
        }
    }

    /// Notes a file whose bytes are unchanged though its modification time moved (a touch, a copy).
    static func touch(_ file: LandingFile, connector: String, on db: any WarehouseConnection) async throws {
        try await db.execute("update \(ledger) set modified = \(file.modified) where connector = \(connector) and file_path = \(file.name)")
    }

    static func cursor(of connector: String, table: String, column: String, on db: any WarehouseConnection) async throws -> String? {
        try await db.query("""
            select value from \(cursors) where connector = \(connector) and source_table = \(table) and cursor_column = \(column)
            """).scalar?.string
    }

    static func saveCursor(_ value: String, of connector: String, table: String, column: String, loadID: String, at date: Date,
                           on db: any WarehouseConnection) async throws
    {
        try await db.execute("delete from \(cursors) where connector = \(connector) and source_table = \(table)")
        try await db.execute("insert into \(cursors) values (\(connector), \(table), \(column), \(value), \(loadID), \(date))")
    }

    static func forget(connector: String, on db: any WarehouseConnection) async throws {
        try await db.execute("delete from \(ledger) where connector = \(connector)")
        try await db.execute("delete from \(quarantine) where connector = \(connector)")
    }

    static func recordLoad(_ report: LoadReport, on db: any WarehouseConnection) async throws {
        let error: WarehouseValue = (report.error ?? report.files.first(where: { $0.status == .failed })?.message).map { .text($0) } ?? .null
        try await db.execute("""
            insert into \(loads) values (\(report.loadID), \(report.connector), \(report.kind), \(report.target.description),
                \(report.startedAt), \(report.finishedAt), \(report.status.rawValue),
                \(report.count(.loaded) + report.count(.reloaded)), \(report.count(.unchanged)), \(report.count(.settling)),
                \(report.count(.failed)), \(report.rowsLoaded), \(report.rowsQuarantined),
                \(error))
            """)
    }
}
