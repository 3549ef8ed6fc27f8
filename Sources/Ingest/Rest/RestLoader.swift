import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import WarehouseKit

/// Loads a REST resource: every page fetched in order with retries, its records kept as NDJSON
/// in a scratch file, then staged and written in one warehouse transaction together with the
/// incremental cursor — so a load that fails or is killed midway writes nothing and moves no
/// cursor, and the rerun fetches the same records again. Records are merged on the primary key,
/// so a page the API serves twice lands once.
public struct RestLoader: Sendable {
    public let warehouse: any Warehouse
    public let environment: [String: String]
    public let now: @Sendable () -> Date
    /// The first retry's wait in seconds; each further one doubles, with jitter, up to 30 s.
    public var backoff: Double = 0.5
    /// Where a load keeps its pages until they are written (serve's sandboxed DuckDB must be
    /// allowed to read it: `ServeFileAccess`).
    public var scratchFolder: URL = FileManager.default.temporaryDirectory

    public init(warehouse: any Warehouse, environment: [String: String] = ProcessInfo.processInfo.environment,
                now: @escaping @Sendable () -> Date = { Date() })
    {
        self.warehouse = warehouse
        self.environment = environment
        self.now = now
    }

    public func load(_ connector: RestConnector, progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> LoadReport {
        guard warehouse.dialect.readsDataFiles else {
            throw IngestError("\(connector.location): connector \(connector.name) loads into the embedded DuckDB warehouse; this project's is \(warehouse.dialect.name)")
        }
        let started = now()
        let loadID = UUID().uuidString.lowercased()
        var token: String?
        if let variable = connector.bearerTokenVariable {
            guard let value = environment[variable], !value.isEmpty else {
                throw IngestError("\(connector.location): connector \(connector.name) needs an API key in $\(variable), which is not set",
                                  hint: "export \(variable)=… (for Stripe, a restricted key with read access is enough)")
            }
            token = value
        }
        let saved: String? = try await warehouse.write { db in
            try await IngestCatalog.ensure(on: db)
            guard let field = connector.cursorField else { return nil }
            return try await IngestCatalog.cursor(of: connector.name, table: connector.resource, column: field, on: db)
        }
        try FileManager.default.createDirectory(at: scratchFolder, withIntermediateDirectories: true)
        let scratch = scratchFolder.appendingPathComponent("storehouse-rest-\(loadID).ndjson")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let fetcher = PageFetcher(connector: connector, token: token, backoff: backoff, deadline: Date().addingTimeInterval(connector.timeLimit))
        let fetched = try await fetcher.fetchAll(savedCursor: saved, into: scratch, progress: progress)

        let source = connector.baseURL + "/" + connector.resource
        let outcome: FileOutcome = try await warehouse.write { db in
            try await db.transaction {
                var outcome = FileOutcome(path: source, status: .loaded, rows: 0, message: fetched.summary)
                // `replace`: the table becomes this load's records (none, if the API has none now).
                if connector.disposition == .replace, try await db.relationKind(connector.into) != nil {
                    try await db.execute("delete from \(connector.into)")
                    if connector.nested == .tables { try await ChildTables(connector: connector).clear(on: db) }
                }
                guard fetched.records > 0 else { return outcome }
                let files = FileConnector(name: connector.name, path: scratch.path, into: connector.into, format: .ndjson,
                                          disposition: connector.disposition, primaryKey: connector.primaryKey, location: connector.location)
                let existing = try await TableWriter.existingColumns(of: connector.into, on: db) ?? []
                let file = try LandingFiles.stat(scratch.path, root: "/")
                let staged = try await FileStaging(connector: files, existing: existing, recordPath: connector.recordPath)
                    .stage(file, format: .ndjson, on: db)
                let children = ChildTables(connector: connector)
                let lists = connector.nested == .tables ? try await children.listColumns(of: staged.columns, on: db) : []
                outcome.rows = try await TableWriter(connector: files, replacesEarlierRowsOfSource: false)
                    .write(staged.columns.filter { !lists.contains($0.name) }, from: FileStaging.stage, file: source, loadID: loadID, on: db)
                if !lists.isEmpty {
                    let written = try await children.write(lists, loadID: loadID, on: db)
                    outcome.message = (outcome.message.map { $0 + "; " } ?? "")
                        + written.map { "\($0.1) rows into \($0.0.description)" }.joined(separator: ", ")
                }
                outcome.quarantined = staged.quarantined
                try await IngestCatalog.recordQuarantine(staged.quarantined, connector: connector.name, target: connector.into,
                                                         source: source, loadID: loadID, at: now(), on: db)
                if let field = connector.cursorField, staged.columns.contains(where: { $0.name == field }) {
                    let newest = try await db.query(SQL(unsafeRaw: "select max(\(SQL.quoteIdentifier(field)))::varchar from \(FileStaging.stage)")).scalar?.string
                    if let newest {
                        try await IngestCatalog.saveCursor(newest, of: connector.name, table: connector.resource, column: field,
                                                           loadID: loadID, at: now(), on: db)
                    }
                }
                return outcome
            }
        }
        var report = LoadReport(loadID: loadID, connector: connector.name, kind: "rest", target: connector.into, startedAt: started,
                                finishedAt: now(), files: [outcome])
        report.finishedAt = now()
        let finished = report
        try await warehouse.write { try await IngestCatalog.recordLoad(finished, on: $0) }
        return report
    }
}
