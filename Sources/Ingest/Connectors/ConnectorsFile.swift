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
        case "rest": return .rest(try rest(node, reader: reader))
        default: return .files(try files(node, reader: reader))
        }
    }

    static let restKeys = ["name", "kind", "description", "preset", "resource", "base_url", "into", "record_path", "primary_key",
                           "write_disposition", "paginator", "token_env", "cursor_parameter", "cursor_field", "params",
                           "request_timeout", "max_attempts", "time_limit", "concurrency", "nested"]

    /// `kind: rest`: a preset's resource (`preset: dummyjson`, `resource: products`), or a
    /// declared API (`base_url`, `resource`, `paginator`, `record_path`, `primary_key`, …).
    private static func rest(_ node: Yams.Node, reader: Reader) throws -> RestConnector {
        let entries = try reader.mapping(node, "a rest connector", allowed: restKeys)
        func value(_ key: String) -> Yams.Node? { entries.first { $0.key == key }?.value }
        func text(_ key: String) throws -> String? { try value(key).map { try reader.string($0, key) } }
        guard let nameNode = value("name") else { throw reader.error(at: node, "a rest connector needs `name`") }
        let name = try reader.identifier(nameNode, "name")
        guard let resource = try text("resource"), !resource.isEmpty else { throw reader.error(at: node, "a rest connector needs `resource` (the path after the base URL, e.g. products)") }
        var connector: RestConnector
        if let presetNode = value("preset") {
            let presetName = try reader.string(presetNode, "preset")
            guard let preset = RestPreset(rawValue: presetName) else {
                throw reader.error(at: presetNode, "preset '\(presetName)' is not one of \(RestPreset.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            connector = preset.connector(resource: resource, baseURL: try text("base_url"), name: name, location: reader.position(of: node))
        } else {
            guard let base = try text("base_url") else { throw reader.error(at: node, "a rest connector needs `preset` or `base_url`") }
            connector = RestConnector(name: name, baseURL: base, resource: resource, into: RelationName(schema: "raw", name: name),
                                      paginator: .single, location: reader.position(of: node))
        }
        guard connector.baseURL.hasPrefix("http://") || connector.baseURL.hasPrefix("https://") else {
            throw reader.error(at: value("base_url"), "base_url '\(connector.baseURL)' must start with https:// (or http://)")
        }
        if let intoNode = value("into") {
            let intoText = try reader.string(intoNode, "into")
            guard let into = RelationName(loadTarget: intoText) else { throw reader.error(at: intoNode, "into '\(intoText)' is not schema.table or table (plain names)") }
            connector.into = into
        }
        if let path = try text("record_path") { connector.recordPath = path.split(separator: ".").map(String.init) }
        if let key = value("primary_key") { connector.primaryKey = try primaryKeyColumns(key, reader: reader) }
        if let node = value("write_disposition") {
            let spelled = try reader.string(node, "write_disposition")
            guard let parsed = WriteDisposition(rawValue: spelled) else {
                throw reader.error(at: node, "write_disposition '\(spelled)' is not one of \(WriteDisposition.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            connector.disposition = parsed
        }
        if connector.disposition == .merge, connector.primaryKey.isEmpty {
            throw reader.error(at: node, "write_disposition merge needs primary_key")
        }
        if let variable = value("token_env") { connector.bearerTokenVariable = try reader.identifier(variable, "token_env") }
        if let parameter = try text("cursor_parameter") { connector.cursorParameter = parameter }
        if let field = value("cursor_field") { connector.cursorField = try reader.identifier(field, "cursor_field") }
        if (connector.cursorParameter == nil) != (connector.cursorField == nil) {
            throw reader.error(at: node, "an incremental rest connector needs both cursor_parameter (the query parameter) and cursor_field (the record's field)")
        }
        if let params = value("params") {
            guard case .mapping(let map) = params else { throw reader.error(at: params, "params must map query parameters to values") }
            for (key, item) in map { connector.parameters[try reader.string(key, "a parameter")] = try reader.string(item, "a parameter's value") }
        }
        if let node = value("request_timeout") { connector.requestTimeout = try reader.number(node, "request_timeout", minimum: 0.1, maximum: 3600) }
        if let node = value("max_attempts") { connector.maxAttempts = Int(try reader.number(node, "max_attempts", minimum: 1, maximum: 100)) }
        if let node = value("time_limit") { connector.timeLimit = try reader.number(node, "time_limit", minimum: 1) }
        if let node = value("concurrency") { connector.concurrency = Int(try reader.number(node, "concurrency", minimum: 1, maximum: 32)) }
        if let node = value("paginator") { connector.paginator = try paginator(node, reader: reader) }
        if let node = value("nested") {
            let spelled = try reader.string(node, "nested")
            guard let parsed = NestedData(rawValue: spelled) else {
                throw reader.error(at: node, "nested '\(spelled)' is not one of \(NestedData.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if parsed == .tables, connector.primaryKey.isEmpty {
                throw reader.error(at: node, "nested: tables needs primary_key: child rows name their parent by it")
            }
            connector.nested = parsed
        }
        return connector
    }

    private static func paginator(_ node: Yams.Node, reader: Reader) throws -> RestPaginator {
        let entries = try reader.mapping(node, "paginator", allowed: ["type", "limit_param", "offset_param", "page_param", "size_param",
                                                                     "page_size", "first_page", "total_path", "cursor_param", "has_more_path", "next_path"])
        func text(_ key: String, _ fallback: String) throws -> String { try entries.first { $0.key == key }.map { try reader.string($0.value, key) } ?? fallback }
        let size = Int(try entries.first { $0.key == "page_size" }.map { try reader.number($0.value, "page_size", minimum: 1, maximum: 100_000) } ?? 100)
        let type = try text("type", "single")
        switch type {
        case "single": return .single
        case "offset":
            let total = try entries.first { $0.key == "total_path" }.map { try reader.string($0.value, "total_path").split(separator: ".").map(String.init) }
            return .offset(limitParameter: try text("limit_param", "limit"), offsetParameter: try text("offset_param", "offset"), pageSize: size, totalPath: total)
        case "page_number":
            let first = Int(try entries.first { $0.key == "first_page" }.map { try reader.number($0.value, "first_page", minimum: 0) } ?? 1)
            return .pageNumber(pageParameter: try text("page_param", "page"), sizeParameter: try text("size_param", "per_page"), pageSize: size, firstPage: first)
        case "cursor":
            return .cursor(cursorParameter: try text("cursor_param", "starting_after"), sizeParameter: try text("size_param", "limit"), pageSize: size,
                           hasMorePath: try text("has_more_path", "has_more").split(separator: ".").map(String.init))
        case "next_link":
            return .nextLink(path: try text("next_path", "next").split(separator: ".").map(String.init))
        default:
            throw reader.error(at: node, "paginator type '\(type)' is not one of single, offset, page_number, cursor, next_link")
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
