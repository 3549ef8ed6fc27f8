import Foundation
import PostgresNIO
import WarehouseKit

/// A PostgreSQL server as the warehouse, through postgres-nio.
///
/// Connections come from a small pool (`configuration.poolSize`, opened on demand). `read` borrows
/// any pooled connection; `write` first passes a gate that admits one writer at a time, then
/// borrows one the same way. Each closure gets a connection pinned to one server backend for its
/// whole duration, so transactions (`BEGIN … COMMIT`) and session settings stay together.
/// Readers run in READ COMMITTED: each statement sees the data committed when it started.
///
/// Sessions use `search_path` = `configuration.schema`, `TimeZone` = UTC and, when configured,
/// `statement_timeout`.
///
/// ```swift
/// let warehouse = PostgresWarehouse(configuration: .init(host: "/var/run/postgresql", database: "shop"))
/// let n = try await warehouse.read { try await $0.query("select count(*) from raw.orders").scalar }
/// await warehouse.close()
/// ```
public final class PostgresWarehouse: Warehouse, Sendable, CustomStringConvertible {
    public let configuration: PostgresConfiguration
    public let dialect = SQLDialect.postgres
    private let pool: PostgresConnectionPool
    private let writeGate = WriterGate()
    private let logger: Logger

    /// Creates the warehouse; no connection is opened until the first `read` or `write`
    /// (call `checkConnection()` to fail early on a bad profile).
    public init(configuration: PostgresConfiguration) {
        self.configuration = configuration
        var logger = Logger(label: "storehouse.postgres")
        logger.logLevel = .critical
        self.logger = logger
        pool = PostgresConnectionPool(configuration: configuration, logger: logger)
    }

    public var description: String { "PostgresWarehouse(\(configuration))" }

    /// Opens a connection and runs `select 1`, so a wrong host, password or database is reported now.
    public func checkConnection() async throws {
        _ = try await read { try await $0.query("select 1") }
    }

    public func read<T: Sendable>(_ body: @Sendable (any WarehouseConnection) async throws -> T) async throws -> T {
        try await borrow(body)
    }

    public func write<T: Sendable>(_ body: @Sendable (any WarehouseConnection) async throws -> T) async throws -> T {
        try await writeGate.serialise { try await self.borrow(body) }
    }

    /// A connection of its own, outside the write gate: PostgreSQL's transactions keep
    /// concurrent sessions apart (a conflict surfaces as a serialization or lock error).
    public func session<T: Sendable>(_ body: @Sendable (any WarehouseConnection) async throws -> T) async throws -> T {
        try await borrow(body)
    }

    public func close() async {
        await pool.close()
    }

    private func borrow<T: Sendable>(_ body: @Sendable (any WarehouseConnection) async throws -> T) async throws -> T {
        let connection = try await pool.checkOut()
        let borrowed = PostgresWarehouseConnection(connection: connection, configuration: configuration, logger: logger)
        do {
            let result = try await body(borrowed)
            await borrowed.release()
            await pool.checkIn(connection)
            return result
        } catch {
            await borrowed.release()
            // The closure may have left a transaction open (or failed inside one); end it so
            // the next borrower starts clean. Outside a transaction this is a harmless warning.
            if !connection.isClosed {
                let rollback: EventLoopFuture<PostgresQueryResult> = connection.query("ROLLBACK", logger: logger)
                if (try? await rollback.get()) == nil { try? await connection.close() }
            }
            await pool.checkIn(connection)
            throw error
        }
    }
}

/// Open server connections, handed out one borrower at a time; at most `poolSize` exist at once.
/// When all are busy, borrowers wait in FIFO order.
actor PostgresConnectionPool {
    private let configuration: PostgresConfiguration
    private let logger: Logger
    private let maxConnections: Int
    private var idle: [PostgresConnection] = []
    /// Connections open or being opened, including those lent out.
    private var openCount = 0
    /// What a waiting borrower is handed.
    private enum Handoff {
        case connection(PostgresConnection)
        /// A slot is yours (counted in `openCount`): open a connection.
        case slot
        /// The pool closed, or the waiting task was cancelled.
        case none
    }
    /// Borrowers waiting for a connection, first come first served; the id lets a cancelled one leave.
    private var waiters: [(id: Int, continuation: CheckedContinuation<Handoff, Never>)] = []
    private var nextWaiterID = 1
    private var isClosed = false
    private var nextID = 1
    private var connectConfiguration: PostgresConnection.Configuration?

    init(configuration: PostgresConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        maxConnections = max(2, configuration.poolSize)
    }

    /// A warehouse dropped without `close()` (an error thrown past it, say) must not leak its
    /// connections: each is closed, and kept alive by the close's own callback until it is.
    deinit {
        for connection in idle {
            connection.close().whenComplete { _ in _ = connection }
        }
    }

    func checkOut() async throws -> PostgresConnection {
        try checkOpen()
        while let connection = idle.popLast() {
            if !connection.isClosed { return connection }
            openCount -= 1
        }
        if openCount < maxConnections {
            openCount += 1
            return try await open()
        }
        try Task.checkCancellation()
        let waiterID = nextWaiterID
        nextWaiterID += 1
        let handoff = await withTaskCancellationHandler {
            await withCheckedContinuation { waiters.append((waiterID, $0)) }
        } onCancel: {
            Task { await self.cancelWaiter(waiterID) }
        }
        switch handoff {
        case .connection(let connection): return connection
        case .slot: return try await open()
        case .none:
            try checkOpen()
            throw CancellationError()
        }
    }

    /// A borrower that gave up waiting (its task was cancelled) leaves the queue at once.
    private func cancelWaiter(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(returning: .none)
    }

    func checkIn(_ connection: PostgresConnection) async {
        if isClosed || connection.isClosed {
            openCount -= 1
            try? await connection.close()
            passSlotToWaiter()
            return
        }
        if waiters.isEmpty { idle.append(connection) } else { waiters.removeFirst().continuation.resume(returning: .connection(connection)) }
    }

    func close() async {
        isClosed = true
        let connections = idle
        idle = []
        openCount -= connections.count
        for waiter in waiters { waiter.continuation.resume(returning: .none) }
        waiters = []
        for connection in connections { try? await connection.close() }
    }

    private func checkOpen() throws {
        if isClosed { throw WarehouseError(.connection, "the PostgreSQL warehouse at \(configuration.endpoint) is closed") }
    }

    private func passSlotToWaiter() {
        guard !isClosed, !waiters.isEmpty else { return }
        openCount += 1
        waiters.removeFirst().continuation.resume(returning: .slot)
    }

    /// Opens a connection for a slot already counted in `openCount`.
    private func open() async throws -> PostgresConnection {
        do {
            let settings = try connectSettings()
            let id = nextID
            nextID += 1
            return try await PostgresConnection.connect(configuration: settings, id: id, logger: logger)
        } catch {
            openCount -= 1
            passSlotToWaiter()
            if let error = error as? WarehouseError { throw error }
            throw PostgresErrors.connectFailure(error, configuration: configuration)
        }
    }

    private func connectSettings() throws -> PostgresConnection.Configuration {
        if let connectConfiguration { return connectConfiguration }
        var settings: PostgresConnection.Configuration
        if configuration.usesUnixSocket {
            settings = .init(unixSocketPath: configuration.unixSocketPath, username: configuration.user,
                             password: configuration.password, database: configuration.database)
        } else {
            settings = .init(host: configuration.host, port: configuration.port, username: configuration.user,
                             password: configuration.password, database: configuration.database, tls: try tlsSettings())
        }
        settings.options.connectTimeout = .milliseconds(Int64(configuration.connectTimeout * 1000))
        var parameters = [
            ("application_name", "storehouse"),
            ("search_path", SQL.quoteIdentifier(configuration.schema)),
            ("TimeZone", "UTC"),
        ]
        if let timeout = configuration.statementTimeout {
            parameters.append(("statement_timeout", String(max(1, Int((timeout * 1000).rounded())))))
        }
        settings.options.additionalStartupParameters = parameters
        connectConfiguration = settings
        return settings
    }

    private func tlsSettings() throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        if configuration.tls != .verifyFull { tls.certificateVerification = .none }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: tls)
        } catch {
            throw WarehouseError(.connection, "cannot set up TLS for PostgreSQL at \(configuration.endpoint): \(error)")
        }
        switch configuration.tls {
        case .disable: return .disable
        case .prefer: return .prefer(context)
        case .require, .verifyFull: return .require(context)
        }
    }
}
