import Foundation
import WarehouseKit

/// Runs a file connector: finds its files, skips those the ledger says are loaded and unchanged,
/// and loads each of the others whole or not at all — its rows, its quarantined rows and its
/// ledger entry commit in one transaction (a `replace` load commits every file in one).
public struct FileLoader: Sendable {
    public let warehouse: any Warehouse
    /// Where relative connector paths start: the project root.
    public let root: String
    public let now: @Sendable () -> Date
    /// Called after a file is read and before it is checked for change: tests write to the file
    /// here to play a writer that is not done.
    var didRead: (@Sendable (LandingFile) -> Void)?
    /// Called when a file loaded in one pass (`DirectCSVLoad`) rather than staged: tests check
    /// which way a file took.
    var loadedInOnePass: (@Sendable (LandingFile) -> Void)?

    public init(warehouse: any Warehouse, root: String, now: @escaping @Sendable () -> Date = { Date() }) {
        self.warehouse = warehouse
        self.root = root
        self.now = now
    }

    /// `progress` hears of each file as its fate is known (for a `replace`, once the load commits).
    public func load(_ connector: FileConnector, progress: @escaping @Sendable (FileOutcome) -> Void = { _ in }) async throws -> LoadReport {
        guard warehouse.dialect.readsDataFiles else {
            throw IngestError("\(connector.location): connector \(connector.name) loads files, which the \(warehouse.dialect.name) warehouse cannot read itself",
                              hint: "file connectors load into the embedded DuckDB warehouse; on \(warehouse.dialect.name) load the files with its own loader for now (COPY on PostgreSQL, a table over the files on Spark)")
        }
        let started = now()
        let loadID = UUID().uuidString.lowercased()
        let files = try LandingFiles.resolve(connector.path, relativeTo: root)
        var report = LoadReport(loadID: loadID, connector: connector.name, target: connector.into, startedAt: started,
                                    finishedAt: started, files: [])
        let outcomes: (files: [FileOutcome], error: String?) = try await warehouse.write { db in
            try await IngestCatalog.ensure(on: db)
            let ledger = try await IngestCatalog.ledgerEntries(of: connector.name, on: db)
            // Each readable file's format and checksum, worked out once: a load of the changed
            // ones uses them, and a `replace` reloads every file with them.
            var checked: [(file: LandingFile, format: FileFormat, sha256: String, changed: Bool)] = []
            var outcomes: [FileOutcome] = []
            func note(_ outcome: FileOutcome) {
                if connector.disposition != .replace { progress(outcome) }
                outcomes.append(outcome)
            }
            for file in files {
                if let settled = settling(file, connector) {
                    note(settled)
                    continue
                }
                guard let format = connector.format ?? FileFormat.inferred(fromPath: file.path) else {
                    note(FileOutcome(path: file.name, status: .failed,
                                                message: "cannot tell the format of \(file.name) from its name; set format: csv, json, ndjson or parquet"))
                    continue
                }
                let known = ledger[file.name]
                if let known, known.size == file.size, known.modified == file.modified {
                    note(FileOutcome(path: file.name, status: .unchanged))
                    checked.append((file, format, known.sha256, false))
                    continue
                }
                let digest = try FileDigest.sha256(ofFileAt: file.path)
                if let known, known.sha256 == digest {
                    try await IngestCatalog.touch(file, connector: connector.name, on: db)
                    note(FileOutcome(path: file.name, status: .unchanged))
                    checked.append((file, format, digest, false))
                    continue
                }
                checked.append((file, format, digest, true))
            }
            if connector.disposition == .replace {
                let vanished = !Set(ledger.keys).isSubset(of: Set(files.map(\.name)))
                if (!checked.contains(where: \.changed) && !vanished) || outcomes.contains(where: { $0.status == .failed }) {
                    outcomes.forEach(progress)
                    return (outcomes, outcomes.first { $0.status == .failed }?.message)
                }
                let replaced = try await replaceAll(connector, files: checked, ledger: ledger, loadID: loadID, outcomes: outcomes, on: db)
                replaced.0.forEach(progress)
                return replaced
            }
            for (file, format, digest, _) in checked.filter(\.changed) {
                let outcome = await loadOne(file, format: format, sha256: digest, reload: ledger[file.name] != nil,
                                            connector: connector, loadID: loadID, on: db)
                note(outcome)
            }
            return (outcomes, nil)
        }
        report.files = outcomes.files.sorted { $0.path < $1.path }
        report.error = outcomes.error
        report.finishedAt = now()
        let finished = report
        try await warehouse.write { db in try await IngestCatalog.recordLoad(finished, on: db) }
        return report
    }

    /// A file modified within the connector's `settle_seconds` may still be being written.
    private func settling(_ file: LandingFile, _ connector: FileConnector) -> FileOutcome? {
        let age = now().timeIntervalSince1970 - file.modified
        guard connector.settleSeconds > 0, age < connector.settleSeconds else { return nil }
        return FileOutcome(path: file.name, status: .settling,
                           message: "modified \(max(0, Int(age))) s ago, less than settle_seconds (\(Int(connector.settleSeconds))); left for the next load")
    }

    /// One file in its own transaction: its rows, its quarantine and its ledger entry, or nothing.
    private func loadOne(_ file: LandingFile, format: FileFormat, sha256: String, reload: Bool, connector: FileConnector,
                         loadID: String, on db: any WarehouseConnection) async -> FileOutcome
    {
        do {
            if DirectCSVLoad.applies(to: connector, format: format), file.size > 0 {
                do {
                    let outcome = try await db.transaction {
                        try await loadDirectly(file, sha256: sha256, reload: reload, connector: connector, loadID: loadID, on: db)
                    }
                    loadedInOnePass?(file)
                    return outcome
                } catch let changed as FileChanged {
                    return FileOutcome(path: file.name, status: .settling, message: changed.message)
                } catch {
                    // A value the first rows' types refuse (DirectCSVLoad.refusal), a column the
                    // first rows leave empty, or a file the one pass cannot read: the staged way
                    // below widens, quarantines or reports it, as for any file.
                }
            }
            return try await db.transaction {
                try await stageAndWrite(file, format: format, sha256: sha256, reload: reload, connector: connector, loadID: loadID, on: db)
            }
        } catch let changed as FileChanged {
            return FileOutcome(path: file.name, status: .settling, message: changed.message)
        } catch {
            return FileOutcome(path: file.name, status: .failed, message: Self.describe(error, file: file.name))
        }
    }

    /// A CSV file in one pass (`DirectCSVLoad`); throws `StageInstead` when it must be staged.
    private func loadDirectly(_ file: LandingFile, sha256: String, reload: Bool, connector: FileConnector,
                              loadID: String, on db: any WarehouseConnection) async throws -> FileOutcome
    {
        for table in ["__ingest_rejects", "__ingest_rejects_scan"] {
            try await db.execute(SQL(unsafeRaw: "drop table if exists temp.\(table)"))
        }
        let existing = try await TableWriter.existingColumns(of: connector.into, on: db) ?? []
        guard let plan = try await DirectCSVLoad(connector: connector, existing: existing).plan(file, on: db) else {
            throw StageInstead()
        }
        var outcome = FileOutcome(path: file.name, status: reload ? .reloaded : .loaded)
        outcome.rows = try await TableWriter(connector: connector).write(plan.columns, from: "(\(plan.select))", file: file.name, loadID: loadID, on: db)
        didRead?(file)
        try checkUnchanged(file)
        outcome.quarantined = try await FileStaging(connector: connector, existing: existing).csvRejects(on: db).rows
        try await IngestCatalog.recordFile(file, sha256: sha256, outcome: outcome, connector: connector, loadID: loadID, at: now(), on: db)
        return outcome
    }

    /// A writer still appending between the listing and the read shows as a new size or time.
    private func checkUnchanged(_ file: LandingFile) throws {
        let after = try? LandingFiles.stat(file.path, root: root)
        guard after?.size == file.size, after?.modified == file.modified else {
            throw FileChanged(message: "\(file.name) changed while it was read (still being written?); left for the next load")
        }
    }

    private func stageAndWrite(_ file: LandingFile, format: FileFormat, sha256: String, reload: Bool, connector: FileConnector,
                               loadID: String, on db: any WarehouseConnection) async throws -> FileOutcome
    {
        var outcome = FileOutcome(path: file.name, status: reload ? .reloaded : .loaded)
        if file.size > 0 {
            let existing = try await TableWriter.existingColumns(of: connector.into, on: db) ?? []
            let staged = try await FileStaging(connector: connector, existing: existing).stage(file, format: format, on: db)
            didRead?(file)
            try checkUnchanged(file)
            outcome.rows = try await TableWriter(connector: connector).write(staged.columns, from: FileStaging.stage, file: file.name, loadID: loadID, on: db)
            outcome.quarantined = staged.quarantined
        } else {
            outcome.message = "empty file: no rows"
            if try await db.relationKind(connector.into) != nil {
                try await db.execute("delete from \(connector.into) where _ingest_file = \(file.name)")
            }
        }
        try await IngestCatalog.recordFile(file, sha256: sha256, outcome: outcome, connector: connector, loadID: loadID, at: now(), on: db)
        return outcome
    }

    /// `replace`: the table becomes the rows of every file matched now, in one transaction; one
    /// file that cannot be read rolls the whole load back and the table keeps its rows.
    private func replaceAll(_ connector: FileConnector, files: [(file: LandingFile, format: FileFormat, sha256: String, changed: Bool)],
                            ledger: [String: IngestCatalog.LedgerEntry], loadID: String,
                            outcomes settled: [FileOutcome], on db: any WarehouseConnection) async throws -> ([FileOutcome], String?)
    {
        var outcomes: [FileOutcome] = []
        var current = ""
        do {
            try await db.transaction {
                try await db.execute(SQL(unsafeRaw: "drop table if exists \(connector.into.quoted)"))
                try await IngestCatalog.forget(connector: connector.name, on: db)
                for (file, format, digest, _) in files {
                    current = file.name
                    outcomes.append(try await stageAndWrite(file, format: format, sha256: digest, reload: ledger[file.name] != nil,
                                                            connector: connector, loadID: loadID, on: db))
                }
            }
        } catch {
            let message = Self.describe(error, file: current)
            let failed = files.map(\.file).map { file in
                FileOutcome(path: file.name, status: .failed, message: file.name == current ? message : "not loaded: the replace rolled back")
            }
            return (settled.filter { $0.status == .settling } + failed, "\(message); the replace rolled back and \(connector.into) keeps its earlier rows")
        }
        return (settled.filter { $0.status == .settling } + outcomes, nil)
    }

    /// DuckDB's messages name the file; this keeps them on one line and says which file when they do not.
    static func describe(_ error: any Error, file: String) -> String {
        let text = String(describing: error).replacingOccurrences(of: "\n", with: " ")
        return text.contains(file) ? text : "\(file): \(text)"
    }

    private struct FileChanged: Error { var message: String }
    private struct StageInstead: Error {}
}
