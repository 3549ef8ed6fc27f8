/// One line per series over categories or time; a NULL value breaks the line instead of being
/// drawn as zero, and every present value is a point the page's script can hover and click.
///
/// Time x values are placed by date, so a missing day leaves a visibly longer segment, and ticks
/// fall on calendar boundaries at the data's grain (days, weeks, months, quarters, years).
public struct LineChart: Chart {
    /// Categories or dates on x, one line per series.
    public var data: ChartData
    /// Stretch the value axis to zero. On by default: a line of revenue starting at an arbitrary
    /// floor exaggerates change; turn off for measures that never approach zero (a price index).
    public var includeZero: Bool
    /// Show a dot at each value; nil shows them while there are few enough to tell apart.
    public var showPoints: Bool?
    /// The accessible name of the chart: `aria-label` and the root's `<title>`; not drawn.
    public var title: String?
    /// The drawing size in SVG units (see `ChartSize`).
    public var size: ChartSize

    /// A line chart of `data`; see the properties for the options.
    public init(_ data: ChartData, includeZero: Bool = true, showPoints: Bool? = nil, title: String? = nil, size: ChartSize = .standard) {
        self.data = data
        self.includeZero = includeZero
        self.showPoints = showPoints
        self.title = title
        self.size = size
    }

    public var kind: ChartKind { .line }

    /// The chart as `<svg data-chart="line" data-x-type=… data-grain=…>`, or the empty state.
    public func render() -> String {
        let data = self.data.normalized
        let isTime = data.isTimeSeries
        // On a time axis a NULL x has no position; such points are left out.
        let indexes = data.x.indices.filter { !isTime || data.x[$0] != .null }
        guard !data.isEmpty, indexes.contains(where: { i in data.series.contains { $0.values[i] != nil } }) else {
            return EmptyState.svg(kind, size: size, title: title)
        }
        let grain = data.grain
        let values = indexes.flatMap { i in data.series.compactMap { $0.values[i] } }
        let legend = data.series.count > 1
            ? Legend(names: data.series.map(\.name), colors: data.series.indices.map(Palette.series), left: 8, right: size.width - 8)
            : nil
        let top = 12 + (legend.map { $0.height + 6 } ?? 0) + (data.yTitle == nil ? 0 : 18)
        let estimatedHeight = size.height - top - 40
        let scale = LinearScale(covering: values, includeZero: includeZero, targetTickCount: max(2, min(6, Int(estimatedHeight / 40))),
                                wholeUnits: data.format.isWholeUnits)
        let tickLabels = data.format.tickLabels(scale.ticks)
        let left = max(28, Axis.labelWidth(tickLabels) + 4)
        let right = size.width - 12
        // Points sit a few units inside the plot so the first and last dots are not cut in half.
        let inset = 6.0

        var position: [Int: Double] = [:]
        var timeTicks: [TimeTick] = []
        var bandPlan: BandLabelPlan?
        var band: BandScale?
        var labelHeight = 18.0
        if isTime {
            let days = indexes.map { data.x[$0].days! }
            let first = days.min()!, last = days.max()!
            let span = last - first
            for (i, day) in zip(indexes, days) {
                position[i] = span == 0 ? (left + right) / 2 : left + inset + (day - first) / span * (right - left - 2 * inset)
            }
            let dates = indexes.map { data.x[$0].civilDate! }
            // n ticks span n − 1 gaps between label centres; widths are estimated on the wide side,
            // so a 10-unit gap is at least that on screen.
            let maxTicks = Int((right - left - 2 * inset) / (Axis.widestTimeLabel(grain: grain) + 10)) + 1
            timeTicks = TimeLabels.ticks(from: dates.min()!, to: dates.max()!, grain: grain, maxCount: maxTicks)
            if timeTicks.contains(where: { $0.year != nil && $0.year != $0.label }) { labelHeight = 32 }
        } else {
            let bands = BandScale(count: data.x.count, start: left, end: right, padding: 0)
            for i in indexes { position[i] = bands.center(i) }
            let plan = Axis.planBandLabels(data.x, grain: grain, slot: bands.slot)
            labelHeight = plan.height
            bandPlan = plan
            band = bands
        }
        let bottom = size.height - labelHeight - (data.xTitle == nil ? 4 : 22)
        let plot = PlotArea(left: left, top: top, right: right, bottom: bottom)

        var writer = MarkupWriter()
        writer.openSVG(kind, size: size, title: title, extra: ["data-x-type": isTime ? "time" : "category", "data-grain": isTime ? grain.rawValue : nil])
        legend?.draw(&writer, top: 8)
        Axis.drawValueAxisY(&writer, scale: scale, labels: tickLabels, plot: plot)
        if isTime {
            let dates = indexes.map { data.x[$0].civilDate! }
            let firstDay = Double(dates.min()!.daysSinceEpoch)
            let span = Double(dates.max()!.daysSinceEpoch) - firstDay
            Axis.drawTimeTicks(&writer, ticks: timeTicks, position: { date in
                span == 0 ? (left + right) / 2 : left + inset + (Double(date.daysSinceEpoch) - firstDay) / span * (right - left - 2 * inset)
            }, plot: plot, canvasWidth: size.width)
        } else if let bandPlan, let band {
            Axis.drawBandLabels(&writer, plan: bandPlan, band: band, plot: plot)
        }
        Axis.drawTitles(&writer, x: data.xTitle, y: data.yTitle, plot: plot, canvas: size)

        // Lines are drawn in x order, whatever order the data came in.
        let ordered = isTime ? indexes.sorted { (position[$0]!, $0) < (position[$1]!, $1) } : indexes
        let dense = ordered.count > 60
        writer.open("g", ["class": "marks"])
        writer.newline()
        for (seriesIndex, series) in data.series.enumerated() {
            let color = Palette.series(seriesIndex)
            var path = ""
            var penDown = false
            for i in ordered {
                guard let value = series.values[i] else { penDown = false; continue }
                path += (penDown ? "L" : "M") + number(position[i]!) + " " + number(scale.position(value, from: plot.bottom, to: plot.top))
                penDown = true
            }
            writer.element("path", [
                "class": "line", "data-series": series.name, "d": path, "fill": "none", "stroke": color, "stroke-width": "2",
                "stroke-dasharray": Palette.dash(seriesIndex), "stroke-linejoin": "round", "stroke-linecap": "round",
            ])
            writer.newline()
            for (n, i) in ordered.enumerated() {
                guard let value = series.values[i] else { continue }
                // A value between two gaps has no line segment; its dot is all that shows it.
                let isolated = (n == 0 || series.values[ordered[n - 1]] == nil) && (n == ordered.count - 1 || series.values[ordered[n + 1]] == nil)
                let visible = showPoints ?? !dense || isolated
                let x = data.x[i]
                let name = x.label(grain: grain)
                let text = data.series.count > 1 ? "\(name) · \(series.name): \(data.format.full(value))" : "\(name): \(data.format.full(value))"
                writer.mark("circle", [
                    "cx": number(position[i]!), "cy": number(scale.position(value, from: plot.bottom, to: plot.top)),
                    "r": visible ? "3" : "4", "fill": visible ? color : "transparent",
                    "stroke": visible ? "#FFFFFF" : nil, "stroke-width": visible ? "1" : nil,
                ], MarkData(x: x, series: series.name, value: value, dimension: data.dimension, title: text))
            }
        }
        writer.close("g")
        writer.newline()
        writer.close("svg")
        return writer.output
    }
}
