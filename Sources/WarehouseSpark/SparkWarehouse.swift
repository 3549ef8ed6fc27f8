import Foundation
import WarehouseKit

/// Apache Spark as the warehouse, through a Spark Connect server (a local one started from
/// pyspark, a cluster's, or a managed endpoint with a token).
///
/// One Spark Connect session serves every connection: Spark runs a session's plans concurrently,
/// so `read` and `session` closures run at once and `write` closures one at a time (the gate is
/// ours; Spark has no transactions). The session is set up once: ANSI mode with double-quoted
/// identifiers (so the SQL written for DuckDB and PostgreSQL quotes names the same way), UTC as
/// the session time zone, and the configured schema as the current one (created if missing).
///
/// ```swift
/// let warehouse = try await SparkWarehouse.connect(SparkConfiguration(host: "localhost"))
/// let n = try await warehouse.read { try await $0.query("select count(*) from raw.orders").scalar }
/// await warehouse.close()
/// ```
public final class SparkWarehouse: Warehouse, Sendable, CustomStringConvertible {
    public let configuration: SparkConfiguration
    public let dialect = SQLDialect.spark
    private let session: SparkConnectSession
    private let writeGate = WriterGate()

    /// The settings every session starts with.
    static let sessionSettings = [
        ("spark.sql.ansi.enabled", "true"),
        ("spark.sql.ansi.doubleQuotedIdentifiers", "true"),
        ("spark.sql.session.timeZone", "UTC"),
    ]

    private init(configuration: SparkConfiguration) throws {
        self.configuration = configuration
        session = try SparkConnectSession(configuration: configuration)
    }

    /// Connects, sets the session up and checks the server answers, so a wrong host, port or
    /// token is reported now rather than at the first model.
    public static func connect(_ configuration: SparkConfiguration) async throws -> SparkWarehouse {
        let warehouse = try SparkWarehouse(configuration: configuration)
        do {
            let connection = SparkWarehouseConnection(session: warehouse.session)
            for (name, value) in sessionSettings { try await connection.run(command: "set \(name)=\(value)", parameters: []) }
            try await connection.run(command: "create schema if not exists \(SQL.quoteIdentifier(configuration.schema))", parameters: [])
            try await connection.run(command: "use \(SQL.quoteIdentifier(configuration.schema))", parameters: [])
        } catch {
            await warehouse.close()
            throw error
        }
        return warehouse
    }

    public var description: String { "SparkWarehouse(\(configuration))" }

    public func read<T: Sendable>(_ body: @Sendable (any WarehouseConnection) async throws -> T) async throws -> T {
        try await body(SparkWarehouseConnection(session: session))
    }

    public func write<T: Sendable>(_ body: @Sendable (any WarehouseConnection) async throws -> T) async throws -> T {
        try await writeGate.serialise { try await body(SparkWarehouseConnection(session: self.session)) }
    }

    public func session<T: Sendable>(_ body: @Sendable (any WarehouseConnection) async throws -> T) async throws -> T {
        try await read(body)
    }

    public func close() async {
        await session.close()
    }
}
