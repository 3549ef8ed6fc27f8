import Foundation
import Learning
import LearningRuntime

/// How the ml commands print models, versions and figures.
enum MLReport {
    static func trained(_ trained: ModelTasks.Trained) -> String {
        let model = trained.model
        var lines = [
            "\(model.name) v\(model.version): trained on \(count(model.trainingRows)) rows, validated on \(count(model.validationRows)) later rows "
                + "of \(trained.relation) in \(String(format: "%.2f", model.fitSeconds)) s (\(model.coefficients.iterations) Newton steps)",
        ]
        switch model.evaluation {
        case .classification(let m):
            lines.append("  validation AUC \(figure(m.rocAUC)) · PR AUC \(figure(m.prAUC)) · log loss \(figure(m.logLoss)) · "
                + "F1 \(figure(m.atBestF1.f1)) at threshold \(figure(m.atBestF1.threshold)) · top-decile lift \(String(format: "%.2f", m.topDecileLift))x")
        case .regression(let m):
            lines.append("  validation Poisson deviance \(figure(m.meanPoissonDeviance)) (training mean: \(figure(m.baselineMeanPoissonDeviance))) · "
                + "MAE \(figure(m.meanAbsoluteError)) (\(figure(m.baselineMeanAbsoluteError))) · RMSE \(figure(m.rootMeanSquaredError)) "
                + "(\(figure(m.baselineRootMeanSquaredError))) · predicted total \(figure(m.predictedTotal)) of \(figure(m.observedTotal))")
        }
        lines.append((trained.decision.promoted ? "  promoted: " : "  NOT promoted: ") + trained.decision.reason)
        let strongest = model.rankedCoefficients.prefix(5).map { "\($0.feature) \($0.weight >= 0 ? "+" : "")\(figure($0.weight))" }
        lines.append("  strongest features (standardised): " + strongest.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    static func scored(_ scored: ModelTasks.Scored) -> String {
        "\(scored.model) v\(scored.version): scored \(count(scored.rows)) rows → \(scored.table) (mean \(figure(scored.meanScore)))"
    }

    static func table(_ project: MLProjectFile, versions: [ModelRegistry.Version]) -> String {
        var rows: [[String]] = [["model", "version", "accepted", "created", "metric", "value", "training rows", "decision"]]
        let dateFormat = DateFormatter()
        dateFormat.dateFormat = "yyyy-MM-dd HH:mm"
        dateFormat.timeZone = TimeZone(identifier: "UTC")
        for declared in project.models {
            let mine = versions.filter { $0.model == declared.name }
            let accepted = mine.first { $0.promoted }?.version
            if mine.isEmpty { rows.append([declared.name, "—", "", "", "", "", "", "not trained yet (storehouse ml train \(declared.name))"]) }
            for version in mine {
                rows.append([declared.name, "v\(version.version)", version.version == accepted ? "yes" : "", dateFormat.string(from: version.createdAt),
                             version.metricName, version.metricValue.map(figure) ?? "—", count(version.trainingRows), version.decision])
            }
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    static func json(_ project: MLProjectFile, versions: [ModelRegistry.Version]) throws -> String {
        let iso = ISO8601DateFormatter()
        let models: [[String: Any]] = project.models.map { declared in
            let mine = versions.filter { $0.model == declared.name }
            return [
                "name": declared.name, "kind": declared.definition.kind.rawValue, "training": declared.training,
                "scores": "ml.\(declared.scoresTable)", "accepted_version": mine.first { $0.promoted }.map { $0.version as Any } ?? NSNull(),
                "versions": mine.map { version -> [String: Any] in
                    ["version": version.version, "promoted": version.promoted, "created_at": iso.string(from: version.createdAt),
                     "metric": version.metricName, "value": version.metricValue.map { $0 as Any } ?? NSNull(),
                     "training_rows": version.trainingRows, "training_fingerprint": version.trainingFingerprint, "decision": version.decision]
                },
            ]
        }
        let data = try JSONSerialization.data(withJSONObject: ["models": models], options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static func details(_ model: TrainedModel) -> String {
        var lines = ["\(model.name) v\(model.version) (\(model.definition.kind.rawValue), l2 \(figure(model.definition.l2)), "
            + "trained \(ISO8601DateFormatter().string(from: model.createdAt)) on \(count(model.trainingRows)) rows, data \(model.trainingFingerprint))"]
        switch model.evaluation {
        case .classification(let m):
            lines.append("validation: \(count(m.rows)) rows, \(count(m.positives)) positive · AUC \(figure(m.rocAUC)) · PR AUC \(figure(m.prAUC)) · log loss \(figure(m.logLoss))")
            for (label, at) in [("at threshold", m.atChosenThreshold), ("best F1 at", m.atBestF1)] {
                lines.append("  \(label) \(figure(at.threshold)): precision \(figure(at.precision)) · recall \(figure(at.recall)) · F1 \(figure(at.f1))")
            }
            lines.append("calibration by decile (mean score → observed rate):")
            for (index, bin) in m.calibration.enumerated() {
                lines.append("  \(index + 1). \(figure(bin.meanScore)) → \(figure(bin.observedRate))  (\(count(bin.rows)) rows)")
            }
        case .regression(let m):
            lines.append("validation: \(count(m.rows)) rows · Poisson deviance \(figure(m.meanPoissonDeviance)) vs \(figure(m.baselineMeanPoissonDeviance)) for the training mean · "
                + "MAE \(figure(m.meanAbsoluteError)) vs \(figure(m.baselineMeanAbsoluteError)) · RMSE \(figure(m.rootMeanSquaredError)) vs \(figure(m.baselineRootMeanSquaredError))")
        }
        lines.append("coefficients (on standardised features), largest effect first:")
        lines.append("  (intercept) \(figure(model.coefficients.intercept))")
        for (feature, weight) in model.rankedCoefficients { lines.append("  \(feature) \(figure(weight))") }
        return lines.joined(separator: "\n")
    }

    static func artefactJSON(_ model: TrainedModel) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(model)
    }

    static func figure(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        return abs(value) >= 1000 ? String(format: "%.0f", value) : String(format: "%.4g", value)
    }

    static func count(_ value: Int) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = ","
        return formatter.string(from: NSNumber(value: value)) ?? String(value)
    }
}
