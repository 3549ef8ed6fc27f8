import Foundation
import WarehouseKit

/// Query results as an HTML `<table>`: numbers formatted and right-aligned so digits line up,
/// NULL shown as a muted dash, and the raw value of every cell in `data-value`. Whole numbers in
/// key columns (`id`, `…_id`) read as written, without thousands separators.
///
/// The table sits in a horizontally scrolling box, so a wide result stays usable on a phone.
/// Cells of the columns named in `dimensions` are marks (`class="mark"`, `data-dimension`,
/// `data-x`) the page's script can click to cross-filter.
public struct DataTable: Chart {
    /// The rows to show, in their order.
    public var result: ResultSet
    /// Formats by column name; numeric columns without one read as integers or plain numbers.
    public var formats: [String: ValueFormat]
    /// Columns whose cells are cross-filter marks.
    public var dimensions: [String]
    /// Rows beyond this are left out, with a note saying how many were shown.
    public var maxRows: Int
    /// The table's `<caption>`; nil for none.
    public var title: String?
    /// Column name → link for its cells, `{value}` standing for the cell's value (percent-encoded),
    /// e.g. `["customer_id": "/customers/{value}"]`. NULL cells are not linked.
    public var links: [String: String]

    /// A table of `result`; see the properties for the options.
    public init(_ result: ResultSet, formats: [String: ValueFormat] = [:], dimensions: [String] = [], maxRows: Int = 1000,
                title: String? = nil, links: [String: String] = [:]) {
        self.links = links
        self.result = result
        self.formats = formats
        self.dimensions = dimensions
        self.maxRows = maxRows
        self.title = title
    }

    public var kind: ChartKind { .table }

    static let cellStyle = "padding:6px 10px;border-bottom:1px solid \(Palette.grid);white-space:nowrap"

    /// True for columns holding only numbers (NULLs aside), which align right.
    func isNumeric(_ column: Int) -> Bool {
        var sawNumber = false
        for row in result.rows where column < row.count {
            switch row[column] {
            case .null: continue
            case .int, .double, .decimal: sawNumber = true
            default: return false
            }
        }
        if sawNumber { return true }
        let type = result.columns[column].type.uppercased()
        return ["INT", "DOUBLE", "DECIMAL", "NUMERIC", "REAL", "FLOAT"].contains { type.contains($0) }
    }

    func format(forColumn column: Int) -> ValueFormat {
        if let format = formats[result.columns[column].name] { return format }
        let wholeNumbers = result.rows.allSatisfy { row in
            guard column < row.count else { return true }
            if case .int = row[column] { return true }
            return row[column].isNull
        }
        return wholeNumbers ? .integer : .number
    }

    /// `id`, `order_id`, `customerId`: a column of keys.
    static func isIdentifier(_ column: String) -> Bool {
        let name = column.lowercased()
        return name == "id" || name.hasSuffix("_id") || column.hasSuffix("Id")
    }

    /// The link template with `{value}` replaced by the percent-encoded value.
    static func link(_ template: String, value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return template.replacingOccurrences(of: "{value}", with: value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
    }

    /// The table inside a horizontally scrolling `<div>`; an empty result keeps its header row
    /// and says "No data for this selection".
    public func render() -> String {
        let columns = result.columns.indices
        let numeric = columns.map(isNumeric)
        let formats = columns.map { format(forColumn: $0) }
        var writer = MarkupWriter()
        writer.open("div", ["class": "chart-table-wrap", "style": "overflow-x:auto;max-width:100%"])
        writer.newline()
        writer.open("table", [
            "class": "chart-table", "data-chart": kind.rawValue, "data-empty": result.rows.isEmpty ? "true" : nil,
            "style": "border-collapse:collapse;width:100%;font-family:\(ChartStyle.fontFamily);font-size:14px;"
                + "font-variant-numeric:tabular-nums;color:\(Palette.ink)",
        ])
        if let title { writer.element("caption", ["style": "text-align:left;font-weight:600;padding:4px 0"], text: title) }
        writer.newline()
        writer.open("thead")
        writer.open("tr")
        for column in columns {
            writer.element("th", [
                "scope": "col", "data-column": result.columns[column].name,
                "style": "\(Self.cellStyle);text-align:\(numeric[column] ? "right" : "left");font-weight:600;color:\(Palette.mutedInk)",
            ], text: result.columns[column].name)
        }
        writer.close("tr")
        writer.close("thead")
        writer.newline()
        writer.open("tbody")
        writer.newline()
        if result.rows.isEmpty {
            writer.open("tr")
            writer.element("td", [
                "class": "empty-message", "colspan": String(max(1, result.columns.count)),
                "style": "\(Self.cellStyle);text-align:center;color:\(Palette.mutedInk)",
            ], text: ChartStyle.emptyMessage)
            writer.close("tr")
            writer.newline()
        }
        for row in result.rows.prefix(max(0, maxRows)) {
            writer.open("tr")
            for column in columns {
                // A ragged row (not from a warehouse, but possible to build) reads as NULLs, not a crash.
                let value = column < row.count ? row[column] : .null
                let name = result.columns[column].name
                let align = numeric[column] ? ";text-align:right" : ""
                var attributes: Attributes = [:]
                // A linked cell is a link, not a cross-filter mark.
                if dimensions.contains(name), links[name] == nil {
                    attributes.add("class", "mark")
                    attributes.add("data-dimension", name)
                    attributes.add("data-x", value.isNull ? nil : value.string)
                }
                attributes.add("data-column", name)
                attributes.add("data-value", value.isNull ? nil : value.string)
                if value.isNull {
                    attributes.add("style", "\(Self.cellStyle)\(align);color:\(Palette.axis)")
                    writer.element("td", attributes, text: "—")
                    continue
                }
                attributes.add("style", Self.cellStyle + align)
                // Identifiers are names, not quantities: order 2121, not 2,121.
                let isIdentifier = formats[column] == .integer && self.formats[name] == nil && Self.isIdentifier(name)
                let text = numeric[column] && !isIdentifier ? value.chartNumber.map(formats[column].full) ?? value.description : value.description
                if let template = links[name] {
                    writer.open("td", attributes)
                    writer.element("a", ["href": Self.link(template, value: value.description)], text: text)
                    writer.close("td")
                } else {
                    writer.element("td", attributes, text: text)
                }
            }
            writer.close("tr")
            writer.newline()
        }
        writer.close("tbody")
        writer.close("table")
        writer.newline()
        if result.rows.count > max(0, maxRows) {
            writer.element("p", ["class": "table-note", "style": "color:\(Palette.mutedInk);font-size:13px"],
                           text: "Showing the first \(ValueFormat.integer.full(Double(maxRows))) of \(ValueFormat.integer.full(Double(result.rows.count))) rows")
            writer.newline()
        }
        writer.close("div")
        return writer.output
    }
}
