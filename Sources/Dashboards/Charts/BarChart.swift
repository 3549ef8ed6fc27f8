/// Bars per category, vertical or horizontal; several series stand side by side in each group.
///
/// ```swift
/// let chart = BarChart(data, orientation: .horizontal, sort: .descending)
/// let svg = chart.render()   // <svg … data-chart="bar">…<rect class="mark" data-x="Jeans" …>
/// ```
public struct BarChart: Chart {
    /// Bars rising from a horizontal axis, or growing rightwards from a list of names.
    public enum Orientation: String, Sendable, Hashable { case vertical, horizontal }
    /// Order of the categories: as given (the query's ORDER BY), or by their total across series.
    public enum Sort: String, Sendable, Hashable { case none, descending, ascending }

    /// Categories on x; one bar per series in each category.
    public var data: ChartData
    public var orientation: Orientation
    public var sort: Sort
    /// Draw each bar's value at its end, when every label fits beside its bar.
    public var showValueLabels: Bool
    /// The accessible name of the chart (`aria-label` and the root's `<title>`).
    public var title: String?
    /// Width and, for vertical bars, height; horizontal bars grow with the number of categories.
    public var size: ChartSize

    /// A bar chart of `data`; see the properties for the options.
    public init(_ data: ChartData, orientation: Orientation = .vertical, sort: Sort = .none, showValueLabels: Bool = true,
                title: String? = nil, size: ChartSize = .standard) {
        self.data = data
        self.orientation = orientation
        self.sort = sort
        self.showValueLabels = showValueLabels
        self.title = title
        self.size = size
    }

    public var kind: ChartKind { .bar }

    static let maxBarWidth = 56.0

    /// The chart as `<svg data-chart="bar">`, or the empty state when no value is present.
    public func render() -> String {
        let data = self.data.normalized
        guard !data.isEmpty else { return EmptyState.svg(kind, size: size, title: title) }
        var chart = self
        chart.data = BarChart.sorted(data.normalized, by: sort)
        return orientation == .vertical ? chart.drawVertical() : chart.drawHorizontal()
    }

    /// Categories reordered by their total; ties and all-NULL categories keep their given order,
    /// with all-NULL ones last.
    static func sorted(_ data: ChartData, by sort: Sort) -> ChartData {
        guard sort != .none else { return data }
        let totals: [Double?] = data.x.indices.map { i in
            let values = data.series.compactMap { $0.values[i] }
            return values.isEmpty ? nil : values.reduce(0, +)
        }
        let order = data.x.indices.sorted { a, b in
            switch (totals[a], totals[b]) {
            case let (x?, y?) where x != y: return sort == .descending ? x > y : x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a < b
            }
        }
        var result = data
        result.x = order.map { data.x[$0] }
        result.series = data.series.map { series in ChartSeries(name: series.name, values: order.map { series.values[$0] }) }
        return result
    }

    private func markData(_ index: Int, _ seriesIndex: Int, _ value: Double) -> MarkData {
        let series = data.series[seriesIndex]
        let x = data.x[index]
        let name = x.label(grain: data.grain)
        let title = data.series.count > 1
            ? "\(name) · \(series.name): \(data.format.full(value))"
            : "\(name): \(data.format.full(value))"
        return MarkData(x: x, series: series.name, value: value, dimension: data.dimension, title: title)
    }

    private func legend(left: Double, right: Double) -> Legend? {
        guard data.series.count > 1 else { return nil }
        return Legend(names: data.series.map(\.name), colors: data.series.indices.map(Palette.series), left: left, right: right)
    }

    private func drawVertical() -> String {
        let values = data.allValues
        let hasNegative = values.contains { $0 < 0 }
        let legend = self.legend(left: 8, right: size.width - 8)
        var top = 10 + (legend.map { $0.height + 6 } ?? 0) + (data.yTitle == nil ? 0 : 18)
        if showValueLabels { top += 12 }
        let scaleGuess = LinearScale(covering: values, includeZero: true, wholeUnits: data.format.isWholeUnits)
        let tickLabels = data.format.tickLabels(scaleGuess.ticks)
        let left = max(28, Axis.labelWidth(tickLabels) + 4)
        let right = size.width - 10
        let band = BandScale(count: data.x.count, start: left, end: right, padding: 0.2)
        let plan = Axis.planBandLabels(data.x, grain: data.grain, slot: band.slot)
        // Labels under negative bars need their own room above the category labels.
        let negativeRoom = showValueLabels && hasNegative ? 14.0 : 0
        let bottom = size.height - plan.height - negativeRoom - (data.xTitle == nil ? 4 : 22)
        let plot = PlotArea(left: left, top: top, right: right, bottom: bottom)
        let scale = scaleGuess

        var writer = MarkupWriter()
        writer.openSVG(kind, size: size, title: title, extra: ["data-orientation": "vertical"])
        legend?.draw(&writer, top: 8)
        Axis.drawValueAxisY(&writer, scale: scale, labels: tickLabels, plot: plot)
        var labelPlot = plot
        labelPlot.bottom += negativeRoom
        Axis.drawBandLabels(&writer, plan: plan, band: band, plot: labelPlot)
        Axis.drawTitles(&writer, x: data.xTitle, y: data.yTitle, plot: plot, canvas: size)

        // A lone category would otherwise get a bar as wide as the chart.
        let barWidth = min(band.bandwidth / Double(data.series.count), Self.maxBarWidth)
        let groupOffset = (band.bandwidth - barWidth * Double(data.series.count)) / 2
        let zero = scale.position(0, from: plot.bottom, to: plot.top)
        let labels = valueLabels(width: barWidth + 6)
        writer.open("g", ["class": "marks"])
        writer.newline()
        for (seriesIndex, series) in data.series.enumerated() {
            for (index, value) in series.values.enumerated() {
                guard let value else { continue }
                let x = band.position(index) + groupOffset + barWidth * Double(seriesIndex)
                let end = scale.position(value, from: plot.bottom, to: plot.top)
                writer.mark("rect", [
                    "x": number(x), "y": number(min(zero, end)), "width": number(max(barWidth - 1, 1)),
                    "height": number(abs(zero - end)), "fill": Palette.series(seriesIndex),
                ], markData(index, seriesIndex, value))
                if let text = labels?[seriesIndex][index] {
                    writer.label(text, x: x + barWidth / 2, y: value < 0 ? end + 13 : end - 4, anchor: "middle",
                                 size: ChartStyle.labelFont, color: Palette.ink, extra: ["class": "value-label"])
                    writer.newline()
                }
            }
        }
        writer.close("g")
        writer.newline()
        writer.close("svg")
        return writer.output
    }

    private func drawHorizontal() -> String {
        let values = data.allValues
        let hasNegative = values.contains { $0 < 0 }
        let seriesCount = Double(data.series.count)
        let rowHeight = max(26, 14 * seriesCount + 10)
        let legend = self.legend(left: 8, right: size.width - 8)
        let top = 8 + (legend.map { $0.height + 6 } ?? 0) + (data.yTitle == nil ? 0 : 18)
        let names = data.x.map { $0.label(grain: data.grain) }
        let maxNameWidth = size.width * 0.38
        let shownNames = names.map { TextMetrics.truncate($0, toWidth: maxNameWidth, size: ChartStyle.labelFont) }
        let left = (shownNames.map { TextMetrics.width($0, size: ChartStyle.labelFont) }.max() ?? 0) + 14
        let labelTexts = showValueLabels ? values.map { data.format.compact($0) } : []
        let labelRoom = (labelTexts.map { TextMetrics.width($0, size: ChartStyle.labelFont) }.max() ?? 0) + 8
        let right = size.width - max(14, showValueLabels ? labelRoom : 0)
        let plotHeight = rowHeight * Double(data.x.count)
        let height = top + plotHeight + 24 + (data.xTitle == nil ? 0 : 18)
        let canvas = ChartSize(width: size.width, height: height)
        // Negative bars end to the left of zero; their labels need room inside the plot.
        let start = left + (showValueLabels && hasNegative ? labelRoom : 0)
        let plot = PlotArea(left: left, top: top, right: right, bottom: top + plotHeight)
        let scale = LinearScale(covering: values, includeZero: true, targetTickCount: max(3, Int((right - start) / 36)),
                                wholeUnits: data.format.isWholeUnits)
        let ticks = data.format.tickLabels(scale.ticks)
        var scalePlot = plot
        scalePlot.left = start

        var writer = MarkupWriter()
        writer.openSVG(kind, size: canvas, title: title, extra: ["data-orientation": "horizontal"])
        legend?.draw(&writer, top: 8)
        Axis.drawValueAxisX(&writer, scale: scale, labels: ticks, plot: scalePlot, canvasWidth: canvas.width)
        Axis.drawTitles(&writer, x: data.xTitle, y: data.yTitle, plot: plot, canvas: canvas)
        writer.open("g", ["class": "axis axis-y", "fill": Palette.ink])
        for (index, name) in shownNames.enumerated() {
            let y = top + rowHeight * (Double(index) + 0.5) + 4
            writer.open("text", ["class": "tick", "x": number(left - 8), "y": number(y), "text-anchor": "end"])
            writer.text(name)
            if name != names[index] { writer.element("title", text: names[index]) }
            writer.close("text")
        }
        writer.close("g")
        writer.newline()

        let band = BandScale(count: data.x.count, start: plot.top, end: plot.bottom, padding: 0.25)
        let barHeight = band.bandwidth / seriesCount
        let zero = scale.position(0, from: scalePlot.left, to: scalePlot.right)
        writer.open("g", ["class": "marks"])
        writer.newline()
        for (seriesIndex, series) in data.series.enumerated() {
            for (index, value) in series.values.enumerated() {
                guard let value else { continue }
                let y = band.position(index) + barHeight * Double(seriesIndex)
                let end = scale.position(value, from: scalePlot.left, to: scalePlot.right)
                writer.mark("rect", [
                    "x": number(min(zero, end)), "y": number(y), "width": number(abs(end - zero)),
                    "height": number(max(barHeight - 1, 1)), "fill": Palette.series(seriesIndex),
                ], markData(index, seriesIndex, value))
                if showValueLabels {
                    writer.label(data.format.compact(value), x: value < 0 ? end - 4 : end + 4, y: y + barHeight / 2 + 4,
                                 anchor: value < 0 ? "end" : "start", color: Palette.ink, extra: ["class": "value-label"])
                    writer.newline()
                }
            }
        }
        writer.close("g")
        writer.newline()
        writer.close("svg")
        return writer.output
    }

    /// Compact labels per series and category, or nil when any would be wider than its bar slot
    /// (then none are drawn: some bars labelled and others not reads as missing data).
    private func valueLabels(width: Double) -> [[String?]]? {
        guard showValueLabels else { return nil }
        let texts = data.series.map { $0.values.map { $0.map(data.format.compact) } }
        let fits = texts.joined().allSatisfy { text in text.map { TextMetrics.width($0, size: ChartStyle.labelFont) <= width } ?? true }
        return fits ? texts : nil
    }
}
