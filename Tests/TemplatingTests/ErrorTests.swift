import Templating
import XCTest

/// Every error names file:line:col and the failing part, then shows the line with a caret.
final class ErrorTests: XCTestCase {
    func testUnclosedIfPointsAtEndOfTemplate() {
        XCTAssertEqual(renderError("select 1\n{% if x %}\nabc {{ y }}\n"), """
            t.sql:3:12: error: unexpected end of template, expected 'endif' to close 'if' opened at 2:1
            abc {{ y }}
                       ^
            """)
    }

    func testErrorFieldsAndNameOfFile() throws {
        XCTAssertThrowsError(try Template(source: "{% for x in y %}\n{{ x }}", name: "models/stg_orders.sql")) { error in
            let e = error as? TemplateError
            XCTAssertEqual(e?.file, "models/stg_orders.sql")
            XCTAssertEqual(e?.line, 2)
            XCTAssertEqual(e?.column, 8)
            XCTAssertEqual(e?.message, "unexpected end of template, expected 'endfor' to close 'for' opened at 1:1")
        }
    }

    func testUnclosedExpressionTag() {
        XCTAssertEqual(renderError("select 1\n{{ x }"), """
            t.sql:2:7: error: unexpected end of template, expected '}}' to close '{{' opened at 2:1
            {{ x }
                  ^
            """)
    }

    func testUnclosedComment() {
        XCTAssertEqual(renderError("a {# never closed"), """
            t.sql:1:3: error: unclosed comment: '{#' has no matching '#}'
            a {# never closed
              ^
            """)
    }

    func testUnterminatedString() {
        XCTAssertEqual(renderError("{{ 'abc }}"), """
            t.sql:1:4: error: unterminated string literal: no closing '
            {{ 'abc }}
               ^
            """)
    }

    func testUnexpectedCharacter() {
        XCTAssertEqual(renderError("{{ a @ b }}"), """
            t.sql:1:6: error: unexpected character '@' inside a tag
            {{ a @ b }}
                 ^
            """)
    }

    func testMissingExpression() {
        XCTAssertEqual(renderError("{{ 1 + }}"), """
            t.sql:1:8: error: unexpected '}}', expected an expression
            {{ 1 + }}
                   ^
            """)
    }

    func testUnclosedList() {
        XCTAssertEqual(renderError("{{ [1, 2 }}"), """
            t.sql:1:10: error: unexpected '}}', expected ',' or ']'
            {{ [1, 2 }}
                     ^
            """)
    }

    func testStrayEndTag() {
        XCTAssertEqual(renderError("{% endfor %}"), """
            t.sql:1:4: error: unexpected 'endfor': no open block for it to close
            {% endfor %}
               ^
            """)
    }

    func testMismatchedEndTag() {
        XCTAssertEqual(renderError("{% if a %}\n  {% endfor %}{% endif %}"), """
            t.sql:2:6: error: unexpected 'endfor', expected 'endif' to close 'if' opened at 1:1
              {% endfor %}{% endif %}
                 ^
            """)
    }

    func testUnknownTag() {
        XCTAssertEqual(renderError("{% frobnicate %}"), """
            t.sql:1:4: error: unknown tag 'frobnicate'
            {% frobnicate %}
               ^
            """)
    }

    func testBreakOutsideLoop() {
        XCTAssertEqual(renderError("{% break %}"), """
            t.sql:1:1: error: 'break' used outside of a for loop
            {% break %}
            ^
            """)
    }

    func testCallingUndefinedNamesIt() {
        XCTAssertEqual(renderError("select\n  {{ my_macro(1) }}"), """
            t.sql:2:6: error: 'my_macro' is undefined: no macro or function with this name exists
              {{ my_macro(1) }}
                 ^
            """)
    }

    func testAttributeOfUndefinedNamesTheAttribute() {
        XCTAssertEqual(renderError("{{ x.y }}"), """
            t.sql:1:6: error: 'x' is undefined, so attribute 'y' cannot be read
            {{ x.y }}
                 ^
            """)
        XCTAssertEqual(renderError("a\n  {{ d.x.y }}", ["d": [:]]), """
            t.sql:2:10: error: 'dict object' has no attribute 'x', so attribute 'y' cannot be read
              {{ d.x.y }}
                     ^
            """)
    }

    func testArithmeticErrors() {
        XCTAssertEqual(renderError("{{ 1 / 0 }}"), """
            t.sql:1:6: error: division by zero
            {{ 1 / 0 }}
                 ^
            """)
        XCTAssertEqual(renderError("{{ 'a' + 1 }}"), """
            t.sql:1:8: error: unsupported operand type(s) for +: 'str' and 'int'
            {{ 'a' + 1 }}
                   ^
            """)
        XCTAssertEqual(renderError("{{ 1 < 'a' }}"), """
            t.sql:1:6: error: '<' not supported between instances of 'int' and 'str'
            {{ 1 < 'a' }}
                 ^
            """)
    }

    func testMacroArgumentErrors() {
        XCTAssertEqual(renderError("{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}"), """
            t.sql:1:34: error: macro 'm' takes not more than 1 argument(s), got 2
            {% macro m(a) %}{% endmacro %}{{ m(1, 2) }}
                                             ^
            """)
        XCTAssertEqual(renderError("{% macro m(a) %}{% endmacro %}{{ m(b=2) }}"), """
            t.sql:1:34: error: macro 'm' takes no keyword argument 'b'
            {% macro m(a) %}{% endmacro %}{{ m(b=2) }}
                                             ^
            """)
    }

    func testUnknownFilterAndTest() {
        XCTAssertEqual(renderError("{{ x | nofilter }}"), """
            t.sql:1:8: error: no filter named 'nofilter'
            {{ x | nofilter }}
                   ^
            """)
        XCTAssertEqual(renderError("{{ x is notatest }}"), """
            t.sql:1:9: error: no test named 'notatest'
            {{ x is notatest }}
                    ^
            """)
    }

    func testUnpackingMismatch() {
        XCTAssertEqual(renderError("{% set a, b = [1] %}"), """
            t.sql:1:1: error: not enough values to unpack (expected 2, got 1)
            {% set a, b = [1] %}
            ^
            """)
    }

    func testNotIterable() {
        XCTAssertEqual(renderError("{% for x in n %}{% endfor %}", ["n": 5]), """
            t.sql:1:13: error: 'int' object is not iterable
            {% for x in n %}{% endfor %}
                        ^
            """)
    }

    func testHostFunctionErrorIsLocatedAtTheCall() {
        let env = Environment()
        env.globals["raise_compiler_error"] = .function(NativeFunction(name: "raise_compiler_error") { args in
            throw TemplateError.raised(args.arg(0, "msg")?.renderedString ?? "")
        })
        XCTAssertEqual(renderError("{% if true %}\n  {{ raise_compiler_error('bad config') }}\n{% endif %}", environment: env), """
            t.sql:2:6: error: bad config
              {{ raise_compiler_error('bad config') }}
                 ^
            """)
    }

    func testForeignHostErrorsAreWrappedWithTheirDescription() {
        struct DiskFull: Error, CustomStringConvertible { var description: String { "disk full" } }
        let env = Environment()
        env.globals["write"] = .function(NativeFunction(name: "write") { _ in throw DiskFull() })
        XCTAssertEqual(renderError("{{ write() }}", environment: env), """
            t.sql:1:4: error: disk full
            {{ write() }}
               ^
            """)
    }

    func testErrorInsideProjectMacroPointsAtTheMacroFile() throws {
        let env = Environment()
        env.addMacros(from: try Template(source: "{% macro broken() %}\n  {{ 1 + none }}\n{% endmacro %}", name: "macros/broken.sql"))
        let error = renderError("select {{ broken() }}", environment: env)
        XCTAssertEqual(error, """
            macros/broken.sql:2:8: error: unsupported operand type(s) for +: 'int' and 'NoneType'
              {{ 1 + none }}
                   ^
            """)
    }

    func testReturnOutsideMacro() {
        XCTAssertEqual(renderError("{{ return(1) }}"), """
            t.sql:1:4: error: return() can only be used inside a macro
            {{ return(1) }}
               ^
            """)
    }

    func testNamespaceAssignmentNeedsNamespace() {
        XCTAssertEqual(renderError("{% set d = {} %}{% set d.x = 1 %}"), """
            t.sql:1:26: error: cannot set attribute 'x': 'd' is not a namespace() object
            {% set d = {} %}{% set d.x = 1 %}
                                     ^
            """)
    }
}
