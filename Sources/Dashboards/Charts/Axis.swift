import WarehouseKit

/// The rectangle that holds a chart's marks, inside the margins for labels and legend.
struct PlotArea {
    var left: Double
    var top: Double
    var right: Double
    var bottom: Double
    var width: Double { right - left }
    var height: Double { bottom - top }
}

/// Category or period labels under a band axis, after thinning and truncation.
struct BandLabelPlan {
    struct Entry {
        var index: Int
        var text: String
        var fullText: String
        /// A second line: the year under a date, or the rest of a category name wrapped at a space.
        var secondLine: String?
    }

    var entries: [Entry]
    /// Long category names are drawn at 45° so each still sits under its own bar.
    var rotated: Bool
    /// The vertical room the labels need below the plot.
    var height: Double
}

/// Gridlines, tick labels and axis titles shared by the cartesian charts.
enum Axis {
    static let tickGap = 6.0
    static let maxRotatedLabelWidth = 96.0

    /// The room value labels need to the left of the plot.
    static func labelWidth(_ labels: [String]) -> Double {
        (labels.map { TextMetrics.width($0, size: ChartStyle.tickFont) }.max() ?? 0) + tickGap
    }

    /// Horizontal gridlines at the scale's ticks with their values at the left; the zero line is
    /// darker when the domain spans negative and positive values, so negative bars read as such.
    static func drawValueAxisY(_ writer: inout MarkupWriter, scale: LinearScale, labels: [String], plot: PlotArea) {
        writer.open("g", ["class": "axis axis-y", "font-size": number(ChartStyle.tickFont), "fill": Palette.mutedInk])
        for (tick, label) in zip(scale.ticks, labels) {
            let y = scale.position(tick, from: plot.bottom, to: plot.top)
            let isZero = tick == 0 && scale.lower < 0
            writer.element("line", [
                "x1": number(plot.left), "x2": number(plot.right), "y1": number(y), "y2": number(y),
                "stroke": isZero ? Palette.zeroLine : Palette.grid, "stroke-width": "1",
            ])
            writer.label(label, x: plot.left - tickGap, y: y + 4, anchor: "end", size: ChartStyle.tickFont, extra: ["class": "tick"])
        }
        writer.close("g")
        writer.newline()
    }

    /// Vertical gridlines at the scale's ticks with their values below the plot. Gridlines can be
    /// closer together than labels fit: then every second (third, …) tick is labelled, which keeps
    /// the domain tight where a coarser step would leave a third of the plot empty.
    static func drawValueAxisX(_ writer: inout MarkupWriter, scale: LinearScale, labels: [String], plot: PlotArea, canvasWidth: Double) {
        writer.open("g", ["class": "axis axis-x", "font-size": number(ChartStyle.tickFont), "fill": Palette.mutedInk])
        let spacing = plot.width / Double(max(1, scale.ticks.count - 1))
        let widest = labels.map { TextMetrics.width($0, size: ChartStyle.tickFont) }.max() ?? 0
        let every = max(1, Int(((widest + 10) / max(spacing, 1)).rounded(.up)))
        for (index, (tick, label)) in zip(scale.ticks, labels).enumerated() {
            let x = scale.position(tick, from: plot.left, to: plot.right)
            let isZero = tick == 0 && scale.lower < 0
            writer.element("line", [
                "x1": number(x), "x2": number(x), "y1": number(plot.top), "y2": number(plot.bottom),
                "stroke": isZero ? Palette.zeroLine : Palette.grid, "stroke-width": "1",
            ])
            guard index % every == 0 else { continue }
            let half = TextMetrics.width(label, size: ChartStyle.tickFont) / 2
            let centre = min(max(x, half + 2), canvasWidth - half - 2)
            writer.label(label, x: centre, y: plot.bottom + 16, anchor: "middle", size: ChartStyle.tickFont, extra: ["class": "tick"])
        }
        writer.close("g")
        writer.newline()
    }

    /// Which band labels to draw and how: all of them flat when they fit, long category names at
    /// 45°, dates thinned to every n-th band (their order makes the skipped ones obvious).
    static func planBandLabels(_ xs: [ChartX], grain: TimeGrain, slot: Double) -> BandLabelPlan {
        let size = ChartStyle.tickFont
        let dates = xs.map(\.civilDate)
        if !xs.isEmpty, dates.allSatisfy({ $0 != nil }) {
            let short = xs.map { TimeLabels.short($0.civilDate!, grain: grain) }
            let widest = short.map { TextMetrics.width($0, size: size) }.max() ?? 0
            let every = max(1, Int(((widest + 8) / max(slot, 1)).rounded(.up)))
            let shown = Array(stride(from: 0, to: xs.count, by: every))
            let ticks = TimeLabels.bandLabels(shown.map { dates[$0]! }, grain: grain)
            let entries = zip(shown, ticks).map { BandLabelPlan.Entry(index: $0, text: $1.label, fullText: $1.label, secondLine: $1.year) }
            let hasYear = entries.contains { $0.secondLine != nil }
            return BandLabelPlan(entries: entries, rotated: false, height: hasYear ? 32 : 18)
        }
        let texts = xs.map { $0.label(grain: grain) }
        let widths = texts.map { TextMetrics.width($0, size: size) }
        if (widths.max() ?? 0) <= slot - 4 {
            let entries = texts.enumerated().map { BandLabelPlan.Entry(index: $0, text: $1, fullText: $1, secondLine: nil) }
            return BandLabelPlan(entries: entries, rotated: false, height: 18)
        }
        // Short names of two or three words ("Calvin Klein") read better on two lines than tilted.
        let wrapped = texts.map { wrap($0, size: size) }
        if wrapped.allSatisfy({ lines in lines.allSatisfy { TextMetrics.width($0, size: size) <= slot - 4 } }) {
            let entries = wrapped.enumerated().map { index, lines in
                BandLabelPlan.Entry(index: index, text: lines[0], fullText: texts[index], secondLine: lines.count > 1 ? lines[1] : nil)
            }
            return BandLabelPlan(entries: entries, rotated: false, height: 32)
        }
        // At 45° neighbouring labels are slot/√2 apart, so they need slot ≥ 1.1 × font size.
        let every = max(1, Int((size * 1.1 / max(slot, 1)).rounded(.up)))
        let entries = stride(from: 0, to: xs.count, by: every).map { index in
            BandLabelPlan.Entry(index: index, text: TextMetrics.truncate(texts[index], toWidth: maxRotatedLabelWidth, size: size),
                                fullText: texts[index], secondLine: nil)
        }
        let widest = entries.map { TextMetrics.width($0.text, size: size) }.max() ?? 0
        return BandLabelPlan(entries: entries, rotated: true, height: widest * 0.71 + size + 6)
    }

    /// `text` as one line, or two split at the space that makes the longer line shortest.
    static func wrap(_ text: String, size: Double) -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count > 1 else { return [text] }
        var best = [text]
        var bestWidth = Double.infinity
        for split in 1..<words.count {
            let lines = [words[..<split].joined(separator: " "), words[split...].joined(separator: " ")]
            let width = lines.map { TextMetrics.width($0, size: size) }.max()!
            if width < bestWidth { (best, bestWidth) = (lines, width) }
        }
        return best
    }

    static func drawBandLabels(_ writer: inout MarkupWriter, plan: BandLabelPlan, band: BandScale, plot: PlotArea) {
        writer.open("g", ["class": "axis axis-x", "font-size": number(ChartStyle.tickFont), "fill": Palette.mutedInk])
        for entry in plan.entries {
            let x = band.center(entry.index)
            if plan.rotated {
                let y = plot.bottom + 12
                writer.open("text", ["class": "tick", "text-anchor": "end", "transform": "translate(\(number(x + 4)),\(number(y))) rotate(-45)"])
                writer.text(entry.text)
                if entry.text != entry.fullText { writer.element("title", text: entry.fullText) }
                writer.close("text")
            } else {
                writer.label(entry.text, x: x, y: plot.bottom + 16, anchor: "middle", size: ChartStyle.tickFont, extra: ["class": "tick"])
                if let second = entry.secondLine {
                    let isYear = entry.fullText == entry.text
                    writer.label(second, x: x, y: plot.bottom + 30, anchor: "middle", size: ChartStyle.tickFont,
                                 extra: ["class": isYear ? "tick-year" : "tick-line2"])
                }
            }
        }
        writer.close("g")
        writer.newline()
    }

    /// Calendar ticks under a time axis, each label kept inside the canvas.
    static func drawTimeTicks(_ writer: inout MarkupWriter, ticks: [TimeTick], position: (CivilDate) -> Double, plot: PlotArea, canvasWidth: Double) {
        writer.open("g", ["class": "axis axis-x", "font-size": number(ChartStyle.tickFont), "fill": Palette.mutedInk])
        for tick in ticks {
            let x = position(tick.date)
            writer.element("line", [
                "x1": number(x), "x2": number(x), "y1": number(plot.bottom), "y2": number(plot.bottom + 4), "stroke": Palette.axis,
            ])
            for (line, text) in [(0, tick.label), (1, tick.year)] {
                guard let text else { continue }
                let half = TextMetrics.width(text, size: ChartStyle.tickFont) / 2
                let centre = min(max(x, half + 2), canvasWidth - half - 2)
                writer.label(text, x: centre, y: plot.bottom + 16 + Double(line) * 14, anchor: "middle", size: ChartStyle.tickFont,
                             extra: ["class": line == 0 ? "tick" : "tick-year"])
            }
        }
        writer.close("g")
        writer.newline()
    }

    /// The widest label a time axis at `grain` can show, for deciding how many ticks fit.
    static func widestTimeLabel(grain: TimeGrain) -> Double {
        let sample: String
        switch grain {
        case .day, .week: sample = "May 30"
        case .month: sample = "May"
        case .quarter: sample = "Q4"
        case .year: sample = "2026"
        }
        return TextMetrics.width(sample, size: ChartStyle.tickFont)
    }

    /// The y title above the value labels and the x title centred under the plot.
    static func drawTitles(_ writer: inout MarkupWriter, x: String?, y: String?, plot: PlotArea, canvas: ChartSize) {
        if let y {
            writer.label(TextMetrics.truncate(y, toWidth: canvas.width - 8, size: ChartStyle.titleFont), x: 4, y: plot.top - 12,
                         size: ChartStyle.titleFont, color: Palette.mutedInk, weight: "600", extra: ["class": "axis-title"])
            writer.newline()
        }
        if let x {
            writer.label(TextMetrics.truncate(x, toWidth: plot.width, size: ChartStyle.titleFont), x: (plot.left + plot.right) / 2,
                         y: canvas.height - 6, anchor: "middle", size: ChartStyle.titleFont, color: Palette.mutedInk, weight: "600",
                         extra: ["class": "axis-title"])
            writer.newline()
        }
    }
}
