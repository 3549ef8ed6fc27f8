import Foundation
import Yams

// `unit_tests:` in property files, read as dbt reads them: one node per test
// (`unit_test.<project>.<model>.<test>`), its rows normalised (csv and fixture files to rows,
// a seed's CSV when a ref to a seed gives no rows), checked against the model it tests.
extension Loader {
    static let unitTestKeys = ["name", "model", "description", "given", "expect", "overrides", "config", "versions"]

    /// Builds the unit tests collected from property files; runs after dependencies resolve, so
    /// the tested model (and whether it is enabled) is known.
    func buildUnitTests() throws {
        for (file, item) in unitTestEntries {
            let reader = YAMLNodeReader(file: file) { TransformError(file: file, line: $0, column: $1, $2) }
            let fields = Dictionary(try reader.mapping(item, "a unit test", allowed: Self.unitTestKeys).map { ($0.key, $0.value) },
                                    uniquingKeysWith: { a, _ in a })
            guard let nameNode = fields["name"] else { throw reader.error(at: item, "a unit test has no `name:`; give it one") }
            let name = try reader.identifier(nameNode, "a unit test's name")
            guard let modelNode = fields["model"] else {
                throw reader.error(at: item, "unit test '\(name)' has no `model:`; name the model it tests")
            }
            let modelName = try reader.string(modelNode, "`model:`")
            let id = "unit_test.\(settings.name).\(modelName).\(name)"
            if let earlier = nodes[id] {
                throw reader.error(at: nameNode, "unit test '\(name)' of model '\(modelName)' is defined twice, here and in \(earlier.originalFilePath):\(earlier.line); rename one")
            }
            let (folders, _, path) = split(file, roots: settings.modelPaths)
            let fqn = [settings.name] + folders + [modelName, name]
            var node = Node(uniqueId: id, name: name, resourceType: .unitTest, packageName: settings.name, path: path,
                            originalFilePath: file, fqn: fqn, line: YAMLSupport.line(item))
            node.config = try baseConfig(kind: "unit_tests", fqn: fqn)
            if let config = fields["config"] {
                for (key, child) in YAMLSupport.entries(config) {
                    guard ["tags", "meta", "enabled"].contains(key) else {
                        throw reader.error(at: child, "unit test '\(name)': `config:` takes tags, meta and enabled, not '\(key)'")
                    }
                    node.config.apply(key, try renderedConfig(YAMLSupport.value(child), file: file, line: YAMLSupport.line(child)))
                }
            }
            node.description = try fields["description"].map { try reader.string($0, "`description:`") } ?? ""
            guard node.config.enabled else { continue }

            // A versioned model: one unit test per version (`versions: {include: […]}` or
            // `{exclude: […]}` narrows them), `unit_test.<project>.<model>.<test>_v<N>` as in dbt.
            let versions = nodes.values.filter { $0.resourceType == .model && $0.packageName == settings.name && $0.name == modelName && $0.version != nil }
                .sorted { $0.uniqueId < $1.uniqueId }
            let tested: [Node]
            if !versions.isEmpty {
                tested = try chosenVersions(versions, fields["versions"], test: name, reader: reader)
            } else if let model = nodes["model.\(settings.name).\(modelName)"] {
                tested = [model]
            } else {
                // A unit test of a disabled model is disabled with it, as in dbt.
                if disabledModelNames.contains(modelName) { continue }
                let models = nodes.values.filter { $0.resourceType == .model }.map(\.name)
                let suggestion = Suggest.closest(to: modelName, among: models).map { " — did you mean '\($0)'?" } ?? ""
                throw reader.error(at: modelNode, "unit test '\(name)' tests model '\(modelName)', which this project does not define\(suggestion)")
            }
            let given = try fields["given"].map { try reader.sequence($0, "`given:`") } ?? []
            let inputs = try given.map { try unitTestInput($0, test: name, reader: reader) }
            guard let expectNode = fields["expect"] else {
                throw reader.error(at: item, "unit test '\(name)' has no `expect:`; give the rows the model should return")
            }
            let expect = try unitTestRows(expectNode, test: name, what: "expected", seed: nil, reader: reader)
            if case .rows(let rows) = expect { try checkExpectedColumns(rows, test: name, at: expectNode, reader: reader) }
            let overrides = try unitTestOverrides(fields["overrides"], test: name, reader: reader)
            for model in tested {
                try checkIncremental(model, inputs: inputs, overrides: overrides, test: name, at: item, reader: reader)
                var test = node
                if let version = model.version {
                    test.uniqueId = "\(id)_v\(version)"
                    test.version = version
                }
                test.unitTest = UnitTestDefinition(model: modelName, given: inputs, expect: expect, overrides: overrides)
                test.dependsOnNodes = [model.uniqueId]
                test.attachedNode = model.uniqueId
                nodes[test.uniqueId] = test
            }
        }
    }

    /// The versions of a versioned model a unit test runs on: all, or as `versions:` says.
    private func chosenVersions(_ versions: [Node], _ spec: Yams.Node?, test: String, reader: YAMLNodeReader<TransformError>) throws -> [Node] {
        guard let spec else { return versions }
        let fields = try reader.mapping(spec, "`versions:`", allowed: ["include", "exclude"])
        func list(_ key: String) -> Set<String>? {
            fields.first { $0.key == key }.map { Set(YAMLSupport.value($0.value).asList.map(\.pythonString)) }
        }
        let include = list("include"), exclude = list("exclude") ?? []
        let chosen = versions.filter { node in (include?.contains(node.version ?? "") ?? true) && !exclude.contains(node.version ?? "") }
        guard !chosen.isEmpty else {
            throw reader.error(at: spec, "unit test '\(test)' referenced a version of '\(versions[0].name)' which was not found; its versions are \(versions.compactMap(\.version).joined(separator: ", "))")
        }
        return chosen
    }

    private func unitTestInput(_ item: Yams.Node, test: String, reader: YAMLNodeReader<TransformError>) throws -> UnitTestInput {
        let fields = try reader.mapping(item, "a `given:` entry", allowed: ["input", "rows", "format", "fixture"])
        guard let inputNode = fields.first(where: { $0.key == "input" })?.value else {
            throw reader.error(at: item, "a `given:` entry of unit test '\(test)' has no `input:`; write ref('model'), source('name', 'table') or this")
        }
        let written = try reader.string(inputNode, "`input:`")
        guard let target = UnitTestInputParser.parse(written) else {
            throw reader.error(at: inputNode, "unit test '\(test)': input '\(written)' is not ref('name'), source('source', 'table') or this")
        }
        switch target {
        case .ref(let name) where refTarget(name) == nil:
            throw reader.error(at: inputNode, "unit test '\(test)' had an input (\(written)) which names no model, seed or snapshot of this project")
        case .source(let source, let table) where sources["source.\(settings.name).\(source).\(table)"] == nil:
            throw reader.error(at: inputNode, "unit test '\(test)' had an input (\(written)) which no YAML file declares under `sources:`")
        default: break
        }
        var seed: Node?
        if case .ref(let name) = target, let node = refTarget(name), node.resourceType == .seed { seed = node }
        let rows = try unitTestRows(item, test: test, what: "input", seed: seed, reader: reader)
        return UnitTestInput(target: target, written: written, rows: rows)
    }

    private func refTarget(_ name: String) -> Node? {
        ["model", "seed", "snapshot"].lazy.compactMap { self.nodes["\($0).\(self.settings.name).\(name)"] }.first
    }

    /// `rows:`/`format:`/`fixture:` of a `given:` entry or of `expect:`, as rows or SQL.
    private func unitTestRows(_ item: Yams.Node, test: String, what: String, seed: Node?,
                              reader: YAMLNodeReader<TransformError>) throws -> UnitTestRows {
        let fields = Dictionary(try reader.mapping(item, what == "input" ? "a `given:` entry" : "`expect:`",
                                                   allowed: what == "input" ? ["input", "rows", "format", "fixture"] : ["rows", "format", "fixture"])
            .map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        let format = try fields["format"].map { try reader.string($0, "`format:`") } ?? "dict"
        guard ["dict", "csv", "sql"].contains(format) else {
            throw reader.error(at: fields["format"], "unit test '\(test)': format '\(format)' is not dict, csv or sql")
        }
        let fixture = try fields["fixture"].map { try reader.string($0, "`fixture:`") }
        if fixture != nil, format == "dict" {
            throw reader.error(at: fields["fixture"], "unit test '\(test)': a fixture file needs `format: csv` or `format: sql`")
        }
        switch format {
        case "dict":
            guard let rowsNode = fields["rows"] else {
                if let seed { return .rows(try seedRows(seed)) }
                throw reader.error(at: item, "unit test '\(test)' has \(what) without `rows:`; give rows (`rows: []` for none)")
            }
            if case .scalar(let s) = rowsNode, s.string.isEmpty || s.string == "null" { return .rows([]) }
            guard case .sequence(let list) = rowsNode else {
                throw reader.error(at: rowsNode, "unit test '\(test)' has \(what) rows which do not match format dict: give a list of mappings, like `- {id: 1, name: Ada}`, or set `format: csv`")
            }
            return .rows(try list.map { row in
                guard case .mapping = row else {
                    throw reader.error(at: row, "unit test '\(test)': each \(what) row in format dict is a mapping of column to value, like `{id: 1}`")
                }
                return YAMLSupport.entries(row).map { ($0.0, YAMLSupport.value($0.1)) }
            })
        case "csv":
            let (text, file) = try textRows(fields["rows"], fixture: fixture, ext: "csv", test: test, what: what, at: item, reader: reader)
            let csv: SeedCSV
            do { csv = try SeedCSV(parsing: text, file: file) } catch let e as TransformError where fixture == nil {
                throw reader.error(at: fields["rows"], "unit test '\(test)': the \(what) CSV rows do not parse: \(e.message)")
            }
            return .rows(csv.rows.map { row in zip(csv.header, row).map { ($0, $1.map(ConfigValue.string) ?? .null) } })
        default:
            let (text, _) = try textRows(fields["rows"], fixture: fixture, ext: "sql", test: test, what: what, at: item, reader: reader)
            return .sql(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// The text of csv or sql rows: written in `rows:` or read from `<test-path>/fixtures/<name>.<ext>`.
    private func textRows(_ rows: Yams.Node?, fixture: String?, ext: String, test: String, what: String, at item: Yams.Node,
                          reader: YAMLNodeReader<TransformError>) throws -> (text: String, file: String) {
        if let fixture {
            let wanted = "/fixtures/"
            let found = scanner.files(under: settings.testPaths, extensions: [ext]).first { file in
                file.contains(wanted) && ((file as NSString).lastPathComponent as NSString).deletingPathExtension == fixture
            }
            guard let found else {
                throw reader.error(at: item, "unit test '\(test)': no fixture file '\(fixture).\(ext)' under \(settings.testPaths.map { "\($0)/fixtures/" }.joined(separator: ", "))")
            }
            return (try read(found), found)
        }
        guard let rows, case .scalar(let scalar) = rows else {
            throw reader.error(at: rows ?? item, "unit test '\(test)' has \(what) rows which do not match format \(ext): give them as text (`rows: |` then one line per row) or name a fixture file")
        }
        return (scalar.string, reader.file)
    }

    /// A seed's own rows, for an input that refs a seed and gives none (dbt reads the seed's CSV).
    private func seedRows(_ seed: Node) throws -> [[(String, ConfigValue)]] {
        let csv = try SeedCSV(parsing: try read(seed.originalFilePath), file: seed.originalFilePath)
        return csv.rows.map { row in zip(csv.header, row).map { ($0, $1.map(ConfigValue.string) ?? .null) } }
    }

    /// Every expected row names the same columns: the comparison is over one set of columns, and
    /// a column missing from one row is a typo more often than a wish to skip it.
    private func checkExpectedColumns(_ rows: [[(String, ConfigValue)]], test: String, at node: Yams.Node,
                                      reader: YAMLNodeReader<TransformError>) throws {
        guard let first = rows.first else { return }
        let columns = first.map { $0.0.lowercased() }
        for (index, row) in rows.enumerated().dropFirst() where Set(row.map { $0.0.lowercased() }) != Set(columns) {
            let names = row.map { $0.0.lowercased() }
            let missing = columns.filter { !names.contains($0) }, extra = names.filter { !columns.contains($0) }
            let detail = missing.isEmpty ? "has \(extra.joined(separator: ", ")) that row 1 has not" : "lacks \(missing.joined(separator: ", "))"
            throw reader.error(at: node, "unit test '\(test)': expected row \(index + 1) \(detail); give every expected row the same columns (null for NULL)")
        }
    }

    private func unitTestOverrides(_ node: Yams.Node?, test: String, reader: YAMLNodeReader<TransformError>) throws -> UnitTestOverrides {
        var overrides = UnitTestOverrides()
        guard let node else { return overrides }
        for (key, value) in try reader.mapping(node, "`overrides:`", allowed: ["vars", "env_vars", "macros"]) {
            guard case .mapping = value else { throw reader.error(at: value, "unit test '\(test)': `overrides: \(key):` must be a mapping of names to values") }
            let pairs = YAMLSupport.entries(value).map { ($0.0, YAMLSupport.value($0.1)) }
            switch key {
            case "vars": overrides.vars = pairs
            case "env_vars": overrides.envVars = pairs
            default: overrides.macros = pairs
            }
        }
        return overrides
    }

    /// dbt's rules for incremental models: the test says which branch it runs (`is_incremental`
    /// overridden to true or false), and the incremental branch has `this` among its inputs.
    private func checkIncremental(_ model: Node, inputs: [UnitTestInput], overrides: UnitTestOverrides, test: String, at item: Yams.Node,
                                  reader: YAMLNodeReader<TransformError>) throws {
        guard model.rawCode.contains("is_incremental") else { return }
        guard let value = overrides.macro("is_incremental"), let incremental = value.boolValue else {
            throw reader.error(at: item, "unit test '\(test)' tests incremental model '\(model.name)': add `overrides: {macros: {is_incremental: true}}` (or false) to say which branch it checks")
        }
        if incremental, !inputs.contains(where: { $0.target == .this }) {
            throw reader.error(at: item, "unit test '\(test)' for incremental model '\(model.name)' must have a 'this' input: add `- input: this` with the rows the table holds before the run")
        }
    }
}

/// `ref('name')`, `ref("pkg", "name")`, `source('src', 'table')`, `this`.
enum UnitTestInputParser {
    static func parse(_ text: String) -> UnitTestInput.Target? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "this" { return .this }
        guard let open = trimmed.firstIndex(of: "("), trimmed.hasSuffix(")") else { return nil }
        let function = trimmed[..<open].trimmingCharacters(in: .whitespaces)
        let inner = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
        var arguments: [String] = []
        for part in inner.split(separator: ",", omittingEmptySubsequences: false) {
            let p = part.trimmingCharacters(in: .whitespaces)
            guard p.count >= 2, let q = p.first, q == "'" || q == "\"", p.last == q else { return nil }
            arguments.append(String(p.dropFirst().dropLast()))
        }
        switch (function, arguments.count) {
        case ("ref", 1), ("ref", 2): return .ref(name: arguments.last!)
        case ("source", 2): return .source(source: arguments[0], table: arguments[1])
        default: return nil
        }
    }
}
