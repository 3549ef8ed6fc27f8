import Templating
import XCTest

/// Expected strings were checked against Jinja2 3.1.6 with the same source.
final class FilterAndTestTests: XCTestCase {
    func testStringFilters() throws {
        XCTAssertEqual(
            try render("{{ 'HeLLo wOrld'|lower }} {{ 'x'|upper }} {{ '  t  '|trim }} {{ 'aXa'|replace('a','b') }} {{ 'hello world'|capitalize }} {{ 'hello world-foo'|title }}"),
            "hello world X t bXb Hello world Hello World-Foo")
    }

    func testJoinDefaultLength() throws {
        XCTAssertEqual(
            try render("{{ [1,2]|join(',') }} {{ u|default('dflt') }} {{ ''|d('e', true) }} {{ ''|default('kept') }}| {{ [1,2,3]|length }} {{ 'abc'|count }}"),
            "1,2 dflt e | 3 3")
    }

    func testConversionFilters() throws {
        XCTAssertEqual(
            try render("{{ 'abc'|list }} {{ '42'|int }} {{ '4.7'|int }} {{ 'x'|int }} {{ '2.5'|float }} {{ 3|string }} {{ -3|abs }}"),
            "['a', 'b', 'c'] 42 4 0 2.5 3 3")
    }

    func testRoundUsesPythonRounding() throws {
        XCTAssertEqual(try render("{{ 2.567|round(2) }} {{ 2.5|round }} {{ 3.5|round }} {{ 2.1|round(0,'ceil') }}"), "2.57 2.0 4.0 3.0")
    }

    func testToJSONSortsKeysAndEscapesHTML() throws {
        XCTAssertEqual(
            try render("{{ {'b': 1, 'a': '<x>'}|tojson }} {{ [1, 'a', none, true]|tojson }}"),
            #"{"a": "\u003cx\u003e", "b": 1} [1, "a", null, true]"#)
    }

    func testSequenceFilters() throws {
        XCTAssertEqual(
            try render("{{ {'a': 1}|items|list }} {{ [3,1,2]|first }} {{ [3,1,2]|last }} {{ ['a','A','b']|unique|list }} {{ [3,1,2]|sort }} {{ ['b','A','c']|sort(reverse=true) }} {{ [1,2]|reverse|list }}"),
            "[('a', 1)] 3 2 ['a', 'b'] [1, 2, 3] ['c', 'b', 'A'] [2, 1]")
    }

    func testMapSelectReject() throws {
        XCTAssertEqual(
            try render("{{ users|map(attribute='name')|join(',') }} {{ [1,0,2]|select|list }} {{ [1,2,3,4]|select('odd')|list }} {{ [1,2,3]|reject('even')|list }} {{ ['a','b']|map('upper')|list }}",
                       ["users": [["name": "a"], ["name": "b"]]]),
            "a,b [1, 2] [1, 3] [1, 3] ['A', 'B']")
        XCTAssertEqual(
            try render("{{ [{'a': 2}, {'a': 1}]|sort(attribute='a') }} {{ [{'a': 2, 'b': 1}]|selectattr('a', 'equalto', 2)|list }} {{ [1,2,3]|sum }} {{ [3,1]|min }} {{ [3,1]|max }}"),
            "[{'a': 1}, {'a': 2}] [{'a': 2, 'b': 1}] 6 1 3")
    }

    func testIndent() throws {
        XCTAssertEqual(try render("{{ 'a\\nb\\n\\nc'|indent(2) }}|{{ 'x\\ny'|indent(2, true) }}"), "a\n  b\n\n  c|  x\n  y")
    }

    func testFormatFilterAndPercentOperator() throws {
        XCTAssertEqual(try render("{{ '%s-%s'|format('a', 1) }} {{ '%s and %d' % ('x', 3) }}"), "a-1 x and 3")
    }

    func testCustomFilter() throws {
        let env = Environment()
        env.filters["quoted"] = { value, _ in .string("\"\(value.renderedString)\"") }
        XCTAssertEqual(try render("{{ 'id'|quoted }}", environment: env), "\"id\"")
    }

    func testTests() throws {
        XCTAssertEqual(
            try render("{{ x is defined }} {{ y is undefined }} {{ none is none }} {{ 'a' is string }} {{ 1 is number }} {{ 1.0 is integer }} {{ 1 is integer }} {{ {} is mapping }} {{ [] is iterable }} {{ 'a' is sequence }} {{ true is true }} {{ false is false }} {{ 1 is in [1] }} {{ 1 is eq 1 }} {{ 2 is equalto 3 }}",
                       ["x": 1]),
            "True True True True True False True True True True True True True True False")
        XCTAssertEqual(try render("{% if x is not none and x > 1 %}big{% endif %}", ["x": 5]), "big")
    }
}
