import CDuckDB
import Dispatch
import Foundation
import WarehouseKit

/// The embedded default warehouse: a DuckDB database file (or `:memory:`) opened in-process.
///
/// One database handle, one connection that writes (writes are serialised), and a small pool of
/// reading connections. DuckDB's MVCC gives each reader a consistent snapshot while a write runs.
///
/// ```swift
/// let warehouse = try DuckDBWarehouse(path: "storehouse.duckdb")
/// let answer = try await warehouse.read { try await $0.query("select 42").scalar }
/// ```
public final class DuckDBWarehouse: Warehouse, @unchecked Sendable {
    public let path: String
    public let dialect = SQLDialect.duckdb

    /// Opened with `sandboxSettings`.
    public let isSandboxed: Bool

    /// What a sandboxed database turns off. `lock_configuration` keeps every connection,
    /// the owner's included, from setting any of it back with `SET`.
    static let sandboxSettings: [(String, String)] = [
        ("enable_external_access", "false"),
        ("autoinstall_known_extensions", "false"),
        ("autoload_known_extensions", "false"),
        ("allow_community_extensions", "false"),
        ("allow_unsigned_extensions", "false"),
        // Else DuckDB's secret manager looks for ~/.duckdb/stored_secrets on first use.
        ("allow_persistent_secrets", "false"),
        ("lock_configuration", "true"),
    ]

    private var database: duckdb_database?
    private let lock = NSLock()
    private var idleReaders: [DuckDBConnection] = []
    private var writer: DuckDBConnection?
    private var isClosed = false
    /// The worker threads now, when the caller chose them at open (nil: the profile's or DuckDB's
    /// own choice, left alone).
    private var chosenThreads: Int?
    private let writeGate = WriterGate()

    /// Opens (or creates) a database.
    /// - Parameters:
    ///   - path: a file path, or `:memory:` for a private in-memory database.
    ///   - readOnly: open the file so no connection can write (several processes may read).
    ///   - threads: DuckDB worker threads; nil lets DuckDB use every core.
    ///   - settings: DuckDB settings applied when the database opens, in order (a profile's
    ///     `settings:` block, as dbt-duckdb takes it: `memory_limit: 4GB`, `threads: 2`, …).
    ///     An explicit `threads` wins over a `threads` setting.
    ///   - sandboxed: no connection may reach beyond the database: no files or network
    ///     (`enable_external_access`), no extension installs or loads, configuration locked.
    ///     `runReadOnly` needs it (see `DuckDBWarehouse+ReadOnlyQuery.swift` for why it is a
    ///     property of the whole database). Loads through the appender are unaffected.
    ///   - allowedDirectories: folders a sandboxed database may still read and write files in
    ///     (DuckDB's `allowed_directories`): `serve`'s landing folders and export destinations,
    ///     so its jobs can load and export files.
    public init(path: String, readOnly: Bool = false, threads: Int? = nil, settings: [(name: String, value: String)] = [],
                sandboxed: Bool = false, allowedDirectories: [String] = []) throws {
        self.path = path
        self.isSandboxed = sandboxed
        var config: duckdb_config?
        guard duckdb_create_config(&config) == DuckDBSuccess else {
            throw WarehouseError(.connection, "DuckDB could not allocate a configuration")
        }
        defer { duckdb_destroy_config(&config) }
        // DuckDB takes any name here and rejects unknown ones when the database opens (below).
        for setting in settings where duckdb_set_config(config, setting.name, setting.value) != DuckDBSuccess {
            throw WarehouseError(.connection, "DuckDB does not accept the setting \(setting.name) = '\(setting.value)' for \(path)"
                + "\n  hint: check the name and value under `settings:` in profiles.yml against DuckDB's `select * from duckdb_settings()`")
        }
        if readOnly { duckdb_set_config(config, "access_mode", "READ_ONLY") }
        if let threads { duckdb_set_config(config, "threads", String(threads)) }
        chosenThreads = sandboxed ? nil : threads
        // Set after the profile's settings so none of them can loosen the sandbox. DuckDB takes
        // allowed_directories only once the database runs and only while external access is on,
        // so with folders to allow, those two switches are thrown after opening (below).
        let allowing = sandboxed && !allowedDirectories.isEmpty
        let deferred: Set<String> = allowing ? ["enable_external_access", "lock_configuration"] : []
        if sandboxed {
            for (name, value) in DuckDBWarehouse.sandboxSettings where !deferred.contains(name) && duckdb_set_config(config, name, value) != DuckDBSuccess {
                throw WarehouseError(.connection, "DuckDB \(DuckDBWarehouse.libraryVersion) does not accept the sandbox setting \(name) = \(value)")
            }
        }

        func open() -> String? {
            var errorText: UnsafeMutablePointer<CChar>?
            guard duckdb_open_ext(path == ":memory:" ? nil : path, &database, config, &errorText) != DuckDBSuccess else { return nil }
            defer { if let errorText { duckdb_free(errorText) } }
            return errorText.map { String(cString: $0) } ?? "unknown error"
        }
        if var message = open() {
            // Read-only opens too: DuckDB refuses the file while the stale log sits beside it, and
            // a reader (query, serve --read-only) should not wait for a writer to come by.
            if let aside = DuckDBWarehouse.setAsideStaleWAL(path: path, message: message) {
                FileHandle.standardError.write(Data("note: \(path) had a write-ahead log from before its last checkpoint (a process was stopped while it checkpointed); its changes are already in the file, so the log was moved to \(aside)\n".utf8))
                message = open() ?? ""
            }
            if !message.isEmpty {
                throw WarehouseError(.connection, DuckDBWarehouse.explainOpenFailure(path: path, message: message))
            }
        }
        if allowing {
            let folders = allowedDirectories.map { SQL.quoteLiteral($0.hasSuffix("/") ? $0 : $0 + "/") }.joined(separator: ", ")
            var connection: duckdb_connection?
            defer { if connection != nil { duckdb_disconnect(&connection) } }
            let statements = ["set allowed_directories = [\(folders)]", "set enable_external_access = false", "set lock_configuration = true"]
            guard duckdb_connect(database, &connection) == DuckDBSuccess,
                  statements.allSatisfy({ duckdb_query(connection, $0, nil) == DuckDBSuccess }) else {
                duckdb_close(&database)
                throw WarehouseError(.connection, "DuckDB could not restrict \(path)'s file access to \(allowedDirectories.joined(separator: ", "))")
            }
        }
    }

    deinit {
        for connection in idleReaders { connection.disconnect() }
        writer?.disconnect()
        if database != nil { duckdb_close(&database) }
    }

    /// DuckDB's `threads` for a database that `concurrentQueries` callers query at once.
    ///
    /// DuckDB runs a query on the calling thread plus `threads - 1` shared background workers, so
    /// with every core as workers (DuckDB's default) N concurrent queries put cores + N - 1 busy
    /// threads on the cores. Callers plus workers = cores avoids that: measured on the bundled
    /// project at scale 1.0 on 2 cores with 2 nodes at once, threads 1 instead of 2 took the build
    /// from 9.7–10.0 s to 8.5–8.7 s and its CPU time from 18 s to 15 s.
    public static func workerThreads(forConcurrentQueries concurrentQueries: Int,
                                     cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        max(1, cores - max(1, concurrentQueries) + 1)
    }

    /// Sizes the worker threads to `count` concurrent queries (`workerThreads`): a lone query
    /// that holds up the rest of a build gets every core, several at once share them. Only when
    /// the threads were chosen at open: a profile's `threads` setting stands. A sandboxed database
    /// locks its configuration, so it keeps its threads too.
    public func expectConcurrentQueries(_ count: Int) async {
        let wanted = Self.workerThreads(forConcurrentQueries: count)
        let database: duckdb_database? = lock.withLock {
            guard let current = chosenThreads, current != wanted, !isClosed else { return nil }
            chosenThreads = wanted
            return self.database
        }
        guard let database else { return }
        // A connection of its own: the pooled ones may be running the very query this speeds up.
        var connection: duckdb_connection?
        guard duckdb_connect(database, &connection) == DuckDBSuccess else { return }
        defer { duckdb_disconnect(&connection) }
        _ = duckdb_query(connection, "set threads = \(wanted)", nil)
    }

    /// The DuckDB library's version, such as `v2.0.0`.
    public static var libraryVersion: String { String(cString: duckdb_library_version()) }

    public func read<T: Sendable>(_ body: @Sendable (any WarehouseConnection) async throws -> T) async throws -> T {
        let connection = try checkOutReader()
        defer { checkIn(reader: connection) }
        return try await body(connection)
    }

    public func write<T: Sendable>(_ body: @Sendable (any WarehouseConnection) async throws -> T) async throws -> T {
        try await writeGate.serialise { try await body(try self.writerConnection()) }
    }

    public func session<T: Sendable>(_ body: @Sendable (any WarehouseConnection) async throws -> T) async throws -> T {
        // A pooled connection of its own: DuckDB's MVCC lets several connections write at once.
        try await read(body)
    }

    /// Disconnects and closes the database. Closing the last handle makes DuckDB checkpoint a
    /// file it may write: the WAL is merged into the file and removed, so the file alone holds
    /// every committed row (a copy of just the `.duckdb` file is complete). A checkpoint that
    /// fails leaves the WAL beside the file, and the next open replays it.
    public func close() async {
        let (connections, handle): ([DuckDBConnection], duckdb_database?) = lock.withLock {
            isClosed = true
            defer { idleReaders = []; writer = nil; database = nil }
            return (idleReaders + (writer.map { [$0] } ?? []), database)
        }
        for connection in connections { connection.disconnect() }
        guard handle != nil else { return }
        // The handle left the warehouse's state above; this closure is its only user now.
        nonisolated(unsafe) var closing = handle
        // Closing blocks while DuckDB checkpoints; keep it off Swift's cooperative threads.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                duckdb_close(&closing)
                done.resume()
            }
        }
    }

    func openConnection() throws -> DuckDBConnection {
        lock.lock()
        defer { lock.unlock() }
        return try openConnectionLocked()
    }

    private func openConnectionLocked() throws -> DuckDBConnection {
        guard !isClosed, database != nil else { throw WarehouseError(.connection, "the warehouse at \(path) is closed") }
        var handle: duckdb_connection?
        guard duckdb_connect(database, &handle) == DuckDBSuccess, let handle else {
            throw WarehouseError(.connection, "DuckDB could not open a connection to \(path)")
        }
        return DuckDBConnection(handle: handle)
    }

    private func checkOutReader() throws -> DuckDBConnection {
        lock.lock()
        defer { lock.unlock() }
        if let connection = idleReaders.popLast() { return connection }
        return try openConnectionLocked()
    }

    private func checkIn(reader: DuckDBConnection) {
        lock.lock()
        defer { lock.unlock() }
        if isClosed || idleReaders.count >= 8 { reader.disconnect() } else { idleReaders.append(reader) }
    }

    private func writerConnection() throws -> DuckDBConnection {
        lock.lock()
        defer { lock.unlock() }
        if let writer { return writer }
        let connection = try openConnectionLocked()
        writer = connection
        return connection
    }

    /// A process stopped after a checkpoint wrote the database file but before it removed the
    /// write-ahead log leaves a log DuckDB 2.0 refuses to open with ("the WAL was created for an
    /// older version of this database"): everything in it is already in the file. Such a log is
    /// moved aside (kept, never deleted) so the warehouse opens; returns where, or nil when the
    /// failure is another one.
    static func setAsideStaleWAL(path: String, message: String) -> String? {
        guard message.contains("WAL checkpoint iteration does not match"), message.contains("created for an older version") else { return nil }
        return moveWALAside(path: path)
    }

    /// Moves `path`'s write-ahead log to `<path>.wal.stale-<seconds>` (kept, never deleted); returns where.
    static func moveWALAside(path: String) -> String? {
        let wal = path + ".wal"
        var aside = wal + ".stale-" + String(Int(Date().timeIntervalSince1970))
        // Never over an earlier one (two in the same second).
        var copy = 1
        while FileManager.default.fileExists(atPath: aside + (copy > 1 ? "-\(copy)" : "")) { copy += 1 }
        if copy > 1 { aside += "-\(copy)" }
        guard (try? FileManager.default.moveItem(atPath: wal, toPath: aside)) != nil else { return nil }
        return aside
    }

    static func explainOpenFailure(path: String, message: String) -> String {
        var text = "cannot open the DuckDB warehouse at \(path): \(message)"
        if message.contains("options were not recognized") {
            text += "\n  hint: check the names under `settings:` in profiles.yml against DuckDB's `select name from duckdb_settings()`"
        } else if message.contains("Corrupt database file") {
            text += "\n  hint: the file's metadata does not match its checksum, as after a write cut short (DuckDB 2.0 rewrites a metadata block in place while it checkpoints, so a process killed at that instant can leave it half written); restore the file from a copy or generate it again."
        } else if message.contains("Could not set lock") || message.contains("Conflicting lock") {
            text += "\n  hint: another program holds this file (DuckDB names its PID above): a `storehouse generate`, `build` or `query` still running, or another DuckDB client; wait for it or stop it. While `storehouse serve` runs, build, run, test, seed, snapshot, source freshness, docs generate, jobs run and backfill hand their work to it instead."
        } else if message.contains("version") || message.contains("format") {
            text += "\n  hint: the file was written by another DuckDB version; this build uses \(libraryVersion)."
        }
        return text
    }
}
