import Foundation
import Templating
import WarehouseKit
import Yams

// Resources declared in YAML alone: sources (with their freshness) and exposures.
extension Loader {
    func loadSources(file: String, doc: Yams.Node) throws {
        let (folders, _, _) = split(file, roots: settings.modelPaths)
        for source in YAMLSupport.items(YAMLSupport.lookup(doc, "sources")) {
            guard let sourceName = YAMLSupport.string(source, "name") else {
                throw TransformError(file: file, line: YAMLSupport.line(source), "a source has no `name:`; add one")
            }
            for table in YAMLSupport.items(YAMLSupport.lookup(source, "tables")) {
                guard let tableName = YAMLSupport.string(table, "name") else {
                    throw TransformError(file: file, line: YAMLSupport.line(table), "a table of source '\(sourceName)' has no `name:`; add one")
                }
                let id = "source.\(settings.name).\(sourceName).\(tableName)"
                if let earlier = sources[id] {
                    throw TransformError(file: file, line: YAMLSupport.line(table), column: table.mark?.column ?? 0,
                                         "table '\(tableName)' of source '\(sourceName)' is already declared in \(earlier.originalFilePath):\(earlier.line); declare each source table once (dbt refuses two as well)")
                }
                var node = Node(uniqueId: id, name: tableName, resourceType: .source, packageName: settings.name,
                                path: file, originalFilePath: file, fqn: [settings.name] + folders + [sourceName, tableName],
                                line: YAMLSupport.line(table))
                let identifier = YAMLSupport.string(table, "identifier") ?? tableName
                let schema = YAMLSupport.string(source, "schema") ?? sourceName
                let database = YAMLSupport.string(source, "database") ?? target.database
                node.relation = QualifiedRelation(database: database, schema: schema, identifier: identifier)
                // `quoting:` of the source, then of the table, as dbt layers them.
                for level in [source, table] {
                    for (part, value) in YAMLSupport.entries(YAMLSupport.lookup(level, "quoting")) {
                        guard let quote = YAMLSupport.value(value).boolValue else { continue }
                        switch part {
                        case "database": node.relation?.quoting.database = quote
                        case "schema": node.relation?.quoting.schema = quote
                        case "identifier": node.relation?.quoting.identifier = quote
                        default: break
                        }
                    }
                }
                node.description = try renderDescription(YAMLSupport.string(table, "description") ?? "", file: file)
                node.columns = try columns(table, file: file)
                let loadedAt = SourceFreshnessConfig.loadedAtField(source: source, table: table)
                let freshness = try SourceFreshnessConfig.freshness(source: source, table: table, file: file).map(\.configValue) ?? .null
                node.extra = [("source_name", .string(sourceName)), ("identifier", .string(identifier)),
                              ("loaded_at_field", loadedAt.map(ConfigValue.string) ?? .null), ("freshness", freshness),
                              ("source_description", .string(YAMLSupport.string(source, "description") ?? "")),
                              // dbt's reader requires the key; a table's `loader:` overrides its source's.
                              ("loader", .string(YAMLSupport.string(table, "loader") ?? YAMLSupport.string(source, "loader") ?? ""))]
                var config = NodeConfig([("enabled", .bool(true))])
                for (k, v) in YAMLSupport.entries(YAMLSupport.lookup(source, "config")) { config.apply(k, YAMLSupport.value(v)) }
                for (k, v) in YAMLSupport.entries(YAMLSupport.lookup(table, "config")) { config.apply(k, YAMLSupport.value(v)) }
                node.config = config
                sources[id] = node
                for test in testEntries(table) { testDefinitions.append((node, file, test, nil)) }
                for column in YAMLSupport.items(YAMLSupport.lookup(table, "columns")) {
                    let columnName = YAMLSupport.string(column, "name")
                    for test in testEntries(column) { testDefinitions.append((node, file, test, columnName)) }
                }
            }
        }
    }

    func loadExposures(file: String, doc: Yams.Node) throws {
        let (folders, _, _) = split(file, roots: settings.modelPaths)
        for exposure in YAMLSupport.items(YAMLSupport.lookup(doc, "exposures")) {
            guard let name = YAMLSupport.string(exposure, "name") else {
                throw TransformError(file: file, line: YAMLSupport.line(exposure), "an exposure has no `name:`; add one")
            }
            let id = "exposure.\(settings.name).\(name)"
            var node = Node(uniqueId: id, name: name, resourceType: .exposure, packageName: settings.name, path: file,
                            originalFilePath: file, fqn: [settings.name] + folders + [name], line: YAMLSupport.line(exposure))
            node.description = try renderDescription(YAMLSupport.string(exposure, "description") ?? "", file: file)
            for dep in YAMLSupport.items(YAMLSupport.lookup(exposure, "depends_on")) {
                if case .string(let text) = YAMLSupport.value(dep) {
                    let (refs, srcs) = RefScanner.scan(text)
                    node.refs += refs
                    node.sources += srcs
                }
            }
            for key in ["type", "owner", "url", "maturity", "label"] {
                if let v = YAMLSupport.lookup(exposure, key) { node.extra.append((key, YAMLSupport.value(v))) }
            }
            node.config = NodeConfig([("enabled", .bool(true))])
            exposures[id] = node
        }
    }

    // MARK: generic tests

    static let testConfigKeys: Set<String> = ["severity", "tags", "enabled", "where", "limit", "warn_if", "error_if", "fail_calc",
                                              "store_failures", "store_failures_as", "meta", "database", "schema", "alias"]
}
