import WarehouseKit

/// A chart that renders itself as markup: SVG for the charts, an HTML table for `DataTable`.
public protocol Chart: Sendable {
    /// The kind written into the root's `data-chart` attribute.
    var kind: ChartKind { get }
    /// The chart as one self-contained element; the same chart always gives the same bytes.
    func render() -> String
}

/// The kinds of chart, as the `data-chart` attribute names them for the page's script.
public enum ChartKind: String, Sendable, Hashable, CaseIterable {
    case kpi, line, bar
    case stackedBar = "stacked-bar"
    case funnel
    case cohortHeatmap = "cohort-heatmap"
    case distribution
    case table
}

/// The drawing size in SVG user units. Charts scale to their container's width through the
/// `viewBox`, so this sets proportions and how large text is relative to the chart: text stays
/// legible on a phone when the width is not much more than the phone's CSS width.
public struct ChartSize: Sendable, Hashable {
    /// Width in SVG user units.
    public var width: Double
    /// Height in SVG user units (some charts grow it to fit rows).
    public var height: Double

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// A dashboard tile: 400 × 240, so 12-unit labels still read about 10 px on a phone.
    public static let standard = ChartSize(width: 400, height: 240)
    /// A chart spanning a full dashboard row on a laptop. Too small to read on a phone: pages
    /// show a `.standard` rendering there instead (two copies switched by a CSS media query).
    public static let wide = ChartSize(width: 960, height: 300)
    /// A KPI tile.
    public static let kpi = ChartSize(width: 280, height: 140)
}

/// Font sizes and stroke widths shared by every chart, in SVG user units.
enum ChartStyle {
    static let fontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
    static let tickFont = 12.0
    static let labelFont = 12.0
    static let titleFont = 12.0
    static let emptyMessage = "No data for this selection"
}

/// Attributes in the order written, so output is byte-for-byte repeatable; nil values are skipped.
struct Attributes: ExpressibleByDictionaryLiteral {
    var pairs: [(String, String?)]

    init(dictionaryLiteral elements: (String, String?)...) { pairs = elements }

    mutating func add(_ name: String, _ value: String?) { pairs.append((name, value)) }
}

/// What the page's script needs to know about one mark (a bar, point, segment or cell).
struct MarkData {
    var x: ChartX
    var series: String
    var value: Double
    var dimension: String?
    /// The native tooltip: the mark's x, series and formatted value in words.
    var title: String
}

/// Writes SVG and HTML text; every attribute value and every text node goes through
/// `Markup.escape`, so nothing written here can open an element by accident.
struct MarkupWriter {
    private(set) var output = ""

    mutating func open(_ name: String, _ attributes: Attributes = [:]) {
        output += "<" + name + Self.attributeText(attributes) + ">"
    }

    mutating func close(_ name: String) { output += "</" + name + ">" }

    /// An element with optional text content: `<name a="…">text</name>` or `<name a="…"/>`.
    mutating func element(_ name: String, _ attributes: Attributes = [:], text: String? = nil) {
        if let text {
            output += "<" + name + Self.attributeText(attributes) + ">" + Markup.escape(text) + "</" + name + ">"
        } else {
            output += "<" + name + Self.attributeText(attributes) + "/>"
        }
    }

    mutating func text(_ text: String) { output += Markup.escape(text) }

    mutating func newline() { output += "\n" }

    /// A mark: the shape with `class="mark"`, its data attributes and a `<title>` tooltip child.
    mutating func mark(_ shape: String, _ geometry: Attributes, _ data: MarkData, extra: Attributes = [:]) {
        var attributes: Attributes = ["class": "mark"]
        attributes.pairs += geometry.pairs
        attributes.add("data-dimension", data.dimension)
        if let raw = data.x.rawText { attributes.add("data-x", raw) } else { attributes.add("data-x-null", "true") }
        attributes.add("data-series", data.series)
        attributes.add("data-value", rawNumber(data.value))
        attributes.pairs += extra.pairs
        open(shape, attributes)
        element("title", text: data.title)
        close(shape)
        newline()
    }

    /// Opens the chart's root `<svg>`: scales to its container's width, keeps its proportions,
    /// and names its kind for the page's script.
    mutating func openSVG(_ kind: ChartKind, size: ChartSize, title: String?, extra: Attributes = [:]) {
        var attributes: Attributes = [
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": "0 0 \(number(size.width)) \(number(size.height))",
            "width": "100%",
            "style": "display:block;height:auto;max-width:100%",
            "role": "img",
            "aria-label": title,
            "data-chart": kind.rawValue,
            "font-family": ChartStyle.fontFamily,
            "font-size": number(ChartStyle.labelFont),
            "fill": Palette.ink,
        ]
        attributes.pairs += extra.pairs
        open("svg", attributes)
        newline()
        if let title { element("title", text: title); newline() }
    }

    /// A text label at (`x`, `y`), its baseline `y`.
    mutating func label(_ text: String, x: Double, y: Double, anchor: String = "start", size: Double = ChartStyle.labelFont,
                        color: String? = nil, weight: String? = nil, extra: Attributes = [:]) {
        var attributes: Attributes = [
            "x": number(x), "y": number(y),
            "text-anchor": anchor == "start" ? nil : anchor,
            "font-size": size == ChartStyle.labelFont ? nil : number(size),
            "font-weight": weight,
            "fill": color,
        ]
        attributes.pairs += extra.pairs
        element("text", attributes, text: text)
    }

    private static func attributeText(_ attributes: Attributes) -> String {
        var text = ""
        for (name, value) in attributes.pairs {
            guard let value else { continue }
            text += " " + name + "=\"" + Markup.escape(value) + "\""
        }
        return text
    }
}

/// A coordinate with at most two decimals: enough for any screen, and stable across platforms.
func number(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let text = ValueFormat.decimal(abs(value), decimals: 2, trim: true, grouped: false)
    return value < 0 && text != "0" ? "-" + text : text
}

/// The "No data for this selection" state every chart shows instead of empty axes.
enum EmptyState {
    /// - Parameter heading: a name drawn above the message, for charts whose name is part of the
    ///   chart itself (a KPI tile without its label would not say what has no data).
    static func svg(_ kind: ChartKind, size: ChartSize, title: String?, heading: String? = nil) -> String {
        var writer = MarkupWriter()
        writer.openSVG(kind, size: size, title: title, extra: ["data-empty": "true"])
        writer.element("rect", [
            "x": "0.5", "y": "0.5", "width": number(size.width - 1), "height": number(size.height - 1), "rx": "6",
            "fill": "#F6F8FA", "stroke": Palette.grid,
        ])
        writer.newline()
        if let heading {
            writer.label(TextMetrics.truncate(heading, toWidth: size.width - 28, size: 13), x: 14, y: 24, size: 13, color: Palette.mutedInk,
                         weight: "600", extra: ["class": "kpi-label"])
            writer.newline()
        }
        writer.label(ChartStyle.emptyMessage, x: size.width / 2, y: size.height / 2 + (heading == nil ? 5 : 12), anchor: "middle", size: 14,
                     color: Palette.mutedInk, extra: ["class": "empty-message"])
        writer.newline()
        writer.close("svg")
        return writer.output
    }
}

/// A number as data attributes carry it: the shortest text that reads back as the same double,
/// so the page's script filters on the warehouse's value, not on a rounded label.
func rawNumber(_ value: Double) -> String { WarehouseValue.format(double: value) }
