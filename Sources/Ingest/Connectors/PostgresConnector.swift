import Foundation
import WarehouseKit

/// Tables of a PostgreSQL schema loaded into the warehouse, one table each.
public struct PostgresConnector: Sendable, Hashable {
    public var name: String
    /// `postgres://user:password@host:5432/db` (or `?host=/socket/dir`); read from `url_env` when
    /// the file names an environment variable instead, so passwords stay out of the project.
    public var url: String?
    /// The environment variable holding the URL (`url_env:`), when `url` is not written out.
    public var urlVariable: String?
    public var schema: String
    /// The tables to load; empty for every table of the schema.
    public var tables: [String]
    /// Where the tables land (`raw.<table>` by default).
    public var intoSchema: String
    /// A column that grows with every insert and update (`updated_at`): tables that have it load
    /// incrementally — rows whose value is at or past the saved cursor, merged on the table's
    /// primary key. Tables without it are loaded whole each time.
    public var cursorColumn: String?
    /// Rows fetched per round trip; memory stays bounded by one chunk.
    public var chunkRows: Int
    public var description: String
    public var location: String

    public init(name: String, url: String?, urlVariable: String? = nil, schema: String = "public", tables: [String] = [], intoSchema: String = "raw",
                cursorColumn: String? = nil, chunkRows: Int = 10_000, description: String = "", location: String = "command line")
    {
        self.name = name
        self.url = url
        self.urlVariable = urlVariable
        self.schema = schema
        self.tables = tables
        self.intoSchema = intoSchema
        self.cursorColumn = cursorColumn
        self.chunkRows = chunkRows
        self.description = description
        self.location = location
    }
}

extension PostgresConnector {
    /// The URL to connect with: written out, or read from the variable `url_env` names.
    public func resolvedURL(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let url { return url }
        guard let variable = urlVariable, let value = environment[variable], !value.isEmpty else {
            throw IngestError("\(location): connector \(name) reads its database URL from $\(urlVariable ?? "?"), which is not set",
                              hint: "export \(urlVariable ?? "THE_VARIABLE")=postgres://user:password@host:5432/database")
        }
        return value
    }
}

/// A declared connector of any kind.
public enum Connector: Sendable, Hashable {
    case files(FileConnector)
    case postgres(PostgresConnector)
    case rest(RestConnector)

    public var name: String {
        switch self {
        case .files(let c): c.name
        case .postgres(let c): c.name
        case .rest(let c): c.name
        }
    }

    public var location: String {
        switch self {
        case .files(let c): c.location
        case .postgres(let c): c.location
        case .rest(let c): c.location
        }
    }
}
