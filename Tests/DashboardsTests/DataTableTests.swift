import WarehouseKit
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import Dashboards

final class DataTableTests: XCTestCase {
    func testNumbersAreFormattedAndRightAlignedTextIsLeftAligned() throws {
        let table = DataTable(SampleCharts.topCustomers, formats: ["lifetime_value": .currency(), "refunds": .currency()], dimensions: ["segment"])
        let parsed = try ParsedMarkup(table.render())
        let tableElement = try XCTUnwrap(parsed.elements("table").first)
        XCTAssertEqual(tableElement.attr("data-chart"), "table")
        XCTAssertEqual(parsed.elements("th").map(\.ownText), ["customer", "segment", "orders", "lifetime_value", "refunds", "first_order"])
        let rows = parsed.elements("tbody").first.map { $0.childElements } ?? []
        guard rows.count == 3 else { return XCTFail("expected 3 body rows, got \(rows.count)") }
        func cells(_ row: Int) -> [XMLElement] { rows[row].childElements }
        XCTAssertEqual(cells(0).map(\.ownText), ["Ada Lovelace", "VIP", "42", "$18,233.50", "-$120.50", "2023-02-14"])
        XCTAssertEqual(cells(2).map(\.ownText), ["Grace Hopper", "—", "1,312", "$1,250,000.75", "$0.00", "—"])
        let aligned = cells(0).map { ($0.attr("style") ?? "").contains("text-align:right") }
        XCTAssertEqual(aligned, [false, false, true, true, true, false])
        XCTAssertEqual(parsed.elements("th").map { ($0.attr("style") ?? "").contains("text-align:right") }, aligned)
        // Raw values for the script: exact decimal text, absent for NULL.
        XCTAssertEqual(cells(2)[3].attr("data-value"), "1250000.75")
        XCTAssertNil(cells(2)[1].attr("data-value"))
        // Dimension cells are cross-filter marks.
        XCTAssertEqual(parsed.marks.map { $0.attr("data-x") }, ["VIP", "Regular", nil])
        XCTAssertEqual(Set(parsed.marks.map { $0.attr("data-dimension") }), ["segment"])
    }

    func testEmptyResultKeepsHeadersAndSaysSo() throws {
        let parsed = try ParsedMarkup(DataTable(ResultSet(columns: SampleCharts.topCustomers.columns, rows: [])).render())
        XCTAssertEqual(parsed.elements("table").first?.attr("data-empty"), "true")
        XCTAssertEqual(parsed.elements("th").count, 6)
        XCTAssertEqual(parsed.texts(withClass: "empty-message"), ["No data for this selection"])
        XCTAssertEqual(parsed.elements(withClass: "empty-message").first?.attr("colspan"), "6")
    }

    func testRowsBeyondTheLimitAreCountedNotShown() throws {
        let result = ResultSet(columns: [ColumnInfo(name: "n", type: "BIGINT")], rows: (0..<2500).map { [.int(Int64($0))] })
        let parsed = try ParsedMarkup(DataTable(result, maxRows: 1000).render())
        XCTAssertEqual(parsed.elements("tr").count, 1001)
        XCTAssertEqual(parsed.texts(withClass: "table-note"), ["Showing the first 1,000 of 2,500 rows"])
    }

    func testLinkedColumnsAreLinksNotMarksAndKeysKeepTheirDigits() throws {
        let result = ResultSet(columns: [ColumnInfo(name: "customer_id", type: "BIGINT"), ColumnInfo(name: "name", type: "VARCHAR"),
                                         ColumnInfo(name: "orders", type: "BIGINT")],
                               rows: [[.int(1234), .text("Ada"), .int(1500)], [.null, .text("<b>Bo</b>"), .int(2)]])
        let html = DataTable(result, dimensions: ["customer_id", "name"], links: ["customer_id": "/customers/{value}"]).render()
        XCTAssertTrue(html.contains("<a href=\"/customers/1234\">1234</a>"), html)
        XCTAssertTrue(html.contains(">1,500<"), "a quantity keeps its separators")
        XCTAssertFalse(html.contains("data-dimension=\"customer_id\""), "a linked column is not a cross-filter mark")
        XCTAssertTrue(html.contains("data-dimension=\"name\""))
        XCTAssertFalse(html.contains("/customers/\"") || html.contains("/customers/NULL"), "a NULL key links nowhere")
        XCTAssertTrue(html.contains("&lt;b&gt;Bo&lt;/b&gt;"))
        XCTAssertEqual(DataTable.link("/x/{value}", value: "a b/c?d"), "/x/a%20b%2Fc%3Fd")
    }
}
