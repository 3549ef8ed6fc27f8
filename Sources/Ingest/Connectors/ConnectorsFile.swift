import Foundation
import TransformProject
import WarehouseKit
import Yams

/// `connectors.yml` at the project root: the sources `storehouse ingest` loads.
///
/// ```yaml
/// connectors:
///   - name: partner_orders
///     kind: files
///     path: landing/orders/*.csv
///     into: raw.partner_orders
///     columns: {order_id: BIGINT, amount: DECIMAL(12,2)}
///     write_disposition: merge
///     primary_key: [order_id]
/// ```
public struct ConnectorsFile: Sendable {
    public static let fileName = "connectors.yml"

    public var connectors: [Connector]
    public var path: String

    public init(connectors: [Connector], path: String) {
        self.connectors = connectors
        self.path = path
    }

    public var files: [FileConnector] { connectors.compactMap { if case .files(let c) = $0 { c } else { nil } } }

    /// The connectors named (every one when `names` is empty); an unknown name is an error listing
    /// the declared ones.
    public func selected(_ names: [String]) throws -> [Connector] {
        guard !names.isEmpty else { return connectors }
        return try names.map { name in
            guard let found = connectors.first(where: { $0.name == name }) else {
                throw IngestError("no connector named '\(name)' in \(path)",
                                  hint: connectors.isEmpty ? "the file declares none" : "declared: \(connectors.map(\.name).joined(separator: ", "))")
            }
            return found
        }
    }

    /// Reads `connectors.yml` from `projectRoot`; nil when the project declares no connectors.
    public static func load(projectRoot: String) throws -> ConnectorsFile? {
        let path = (projectRoot as NSString).appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    public static func parse(_ text: String, path: String) throws -> ConnectorsFile {
        let reader = Reader(file: (path as NSString).lastPathComponent, makeError: { IngestError($0) })
        guard let root = try reader.compose(text) else {
            throw IngestError("\(reader.file) is empty", hint: "declare `connectors:` (see the README's Loading data section)")
        }
        var connectors: [Connector] = []
        for entry in try reader.mapping(root, "the file", allowed: ["connectors"]) {
            for node in try reader.sequence(entry.value, "connectors") {
                connectors.append(try connector(node, reader: reader))
            }
        }
        var seen: Set<String> = []
        for connector in connectors where !seen.insert(connector.name).inserted {
            throw IngestError("\(connector.location): a second connector named '\(connector.name)'", hint: "connector names are unique")
        }
        return ConnectorsFile(connectors: connectors, path: path)
    }

    typealias Reader = YAMLNodeReader<IngestError>

    static let fileKeys = ["name", "kind", "description", "path", "into", "format", "delimiter", "header", "quote", "escape",
                           "encoding", "null_strings", "columns", "write_disposition", "primary_key", "settle_seconds"]

    private static func connector(_ node: Yams.Node, reader: Reader) throws -> Connector {
        let kinds = ["files", "rest", "postgres"]
        guard case .mapping(let raw) = node else { throw reader.error(at: node, "a connector must be a mapping of keys to values") }
        let kindNode = raw.first { if case .scalar(let s) = $0.key { return s.string == "kind" } else { return false } }?.value
        let kind = try kindNode.map { try reader.string($0, "kind") } ?? "files"
        guard kinds.contains(kind) else {
            throw reader.error(at: kindNode, "kind '\(kind)' is not one of \(kinds.joined(separator: ", "))")
        }
        switch kind {
        case "postgres": return .postgres(try postgres(node, reader: reader))
        case "rest": throw reader.error(at: kindNode, "kind 'rest' connectors are not built yet; files and postgres load today")
        default: return .files(try files(node, reader: reader))
        }
    }

    static let postgresKeys = ["name", "kind", "description", "url", "url_env", "schema", "tables", "into_schema", "cursor_column", "chunk_rows"]

    private static func postgres(_ node: Yams.Node, reader: Reader) throws -> PostgresConnector {
        let entries = try reader.mapping(node, "a postgres connector", allowed: postgresKeys)
        func value(_ key: String) -> Yams.Node? { entries.first { $0.key == key }?.value }
        guard let nameNode = value("name") else { throw reader.error(at: node, "a postgres connector needs `name`") }
        let url = try value("url").map { try reader.string($0, "url") }
        let variable = try value("url_env").map { try reader.identifier($0, "url_env") }
        guard (url == nil) != (variable == nil) else {
            throw reader.error(at: node, "a postgres connector needs one of `url` (postgres://…) or `url_env` (the environment variable that holds it)")
        }
        if let url, !(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")) {
            throw reader.error(at: value("url"), "url must start with postgres:// (postgres://user:password@host:5432/database)")
        }
        return PostgresConnector(
            name: try reader.identifier(nameNode, "name"), url: url, urlVariable: variable,
            schema: try value("schema").map { try reader.identifier($0, "schema") } ?? "public",
            tables: try value("tables").map { try reader.strings($0, "tables") } ?? [],
            intoSchema: try value("into_schema").map { try reader.identifier($0, "into_schema") } ?? "raw",
            cursorColumn: try value("cursor_column").map { try reader.identifier($0, "cursor_column") },
            chunkRows: Int(try value("chunk_rows").map { try reader.number($0, "chunk_rows", minimum: 100, maximum: 1_000_000) } ?? 10_000),
            description: try value("description").map { try reader.string($0, "description") } ?? "",
            location: reader.position(of: node))
    }

    private static func files(_ node: Yams.Node, reader: Reader) throws -> FileConnector {
        let entries = try reader.mapping(node, "a files connector", allowed: fileKeys)
        func value(_ key: String) -> Yams.Node? { entries.first { $0.key == key }?.value }
        func required(_ key: String) throws -> Yams.Node {
            guard let found = value(key) else { throw reader.error(at: node, "a files connector needs `\(key)`") }
            return found
        }
        let name = try reader.identifier(try required("name"), "name")
        let intoNode = try required("into")
        let intoText = try reader.string(intoNode, "into")
        guard let into = RelationName(loadTarget: intoText) else {
            throw reader.error(at: intoNode, "into '\(intoText)' is not schema.table or table (plain names)")
        }
        var format: FileFormat?
        if let formatNode = value("format") {
            let text = try reader.string(formatNode, "format")
            guard let parsed = FileFormat(rawValue: text.lowercased()) else {
                throw reader.error(at: formatNode, "format '\(text)' is not one of \(FileFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            format = parsed
        }
        var layout = CSVLayout()
        if let node = value("delimiter") {
            let text = try reader.string(node, "delimiter")
            guard !text.isEmpty, text.count <= 4 else { throw reader.error(at: node, "delimiter must be one to four characters") }
            layout.delimiter = text == "\\t" ? "\t" : text
        }
        if let node = value("header") { layout.header = try reader.bool(node, "header") }
        if let node = value("quote") { layout.quote = try singleCharacter(node, "quote", reader: reader) }
        if let node = value("escape") { layout.escape = try singleCharacter(node, "escape", reader: reader) }
        if let node = value("null_strings") { layout.nullStrings = try reader.strings(node, "null_strings") }
        if let node = value("encoding") {
            let text = try reader.string(node, "encoding")
            guard let encoding = TextEncoding(spelling: text) else {
                throw reader.error(at: node, "encoding '\(text)' is not one of \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            layout.encoding = encoding
        }
        var columns: [DeclaredColumn] = []
        if let node = value("columns") {
            guard case .mapping(let map) = node else {
                throw reader.error(at: node, "columns must map each column's name to its type, e.g. {order_id: BIGINT}")
            }
            for (key, typeNode) in map {
                let column = try reader.identifier(key, "a column name")
                let text = try reader.string(typeNode, "the type of \(column)")
                guard let type = DeclaredColumn.canonicalType(text) else {
                    if text.contains("("), !text.contains(")") {
                        throw reader.error(at: typeNode, "type '\(text)' of column \(column) is cut at a comma: inside {…} a comma separates entries, so quote the type (\(column): \"\(text),…)\") or list the columns one per line")
                    }
                    throw reader.error(at: typeNode, "type '\(text)' of column \(column) is not one of \(DeclaredColumn.types.joined(separator: ", ")), DECIMAL(p,s)")
                }
                columns.append(DeclaredColumn(name: column, type: type))
            }
        }
        var disposition = WriteDisposition.append
        if let node = value("write_disposition") {
            let text = try reader.string(node, "write_disposition")
            guard let parsed = WriteDisposition(rawValue: text) else {
                throw reader.error(at: node, "write_disposition '\(text)' is not one of \(WriteDisposition.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            disposition = parsed
        }
        let primaryKey = try value("primary_key").map { try primaryKeyColumns($0, reader: reader) } ?? []
        if disposition == .merge, primaryKey.isEmpty {
            throw reader.error(at: value("write_disposition"), "write_disposition merge needs primary_key: the columns that identify a row")
        }
        return FileConnector(
            name: name, path: try reader.string(try required("path"), "path"), into: into, format: format, csv: layout,
            columns: columns, disposition: disposition, primaryKey: primaryKey,
            settleSeconds: try value("settle_seconds").map { try reader.number($0, "settle_seconds", minimum: 0) } ?? 0,
            description: try value("description").map { try reader.string($0, "description") } ?? "",
            location: reader.position(of: node))
    }

    private static func primaryKeyColumns(_ node: Yams.Node, reader: Reader) throws -> [String] {
        if case .sequence(let items) = node { return try items.map { try reader.identifier($0, "primary_key") } }
        return [try reader.identifier(node, "primary_key")]
    }

    private static func singleCharacter(_ node: Yams.Node, _ what: String, reader: Reader) throws -> String {
        let text = try reader.string(node, what)
        guard text.count == 1 else { throw reader.error(at: node, "\(what) must be one character") }
        return text
    }
}
