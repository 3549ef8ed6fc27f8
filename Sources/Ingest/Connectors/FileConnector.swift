import WarehouseKit

/// The formats a landing folder may hold.
public enum FileFormat: String, Sendable, CaseIterable, Codable {
    case csv, json, ndjson, parquet

    /// The format a file's extension names (`.csv`, `.tsv`, `.json`, `.ndjson`/`.jsonl`, `.parquet`).
    public static func inferred(fromPath path: String) -> FileFormat? {
        let lower = path.lowercased()
        let name = lower.hasSuffix(".gz") ? String(lower.dropLast(3)) : lower
        switch name.split(separator: ".").last.map(String.init) {
        case "csv", "tsv", "txt": return .csv
        case "json": return .json
        case "ndjson", "jsonl": return .ndjson
        case "parquet", "pq": return .parquet
        default: return nil
        }
    }
}

/// What a load does with rows already in the table.
public enum WriteDisposition: String, Sendable, CaseIterable, Codable {
    /// Each file's rows are added; a changed file's earlier rows are replaced by its new ones.
    case append
    /// The table becomes exactly the rows of the files matched now, in one transaction.
    case replace
    /// Rows are upserted on the primary key: a key seen again keeps its latest row.
    case merge
}

/// How a CSV file is laid out. Left nil, DuckDB's sniffer decides.
public struct CSVLayout: Sendable, Hashable {
    public var delimiter: String?
    public var header: Bool?
    public var quote: String?
    public var escape: String?
    /// Values read as NULL besides the empty field (for example `NA`, `\N`).
    public var nullStrings: [String]
    public var encoding: TextEncoding

    public init(delimiter: String? = nil, header: Bool? = nil, quote: String? = nil, escape: String? = nil,
                nullStrings: [String] = [], encoding: TextEncoding = .utf8)
    {
        self.delimiter = delimiter
        self.header = header
        self.quote = quote
        self.escape = escape
        self.nullStrings = nullStrings
        self.encoding = encoding
    }
}

/// Text encodings of CSV and JSON files. A UTF-8 byte-order mark is skipped in every case.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case utf16 = "utf-16"
    case latin1 = "latin-1"

    public init?(spelling: String) {
        switch spelling.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "utf-8", "utf8": self = .utf8
        case "utf-16", "utf16": self = .utf16
        case "latin-1", "latin1", "iso-8859-1", "iso8859-1": self = .latin1
        default: return nil
        }
    }
}

/// A column whose type the connector declares instead of inferring it. A value that does not
/// convert goes to quarantine with its row.
public struct DeclaredColumn: Sendable, Hashable {
    public var name: String
    /// The warehouse's spelling, checked against `DeclaredColumn.types`.
    public var type: String

    public init(name: String, type: String) {
        self.name = name
        self.type = type
    }

    /// Type names a declaration may use (DuckDB spellings; `DECIMAL(p,s)` too).
    public static let types = ["BOOLEAN", "INTEGER", "BIGINT", "DOUBLE", "VARCHAR", "DATE", "TIMESTAMP", "TIMESTAMPTZ", "JSON"]

    /// The canonical spelling of a declared type, or nil when it is not one we accept.
    public static func canonicalType(_ text: String) -> String? {
        let upper = text.uppercased().replacingOccurrences(of: " ", with: "")
        let aliases = ["INT": "INTEGER", "INT4": "INTEGER", "INT8": "BIGINT", "LONG": "BIGINT", "FLOAT8": "DOUBLE",
                       "FLOAT": "DOUBLE", "REAL": "DOUBLE", "TEXT": "VARCHAR", "STRING": "VARCHAR", "BOOL": "BOOLEAN",
                       "DATETIME": "TIMESTAMP", "NUMERIC": "DECIMAL(18,3)"]
        if let alias = aliases[upper] { return alias }
        if types.contains(upper) { return upper }
        if upper.hasPrefix("DECIMAL(") || upper.hasPrefix("NUMERIC("), upper.hasSuffix(")") {
            let inner = upper.drop(while: { $0 != "(" }).dropFirst().dropLast().split(separator: ",")
            guard (1...2).contains(inner.count), let p = Int(inner[0]), (1...38).contains(p) else { return nil }
            let s = inner.count == 2 ? Int(inner[1]) : 0
            guard let s, (0...p).contains(s) else { return nil }
            return "DECIMAL(\(p),\(s))"
        }
        return nil
    }
}

/// Files from a landing folder loaded into one table.
public struct FileConnector: Sendable, Hashable {
    public var name: String
    /// A file, a folder (every file of the format in it) or a glob (`landing/orders/*.csv`,
    /// `landing/**/*.parquet`), relative to the project root.
    public var path: String
    public var into: RelationName
    /// Nil: from each file's extension.
    public var format: FileFormat?
    public var csv: CSVLayout
    public var columns: [DeclaredColumn]
    public var disposition: WriteDisposition
    public var primaryKey: [String]
    /// A file modified more recently than this is left for the next load (it may still be written).
    public var settleSeconds: Double
    public var description: String
    /// Where the connector was declared (`connectors.yml:4:5`), or `command line`.
    public var location: String

    public init(name: String, path: String, into: RelationName, format: FileFormat? = nil, csv: CSVLayout = CSVLayout(),
                columns: [DeclaredColumn] = [], disposition: WriteDisposition = .append, primaryKey: [String] = [],
                settleSeconds: Double = 0, description: String = "", location: String = "command line")
    {
        self.name = name
        self.path = path
        self.into = into
        self.format = format
        self.csv = csv
        self.columns = columns
        self.disposition = disposition
        self.primaryKey = primaryKey
        self.settleSeconds = settleSeconds
        self.description = description
        self.location = location
    }
}

extension RelationName {
    /// `schema.table` or `table` (schema `raw`), as a load's target is written.
    public init?(loadTarget text: String, defaultSchema: String = "raw") {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let valid = { (part: String) in
            !part.isEmpty && part.first.map { !$0.isNumber } == true
                && part.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" }
        }
        switch parts.count {
        case 1 where valid(parts[0]): self.init(schema: defaultSchema, name: parts[0])
        case 2 where valid(parts[0]) && valid(parts[1]): self.init(schema: parts[0], name: parts[1])
        default: return nil
        }
    }
}
