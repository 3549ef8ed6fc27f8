/// Vertical bars per category made of one segment per series, with a legend.
///
/// Positive values stack upward from zero and negative ones downward, so a refund series shows
/// below the axis instead of eating into the sales above it. The total above each stack is the
/// sum of its positive segments (what the bar's height shows).
public struct StackedBarChart: Chart {
    /// Categories on x, one segment per series in each bar.
    public var data: ChartData
    /// Write each stack's total above it, when every total fits its bar.
    public var showTotals: Bool
    /// The accessible name of the chart: `aria-label` and the root's `<title>`; not drawn.
    public var title: String?
    /// The drawing size in SVG units (see `ChartSize`).
    public var size: ChartSize

    /// A stacked bar chart of `data`.
    public init(_ data: ChartData, showTotals: Bool = true, title: String? = nil, size: ChartSize = .standard) {
        self.data = data
        self.showTotals = showTotals
        self.title = title
        self.size = size
    }

    public var kind: ChartKind { .stackedBar }

    /// The chart as `<svg data-chart="stacked-bar">`, or the empty state when no value is present.
    public func render() -> String {
        let data = self.data.normalized
        guard !data.isEmpty else { return EmptyState.svg(kind, size: size, title: title) }
        let count = data.x.count
        let positives = (0..<count).map { i in data.series.compactMap { $0.values[i] }.filter { $0 > 0 }.reduce(0, +) }
        let negatives = (0..<count).map { i in data.series.compactMap { $0.values[i] }.filter { $0 < 0 }.reduce(0, +) }
        let legend = Legend(names: data.series.map(\.name), colors: data.series.indices.map(Palette.series), left: 8, right: size.width - 8)
        var top = 8 + legend.height + 6 + (data.yTitle == nil ? 0 : 18)
        if showTotals { top += 12 }
        let scale = LinearScale(covering: positives + negatives, includeZero: true, wholeUnits: data.format.isWholeUnits)
        let tickLabels = data.format.tickLabels(scale.ticks)
        let left = max(28, Axis.labelWidth(tickLabels) + 4)
        let right = size.width - 10
        let band = BandScale(count: count, start: left, end: right, padding: 0.2)
        let plan = Axis.planBandLabels(data.x, grain: data.grain, slot: band.slot)
        let bottom = size.height - plan.height - (data.xTitle == nil ? 4 : 22)
        let plot = PlotArea(left: left, top: top, right: right, bottom: bottom)
        let grain = data.grain

        var writer = MarkupWriter()
        writer.openSVG(kind, size: size, title: title)
        legend.draw(&writer, top: 8)
        Axis.drawValueAxisY(&writer, scale: scale, labels: tickLabels, plot: plot)
        Axis.drawBandLabels(&writer, plan: plan, band: band, plot: plot)
        Axis.drawTitles(&writer, x: data.xTitle, y: data.yTitle, plot: plot, canvas: size)

        writer.open("g", ["class": "marks"])
        writer.newline()
        for index in 0..<count {
            var up = 0.0
            var down = 0.0
            let x = data.x[index]
            let name = x.label(grain: grain)
            for (seriesIndex, series) in data.series.enumerated() {
                guard let value = series.values[index] else { continue }
                let start = value >= 0 ? up : down
                let end = start + value
                if value >= 0 { up = end } else { down = end }
                let y0 = scale.position(start, from: plot.bottom, to: plot.top)
                let y1 = scale.position(end, from: plot.bottom, to: plot.top)
                let width = min(band.bandwidth, BarChart.maxBarWidth)
                writer.mark("rect", [
                    "x": number(band.center(index) - width / 2), "y": number(min(y0, y1)), "width": number(width),
                    "height": number(abs(y1 - y0)), "fill": Palette.series(seriesIndex),
                    // A hairline between segments keeps neighbours apart where colours are close.
                    "stroke": "#FFFFFF", "stroke-width": "0.5",
                ], MarkData(x: x, series: series.name, value: value, dimension: data.dimension,
                            title: "\(name) · \(series.name): \(data.format.full(value))"))
            }
        }
        if showTotals {
            let texts = positives.map { data.format.compact($0) }
            if texts.allSatisfy({ TextMetrics.width($0, size: ChartStyle.labelFont) <= band.slot }) {
                for (index, text) in texts.enumerated() where positives[index] > 0 {
                    writer.label(text, x: band.center(index), y: scale.position(positives[index], from: plot.bottom, to: plot.top) - 4,
                                 anchor: "middle", color: Palette.ink, extra: ["class": "total-label"])
                }
                writer.newline()
            }
        }
        writer.close("g")
        writer.newline()
        writer.close("svg")
        return writer.output
    }
}
