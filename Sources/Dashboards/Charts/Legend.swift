/// The key from colour to series name, laid out in rows across the top of a chart.
///
/// Each entry is a `<g class="legend-item" data-series="…">` so the page's script can toggle a
/// series by clicking its name.
struct Legend {
    struct Item {
        var name: String
        var text: String
        var color: String
        var x: Double
        var row: Int
    }

    static let rowHeight = 18.0
    static let swatch = 10.0

    let items: [Item]
    let rows: Int
    var height: Double { Double(rows) * Self.rowHeight }

    /// Lays out `names` left to right from `left`, wrapping before `right`.
    init(names: [String], colors: [String], left: Double, right: Double) {
        let size = ChartStyle.labelFont
        let available = right - left
        var items: [Item] = []
        var x = left
        var row = 0
        for (name, color) in zip(names, colors) {
            // One long name may not push every other entry off the chart.
            let text = TextMetrics.truncate(name, toWidth: max(60, available / 2), size: size)
            let width = Self.swatch + 5 + TextMetrics.width(text, size: size)
            if x > left, x + width > right {
                row += 1
                x = left
            }
            items.append(Item(name: name, text: text, color: color, x: x, row: row))
            x += width + 14
        }
        self.items = items
        rows = items.isEmpty ? 0 : row + 1
    }

    func draw(_ writer: inout MarkupWriter, top: Double) {
        writer.open("g", ["class": "legend"])
        for item in items {
            let y = top + Double(item.row) * Self.rowHeight
            writer.open("g", ["class": "legend-item", "data-series": item.name])
            writer.element("rect", [
                "x": number(item.x), "y": number(y + 3), "width": number(Self.swatch), "height": number(Self.swatch),
                "rx": "2", "fill": item.color,
            ])
            writer.label(item.text, x: item.x + Self.swatch + 5, y: y + 12, color: Palette.ink)
            writer.close("g")
        }
        writer.close("g")
        writer.newline()
    }
}
