import Templating
import XCTest

/// Jinja defaults as dbt uses them: trim_blocks and lstrip_blocks off, one trailing newline dropped.
/// Expected strings were checked against Jinja2 3.1.6.
final class WhitespaceTests: XCTestCase {
    func testMinusTrimsOnBothSides() throws {
        XCTAssertEqual(try render("a\n{%- if true -%}\n  b\n{%- endif -%}\n c\n{{- 'd' -}}\n e"), "abcde")
    }

    func testBlocksKeepTheirNewlinesByDefault() throws {
        XCTAssertEqual(try render("line1\n{% if true %}\nx\n{% endif %}\nend\n"), "line1\n\nx\n\nend")
    }

    func testLeftTrimOnlyInLoop() throws {
        XCTAssertEqual(try render("  {%- for x in [1,2] %}\n  {{ x }}\n  {%- endfor %}\n"), "\n  1\n  2")
    }

    func testOnlyOneTrailingNewlineIsDropped() throws {
        XCTAssertEqual(try render("a\n\n"), "a\n")
        XCTAssertEqual(try render("a\r\nb\r\n"), "a\nb")
    }

    func testCommentTrim() throws {
        XCTAssertEqual(try render("x  {#- c -#}\n  y"), "xy")
    }

    func testRawKeepsInnerWhitespaceButHonoursTrimMarkers() throws {
        XCTAssertEqual(try render("a {%- raw -%}  {{ x }}  {%- endraw -%} b"), "a{{ x }}b")
    }
}
