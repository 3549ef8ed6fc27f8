import Templating
import XCTest

/// Expected strings were checked against Jinja2 3.1.6 with the same source.
final class ExpressionTests: XCTestCase {
    func testVariableSubstitution() throws {
        XCTAssertEqual(try render("hello {{ name }}!", ["name": "world"]), "hello world!")
    }

    func testValuesPrintLikePython() throws {
        let context: [String: Value] = ["x": .none, "y": true, "z": 1.5, "w": [1, "a", .none, true]]
        XCTAssertEqual(try render("{{ x }}|{{ y }}|{{ z }}|{{ w }}", context), "None|True|1.5|[1, 'a', None, True]")
    }

    func testLiterals() throws {
        XCTAssertEqual(try render("{{ {'a': 1, 'b': [1,2]} }} {{ (1, 2) }} {{ (1,) }} {{ () }}"), "{'a': 1, 'b': [1, 2]} (1, 2) (1,) ()")
        XCTAssertEqual(try render("{{ True }} {{ False }} {{ None }} {{ true }} {{ none }}"), "True False None True None")
    }

    func testStringLiteralsWithBothQuotesAndEscapes() throws {
        XCTAssertEqual(
            try render(#"{{ "it's" }} {{ 'say "hi"' }} {{ 'tab\tnew\nline' }} {{ 'a' 'b' }} {{ ['it\'s'] }}"#),
            "it's say \"hi\" tab\tnew\nline ab [\"it's\"]")
    }

    func testArithmetic() throws {
        XCTAssertEqual(
            try render("{{ 1 + 2 * 3 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 2 ** 10 }} {{ 7 / 2 }} {{ 6 / 2 }} {{ 1.5 + 1 }}"),
            "7 3 -4 1 2 1024 3.5 3.0 2.5")
        XCTAssertEqual(try render("{{ -2 ** 2 }} {{ 2 ** -1 }} {{ -x|abs }}", ["x": 3]), "4 0.5 3")
    }

    func testFloatsPrintLikePython() throws {
        XCTAssertEqual(
            try render("{{ 10|float }} {{ 1e20 }} {{ 0.1 + 0.2 }} {{ 1/3 }} {{ 100000000000000000.0 }} {{ 2.0 * 3 }}"),
            "10.0 1e+20 0.30000000000000004 0.3333333333333333 1e+17 6.0")
    }

    func testConcatenationAndSequenceOperators() throws {
        XCTAssertEqual(try render("{{ 'a' ~ 1 ~ none }} {{ 'ab' * 3 }} {{ [1] + [2] }} {{ 'x' + 'y' }}"), "a1None ababab [1, 2] xy")
        XCTAssertEqual(try render("{{ 'a' ~ missing ~ 'b' }}"), "ab")
    }

    func testComparisonsAndMembership() throws {
        XCTAssertEqual(
            try render("{{ 1 < 2 < 3 }} {{ 1 == 1.0 }} {{ 'a' in 'cat' }} {{ 3 not in [1,2] }} {{ 'k' in {'k': 1} }}"),
            "True True True True True")
        XCTAssertEqual(try render("{{ true == 1 }} {{ 1 != 2 }} {{ 'a' < 'b' }} {{ [1,2] < [1,3] }}"), "True True True True")
    }

    func testBooleanOperatorsReturnOperands() throws {
        XCTAssertEqual(try render("{{ true and 'x' }} {{ false or 'y' }} {{ not none }} {{ 0 or '' or 'z' }}"), "x y True z")
    }

    func testInlineIf() throws {
        XCTAssertEqual(try render("{{ 'yes' if x else 'no' }} {{ 'a' if false }}|", ["x": 1]), "yes |")
        XCTAssertEqual(try render("{{ 1 if true else 2 if false else 3 }}"), "1")
    }

    func testAttributeAndSubscriptAccess() throws {
        XCTAssertEqual(
            try render("{{ d.missing }}|{{ d['a'] }}|{{ d.a }}|{{ l.0 }}|{{ (1, 2)[0] }}|{{ {'a': {'b': 'c'}}.a.b }}",
                       ["d": ["a": 1], "l": [5]]),
            "|1|1|5|1|c")
    }

    func testSlicing() throws {
        XCTAssertEqual(
            try render("{{ [1,2,3,4,5][1:3] }} {{ 'abcdef'[::2] }} {{ [1,2,3][-1] }} {{ 'abc'[1] }} {{ [1,2,3][::-1] }} {{ 'Hello'[1:] }}"),
            "[2, 3] ace 3 b [3, 2, 1] ello")
    }

    func testCallsWithPositionalKeywordAndSplatArguments() throws {
        let env = Environment()
        env.globals["show"] = .function(NativeFunction(name: "show") { args in
            .string(args.positional.map(\.renderedString).joined(separator: ",") + ";" + args.keyword.map { "\($0.0)=\($0.1)" }.joined(separator: ","))
        })
        XCTAssertEqual(try render("{{ show(1, 'a', k=2) }}", environment: env), "1,a;k=2")
        XCTAssertEqual(try render("{{ show(*[1, 2], **{'x': 3}) }}", environment: env), "1,2;x=3")
    }

    func testUndefinedPrintsEmpty() throws {
        XCTAssertEqual(try render("[{{ nothing }}]"), "[]")
        XCTAssertEqual(try render("{% for x in nothing %}x{% else %}none{% endfor %}"), "none")
    }
}
