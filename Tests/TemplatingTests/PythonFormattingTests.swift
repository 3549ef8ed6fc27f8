import XCTest
@testable import Templating

/// `%` and `str.format` with flags, width, precision and types; each expected string is what
/// CPython 3.11 printed for the same expression.
final class PythonFormattingTests: XCTestCase {
    func render(_ source: String) throws -> String {
        try Environment().render(try Template(source: source, name: "t.sql"))
    }

    func testPercentFormatting() throws {
        XCTAssertEqual(try render("{{ '%-5s|' % 'ab' }} {{ '%+.1f' % 2.25 }} {{ '%05d' % -42 }} {{ '%x' % 255 }} {{ '%e' % 12345.678 }}"),
                       "ab   | +2.2 -0042 ff 1.234568e+04")
        XCTAssertEqual(try render("{{ '%02d' % 7 }} {{ '%5s|' % 'ab' }} {{ '%.2f' % 3.14159 }} {{ '%d%%' % 50 }}"), "07    ab| 3.14 50%")
    }

    func testFormatMethod() throws {
        XCTAssertEqual(try render("{{ '{:,}'.format(1234567) }} {{ '{:^7}|'.format('ab') }} {{ '{:08.3f}'.format(-3.14159) }} {{ '{:x}'.format(255) }}"),
                       "1,234,567   ab   | -003.142 ff")
        XCTAssertEqual(try render("{{ '{:.1%}'.format(0.256) }} {{ '{:*>6}'.format(7) }} {{ '{:,.2f}'.format(1234.5) }} {{ '{0}-{0}'.format('x') }}"),
                       "25.6% *****7 1,234.50 x-x")
    }

    func testRoundKeepsWholeNumbersWhole() throws {
        XCTAssertEqual(try render("{{ 7 | round }} {{ 2.5 | round }} {{ 3.5 | round }} {{ 2.5 | round(0, 'ceil') }}"), "7 2.0 4.0 3.0")
    }
}
