import Foundation

/// One bin of a histogram: values in `lower ..< upper` and how many there were.
public struct HistogramBin: Sendable, Hashable {
    /// The inclusive lower edge.
    public var lower: Double
    /// The exclusive upper edge.
    public var upper: Double
    /// How many values fell in the bin.
    public var count: Double

    public init(lower: Double, upper: Double, count: Double) {
        self.lower = lower
        self.upper = upper
        self.count = count
    }
}

/// A histogram: how values (order totals, days to ship, …) spread, from raw values binned here
/// or from bins a query already counted.
public struct DistributionChart: Chart {
    /// Bins in ascending order of their edges.
    public var bins: [HistogramBin]
    /// How the measured values read (the x axis); counts on the y axis are whole numbers.
    public var format: ValueFormat
    /// What is counted, e.g. "orders"; the `data-series` of every bar.
    public var countName: String
    /// The dimension binned, emitted as `data-dimension`.
    public var dimension: String?
    /// Axis titles; nil draws none.
    public var xTitle: String?
    public var yTitle: String?
    /// The accessible name of the chart: `aria-label` and the root's `<title>`; not drawn.
    public var title: String?
    /// The drawing size in SVG units (see `ChartSize`).
    public var size: ChartSize

    /// Bins the non-NULL, finite `values` at a nice width (1, 2 or 5 × 10^k) giving about
    /// `binCount` bins — by default Sturges' rule (log₂ n + 1), kept within 5…30.
    public init(values: [Double?], binCount: Int? = nil, format: ValueFormat = .number, countName: String = "count",
                dimension: String? = nil, xTitle: String? = nil, yTitle: String? = nil, title: String? = nil, size: ChartSize = .standard) {
        self.init(bins: Self.bins(for: values.compactMap { $0 }.filter(\.isFinite), targetCount: binCount), format: format,
                  countName: countName, dimension: dimension, xTitle: xTitle, yTitle: yTitle, title: title, size: size)
    }

    /// Bins counted elsewhere, drawn as given; bins with a non-finite edge or count are dropped.
    public init(bins: [HistogramBin], format: ValueFormat = .number, countName: String = "count", dimension: String? = nil,
                xTitle: String? = nil, yTitle: String? = nil, title: String? = nil, size: ChartSize = .standard) {
        self.bins = bins.filter { $0.lower.isFinite && $0.upper.isFinite && $0.count.isFinite && $0.upper > $0.lower }
            .sorted { ($0.lower, $0.upper) < ($1.lower, $1.upper) }
        self.format = format
        self.countName = countName
        self.dimension = dimension
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.title = title
        self.size = size
    }

    public var kind: ChartKind { .distribution }

    /// Equal-width bins on nice edges covering `values`; a value on an edge counts in the bin
    /// above it, and the last bin reaches past the maximum so the maximum is counted.
    public static func bins(for values: [Double], targetCount: Int? = nil) -> [HistogramBin] {
        let values = values.filter { $0.isFinite && abs($0) <= 1e300 }
        guard let low = values.min(), let high = values.max() else { return [] }
        let target = targetCount ?? min(30, max(5, Int(log2(Double(values.count)).rounded(.up)) + 1))
        var step = NiceStep(span: high > low ? high - low : max(abs(low), 1), count: max(1, target))
        // Whole-number data (items per order) binned at 0.5 would leave every other bin empty.
        if values.allSatisfy({ $0 == $0.rounded() }), step.value < 1 { step = NiceStep(mantissa: 1, exponent: 0) }
        let first = Int((low / step.value).rounded(.down))
        let last = Int((high / step.value).rounded(.down))
        var counts = [Double](repeating: 0, count: last - first + 1)
        for value in values {
            let index = min(max(Int((value / step.value).rounded(.down)) - first, 0), counts.count - 1)
            counts[index] += 1
        }
        return counts.indices.map { i in
            HistogramBin(lower: step.multiple(first + i), upper: step.multiple(first + i + 1), count: counts[i])
        }
    }

    /// The chart as `<svg data-chart="distribution">`, or the empty state when every bin is empty.
    public func render() -> String {
        guard !bins.isEmpty, bins.contains(where: { $0.count != 0 }) else { return EmptyState.svg(kind, size: size, title: title) }
        let yScale = LinearScale(covering: bins.map(\.count), includeZero: true, wholeUnits: true)
        let yLabels = ValueFormat.integer.tickLabels(yScale.ticks)
        let top = 12.0 + (yTitle == nil ? 0 : 18)
        let left = max(28, Axis.labelWidth(yLabels) + 4)
        let right = size.width - 14
        let bottom = size.height - 20 - (xTitle == nil ? 4 : 22)
        let plot = PlotArea(left: left, top: top, right: right, bottom: bottom)
        // The axis ends at the outer bin edges: a nice-rounded domain would leave an empty strip
        // that reads as bins with no values.
        let xScale = LinearScale(exactly: bins.first!.lower, bins.last!.upper, targetTickCount: max(2, min(8, Int(plot.width / 60))),
                                 wholeUnits: format.isWholeUnits)
        let xLabels = format.tickLabels(xScale.ticks)

        var writer = MarkupWriter()
        writer.openSVG(kind, size: size, title: title)
        Axis.drawValueAxisY(&writer, scale: yScale, labels: yLabels, plot: plot)
        writer.open("g", ["class": "axis axis-x", "font-size": number(ChartStyle.tickFont), "fill": Palette.mutedInk])
        for (tick, label) in zip(xScale.ticks, xLabels) {
            let x = xScale.position(tick, from: plot.left, to: plot.right)
            writer.element("line", ["x1": number(x), "x2": number(x), "y1": number(plot.bottom), "y2": number(plot.bottom + 4), "stroke": Palette.axis])
            let half = TextMetrics.width(label, size: ChartStyle.tickFont) / 2
            writer.label(label, x: min(max(x, half + 2), size.width - half - 2), y: plot.bottom + 16, anchor: "middle",
                         size: ChartStyle.tickFont, extra: ["class": "tick"])
        }
        writer.close("g")
        writer.newline()
        Axis.drawTitles(&writer, x: xTitle, y: yTitle, plot: plot, canvas: size)

        let zero = yScale.position(0, from: plot.bottom, to: plot.top)
        writer.open("g", ["class": "marks"])
        writer.newline()
        for bin in bins {
            let x0 = xScale.position(bin.lower, from: plot.left, to: plot.right)
            let x1 = xScale.position(bin.upper, from: plot.left, to: plot.right)
            let y = yScale.position(bin.count, from: plot.bottom, to: plot.top)
            let range = "\(format.full(bin.lower)) – \(format.full(bin.upper))"
            writer.mark("rect", [
                "x": number(x0 + 0.5), "y": number(min(y, zero)), "width": number(max(x1 - x0 - 1, 0.5)), "height": number(abs(zero - y)),
                "fill": Palette.series(0),
            ], MarkData(x: .category(rawNumber(bin.lower)), series: countName, value: bin.count, dimension: dimension,
                        title: "\(range): \(ValueFormat.integer.full(bin.count)) \(countName)"),
            extra: ["data-x-end": rawNumber(bin.upper)])
        }
        writer.close("g")
        writer.newline()
        writer.close("svg")
        return writer.output
    }
}
