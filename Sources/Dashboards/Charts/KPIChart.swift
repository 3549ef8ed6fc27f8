/// A headline number: the value, its change against the previous period, and a sparkline.
///
/// The change is relative (`▲ 12.5%`) when the previous value is not zero, absolute otherwise,
/// and in percentage points (`▼ 0.4 pp`) for measures that are themselves percentages — "conversion
/// fell 10%" when it went from 4% to 3.6% misleads. Whether up is good is the caller's call:
/// revenue up is green, churn up is not.
///
/// ```swift
/// KPIChart(label: "Revenue", value: 48_200, previous: 42_900, format: .currency()).render()
/// ```
public struct KPIChart: Chart {
    /// What the figure is, drawn above it.
    public var label: String
    /// The current value; nil (or non-finite) shows the empty state.
    public var value: Double?
    /// The previous period's value; nil draws no change line.
    public var previous: Double?
    /// How the value reads.
    public var format: ValueFormat
    /// Values over time drawn as a sparkline under the figure (its first series); nil for none.
    public var trend: ChartData?
    /// Whether a rise is good news (green) or bad (vermillion).
    public var higherIsBetter: Bool
    /// The words after the change, such as "vs previous period".
    public var comparisonLabel: String
    /// The drawing size in SVG units (see `ChartSize`).
    public var size: ChartSize

    /// A KPI tile from its figures.
    public init(label: String, value: Double?, previous: Double? = nil, format: ValueFormat = .number, trend: ChartData? = nil,
                higherIsBetter: Bool = true, comparisonLabel: String = "vs previous period", size: ChartSize = .kpi) {
        self.label = label
        self.value = value.flatMap { $0.isFinite ? $0 : nil }
        self.previous = previous.flatMap { $0.isFinite ? $0 : nil }
        self.format = format
        self.trend = trend
        self.higherIsBetter = higherIsBetter
        self.comparisonLabel = comparisonLabel
        self.size = size
    }

    /// The latest non-NULL value of a time series against the one before it, with the series as
    /// the sparkline.
    public init(label: String, series data: ChartData, higherIsBetter: Bool = true, comparisonLabel: String = "vs previous period",
                size: ChartSize = .kpi) {
        let present = (data.series.first?.values ?? []).compactMap { $0 }
        self.init(label: label, value: present.last, previous: present.count > 1 ? present[present.count - 2] : nil, format: data.format,
                  trend: data, higherIsBetter: higherIsBetter, comparisonLabel: comparisonLabel, size: size)
    }

    public var kind: ChartKind { .kpi }

    /// The change against the previous value as the arrow line shows it, or nil without one.
    var change: (arrow: String, text: String, color: String)? {
        guard let value, let previous else { return nil }
        let delta = value - previous
        let text: String
        if format == .percent {
            text = ValueFormat.number.compact(abs(delta) * 100) + " pp"
        } else if previous != 0 {
            text = ValueFormat.percent.compact(abs(delta / previous))
        } else {
            text = format.compact(abs(delta))
        }
        guard delta != 0, text.contains(where: { ("1"..."9").contains($0) }) else { return ("", "no change", Palette.mutedInk) }
        let good = (delta > 0) == higherIsBetter
        return (delta > 0 ? "▲" : "▼", text, good ? Palette.better : Palette.worse)
    }

    /// The tile as `<svg data-chart="kpi" data-value=… data-previous=…>`.
    public func render() -> String {
        guard let value else { return EmptyState.svg(kind, size: size, title: label, heading: label) }
        let width = size.width
        var writer = MarkupWriter()
        writer.openSVG(kind, size: size, title: label, extra: [
            "data-value": rawNumber(value), "data-previous": previous.map(rawNumber),
        ])
        writer.label(TextMetrics.truncate(label, toWidth: width - 28, size: 13), x: 14, y: 24, size: 13, color: Palette.mutedInk,
                     weight: "600", extra: ["class": "kpi-label"])
        writer.newline()
        // The full figure when it fits, else the compact one; the exact value stays in the tooltip.
        let full = format.full(value)
        let valueSize = 34.0
        let shown = TextMetrics.width(full, size: valueSize) <= width - 28 ? full : format.compact(value)
        writer.open("text", ["class": "kpi-value", "x": "14", "y": "64", "font-size": number(valueSize), "font-weight": "700"])
        writer.text(shown)
        writer.element("title", text: "\(label): \(full)")
        writer.close("text")
        writer.newline()
        if let change {
            writer.open("text", ["class": "kpi-change", "x": "14", "y": "88", "font-size": "13"])
            writer.element("tspan", ["fill": change.color, "font-weight": "600"], text: change.arrow.isEmpty ? change.text : "\(change.arrow) \(change.text)")
            writer.element("tspan", ["fill": Palette.mutedInk], text: " " + comparisonLabel)
            if let previous { writer.element("title", text: "Previous: \(format.full(previous))") }
            writer.close("text")
            writer.newline()
        }
        drawSparkline(&writer, top: 98, bottom: size.height - 10, left: 14, right: width - 14)
        writer.close("svg")
        return writer.output
    }

    private func drawSparkline(_ writer: inout MarkupWriter, top: Double, bottom: Double, left: Double, right: Double) {
        guard let trend = trend?.normalized, let series = trend.series.first, bottom - top > 8 else { return }
        let points = series.values.indices.filter { series.values[$0] != nil }
        guard points.count > 1 else { return }
        let values = points.map { series.values[$0]! }
        // A sparkline shows shape, not magnitude: its own range fills the strip.
        let low = values.min()!, high = values.max()!
        func y(_ v: Double) -> Double { high == low ? (top + bottom) / 2 : bottom - (v - low) / (high - low) * (bottom - top) }
        func x(_ i: Int) -> Double { left + Double(i) / Double(max(1, series.values.count - 1)) * (right - left) }
        var path = ""
        var penDown = false
        for i in series.values.indices {
            guard let v = series.values[i] else { penDown = false; continue }
            path += (penDown ? "L" : "M") + number(x(i)) + " " + number(y(v))
            penDown = true
        }
        writer.open("g", ["class": "sparkline"])
        writer.element("path", ["class": "line", "d": path, "fill": "none", "stroke": Palette.series(0), "stroke-width": "1.5",
                                "stroke-linejoin": "round"])
        for i in points {
            let v = series.values[i]!
            let isLast = i == points.last
            let xValue = trend.x[i]
            writer.mark("circle", ["cx": number(x(i)), "cy": number(y(v)), "r": isLast ? "3" : "2.5", "fill": isLast ? Palette.series(0) : "transparent"],
                        MarkData(x: xValue, series: series.name, value: v, dimension: trend.dimension,
                                 title: "\(xValue.label(grain: trend.grain)): \(format.full(v))"))
        }
        writer.close("g")
        writer.newline()
    }
}
