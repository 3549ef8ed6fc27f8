import Foundation

/// Where and how to reach a PostgreSQL server, as a profile (`profiles.yml`) describes it.
///
/// `host` is a hostname or IP address, or — when it starts with `/` — the directory holding the
/// server's unix socket (`/var/run/postgresql`), as libpq reads it. The password never appears in
/// `description`, so a configuration can be logged.
public struct PostgresConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// Whether to encrypt the connection, with libpq's meanings.
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        /// Plain TCP, never TLS.
        case disable
        /// TLS when the server offers it, plain otherwise; the certificate is not verified.
        case prefer
        /// TLS or fail; the certificate is not verified (libpq's `require`).
        case require
        /// TLS or fail, with the certificate checked against the system trust roots and `host`.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    /// The schema unqualified names resolve to and are created in (`search_path`).
    public var schema: String
    public var tls: TLSMode
    /// How long to wait for a connection to be established, in seconds.
    public var connectTimeout: Double
    /// The server cancels any statement running longer than this (`statement_timeout`); nil for no limit.
    public var statementTimeout: Double?
    /// The most server connections the warehouse opens at once (at least 2: one writer, one reader).
    public var poolSize: Int
    /// Where these settings were written, named in error hints ("profiles.yml", "the --db URL").
    public var origin = "profiles.yml"

    public init(host: String = "localhost", port: Int = 5432, user: String = "postgres", password: String? = nil,
                database: String = "postgres", schema: String = "public", tls: TLSMode = .prefer,
                connectTimeout: Double = 10, statementTimeout: Double? = nil, poolSize: Int = 4)
    {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.schema = schema
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.statementTimeout = statementTimeout
        self.poolSize = poolSize
    }

    /// True when `host` names a unix socket directory rather than a network host.
    public var usesUnixSocket: Bool { host.hasPrefix("/") }

    /// The socket file inside the socket directory, named as the server names it.
    public var unixSocketPath: String {
        (host.hasSuffix("/") ? String(host.dropLast()) : host) + "/.s.PGSQL.\(port)"
    }

    /// `host:port` (or `socketdir:port`), the way error messages name the server.
    public var endpoint: String { "\(host):\(port)" }

    /// Everything but the password, which shows as `***` when set.
    public var description: String {
        var parts = ["host=\(host)", "port=\(port)", "user=\(user)"]
        if password != nil { parts.append("password=***") }
        parts += ["database=\(database)", "schema=\(schema)", "tls=\(tls.rawValue)", "pool=\(poolSize)"]
        if let statementTimeout { parts.append("statement_timeout=\(statementTimeout)s") }
        return "PostgresConfiguration(" + parts.joined(separator: " ") + ")"
    }

    /// A configuration from `STOREHOUSE_PG_HOST`, `STOREHOUSE_PG_PORT`, `STOREHOUSE_PG_USER`,
    /// `STOREHOUSE_PG_PASSWORD` and `STOREHOUSE_PG_DATABASE` (what `scripts/with-postgres.sh`
    /// exports); nil when `STOREHOUSE_PG_HOST` is not set.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> PostgresConfiguration? {
        guard let host = environment["STOREHOUSE_PG_HOST"], !host.isEmpty else { return nil }
        var configuration = PostgresConfiguration(host: host)
        if let port = environment["STOREHOUSE_PG_PORT"].flatMap(Int.init) { configuration.port = port }
        if let user = environment["STOREHOUSE_PG_USER"], !user.isEmpty { configuration.user = user }
        if let password = environment["STOREHOUSE_PG_PASSWORD"], !password.isEmpty { configuration.password = password }
        if let database = environment["STOREHOUSE_PG_DATABASE"], !database.isEmpty { configuration.database = database }
        return configuration
    }
}
