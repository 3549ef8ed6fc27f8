import Foundation
import Templating
import WarehouseKit

/// What compilation needs from a warehouse; the runtime implements it over a live connection,
/// `OfflineHost` without one.
public protocol CompilationHost: AnyObject {
    var dialect: SQLDialect { get }
    /// Whether the relation already exists (drives `is_incremental()`).
    func relationExists(_ relation: QualifiedRelation) -> Bool
    /// `run_query(sql)`.
    func runQuery(_ sql: String) throws -> ResultSet
    /// `--full-refresh`: `is_incremental()` is then false.
    var fullRefresh: Bool { get }
    /// The verb running (`build`, `run`, `test`, …), which templates read as `flags.WHICH`.
    var command: String { get }
    /// A statement a template runs for its effect (`adapter.drop_relation`); compiling without a
    /// warehouse, there is nothing to act on.
    func execute(_ sql: String) throws
    /// A relation's columns and types as the warehouse names them, in table order; empty when
    /// it does not exist. The default asks information_schema through `runQuery`.
    func columns(of relation: QualifiedRelation) throws -> [(name: String, type: String)]
}

extension CompilationHost {
    public var command: String { "compile" }
    public func execute(_ sql: String) throws {}

    public func columns(of relation: QualifiedRelation) throws -> [(name: String, type: String)] {
        try informationSchemaColumns(of: relation)
    }

    /// The columns as information_schema lists them (DuckDB, PostgreSQL).
    public func informationSchemaColumns(of relation: QualifiedRelation) throws -> [(name: String, type: String)] {
        let catalog = relation.database.map { " and table_catalog = \(SQL.quoteLiteral($0))" } ?? ""
        let result = try runQuery("select column_name, data_type from information_schema.columns where table_schema = \(SQL.quoteLiteral(relation.schema)) and table_name = \(SQL.quoteLiteral(relation.identifier))\(catalog) order by ordinal_position")
        return result.rows.map { (name: $0[0].string ?? $0[0].description, type: $0[1].string ?? $0[1].description) }
    }
}

/// Compiles without a warehouse: nothing exists yet, `run_query` returns no rows.
public final class OfflineHost: CompilationHost {
    public let dialect: SQLDialect
    public var fullRefresh: Bool { false }
    public init(dialect: SQLDialect) { self.dialect = dialect }
    public func relationExists(_ relation: QualifiedRelation) -> Bool { false }
    public func runQuery(_ sql: String) throws -> ResultSet { ResultSet(columns: [], rows: []) }
}

/// An ephemeral model's SQL as a CTE of the node it is injected into.
public struct InjectedCTE: Sendable, Equatable {
    public var id: String
    /// ` __dbt__cte__<name> as (\n…\n)`, as dbt writes it.
    public var sql: String
}

/// One node's compiled SQL.
public struct CompiledNode: Sendable {
    public var uniqueId: String
    /// The SQL to run, ephemeral parents injected as CTEs.
    public var sql: String
    /// Before CTE injection (what an ephemeral contributes to its children).
    public var renderedSQL: String
    /// Ephemeral models injected, in order, each with its CTE (dbt's `extra_ctes`).
    public var injectedCTEs: [InjectedCTE]
    /// `target/compiled/<project>/<path>`, relative to the project root.
    public var compiledPath: String
    /// `pre-hook` / `post-hook` SQL rendered in the node's own context (`this`, `target`, `ref`,
    /// `var`, `is_incremental()`), as dbt renders hooks when the node runs.
    public var preHooks: [String]
    public var postHooks: [String]

    public init(uniqueId: String, sql: String, renderedSQL: String, injectedCTEs: [InjectedCTE], compiledPath: String,
                preHooks: [String] = [], postHooks: [String] = []) {
        self.uniqueId = uniqueId
        self.sql = sql
        self.renderedSQL = renderedSQL
        self.injectedCTEs = injectedCTEs
        self.compiledPath = compiledPath
        self.preHooks = preHooks
        self.postHooks = postHooks
    }
}

/// Renders nodes with dbt's execution context (`execute` true) and injects ephemeral CTEs as dbt does.
public final class Compiler {
    public let project: LoadedProject
    public let host: CompilationHost
    private var cache: [String: CompiledNode] = [:]

    public init(project: LoadedProject, host: CompilationHost) {
        self.project = project
        self.host = host
    }

    /// Compiles one model, test, snapshot or analysis (seeds have no SQL).
    public func compile(_ id: String) throws -> CompiledNode {
        if let done = cache[id] { return done }
        guard let node = project.manifest.nodes[id] else { throw TransformError("no node '\(id)' in the project") }
        let state = RenderState(config: node.config)
        let rendered = try render(node, state: state)
        var ctes: [(id: String, sql: String)] = []
        func addCTE(_ cte: (id: String, sql: String)) {
            if let i = ctes.firstIndex(where: { $0.id == cte.id }) { ctes[i] = cte } else { ctes.append(cte) }
        }
        for parentId in state.ephemeralRefs {
            let parent = try compile(parentId)
            for nested in parent.injectedCTEs { addCTE((nested.id, try cteSQL(nested.id))) }
            addCTE((parentId, try cteSQL(parentId)))
        }
        let sql = CTEInjector.inject(ctes.map(\.sql), into: rendered)
        let compiled = CompiledNode(uniqueId: id, sql: sql, renderedSQL: rendered, injectedCTEs: ctes.map { InjectedCTE(id: $0.id, sql: $0.sql) }, compiledPath: compiledPath(node),
                                    preHooks: try renderHooks(node.config.preHooks, kind: "pre-hook", of: node),
                                    postHooks: Self.rendersAtRun(node.config.postHooks) ? [] : try renderHooks(node.config.postHooks, kind: "post-hook", of: node))
        cache[id] = compiled
        return compiled
    }

    /// Whether post-hooks hold Jinja: then they render once the node is built (a post-hook's
    /// `adapter.drop_relation(this)` or `run_query` acts on the built relation, as in dbt), not
    /// while compiling; `CompiledNode.postHooks` is then empty.
    public static func rendersAtRun(_ hooks: [String]) -> Bool {
        hooks.contains { $0.contains("{{") || $0.contains("{%") }
    }

    /// A node's pre- or post-hooks rendered now, for a node whose hooks must render when they
    /// run (a seed's post-hook may act on the table the load just made, as in dbt).
    public func hooks(of id: String, post: Bool) throws -> [String] {
        guard let node = project.manifest.nodes[id] else { throw TransformError("no node '\(id)' in the project") }
        return post ? try renderHooks(node.config.postHooks, kind: "post-hook", of: node)
            : try renderHooks(node.config.preHooks, kind: "pre-hook", of: node)
    }

    /// Hooks are Jinja too (`grant select on {{ this }} to reporter`); an error names the node's
    /// file and which hook it was.
    private func renderHooks(_ hooks: [String], kind: String, of node: Node) throws -> [String] {
        guard !hooks.isEmpty else { return [] }
        project.renderLock.lock()
        defer { project.renderLock.unlock() }
        let context = context(for: node, state: RenderState(config: node.config))
        return try hooks.enumerated().map { index, hook in
            guard hook.contains("{{") || hook.contains("{%") else { return hook }
            do {
                let template = try Template(source: hook, name: "\(node.originalFilePath) \(kind) \(index + 1)")
                return try project.environment.render(template, context: context)
            } catch let e as TemplateError {
                throw TransformError(file: node.originalFilePath, "\(kind) \(index + 1) of \(node.name): \(e.message)"
                                        + e.chain(calledBy: "\(kind) \(index + 1) of \(node.name)", file: node.originalFilePath))
            }
        }
    }

    private func cteSQL(_ id: String) throws -> String {
        let compiled = try compile(id)
        let node = project.manifest.nodes[id]!
        return " __dbt__cte__\(node.relation?.identifier ?? node.name) as (\n\(compiled.renderedSQL)\n)"
    }

    func compiledPath(_ node: Node) -> String {
        let base = "\(project.manifest.targetPath)/compiled/\(node.packageName)/"
        if node.testMetadata != nil { return base + node.originalFilePath + "/" + node.path }
        return base + node.originalFilePath
    }

    /// Compiles every SQL node among `ids` (all by default), in dependency order.
    public func compileAll(_ ids: [String]? = nil) throws -> [CompiledNode] {
        let dag = project.dag
        let wanted = ids.map(Set.init)
        return try dag.topologicalOrder.compactMap { id in
            guard let node = project.manifest.nodes[id], node.resourceType != .seed, node.resourceType != .unitTest,
                  wanted?.contains(id) ?? true else { return nil }
            return try compile(id)
        }
    }

    /// Writes compiled SQL under `target/compiled/<project>/…` inside the project root.
    public func write(_ nodes: [CompiledNode]) throws {
        var files = CompiledSQLFiles(projectRoot: project.manifest.projectRoot)
        for node in nodes { try files.write(node) }
    }

    // MARK: rendering

    func relationValue(for node: Node, state: RenderState) -> Value {
        if node.isEphemeral {
            if !state.ephemeralRefs.contains(node.uniqueId) { state.ephemeralRefs.append(node.uniqueId) }
            return .object(RelationObject(node.relation!, cteName: "__dbt__cte__\(node.relation?.identifier ?? node.name)"))
        }
        return .object(RelationObject(node.relation ?? QualifiedRelation(database: nil, schema: "", identifier: node.name)))
    }

    func context(for node: Node, state: RenderState) -> [String: Value] {
        let manifest = project.manifest
        var context: [String: Value] = [:]
        context["ref"] = .function(NativeFunction(name: "ref") { [unowned self] args in
            let positional = args.positional.compactMap(\.stringValue)
            let version = (args.keyword("v") ?? args.keyword("version")).flatMap { $0.isNoneLike ? nil : $0.renderedString }
            guard let name = positional.last,
                  let target = manifest.refTarget(name, package: positional.count > 1 ? positional[0] : nil, from: node.packageName,
                                                  version: version) else {
                throw TemplateError.raised("ref(\(args.positional.map(\.pythonRepr).joined(separator: ", "))) names no model, seed or snapshot")
            }
            return relationValue(for: target, state: state)
        })
        context["source"] = .function(NativeFunction(name: "source") { args in
            let s = try args.string(0, "source_name", of: "source")
            let t = try args.string(1, "table_name", of: "source")
            guard let source = manifest.sourceTarget(s, t, from: node.packageName), let relation = source.relation else {
                throw TemplateError.raised("source('\(s)', '\(t)') is not defined in any YAML file")
            }
            return .object(RelationObject(relation))
        })
        context["config"] = project.contextBuilder.configObject(state: state, file: node.originalFilePath, parsing: false)
        if let relation = node.relation { context["this"] = .object(RelationObject(relation)) }
        context["execute"] = .bool(true)
        context["flags"] = .object(HostObject(name: "flags", members: [
            "STORE_FAILURES": .bool(false), "FULL_REFRESH": .bool(host.fullRefresh), "WHICH": .string(host.command),
        ]))
        let box = ContextBox()
        let builder = project.contextBuilder
        let vars = node.packageName == manifest.projectName ? project.compileVars ?? builder.vars : builder.vars(for: node.packageName)
        context["var"] = builder.nodeVar(vars, lenient: false) { box.context }
        let host = self.host
        let relation = node.relation
        let materialized = node.config.materialized
        context["is_incremental"] = .function(NativeFunction(name: "is_incremental") { _ in
            guard materialized == "incremental", !host.fullRefresh, let relation else { return .bool(false) }
            return .bool(host.relationExists(relation))
        })
        context["adapter"] = project.contextBuilder.adapterObject(relationExists: host.relationExists, execute: host.execute) { [unowned self] relation in
            try self.warehouseColumns(of: relation)
        }
        context["load_relation"] = ContextBuilder.loadRelation(relationExists: host.relationExists)
        context["run_query"] = .function(NativeFunction(name: "run_query") { args in
            let sql = args.arg(0, "sql")?.renderedString ?? ""
            let result = try host.runQuery(sql)
            return .object(ResultTableObject(result))
        })
        // `{% call statement('name', fetch_result=True) %}…{% endcall %}` then `load_result('name')`.
        let statements = StatementResults()
        context["__storehouse_run_statement"] = .function(NativeFunction(name: "statement") { args in
            let name = args.arg(0, "name").flatMap { $0.isNoneLike ? nil : $0.renderedString }
            let sql = args.arg(1, "sql")?.renderedString ?? ""
            let result = try host.runQuery(sql)
            if let name { statements.results[name] = ResultTableObject(result) }
            return .none
        })
        context["load_result"] = .function(NativeFunction(name: "load_result") { args in
            let name = try args.string(0, "name", of: "load_result")
            return statements.results[name].map(StatementResults.value) ?? .none
        })
        context["model"] = node.contextValue
        context["graph"] = .object(project.graph)
        if let relation = node.relation {
            context["schema"] = .string(relation.schema)
            context["database"] = relation.database.map(Value.string) ?? .none
        }
        box.context = context
        return context
    }

    /// A relation's columns and their types as the warehouse's catalog names them, in table order
    /// (`adapter.get_columns_in_relation`, unit-test fixtures); empty when it does not exist.
    func warehouseColumns(of relation: QualifiedRelation) throws -> [(name: String, type: String)] {
        try host.columns(of: relation)
    }

    static func templateValue(_ v: WarehouseValue) -> Value {
        if v.isNull { return .none }
        if let b = v.bool, case .bool = v { return .bool(b) }
        if case .int(let i) = v { return .int(Int(i)) }
        if case .double(let d) = v { return .double(d) }
        return .string(v.string ?? v.description)
    }

    func render(_ node: Node, state: RenderState) throws -> String {
        project.renderLock.lock()
        defer { project.renderLock.unlock() }
        let env = project.environment
        var context = context(for: node, state: state)
        do {
            if let metadata = node.testMetadata {
                return try renderGenericTest(node, metadata: metadata, context: &context, state: state)
            }
            guard let template = project.templates[node.uniqueId] else { return node.rawCode }
            return try env.render(template, context: context)
        } catch let e as TemplateError {
            throw TransformError(file: e.file.isEmpty ? node.originalFilePath : e.file, line: e.line, column: e.column,
                                 e.message + e.chain(calledBy: "\(node.resourceType.rawValue) \(node.name)", file: node.originalFilePath))
        }
    }

    /// `{{ test_<name>(**kwargs) }}` with kwargs rendered as dbt does: `ref(...)`/`source(...)`
    /// strings become relations, `model` becomes the (filtered) relation under test.
    func renderGenericTest(_ node: Node, metadata: TestMetadata, context: inout [String: Value], state: RenderState,
                           macroName: String? = nil) throws -> String {
        let env = project.environment
        let manifest = project.manifest
        guard let attached = node.attachedNode.flatMap({ manifest.resource($0) }) else { return "" }
        var model = attached.resourceType == .source ? Value.object(RelationObject(attached.relation!)) : relationValue(for: attached, state: state)
        if let whereClause = node.config.whereClause, !whereClause.isEmpty {
            model = .string("(select * from \(model.renderedString) where \(whereClause)) dbt_subquery")
        }
        var keyword: [(String, Value)] = []
        for (key, value) in metadata.kwargs {
            keyword.append((key, try renderKwarg(value, key: key, context: context)))
        }
        if let column = node.columnName { keyword.append(("column_name", .string(column))) }
        keyword.append(("model", model))
        let macroName = macroName ?? "test_\(metadata.name)"
        let found = metadata.namespace.map { env.macro(named: macroName, inNamespace: $0) } ?? env.macro(named: macroName)
        guard let macro = found else {
            // dbt's words: a package's test named without its package is parsed but cannot render.
            throw TemplateError.raised("'\(macroName)' is undefined. This can happen when calling a macro that does not exist. Check for typos and/or install package dependencies with \"storehouse deps\"; a package's test is named with its package, e.g. `some_package.\(metadata.name)`")
        }
        let result = try env.call(macro, Arguments(positional: [], keyword: keyword), context: context)
        return result.renderedString
    }

    /// dbt's test for a kwarg that is a function call to evaluate, `^\s*(env_var|ref|var|source|doc)\s*\(.+\)\s*$`,
    /// matched by hand: an `NSRegularExpression` per argument cost more than rendering the test.
    static func isFunctionLike(_ text: String) -> Bool {
        // ICU's `\s` is [\t\n\f\r\p{Z}]; its `.` stops at line terminators.
        func isSpace(_ c: Unicode.Scalar) -> Bool {
            switch c.value {
            case 9, 10, 12, 13: return true
            default:
                switch c.properties.generalCategory {
                case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
                default: return false
                }
            }
        }
        func isLineTerminator(_ c: Unicode.Scalar) -> Bool { [0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029].contains(c.value) }
        let scalars = Array(text.unicodeScalars)
        var start = 0
        while start < scalars.count, isSpace(scalars[start]) { start += 1 }
        var nameEnd = start
        while nameEnd < scalars.count, scalars[nameEnd] == "_" || (scalars[nameEnd].value >= 97 && scalars[nameEnd].value <= 122) { nameEnd += 1 }
        let name = String(String.UnicodeScalarView(scalars[start..<nameEnd]))
        guard ["env_var", "ref", "var", "source", "doc"].contains(name) else { return false }
        var open = nameEnd
        while open < scalars.count, isSpace(scalars[open]) { open += 1 }
        guard open < scalars.count, scalars[open] == "(" else { return false }
        var close = scalars.count
        while close > open + 1, isSpace(scalars[close - 1]) { close -= 1 }
        close -= 1
        guard close > open + 1, scalars[close] == ")" else { return false }
        return !scalars[(open + 1)..<close].contains(where: isLineTerminator)
    }

    func renderKwarg(_ value: ConfigValue, key: String, context: [String: Value]) throws -> Value {
        switch value {
        case .string(let s):
            if Compiler.isFunctionLike(s) {
                let out = ListBox()
                var ctx = context
                ctx["__storehouse_out"] = .list(out)
                let template = try Template(source: "{% do __storehouse_out.append(\(s)) %}", name: "argument '\(key)'")
                _ = try project.environment.render(template, context: ctx)
                return out.items.first ?? .none
            }
            if s.contains("{{") || s.contains("{%") {
                let template = try Template(source: s, name: "argument '\(key)'")
                return .string(try project.environment.render(template, context: context))
            }
            return .string(s)
        case .list(let l): return Value(try l.map { try renderKwarg($0, key: key, context: context) })
        case .dict(let d): return Value(orderedPairs: try d.map { ($0.0, try renderKwarg($0.1, key: key, context: context)) })
        default: return value.templateValue
        }
    }
}

/// dbt's placement of ephemeral CTEs: after a leading top-level `with` (and `recursive`), or in a new
/// `with` before the first token. Whitespace is kept exactly as dbt (via sqlparse) leaves it.
enum CTEInjector {
    static func inject(_ ctes: [String], into sql: String) -> String {
        guard !ctes.isEmpty else { return sql }
        let chars = Array(sql.unicodeScalars)
        var tokens: [(start: Int, end: Int, isWord: Bool, isSpace: Bool)] = []
        var i = 0
        var depth = 0
        // Top-level tokens only: words, whitespace runs, comments, strings, and everything else.
        while i < chars.count {
            let c = chars[i]
            let start = i
            if c == " " || c == "\n" || c == "\t" || c == "\r" {
                while i < chars.count, [" ", "\n", "\t", "\r"].contains(chars[i]) { i += 1 }
                if depth == 0 { tokens.append((start, i, false, true)) }
                continue
            }
            if c == "-", i + 1 < chars.count, chars[i + 1] == "-" {
                while i < chars.count, chars[i] != "\n" { i += 1 }
                if depth == 0 { tokens.append((start, i, false, false)) }
                continue
            }
            if c == "/", i + 1 < chars.count, chars[i + 1] == "*" {
                i += 2
                while i + 1 < chars.count, !(chars[i] == "*" && chars[i + 1] == "/") { i += 1 }
                i = min(chars.count, i + 2)
                if depth == 0 { tokens.append((start, i, false, false)) }
                continue
            }
            if c == "'" || c == "\"" {
                i += 1
                while i < chars.count, chars[i] != c { i += 1 }
                i = min(chars.count, i + 1)
                if depth == 0 { tokens.append((start, i, false, false)) }
                continue
            }
            if c == "(" { depth += 1; i += 1; continue }
            if c == ")" { depth = max(0, depth - 1); i += 1; if depth == 0 { tokens.append((start, i, false, false)) }; continue }
            if c.properties.isAlphabetic || c == "_" {
                while i < chars.count, chars[i].properties.isAlphabetic || chars[i].properties.numericType != nil || chars[i] == "_" { i += 1 }
                if depth == 0 { tokens.append((start, i, true, false)) }
                continue
            }
            i += 1
            if depth == 0 { tokens.append((start, i, false, false)) }
        }
        func text(_ t: (start: Int, end: Int, isWord: Bool, isSpace: Bool)) -> String {
            String(String.UnicodeScalarView(chars[t.start..<t.end])).lowercased()
        }
        var withIndex: Int?
        for (index, token) in tokens.enumerated() {
            if token.isWord, text(token) == "with" { withIndex = index }
            else if token.isWord, text(token) == "recursive", withIndex != nil { withIndex = index; break }
            else if !token.isSpace, withIndex != nil { break }
        }
        let joined = ctes.joined(separator: ", ")
        func splice(at offset: Int, _ insert: String) -> String {
            String(String.UnicodeScalarView(chars[0..<offset])) + insert + String(String.UnicodeScalarView(chars[offset...]))
        }
        if let withIndex {
            // After `with` and the whitespace that follows it (sqlparse inserts before the next non-space token).
            var next = withIndex + 1
            while next < tokens.count, tokens[next].isSpace { next += 1 }
            let offset = next < tokens.count ? tokens[next].start : chars.count
            return splice(at: offset, joined + ", ")
        }
        guard let first = tokens.first(where: { !$0.isSpace }) else { return sql + "with" + joined + " " }
        return splice(at: first.start, "with" + joined + " ")
    }
}
