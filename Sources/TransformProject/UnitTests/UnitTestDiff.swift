import Foundation

/// Compares a unit test's actual rows with its expected rows, as dbt does: as multisets (order
/// does not matter, duplicates do; NULL equals NULL), and renders a difference the way dbt's
/// (daff's) table diff reads:
///
/// ```
/// @@,order_id,is_large
///   ,1       ,true
/// → ,2       ,true→false
/// ```
///
/// `→` marks a row whose first column matches but whose other cells differ (expected→actual),
/// `---` a row expected but not returned, `+++` a row returned but not expected; rows without a
/// marker are equal on both sides and shown for context. Pure.
public struct UnitTestDiff: Sendable, Equatable {
    public typealias Row = [String?]

    public var columns: [String]
    public var actual: [Row]
    public var expected: [Row]

    public init(columns: [String], actual: [Row], expected: [Row]) {
        self.columns = columns
        self.actual = actual
        self.expected = expected
    }

    public var matches: Bool { actual.sorted(by: Self.less) == expected.sorted(by: Self.less) }

    /// The table diff, one line per row; empty when the rows match.
    public var rendered: String {
        guard !matches else { return "" }
        var lines: [(marker: String, cells: [String])] = [("@@", columns)]
        var unmatchedActual = actual.sorted(by: Self.less)
        var shown: [(key: Row, marker: String, cells: [String])] = []
        var missing: [Row] = []
        for row in expected.sorted(by: Self.less) {
            if let index = unmatchedActual.firstIndex(of: row) {
                unmatchedActual.remove(at: index)
                shown.append((row, "", row.map(Self.text)))
            } else {
                missing.append(row)
            }
        }
        for row in missing {
            // Paired with a returned row that has the same key (first column): a changed row.
            if let index = unmatchedActual.firstIndex(where: { $0.first == row.first }) {
                let other = unmatchedActual.remove(at: index)
                let cells = zip(row, other).map { e, a in e == a ? Self.text(e) : Self.text(e) + "→" + Self.text(a) }
                shown.append((row, "→", cells))
            } else {
                shown.append((row, "---", row.map(Self.text)))
            }
        }
        for row in unmatchedActual { shown.append((row, "+++", row.map(Self.text))) }
        shown.sort { Self.less($0.key, $1.key) }
        lines += shown.map { ($0.marker, $0.cells) }

        let markerWidth = lines.map(\.marker.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns.count)
        for line in lines { for (i, cell) in line.cells.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        return lines.map { line in
            let cells = line.cells.enumerated().map { i, cell in
                i == line.cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }
            return ([line.marker.padding(toLength: markerWidth, withPad: " ", startingAt: 0)] + cells).joined(separator: ",")
        }.joined(separator: "\n")
    }

    static func text(_ cell: String?) -> String { cell ?? "NULL" }

    /// Rows ordered cell by cell, NULL first, numbers by value, so a multiset compares sorted.
    static func less(_ a: Row, _ b: Row) -> Bool {
        for (x, y) in zip(a, b) where x != y {
            guard let x else { return true }
            guard let y else { return false }
            if let dx = Double(x), let dy = Double(y), dx != dy { return dx < dy }
            return x < y
        }
        return a.count < b.count
    }
}
