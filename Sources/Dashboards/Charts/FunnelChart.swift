/// Funnel stages top to bottom: each a bar proportional to its count against the widest stage,
/// with the count and the conversion from the stage before and from the first stage.
///
/// The x values of `data` are the stages in order and its first series their counts. A stage
/// with a NULL count is left out and the next one converts from the last stage shown.
public struct FunnelChart: Chart {
    /// Stages as x values, counts as the first series.
    public var data: ChartData
    /// The accessible name of the chart: `aria-label` and the root's `<title>`; not drawn.
    public var title: String?
    /// Only the width is used; the height follows from the number of stages.
    public var size: ChartSize

    /// A funnel of `data`.
    public init(_ data: ChartData, title: String? = nil, size: ChartSize = .standard) {
        self.data = data
        self.title = title
        self.size = size
    }

    /// Stages as (name, count) pairs.
    public init(stages: [(name: String, count: Double?)], format: ValueFormat = .integer, dimension: String? = nil, title: String? = nil,
                size: ChartSize = .standard) {
        self.init(ChartData(categories: stages.map(\.name), values: stages.map(\.count), name: "count", format: format, dimension: dimension),
                  title: title, size: size)
    }

    public var kind: ChartKind { .funnel }

    static let rowHeight = 46.0

    /// The chart as `<svg data-chart="funnel">`, or the empty state when no stage has a count.
    public func render() -> String {
        let data = self.data.normalized
        guard let series = data.series.first else { return EmptyState.svg(kind, size: size, title: title) }
        let stages = data.x.indices.compactMap { i in series.values[i].map { (x: data.x[i], count: $0) } }
        guard !stages.isEmpty else { return EmptyState.svg(kind, size: size, title: title) }
        let width = size.width
        let height = 8 + Double(stages.count) * Self.rowHeight + 4
        let canvas = ChartSize(width: width, height: height)
        let widest = max(stages.map(\.count).max()!, 0)
        let first = stages[0].count
        let countTexts = stages.map { data.format.full($0.count) }
        let countRoom = (countTexts.map { TextMetrics.width($0, size: ChartStyle.labelFont) }.max() ?? 0) + 10
        let barLeft = 12.0
        let barRight = width - 12 - countRoom

        var writer = MarkupWriter()
        writer.openSVG(kind, size: canvas, title: title)
        writer.open("g", ["class": "marks"])
        writer.newline()
        for (n, stage) in stages.enumerated() {
            let top = 8 + Double(n) * Self.rowHeight
            let name = stage.x.label(grain: data.grain)
            let step: Double? = n == 0 ? nil : ratio(stage.count, stages[n - 1].count)
            let overall: Double? = n == 0 ? nil : ratio(stage.count, first)
            let conversion = n == 0 ? "" : "step \(step.map(ValueFormat.percent.compact) ?? "—") · overall \(overall.map(ValueFormat.percent.compact) ?? "—")"
            let conversionWidth = TextMetrics.width(conversion, size: ChartStyle.tickFont)
            let shownName = TextMetrics.truncate(name, toWidth: width - 24 - conversionWidth - 12, size: ChartStyle.labelFont)
            writer.open("text", ["class": "stage-label", "x": number(barLeft), "y": number(top + 13), "font-weight": "600"])
            writer.text(shownName)
            if shownName != name { writer.element("title", text: name) }
            writer.close("text")
            if n > 0 {
                writer.label(conversion, x: width - 12, y: top + 13, anchor: "end", size: ChartStyle.tickFont, color: Palette.mutedInk,
                             extra: ["class": "conversion"])
            }
            writer.newline()
            // The full-width track behind each bar shows how much of the widest stage is left.
            writer.element("rect", ["class": "track", "x": number(barLeft), "y": number(top + 19), "width": number(barRight - barLeft),
                                    "height": "20", "rx": "3", "fill": "#F0F2F4"])
            let length = widest > 0 ? max(0, stage.count) / widest * (barRight - barLeft) : 0
            var tooltip = "\(name): \(countTexts[n])"
            if let step { tooltip += ", \(ValueFormat.percent.compact(step)) of previous stage" }
            if let overall { tooltip += ", \(ValueFormat.percent.compact(overall)) of first stage" }
            writer.mark("rect", [
                "x": number(barLeft), "y": number(top + 19), "width": number(length), "height": "20", "rx": "3", "fill": Palette.series(0),
            ], MarkData(x: stage.x, series: series.name, value: stage.count, dimension: data.dimension, title: tooltip),
            extra: ["data-step-conversion": step.map(rawNumber), "data-overall-conversion": overall.map(rawNumber)])
            writer.label(countTexts[n], x: barLeft + length + 6, y: top + 33, color: Palette.ink, extra: ["class": "value-label"])
            writer.newline()
        }
        writer.close("g")
        writer.newline()
        writer.close("svg")
        return writer.output
    }

    private func ratio(_ part: Double, _ whole: Double) -> Double? { whole > 0 ? part / whole : nil }
}
