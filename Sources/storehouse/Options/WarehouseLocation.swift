import Foundation
import TransformProject
import WarehouseDuckDB
import WarehouseKit
import WarehousePostgres
import WarehouseSpark

/// Which warehouse a command talks to: an embedded DuckDB file, or a PostgreSQL server named by
/// a URL (`postgres://user:password@host:5432/db?schema=analytics`, or with a unix socket folder:
/// `postgres://postgres@/storehouse?host=/var/run/postgresql&port=5432`), or a Spark Connect
/// server (`sc://host:15002`, `sc://host:443/;token=…` for a managed endpoint).
enum WarehouseLocation: CustomStringConvertible {
    /// A DuckDB file, with the profile's `settings:` applied when it opens.
    case duckdb(path: String, settings: [(name: String, value: String)] = [])
    case postgres(PostgresConfiguration)
    case spark(SparkConfiguration)

    init(parsing text: String) throws {
        if text.hasPrefix("sc://") {
            do { self = .spark(try SparkConfiguration(url: text)) } catch let error as SparkConfigurationError {
                throw CLIError(error.message, hint: error.hint)
            }
            return
        }
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") else {
            self = .duckdb(path: text)
            return
        }
        guard let url = URLComponents(string: text) else {
            throw CLIError("'\(WarehouseLocation.redacted(text))' is not a valid PostgreSQL URL",
                           hint: "write it as postgres://user:password@host:5432/database?schema=name")
        }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        var configuration = PostgresConfiguration()
        configuration.origin = "the --db URL"
        guard let host = query["host"] ?? url.host, !host.isEmpty else {
            throw CLIError("'\(WarehouseLocation.redacted(text))' names no server",
                           hint: "write it as postgres://user:password@host:5432/database (or ?host=/var/run/postgresql for a local socket)")
        }
        configuration.host = host
        if let port = query["port"] {
            guard let number = Int(port), (1...65535).contains(number) else {
                throw CLIError("port '\(port)' in '\(WarehouseLocation.redacted(text))' is not a port number", hint: "ports are whole numbers from 1 to 65535, e.g. 5432")
            }
            configuration.port = number
        } else if let port = url.port {
            configuration.port = port
        }
        if let user = url.user, !user.isEmpty { configuration.user = user }
        configuration.password = url.password
        let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        if !database.isEmpty { configuration.database = database }
        if let schema = query["schema"], !schema.isEmpty { configuration.schema = schema }
        if let mode = query["sslmode"] {
            guard let tls = PostgresConfiguration.TLSMode(rawValue: mode) else {
                throw CLIError("sslmode '\(mode)' is not one of \(PostgresConfiguration.TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            configuration.tls = tls
        }
        self = .postgres(configuration)
    }

    /// A profile target's warehouse (`type: duckdb` with `path`, or `type: postgres`).
    init(target: TargetProfile) throws {
        switch target.type {
        case "duckdb":
            self = .duckdb(path: target.path ?? ":memory:", settings: try WarehouseLocation.duckdbSettings(of: target))
        case "postgres":
            var configuration = PostgresConfiguration()
            configuration.host = target.host ?? "localhost"
            if let port = target.setting("port"), target.port == nil {
                throw CLIError("profile target '\(target.name)' has port '\(port.stringValue ?? String(describing: port))', which is not a port number",
                               hint: "set port: to a whole number such as 5432 in profiles.yml")
            }
            configuration.port = target.port ?? 5432
            configuration.user = target.user ?? "postgres"
            configuration.password = target.password.flatMap { $0.isEmpty ? nil : $0 }
            configuration.database = target.setting("dbname")?.stringValue ?? target.setting("database")?.stringValue ?? target.database
            configuration.schema = target.schema
            configuration.poolSize = max(2, target.threads + 1)
            if let mode = target.setting("sslmode")?.stringValue, let tls = PostgresConfiguration.TLSMode(rawValue: mode) {
                configuration.tls = tls
            }
            self = .postgres(configuration)
        case "spark":
            var configuration = SparkConfiguration()
            configuration.origin = "profile target '\(target.name)'"
            configuration.host = target.host ?? "localhost"
            if let port = target.setting("port"), target.port == nil {
                throw CLIError("profile target '\(target.name)' has port '\(port.stringValue ?? String(describing: port))', which is not a port number",
                               hint: "set port: to a whole number such as 15002 in profiles.yml")
            }
            configuration.port = target.port ?? 15002
            configuration.token = target.setting("token")?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            if let flag = target.setting("use_ssl") {
                guard let useSSL = flag.boolValue ?? flag.stringValue.flatMap({ ["true": true, "false": false][$0.lowercased()] }) else {
                    throw CLIError("profile target '\(target.name)' has use_ssl '\(flag.stringValue ?? String(describing: flag))', which is not true or false",
                                   hint: "set use_ssl: true (TLS, as managed endpoints need) or false in profiles.yml")
                }
                configuration.useSSL = useSSL
            } else {
                configuration.useSSL = configuration.token != nil
            }
            configuration.schema = target.schema
            if let user = target.user { configuration.user = user }
            self = .spark(configuration)
        default:
            throw CLIError("profile target '\(target.name)' has type '\(target.type)'; Storehouse connects to duckdb, postgres and spark",
                           hint: "set type: duckdb (with path), type: postgres or type: spark (Spark Connect: host, port) in profiles.yml")
        }
    }

    /// Opens the warehouse. `forUntrustedReads` opens it for `runReadOnly` alone: a DuckDB file
    /// read-only (so a read-only folder or file is enough, and nothing can be written) and
    /// sandboxed; it must exist already, since creating an empty one would only hide a wrong path.
    ///
    /// `asOwner` is `serve`'s: writable, for its jobs, and sandboxed, for the SQL explorer's
    /// untrusted reads through the same instance (see DuckDBWarehouse+ReadOnlyQuery), with file
    /// access only in `allowedDirectories` (its jobs' landing folders and export destinations).
    func open(forUntrustedReads: Bool = false, asOwner: Bool = false, duckdbThreads: Int? = nil,
              allowedDirectories: [String] = []) async throws -> any Warehouse {
        switch self {
        case .duckdb(let path, let settings):
            guard forUntrustedReads else {
                return try DuckDBWarehouse(path: path, threads: duckdbThreads, settings: settings, sandboxed: asOwner,
                                           allowedDirectories: asOwner ? allowedDirectories : [])
            }
            // An in-memory database cannot be opened read-only; it holds nothing to protect.
            if path == ":memory:" { return try DuckDBWarehouse(path: path, threads: duckdbThreads, settings: settings, sandboxed: true) }
            guard FileManager.default.fileExists(atPath: path) else {
                throw CLIError("there is no warehouse at \(path)",
                               hint: "make one with `storehouse generate --db \(path)` (or `storehouse demo --db \(path)`), or point --db or STOREHOUSE_DB at an existing warehouse")
            }
            return try DuckDBWarehouse(path: path, readOnly: true, threads: duckdbThreads, settings: settings, sandboxed: true)
        case .postgres(let configuration):
            let warehouse = PostgresWarehouse(configuration: configuration)
            try await warehouse.checkConnection()
            return warehouse
        case .spark(let configuration):
            // Spark runs nothing read-only; `runReadOnly` refuses (the SQL explorer says so).
            return try await SparkWarehouse.connect(configuration)
        }
    }

    /// DuckDB's thread count for running `concurrentQueries` nodes at once (see
    /// `DuckDBWarehouse.workerThreads`), unless the profile's `settings:` names `threads` itself;
    /// nil for other warehouses.
    func duckdbThreads(forConcurrentQueries concurrentQueries: Int) -> Int? {
        guard case .duckdb(_, let settings) = self, !settings.contains(where: { $0.name == "threads" }) else { return nil }
        return DuckDBWarehouse.workerThreads(forConcurrentQueries: concurrentQueries)
    }

    var description: String {
        switch self {
        case .duckdb(let path, _): return path
        case .postgres(let configuration): return "postgres \(configuration.user)@\(configuration.endpoint)/\(configuration.database)"
        case .spark(let configuration): return "spark sc://\(configuration.endpoint) schema \(configuration.schema)"
        }
    }

    /// Environment for loading the bundled project against this warehouse: its profile reads the
    /// target and connection from these variables.
    var projectEnvironment: [String: String] {
        switch self {
        case .duckdb(let path, _):
            return ["STOREHOUSE_TARGET": "dev", "STOREHOUSE_DB": path]
        case .postgres(let c):
            var env = ["STOREHOUSE_TARGET": "postgres", "STOREHOUSE_PG_HOST": c.host, "STOREHOUSE_PG_PORT": String(c.port),
                       "STOREHOUSE_PG_USER": c.user, "STOREHOUSE_PG_DATABASE": c.database, "STOREHOUSE_PG_SCHEMA": c.schema]
            if let password = c.password { env["STOREHOUSE_PG_PASSWORD"] = password }
            return env
        case .spark(let c):
            var env = ["STOREHOUSE_TARGET": "spark", "STOREHOUSE_SPARK_HOST": c.host, "STOREHOUSE_SPARK_PORT": String(c.port),
                       "STOREHOUSE_SPARK_SCHEMA": c.schema]
            if let token = c.token { env["STOREHOUSE_SPARK_TOKEN"] = token }
            env["STOREHOUSE_SPARK_USE_SSL"] = c.useSSL ? "true" : "false"
            return env
        }
    }

    /// A duckdb target's `settings:` mapping (dbt-duckdb's spelling) as name/value text pairs.
    static func duckdbSettings(of target: TargetProfile) throws -> [(name: String, value: String)] {
        guard let value = target.setting("settings"), !value.isNull else { return [] }
        guard let pairs = value.dictValue else {
            throw CLIError("profile target '\(target.name)': `settings` must be a mapping of DuckDB setting names to values",
                           hint: "for example  settings: {memory_limit: 4GB, threads: 2}")
        }
        return try pairs.map { name, value in
            switch value {
            case .string(let text): return (name, text)
            case .int(let number): return (name, String(number))
            case .double(let number): return (name, String(number))
            case .bool(let flag): return (name, flag ? "true" : "false")
            default:
                throw CLIError("profile target '\(target.name)': setting '\(name)' must be a single value (text, number or true/false)")
            }
        }
    }

    static func redacted(_ text: String) -> String {
        if text.hasPrefix("sc://") { return SparkConfiguration.redacted(text) }
        guard let at = text.firstIndex(of: "@"), let scheme = text.range(of: "://"),
              let colon = text[scheme.upperBound..<at].firstIndex(of: ":") else { return text }
        return String(text[..<text.index(after: colon)]) + "***" + String(text[at...])
    }
}
