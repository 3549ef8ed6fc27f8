import Foundation
import Templating
import WarehouseKit

/// A unit test compiled: the tested model's SQL with each input replaced by its fixture.
public struct CompiledUnitTest: Sendable {
    public var uniqueId: String
    /// The model's SQL, its inputs as CTEs of fixture rows (`__dbt__cte__raw_orders`).
    public var sql: String
    /// `target/compiled/<project>/<yml path>/models/<test>.sql`, as dbt writes it.
    public var compiledPath: String
}

extension Compiler {
    /// Compiles a unit test as dbt does: each `given` input becomes a CTE named
    /// `__dbt__cte__<name>` (`__dbt__cte__<source>__<table>` for a source) of typed rows, and the
    /// model renders with `ref`/`source`/`this` pointing at those CTEs and the test's overrides of
    /// vars, env vars and macros. Fixture rows take the column types of the relation they stand
    /// for, so that relation must exist; `this` of an incremental model that was never built
    /// takes the columns the model's full-refresh SQL returns instead.
    public func compileUnitTest(_ id: String) throws -> CompiledUnitTest {
        guard let node = project.manifest.nodes[id], let test = node.unitTest,
              let model = project.manifest.nodes[node.dependsOnNodes.first ?? ""] else {
            throw TransformError("no unit test '\(id)' in the project")
        }
        let fixtures = try test.given.map { try fixtureCTE($0, test: node, model: model, definition: test) }
        let sql = try renderModel(model, for: node, definition: test, fixtures: fixtures, incremental: nil)
        return CompiledUnitTest(uniqueId: id, sql: sql, compiledPath: unitTestCompiledPath(node))
    }

    /// The columns of a relation in the warehouse with types a cast can name, in table order;
    /// empty when it does not exist.
    public func columns(of relation: QualifiedRelation) throws -> [UnitTestSQL.Column] {
        try warehouseColumns(of: relation).map { UnitTestSQL.Column(name: $0.name, type: UnitTestSQL.castableType($0.type)) }
    }

    func unitTestCompiledPath(_ node: Node) -> String {
        "\(project.manifest.targetPath)/compiled/\(project.manifest.projectName)/\(node.originalFilePath)/models/\(node.name)\(node.version.map { "_v\($0)" } ?? "").sql"
    }

    /// One input's CTE: its name, the real relation it stands for, and its SQL.
    struct FixtureCTE {
        var input: UnitTestInput
        var cteName: String
        var relation: QualifiedRelation
        var sql: String
    }

    private func fixtureCTE(_ input: UnitTestInput, test: Node, model: Node, definition: UnitTestDefinition) throws -> FixtureCTE {
        let manifest = project.manifest
        let cteName: String
        let relation: QualifiedRelation?
        switch input.target {
        case .ref(let name):
            cteName = "__dbt__cte__\(name)"
            relation = manifest.refTarget(name)?.relation
        case .source(let source, let table):
            cteName = "__dbt__cte__\(source)__\(table)"
            relation = manifest.sources["source.\(manifest.projectName).\(source).\(table)"]?.relation
        case .this:
            cteName = "__dbt__cte__\(model.name)"
            relation = model.relation
        }
        guard let relation else { throw TransformError(file: test.originalFilePath, line: test.line, "unit test '\(test.name)': \(input.written) names nothing this project builds") }
        switch input.rows {
        case .sql(let sql):
            return FixtureCTE(input: input, cteName: cteName, relation: relation, sql: sql)
        case .rows(let rows):
            var columns = try self.columns(of: relation)
            if columns.isEmpty, input.target == .this {
                columns = try fullRefreshColumns(of: model, for: test, definition: definition)
            }
            guard !columns.isEmpty else {
                throw TransformError(file: test.originalFilePath, line: test.line,
                                     "not able to get columns for unit test '\(test.name)' from relation \(relation) (\(input.written)) because the relation doesn't exist: fixture rows take its column types; build it first, e.g. `storehouse build --select +\(model.name)`, which runs the unit test after the model's parents")
            }
            do {
                return FixtureCTE(input: input, cteName: cteName, relation: relation,
                                  sql: try UnitTestSQL.fixture(rows, columns: columns, fixture: "'\(relationName(input))'"))
            } catch let e as TransformError {
                throw TransformError(file: test.originalFilePath, line: test.line, "unit test '\(test.name)': \(e.message)")
            }
        }
    }

    private func relationName(_ input: UnitTestInput) -> String {
        switch input.target {
        case .ref(let name): return name
        case .source(_, let table): return table
        case .this: return "this"
        }
    }

    /// The columns an incremental model's table would have, from its SQL on a full refresh over
    /// the test's other inputs: a unit test of the incremental branch runs before the first build.
    private func fullRefreshColumns(of model: Node, for test: Node, definition: UnitTestDefinition) throws -> [UnitTestSQL.Column] {
        let others = try definition.given.filter { $0.target != .this }.map { try fixtureCTE($0, test: test, model: model, definition: definition) }
        let sql = try renderModel(model, for: test, definition: definition, fixtures: others, incremental: false)
        let result = try host.runQuery(UnitTestSQL.emptyResult(of: sql))
        return result.columns.map { UnitTestSQL.Column(name: $0.name, type: UnitTestSQL.castableType($0.type)) }
    }

    /// The model rendered for the test, its inputs injected as CTEs. `incremental` forces
    /// `is_incremental()` (nil: as the test's overrides say).
    private func renderModel(_ model: Node, for test: Node, definition: UnitTestDefinition, fixtures: [FixtureCTE],
                             incremental: Bool?) throws -> String {
        guard let template = project.templates[model.uniqueId] else { return model.rawCode }
        project.renderLock.lock()
        defer { project.renderLock.unlock() }
        let state = RenderState(config: model.config)
        var context = context(for: model, state: state)
        let manifest = project.manifest
        func fixture(_ target: UnitTestInput.Target) -> FixtureCTE? { fixtures.first { $0.input.target == target } }
        func missing(_ written: String) -> TemplateError {
            TemplateError.raised("unit test '\(test.name)' gives no rows for \(written), which model '\(model.name)' reads; add `- input: \(written)` under `given:` (`rows: []` for none)")
        }
        context["ref"] = .function(NativeFunction(name: "ref") { args in
            let name = args.positional.compactMap(\.stringValue).last ?? ""
            guard let cte = fixture(.ref(name: name)) else { throw missing("ref('\(name)')") }
            return .object(RelationObject(cte.relation, cteName: cte.cteName))
        })
        context["source"] = .function(NativeFunction(name: "source") { args in
            let s = try args.string(0, "source_name", of: "source")
            let t = try args.string(1, "table_name", of: "source")
            guard let cte = fixture(.source(source: s, table: t)) else { throw missing("source('\(s)', '\(t)')") }
            return .object(RelationObject(cte.relation, cteName: cte.cteName))
        })
        if let cte = fixture(.this) { context["this"] = .object(RelationObject(cte.relation, cteName: cte.cteName)) }
        if !definition.overrides.vars.isEmpty {
            var vars = project.compileVars ?? manifest.vars
            for (name, value) in definition.overrides.vars {
                if let index = vars.firstIndex(where: { $0.0 == name }) { vars[index].1 = value } else { vars.append((name, value)) }
            }
            context["var"] = ContextBuilder.varFunction(vars)
        }
        if !definition.overrides.envVars.isEmpty {
            let fallback = project.environment.globals["env_var"]
            let overridden = Dictionary(definition.overrides.envVars.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
            context["env_var"] = .function(NativeFunction(name: "env_var") { args in
                let name = try args.string(0, "var", of: "env_var")
                if let value = overridden[name] { return .string(value.pythonString) }
                guard case .function(let original)? = fallback else { throw TemplateError.raised("env_var('\(name)') is not set") }
                return try original.body(args)
            })
        }
        var overrides: [String: Value] = [:]
        for (name, value) in definition.overrides.macros {
            let result = value.templateValue
            overrides[name] = .function(NativeFunction(name: name) { _ in result })
        }
        if let incremental { overrides["is_incremental"] = .function(NativeFunction(name: "is_incremental") { _ in .bool(incremental) }) }
        let rendered: String
        do {
            rendered = try project.environment.render(template, context: context, overrides: overrides)
        } catch let e as TemplateError {
            throw TransformError(file: e.file.isEmpty ? model.originalFilePath : e.file, line: e.line, column: e.column,
                                 "unit test '\(test.name)' of \(model.name): \(e.message)" + e.chain(calledBy: "model \(model.name)", file: model.originalFilePath))
        }
        let ctes = fixtures.map { " \($0.cteName) as (\n\($0.sql)\n)" }
        return CTEInjector.inject(ctes, into: rendered)
    }
}
