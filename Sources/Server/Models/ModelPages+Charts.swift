import Dashboards
import Foundation
import Learning
import LearningRuntime

/// The model page's pictures: small SVGs drawn from the artefact's figures.
extension ModelPages {
    static let width = 360.0, height = 240.0, margin = 32.0

    /// False-positive rate against true-positive rate, with the chance diagonal.
    static func rocChart(_ metrics: ClassificationMetrics) -> String {
        let plot = width - 2 * margin, tall = height - 2 * margin
        func x(_ value: Double) -> String { String(format: "%.1f", margin + value * plot) }
        func y(_ value: Double) -> String { String(format: "%.1f", height - margin - value * tall) }
        let points = metrics.rocCurve.map { "\(x($0.x)),\(y($0.y))" }.joined(separator: " ")
        return "<svg class=\"roc\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"ROC curve, AUC \(figure(metrics.rocAUC))\">"
            + "<line class=\"axis\" x1=\"\(x(0))\" y1=\"\(y(0))\" x2=\"\(x(1))\" y2=\"\(y(0))\" stroke=\"#999\"/>"
            + "<line class=\"axis\" x1=\"\(x(0))\" y1=\"\(y(0))\" x2=\"\(x(0))\" y2=\"\(y(1))\" stroke=\"#999\"/>"
            + "<line class=\"chance\" x1=\"\(x(0))\" y1=\"\(y(0))\" x2=\"\(x(1))\" y2=\"\(y(1))\" stroke=\"#bbb\" stroke-dasharray=\"4 4\"/>"
            + "<polyline class=\"curve\" fill=\"none\" stroke=\"#2f6fdf\" stroke-width=\"2\" points=\"\(points)\"/>"
            + "<text x=\"\(x(0.5))\" y=\"\(Int(height - 6))\" text-anchor=\"middle\" font-size=\"11\">false-positive rate</text>"
            + "<text x=\"12\" y=\"\(y(0.5))\" font-size=\"11\" transform=\"rotate(-90 12 \(y(0.5)))\" text-anchor=\"middle\">true-positive rate</text>"
            + "<text x=\"\(x(0.62))\" y=\"\(y(0.12))\" font-size=\"12\">AUC \(figure(metrics.rocAUC))</text></svg>"
    }

    /// Equal-width bins of the current scores as bars.
    static func histogramChart(_ bins: [(lower: Double, upper: Double, rows: Int)]) -> String {
        guard let most = bins.map(\.rows).max(), most > 0 else { return "<p class=\"note\">Not scored yet: run <code>storehouse ml score</code>.</p>" }
        let plot = width - 2 * margin, tall = height - 2 * margin
        let step = plot / Double(bins.count)
        var svg = "<svg class=\"histogram\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"Distribution of \(bins.reduce(0) { $0 + $1.rows }) scores\">"
        for (index, bin) in bins.enumerated() {
            let barHeight = tall * Double(bin.rows) / Double(most)
            svg += "<rect class=\"bin\" data-rows=\"\(bin.rows)\" x=\(quoted(margin + Double(index) * step + 1)) y=\(quoted(height - margin - barHeight)) "
                + "width=\(quoted(max(1, step - 2))) height=\(quoted(barHeight)) fill=\"#2f6fdf\"><title>\(figure(bin.lower))–\(figure(bin.upper)): "
                + "\(ValueFormat.integer.full(Double(bin.rows))) rows</title></rect>"
        }
        svg += "<text x=\"\(Int(margin))\" y=\"\(Int(height - 8))\" font-size=\"11\">\(figure(bins.first!.lower))</text>"
            + "<text x=\"\(Int(width - margin))\" y=\"\(Int(height - 8))\" font-size=\"11\" text-anchor=\"end\">\(figure(bins.last!.upper))</text>"
        return svg + "</svg>"
    }

    private static func quoted(_ value: Double) -> String { "\"" + String(format: "%.1f", value) + "\"" }

    static func calibrationTable(_ metrics: ClassificationMetrics) -> String {
        var html = "<div class=\"table-wrap\"><table class=\"list\"><thead><tr><th>Decile</th><th class=\"num\">Rows</th>"
            + "<th class=\"num\">Mean score</th><th class=\"num\">Observed rate</th></tr></thead>\n<tbody>\n"
        for (index, bin) in metrics.calibration.enumerated() {
            html += "<tr data-decile=\"\(index + 1)\"><td>\(index + 1)</td><td class=\"num\">\(ValueFormat.integer.full(Double(bin.rows)))</td>"
                + "<td class=\"num\">\(ValueFormat.percent.full(bin.meanScore))</td><td class=\"num\">\(ValueFormat.percent.full(bin.observedRate))</td></tr>\n"
        }
        return html + "</tbody></table></div>"
    }

    static func coefficientsTable(_ model: TrainedModel) -> String {
        let ranked = model.rankedCoefficients
        let largest = max(ranked.map { abs($0.weight) }.max() ?? 1, 1e-12)
        var html = "<div class=\"table-wrap\"><table class=\"list\"><thead><tr><th>Feature</th><th class=\"num\">Coefficient</th><th>Effect</th></tr></thead>\n<tbody>\n"
        html += "<tr data-feature=\"(intercept)\"><td>(intercept)</td><td class=\"num\">\(figure(model.coefficients.intercept))</td><td></td></tr>\n"
        for (feature, weight) in ranked {
            let bar = 120 * abs(weight) / largest
            html += "<tr data-feature=\"\(Markup.escape(feature))\"><td>\(Markup.escape(feature))</td><td class=\"num\">\(figure(weight))</td>"
                + "<td><svg width=\"124\" height=\"10\" aria-hidden=\"true\"><rect x=\"2\" y=\"1\" width=\(quoted(bar)) height=\"8\" "
                + "fill=\"\(weight >= 0 ? "#2f6fdf" : "#d9534f")\"/></svg></td></tr>\n"
        }
        return html + "</tbody></table></div>"
    }

    static func versionsTable(_ versions: [ModelRegistry.Version]) -> String {
        var html = "<div class=\"table-wrap\"><table class=\"list\"><thead><tr><th>Version</th><th>Created</th><th>Metric</th>"
            + "<th class=\"num\">Value</th><th>Decision</th></tr></thead>\n<tbody>\n"
        let accepted = versions.first { $0.promoted }?.version
        for version in versions {
            html += "<tr data-version=\"\(version.version)\"\(version.version == accepted ? " class=\"accepted\"" : "")><td>v\(version.version)\(version.version == accepted ? " (accepted)" : "")</td>"
                + "<td>\(Markup.escape(ISO8601DateFormatter().string(from: version.createdAt)))</td><td>\(Markup.escape(version.metricName))</td>"
                + "<td class=\"num\">\(version.metricValue.map(figure) ?? "—")</td><td>\(Markup.escape(version.decision))</td></tr>\n"
        }
        return html + "</tbody></table></div>"
    }
}
