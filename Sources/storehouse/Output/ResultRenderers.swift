import Foundation
import TransformProject
import WarehouseKit

/// An aligned text table: numbers right-aligned, everything else left-aligned.
enum TableRenderer {
    /// `moreNotFetched`: the query had rows past these that were never fetched.
    static func render(_ result: ResultSet, maxRows: Int? = nil, moreNotFetched: Bool = false) -> String {
        let shown = maxRows.map { Array(result.rows.prefix($0)) } ?? result.rows
        let headers = result.columnNames
        let cells = shown.map { $0.map(\.description) }
        let numeric = result.columns.indices.map { column in
            shown.allSatisfy { row in
                switch row[column] {
                case .int, .double, .decimal, .null: return true
                default: return false
                }
            }
        }
        var widths = headers.map(\.count)
        for row in cells { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ values: [String]) -> String {
            values.enumerated().map { i, value in
                let padding = String(repeating: " ", count: widths[i] - value.count)
                return numeric[i] ? padding + value : value + padding
            }.joined(separator: " │ ")
        }
        var out = line(headers) + "\n"
        out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "─┼─") + "\n"
        for row in cells { out += line(row) + "\n" }
        let count = result.rows.count
        out += "(\(count) row\(count == 1 ? "" : "s")\(shown.count < count ? ", \(shown.count) shown" : "")\(moreNotFetched ? ", more not fetched" : ""))\n"
        return out
    }
}

/// A JSON array of objects, one per row; numbers stay numbers, NULL is null.
enum JSONRenderer {
    static func render(_ result: ResultSet) -> String {
        let names = result.columnNames
        let objects = result.rows.map { row -> String in
            let fields = zip(names, row).map { name, value in jsonString(name) + ":" + jsonValue(value) }
            return "{" + fields.joined(separator: ",") + "}"
        }
        return "[" + objects.joined(separator: ",\n ") + "]"
    }

    static func jsonValue(_ value: WarehouseValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let v): return String(v)
        case .double(let v): return v.isFinite ? WarehouseValue.format(double: v) : "null"
        case .decimal(let s): return s
        default: return jsonString(value.description)
        }
    }

    static func jsonString(_ text: String) -> String { JSONText.quoted(text) }
}
