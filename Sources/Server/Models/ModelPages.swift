import Dashboards
import Foundation
import Learning
import LearningRuntime
import WarehouseKit

/// `/ml` and `/ml/{model}`: each model of ml.yml with its accepted version's validation figures,
/// ROC curve, calibration by decile, coefficients and the distribution of its current scores.
/// Drawn whole on the server (SVG, no script); every value from the project goes through
/// `Markup.escape`.
enum ModelPages {
    struct Summary: Sendable {
        var declared: DeclaredModel
        var model: TrainedModel?
        var versions: [ModelRegistry.Version]
    }

    static func index(_ models: [Summary], dashboards: [Dashboard]) -> String {
        var html = PageChrome.head(title: "Models") + PageChrome.header(dashboards: dashboards, current: PageChrome.modelsPath)
        html += "<main>\n<h1>Models</h1>\n<p class=\"description\">The models the project declares in ml.yml, "
            + "trained with <code>storehouse ml train</code> and scored with <code>storehouse ml score</code>.</p>\n"
        html += "<div class=\"tile results\"><div class=\"table-wrap\"><table class=\"list\" id=\"models\"><thead><tr><th>Model</th><th>Kind</th>"
            + "<th>Accepted version</th><th>Validation</th><th class=\"num\">Training rows</th><th>Scores</th></tr></thead>\n<tbody>\n"
        for summary in models {
            let declared = summary.declared
            html += "<tr data-model=\"\(Markup.escape(declared.name))\"><td><a href=\"/ml/\(Markup.escape(declared.name))\">\(Markup.escape(declared.name))</a>"
                + "<br><span class=\"note\">\(Markup.escape(declared.description))</span></td><td>\(declared.definition.kind.rawValue)</td>"
            if let model = summary.model {
                let headline = model.evaluation.headline
                html += "<td>v\(model.version)</td><td>\(Markup.escape(headline.name)) \(figure(headline.value))</td>"
                    + "<td class=\"num\">\(ValueFormat.integer.full(Double(model.trainingRows)))</td>"
            } else {
                html += "<td colspan=\"3\">not trained yet: <code>storehouse ml train \(Markup.escape(declared.name))</code></td>"
            }
            html += "<td>ml.\(Markup.escape(declared.scoresTable))</td></tr>\n"
        }
        return html + "</tbody></table></div></div>\n</main>\n</body>\n</html>\n"
    }

    /// One model: `histogram` holds (lower bound, rows) bins of the current scores, empty when unscored.
    static func model(_ summary: Summary, histogram: [(lower: Double, upper: Double, rows: Int)], dashboards: [Dashboard]) -> String {
        let declared = summary.declared
        var html = PageChrome.head(title: "Model \(declared.name)") + PageChrome.header(dashboards: dashboards, current: PageChrome.modelsPath)
        html += "<main class=\"model\" data-model=\"\(Markup.escape(declared.name))\">\n<p class=\"crumbs\"><a href=\"/ml\">← Models</a></p>\n"
        html += "<h1>\(Markup.escape(declared.name))</h1>\n<p class=\"description\">\(Markup.escape(declared.description))</p>\n"
        guard let model = summary.model else {
            return html + "<p class=\"note\" id=\"untrained\">No accepted version yet: run <code>storehouse ml train \(Markup.escape(declared.name))</code>.</p>\n</main>\n</body>\n</html>\n"
        }
        html += "<p class=\"identity\"><span>v\(model.version), \(declared.definition.kind.rawValue)</span>"
            + "<span>trained \(Markup.escape(ISO8601DateFormatter().string(from: model.createdAt)))</span>"
            + "<span>on \(ValueFormat.integer.full(Double(model.trainingRows))) rows of \(Markup.escape(declared.training)), validated on "
            + "\(ValueFormat.integer.full(Double(model.validationRows))) later rows</span><span>l2 \(figure(declared.definition.l2))</span>"
            + "<span>data \(Markup.escape(model.trainingFingerprint))</span></p>\n<section class=\"kpis\">\n"
        switch model.evaluation {
        case .classification(let metrics):
            html += CustomerPages.kpi("roc_auc", "Validation AUC", figure(metrics.rocAUC), raw: metrics.rocAUC, detail: "ranking quality, 0.5 = chance")
            html += CustomerPages.kpi("pr_auc", "PR AUC", figure(metrics.prAUC), raw: metrics.prAUC,
                                      detail: "base rate \(ValueFormat.percent.full(Double(metrics.positives) / Double(max(1, metrics.rows))))")
            html += CustomerPages.kpi("log_loss", "Log loss", figure(metrics.logLoss), raw: metrics.logLoss, detail: "lower is better")
            html += CustomerPages.kpi("best_f1", "Best F1", figure(metrics.atBestF1.f1), raw: metrics.atBestF1.f1,
                                      detail: "at threshold \(figure(metrics.atBestF1.threshold)): precision \(figure(metrics.atBestF1.precision)), recall \(figure(metrics.atBestF1.recall))")
            html += CustomerPages.kpi("top_decile_lift", "Top-decile lift", String(format: "%.2fx", metrics.topDecileLift), raw: metrics.topDecileLift,
                                      detail: "positives in the best-scored tenth over the base rate")
            html += "</section>\n<section class=\"panels\">\n"
            html += "<article class=\"tile\" id=\"roc\"><h2>ROC curve (validation)</h2><div class=\"chart\">" + rocChart(metrics) + "</div></article>\n"
            html += "<article class=\"tile\" id=\"calibration\"><h2>Calibration by decile</h2>" + calibrationTable(metrics) + "</article>\n"
        case .regression(let metrics):
            html += CustomerPages.kpi("poisson_deviance", "Poisson deviance", figure(metrics.meanPoissonDeviance), raw: metrics.meanPoissonDeviance,
                                      detail: "training mean: \(figure(metrics.baselineMeanPoissonDeviance))")
            html += CustomerPages.kpi("mae", "Mean absolute error", figure(metrics.meanAbsoluteError), raw: metrics.meanAbsoluteError,
                                      detail: "training mean: \(figure(metrics.baselineMeanAbsoluteError))")
            html += CustomerPages.kpi("predicted_total", "Predicted total", figure(metrics.predictedTotal), raw: metrics.predictedTotal,
                                      detail: "observed \(figure(metrics.observedTotal))")
            html += "</section>\n<section class=\"panels\">\n"
        }
        html += "<article class=\"tile\" id=\"scores\"><h2>Current scores (ml.\(Markup.escape(declared.scoresTable)))</h2><div class=\"chart\">"
            + histogramChart(histogram) + "</div></article>\n"
        html += "<article class=\"tile\" id=\"coefficients\"><h2>Coefficients (standardised features)</h2>" + coefficientsTable(model) + "</article>\n"
        html += "<article class=\"tile\" id=\"versions\"><h2>Versions</h2>" + versionsTable(summary.versions) + "</article>\n"
        return html + "</section>\n</main>\n</body>\n</html>\n"
    }

    static func figure(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        return abs(value) >= 1000 ? ValueFormat.integer.full(value) : String(format: "%.4g", value)
    }
}
