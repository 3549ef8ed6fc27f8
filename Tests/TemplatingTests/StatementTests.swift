import Templating
import XCTest

/// Expected strings were checked against Jinja2 3.1.6 with the same source.
final class StatementTests: XCTestCase {
    func testIfElifElse() throws {
        let source = "{% if a %}A{% elif b %}B{% else %}C{% endif %}"
        XCTAssertEqual(try render(source, ["a": 0, "b": 1]), "B")
        XCTAssertEqual(try render(source, ["a": 1, "b": 1]), "A")
        XCTAssertEqual(try render(source, [:]), "C")
    }

    func testLoopVariables() throws {
        XCTAssertEqual(
            try render("{% for x in [1,2,3] %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.revindex }}{{ loop.revindex0 }};{% endfor %}"),
            "10TrueFalse332;21FalseFalse321;32FalseTrue310;")
    }

    func testLoopNeighboursCycleAndNesting() throws {
        XCTAssertEqual(
            try render("{% for x in [1,2,3] %}{{ loop.previtem }}-{{ loop.nextitem }} {{ loop.cycle('odd', 'even') }};{% endfor %}"),
            "-2 odd;1-3 even;2- odd;")
        XCTAssertEqual(
            try render("{% for i in range(3) %}{% for j in range(2) %}{{ loop.index }}{% endfor %}{{ loop.index }} {% endfor %}"),
            "121 122 123 ")
    }

    func testForElseRunsWhenEmpty() throws {
        XCTAssertEqual(try render("{% for x in [] %}x{% else %}empty{% endfor %}"), "empty")
        XCTAssertEqual(try render("{% for x in [1] %}x{% else %}empty{% endfor %}"), "x")
    }

    func testTupleUnpackingOverDictItems() throws {
        XCTAssertEqual(try render("{% for k, v in d.items() %}{{ k }}={{ v }},{% endfor %}", ["d": ["a": 1, "b": 2]]), "a=1,b=2,")
    }

    func testForWithFilterCondition() throws {
        XCTAssertEqual(try render("{% for x in [1,2,3,4] if x is even %}{{ x }}{{ loop.length }}{% endfor %}"), "2242")
    }

    func testBreakAndContinue() throws {
        XCTAssertEqual(
            try render("{% for i in range(10) %}{% if i == 3 %}{% break %}{% endif %}{% if i == 1 %}{% continue %}{% endif %}{{ i }}{% endfor %}"),
            "02")
    }

    func testSetAndTupleSet() throws {
        XCTAssertEqual(try render("{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set c = [1,2] %}{{ c }}"), "12[1, 2]")
    }

    func testBlockSet() throws {
        XCTAssertEqual(try render("{% set x %}block {{ 1 }}{% endset %}[{{ x }}]"), "[block 1]")
        XCTAssertEqual(try render("{% set x | upper %}abc{% endset %}{{ x }}"), "ABC")
    }

    func testSetInsideLoopDoesNotLeak() throws {
        XCTAssertEqual(try render("{% set x = 1 %}{% for i in [1] %}{% set x = 2 %}{{ x }}{% endfor %}{{ x }}"), "21")
    }

    func testNamespaceCarriesValuesOutOfLoops() throws {
        XCTAssertEqual(
            try render("{% set ns = namespace(total=0) %}{% for i in range(4) %}{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }}"),
            "6")
    }

    func testDoMutatesSharedLists() throws {
        XCTAssertEqual(
            try render("{% set l = [] %}{% do l.append(1) %}{% do l.extend([2,3]) %}{{ l }} {{ l.index(2) }} {{ l.pop() }} {{ l }}"),
            "[1, 2, 3] 1 3 [1, 2]")
        XCTAssertEqual(try render("{% set x = [1, 2] %}{% set y = x %}{% do y.append(3) %}{{ x }}"), "[1, 2, 3]")
    }

    func testHostListIsMutatedByReference() throws {
        let box = ListBox(["a"])
        _ = try render("{% do cols.append('b') %}", ["cols": .list(box)])
        XCTAssertEqual(box.items.map(\.renderedString), ["a", "b"])
    }

    func testDictMethods() throws {
        XCTAssertEqual(
            try render("{% set d = {} %}{% do d.update({'a': 1}) %}{% do d.update(b=2) %}{{ d }} {{ d.get('c', 9) }} {{ d.keys() | list }} {{ d.values() | list }} {{ d.pop('a') }} {{ d }}"),
            "{'a': 1, 'b': 2} 9 ['a', 'b'] [1, 2] 1 {'b': 2}")
    }

    func testStringMethods() throws {
        XCTAssertEqual(
            try render("{{ ' Hi There '.strip() }}|{{ 'a,b,c'.split(',') }}|{{ 'a b  c'.split() }}|{{ 'abc'.startswith('a') }}|{{ 'abc'.endswith(('x','c')) }}|{{ 'aaa'.replace('a','b') }}|{{ '{} {}'.format(1, 'x') }}|{{ '-'.join(['a','b']) }}|{{ 'ab'.upper() }}{{ 'AB'.lower() }}"),
            "Hi There|['a', 'b', 'c']|['a', 'b', 'c']|True|True|bbb|1 x|a-b|ABab")
        XCTAssertEqual(try render("{{ 'a-b'.split('-', 1) }} {{ 'x y z'.split(none, 1) }}"), "['a', 'b'] ['x', 'y z']")
    }

    func testFilterBlock() throws {
        XCTAssertEqual(try render("{% filter upper %}abc {{ 'd' }}{% endfilter %}"), "ABC D")
    }

    func testRawBlock() throws {
        XCTAssertEqual(try render("{% raw %}{{ not rendered }}{% endraw %}"), "{{ not rendered }}")
    }

    func testComments() throws {
        XCTAssertEqual(try render("{# comment #}a{#- trimmed -#}  b"), "ab")
    }

    func testBuiltinGlobals() throws {
        XCTAssertEqual(try render("{{ range(3)|list }} {{ range(1, 10, 3)|list }} {{ dict(a=1) }}"), "[0, 1, 2] [1, 4, 7] {'a': 1}")
    }

    func testDbtPivotPattern() throws {
        let source = "{% set methods = ['credit_card','coupon'] %} {% for m in methods %} sum(case when payment_method = '{{ m }}' then amount end) as {{ m }}_amount{% if not loop.last %},{% endif %}{% endfor %}"
        XCTAssertEqual(
            try render(source),
            "  sum(case when payment_method = 'credit_card' then amount end) as credit_card_amount, sum(case when payment_method = 'coupon' then amount end) as coupon_amount")
    }

    func testTemplateIsParsedOnceAndRenderedManyTimes() throws {
        let template = try Template(source: "{{ n * 2 }}", name: "t.sql")
        let env = Environment()
        XCTAssertEqual(try (1...3).map { try env.render(template, context: ["n": .int($0)]) }, ["2", "4", "6"])
    }
    /// `{% for … recursive %}` renders a tree through `loop(children)`, with `loop.depth`, as
    /// Jinja2 3.1 rendered the same template.
    func testRecursiveLoopsRenderATreeAsJinja() throws {
        let source = #"""
{%- set tree = [{'name': 'a', 'children': [{'name': 'b', 'children': []}, {'name': 'c', 'children': [{'name': 'd', 'children': []}]}]}, {'name': 'e', 'children': []}] -%}
{%- for node in tree recursive -%}
{{ node.name }}@{{ loop.depth }}/{{ loop.depth0 }}:{{ loop.index }}{% if node.children %}[{{ loop(node.children) }}]{% endif %}{{ ',' if not loop.last }}
{%- endfor %}|{% for x in [3, 1, 2] if x > 1 recursive %}{{ x }}{% else %}none{% endfor %}
"""#
        XCTAssertEqual(try render(source), "a@1/0:1[b@2/1:1,c@2/1:2[d@3/2:1]],e@1/0:2|32")
        XCTAssertThrowsError(try render("{% for x in [1] %}{{ loop([2]) }}{% endfor %}")) { error in
            XCTAssertTrue("\(error)".contains("'loop' is not callable"), "\(error)")
        }
    }
}
