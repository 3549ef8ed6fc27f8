/// The cohort-retention triangle: a row per cohort, a column per period since it started, each
/// cell shaded by the share retained and labelled with it.
///
/// Shading runs from 0 to the highest retention after the first period. The first period is 100%
/// by definition for count-based retention; letting it set the top of the scale would wash every
/// later cell, the ones worth comparing, out to the palest blues.
public struct CohortHeatmap: Chart {
    /// The retention triangle to draw.
    public var data: CohortRetention
    /// The accessible name of the chart: `aria-label` and the root's `<title>`; not drawn.
    public var title: String?
    /// The caption over the period columns, e.g. "Months since first order".
    public var periodTitle: String
    /// Only the width is used; the height follows from the number of cohorts.
    public var size: ChartSize

    /// A heatmap of `data`; its height follows from the number of cohorts.
    public init(_ data: CohortRetention, periodTitle: String = "Periods since start", title: String? = nil, size: ChartSize = .standard) {
        self.data = data
        self.periodTitle = periodTitle
        self.title = title
        self.size = size
    }

    public var kind: ChartKind { .cohortHeatmap }

    static let rowHeight = 22.0
    /// Cell labels are a point smaller than axis text: twelve periods across a tile leave ~20 units a cell.
    static let cellFont = 11.0

    /// The top of the colour scale: the highest value outside the first period, unless there is none.
    var colorMaximum: Double {
        let later = data.cells.flatMap { $0.dropFirst().compactMap { $0 } }
        let all = data.cells.flatMap { $0.compactMap { $0 } }
        let top = (later.max() ?? 0) > 0 ? later.max()! : (all.max() ?? 0)
        return top > 0 ? top : 1
    }

    /// The chart as `<svg data-chart="cohort-heatmap">`, or the empty state when no cell has a value.
    public func render() -> String {
        let data = self.data.normalized
        guard !data.isEmpty else { return EmptyState.svg(kind, size: size, title: title) }
        let grain = data.effectiveGrain
        let font = ChartStyle.tickFont
        let cohortNames = data.cohorts.map { $0.label(grain: grain) }
        let cohortWidth = min(size.width * 0.3, (cohortNames.map { TextMetrics.width($0, size: font) }.max() ?? 0) + 10)
        let hasSizes = data.cohortSizes.contains { $0 != nil }
        let sizeTexts = data.cohortSizes.map { $0.map(ValueFormat.integer.compact) ?? "" }
        let sizeWidth = hasSizes ? max(TextMetrics.width("Size", size: font), sizeTexts.map { TextMetrics.width($0, size: font) }.max() ?? 0) + 12 : 0
        let left = 6 + cohortWidth + sizeWidth
        let right = size.width - 6
        let cellWidth = (right - left) / Double(max(1, data.periods.count))
        let top = 42.0
        let height = top + Double(data.cohorts.count) * Self.rowHeight + 8
        let canvas = ChartSize(width: size.width, height: height)
        let format = labelFormat(cellWidth: cellWidth)
        let maximum = colorMaximum

        var writer = MarkupWriter()
        writer.openSVG(kind, size: canvas, title: title, extra: ["data-color-max": rawNumber(maximum)])
        // Narrow cells drop the % sign from their labels; the caption then says what they count.
        let caption = format.map { $0(0.5).hasSuffix("%") } == false ? "\(periodTitle) (% retained)" : periodTitle
        writer.label(TextMetrics.truncate(caption, toWidth: right - left, size: font), x: (left + right) / 2, y: 14, anchor: "middle",
                     size: font, color: Palette.mutedInk, weight: "600", extra: ["class": "axis-title"])
        writer.open("g", ["class": "axis", "font-size": number(font), "fill": Palette.mutedInk])
        writer.label("Cohort", x: 6, y: top - 8, size: font, weight: "600")
        if hasSizes { writer.label("Size", x: left - 6, y: top - 8, anchor: "end", size: font, weight: "600") }
        // Period headers thin out when the columns are too narrow for every one.
        let headerWidth = data.periods.map { TextMetrics.width($0, size: font) }.max() ?? 0
        let every = max(1, Int(((headerWidth + 4) / cellWidth).rounded(.up)))
        for (column, period) in data.periods.enumerated() where column % every == 0 {
            writer.label(period, x: left + cellWidth * (Double(column) + 0.5), y: top - 8, anchor: "middle", size: font, extra: ["class": "tick"])
        }
        writer.close("g")
        writer.newline()

        writer.open("g", ["class": "marks"])
        writer.newline()
        for (row, cohort) in data.cohorts.enumerated() {
            let y = top + Double(row) * Self.rowHeight
            let name = TextMetrics.truncate(cohortNames[row], toWidth: cohortWidth - 10, size: font)
            writer.label(name, x: 6, y: y + 15, size: font, extra: ["class": "cohort-label"])
            if hasSizes { writer.label(sizeTexts[row], x: left - 6, y: y + 15, anchor: "end", size: font, color: Palette.mutedInk) }
            for (column, period) in data.periods.enumerated() {
                guard let value = data.cells[row][column] else { continue }
                let fill = Palette.sequential(value / maximum)
                let x = left + cellWidth * Double(column)
                var tooltip = "\(cohortNames[row]), period \(period): \(ValueFormat.percent.full(value)) retained"
                if let size = data.cohortSizes[row] { tooltip += " of \(ValueFormat.integer.full(size))" }
                writer.mark("rect", [
                    "x": number(x), "y": number(y), "width": number(cellWidth), "height": number(Self.rowHeight),
                    "fill": fill, "stroke": "#FFFFFF", "stroke-width": "1",
                ], MarkData(x: cohort, series: period, value: value, dimension: data.dimension, title: tooltip))
                if let format {
                    writer.label(format(value), x: x + cellWidth / 2, y: y + 15, anchor: "middle", size: Self.cellFont,
                                 color: Palette.text(on: fill), extra: ["class": "cell-label"])
                    writer.newline()
                }
            }
        }
        writer.close("g")
        writer.newline()
        writer.close("svg")
        return writer.output
    }

    /// The most precise percentage label every cell has room for, or nil when cells are too small.
    private func labelFormat(cellWidth: Double) -> ((Double) -> String)? {
        let size = Self.cellFont
        let candidates: [(Double) -> String] = [
            ValueFormat.percent.compact,
            { ValueFormat.decimal(abs($0) * 100, decimals: 0, trim: true, grouped: false) + "%" },
            { ValueFormat.decimal(abs($0) * 100, decimals: 0, trim: true, grouped: false) },
        ]
        let values = data.cells.flatMap { $0.compactMap { $0 } }
        return candidates.first { format in values.allSatisfy { TextMetrics.width(format($0), size: size) <= cellWidth - 4 } }
    }
}
