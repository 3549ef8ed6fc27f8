import Templating
import XCTest

final class MacroTests: XCTestCase {
    func testDefaultsAndKeywordArguments() throws {
        XCTAssertEqual(
            try render("{% macro m(a, b=2, c='z') %}{{ a }}-{{ b }}-{{ c }}{% endmacro %}{{ m(1) }} {{ m(1, 3) }} {{ m(1, c='q') }} {{ m(a=5, b=6) }}"),
            "1-2-z 1-3-z 1-2-q 5-6-z")
    }

    func testMissingArgumentIsUndefined() throws {
        XCTAssertEqual(try render("{% macro m(a, b) %}[{{ b }}]{{ b is defined }}{% endmacro %}{{ m(1) }}"), "[]False")
    }

    func testVarargsAndKwargs() throws {
        XCTAssertEqual(try render("{% macro v() %}{{ varargs }}{{ kwargs }}{% endmacro %}{{ v(1, 2, k=3) }}"), "(1, 2){'k': 3}")
    }

    func testMacroSeesTopLevelVariablesOfItsTemplate() throws {
        XCTAssertEqual(try render("{% set a = 'x' %}{% macro m() %}{{ a }}{% endmacro %}{{ m() }}"), "x")
    }

    func testRecursion() throws {
        XCTAssertEqual(try render("{% macro f(x) %}{% if x > 0 %}{{ f(x - 1) }}{{ x }}{% endif %}{% endmacro %}{{ f(3) }}"), "123")
    }

    func testCallBlockAndCaller() throws {
        XCTAssertEqual(try render("{% macro outer() %}<{{ caller() }}>{% endmacro %}{% call outer() %}inside{% endcall %}"), "<inside>")
        XCTAssertEqual(
            try render("{% macro outer(x) %}<{{ caller(x * 2) }}>{% endmacro %}{% call(v) outer(4) %}got {{ v }}{% endcall %}"),
            "<got 8>")
    }

    func testCallerSeesCallSiteVariables() throws {
        XCTAssertEqual(
            try render("{% macro wrap() %}({{ caller() }}){% endmacro %}{% set who = 'me' %}{% call wrap() %}{{ who }}{% endcall %}"),
            "(me)")
    }

    func testReturnGivesAValueNotText() throws {
        let source = """
            {% macro cols() %}ignored text{% do return(['a', 'b']) %}{% endmacro %}
            {%- macro one() %}{{ return(1) }}{% endmacro -%}
            {{ cols() | join(',') }} {{ one() + 1 }} {{ cols() is string }}
            """
        XCTAssertEqual(try render(source), "a,b 2 False")
    }

    func testReturnEndsTheMacro() throws {
        XCTAssertEqual(try render("{% macro m() %}{% if true %}{{ return('early') }}{% endif %}{{ 1/0 }}{% endmacro %}{{ m() }}"), "early")
    }

    func testMacroWithoutReturnEvaluatesToItsText() throws {
        XCTAssertEqual(try render("{% macro m() %}  x  {% endmacro %}[{{ m() }}]{{ m() is string }}"), "[  x  ]True")
    }

    func testMacroNames() throws {
        let template = try Template(source: """
            {% macro a() %}{% macro nested() %}{% endmacro %}{% endmacro %}
            {% test not_empty(model, column_name) %}select 1{% endtest %}
            {% materialization view, adapter='duckdb' %}{% endmaterialization %}
            {% macro b(x) %}{% endmacro %}
            """, name: "macros/m.sql")
        XCTAssertEqual(template.macroNames, ["a", "test_not_empty", "materialization_view_duckdb", "b"])
    }

    func testProjectMacrosAreCallableFromOtherTemplates() throws {
        let env = Environment()
        env.addMacros(from: try Template(source: """
            {% macro cents_to_dollars(column, scale=2) -%}
            round({{ column }} / 100.0, {{ scale }})
            {%- endmacro %}
            {% macro uses_helper() %}{{ helper() }}{% endmacro %}
            {% macro helper() %}helped by {{ target_name }}{% endmacro %}
            """, name: "macros/money.sql"))
        env.globals["target_name"] = "dev"
        XCTAssertEqual(try render("select {{ cents_to_dollars('amount') }}, {{ cents_to_dollars('x', scale=4) }}", environment: env),
                       "select round(amount / 100.0, 2), round(x / 100.0, 4)")
        XCTAssertEqual(try render("{{ uses_helper() }}", environment: env), "helped by dev")
    }

    func testMacrosResolveNamesAtCallTimeFromTheRenderContext() throws {
        let env = Environment()
        env.addMacros(from: try Template(source: "{% macro current() %}{{ this }}{% endmacro %}", name: "macros/c.sql"))
        XCTAssertEqual(try render("{{ current() }}", ["this": "orders"], environment: env), "orders")
        XCTAssertEqual(try render("{{ current() }}", ["this": "customers"], environment: env), "customers")
    }

    func testNamespacedMacrosAndOverrides() throws {
        let env = Environment()
        env.addMacros(from: try Template(source: "{% macro greet() %}builtin{% endmacro %}", name: "dbt/greet.sql"), namespace: "dbt")
        XCTAssertEqual(try render("{{ greet() }}", environment: env), "builtin")
        env.addMacros(from: try Template(source: "{% macro greet() %}project{% endmacro %}", name: "macros/greet.sql"))
        XCTAssertEqual(try render("{{ greet() }} {{ dbt.greet() }}", environment: env), "project builtin")
        XCTAssertNotNil(env.macro(named: "dbt.greet"))
        XCTAssertNil(env.macro(named: "dbt.nope"))
    }

    func testHostCallsAMacroAndGetsItsReturnValue() throws {
        let env = Environment()
        env.addMacros(from: try Template(source: """
            {% macro generate_schema_name(custom, node) %}{{ return('analytics_' ~ (custom or 'default')) }}{% endmacro %}
            """, name: "macros/schema.sql"))
        let macro = try XCTUnwrap(env.macro(named: "generate_schema_name"))
        let value = try env.call(macro, Arguments(positional: ["marts", .none]))
        XCTAssertEqual(value.stringValue, "analytics_marts")
    }

    func testHostFunctionsAndObjects() throws {
        final class Relation: TemplateObject {
            func attribute(_ name: String) -> Value? { name == "identifier" ? "orders" : nil }
            var renderedString: String { #""main"."orders""# }
        }
        let env = Environment()
        env.globals["ref"] = .function(NativeFunction(name: "ref") { _ in .object(Relation()) })
        XCTAssertEqual(try render("select * from {{ ref('orders') }} -- {{ ref('orders').identifier }}", environment: env),
                       #"select * from "main"."orders" -- orders"#)
    }

    func testAdapterDispatchStylePatternCallsMacroValueReturnedByHost() throws {
        let env = Environment()
        env.addMacros(from: try Template(source: """
            {% macro default__concat(a, b) %}{{ a }} || {{ b }}{% endmacro %}
            {% macro duckdb__concat(a, b) %}concat({{ a }}, {{ b }}){% endmacro %}
            """, name: "macros/concat.sql"))
        env.globals["dispatch"] = .function(NativeFunction(name: "dispatch") { [unowned env] args in
            let name = try args.string(0, "macro_name", of: "dispatch")
            return env.macro(named: "duckdb__" + name) ?? env.macro(named: "default__" + name) ?? .none
        })
        XCTAssertEqual(try render("{{ dispatch('concat')('x', 'y') }}", environment: env), "concat(x, y)")
    }
}
