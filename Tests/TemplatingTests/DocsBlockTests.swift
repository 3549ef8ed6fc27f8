import Templating
import XCTest

final class DocsBlockTests: XCTestCase {
    func testDocsBlocksByName() throws {
        let source = """
            # Orders

            {% docs order_status %}
            One of `placed`, `shipped`, `returned`.
            {{ not rendered }}
            {% enddocs %}

            {%- docs customer_id -%}
              The customer's id.
            {%- enddocs %}
            """
        let blocks = try Template.docsBlocks(in: source, name: "models/docs.md")
        XCTAssertEqual(blocks, [
            "order_status": "\nOne of `placed`, `shipped`, `returned`.\n{{ not rendered }}\n",
            "customer_id": "The customer's id.",
        ])
        let template = try Template(source: source, name: "models/docs.md")
        XCTAssertEqual(template.docsBlocks.map(\.name), ["order_status", "customer_id"])
        XCTAssertEqual(template.docsBlocks.map(\.line), [3, 8])
        XCTAssertEqual(try Environment().render(template), "# Orders\n\n")
    }

    func testUnclosedDocsBlock() {
        XCTAssertEqual(renderError("{% docs x %}\ntext"), """
            t.sql:2:5: error: unexpected end of template, expected 'enddocs' to close 'docs' opened at 1:1
            text
                ^
            """)
    }

    func testSnapshotBlockRendersItsBody() throws {
        let template = try Template(source: "{% snapshot orders_snapshot %}\nselect 1\n{% endsnapshot %}", name: "snapshots/s.sql")
        XCTAssertEqual(template.snapshotNames, ["orders_snapshot"])
        XCTAssertEqual(try Environment().render(template), "\nselect 1\n")
    }
}
