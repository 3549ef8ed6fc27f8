import Learning
import XCTest

@testable import LearningRuntime

final class MLProjectFileTests: XCTestCase {
    func testReadsTheBundledProjectsModels() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("analytics").path
        let file = try XCTUnwrap(try MLProjectFile.load(projectRoot: root))
        XCTAssertEqual(file.models.map(\.name), ["churn", "ltv", "cross_sell"])
        XCTAssertEqual(file.promotionMargin, 0.01)
        let churn = try file.model(named: "churn")
        XCTAssertEqual(churn.definition.kind, .classifier)
        XCTAssertEqual(churn.training, "churn_features")
        XCTAssertEqual(churn.scoresTable, "churn_scores")
        XCTAssertEqual(churn.definition.features.numeric.first { $0.name == "average_satisfaction" }?.missing, .mean)
        XCTAssertEqual(churn.definition.features.numeric.first { $0.name == "recency_days" }?.missing, .fail)
        XCTAssertEqual(try file.model(named: "ltv").definition.kind, .regressor)
        XCTAssertEqual(try file.model(named: "cross_sell").key, ["customer_id", "category"])
        XCTAssertEqual(try file.model(named: "cross_sell").scoring, "cross_sell_candidates")
        XCTAssertThrowsError(try file.model(named: "churm")) { error in
            XCTAssertTrue("\(error)".contains("declared: churn, ltv, cross_sell"), "\(error)")
        }
    }

    func testDefaults() throws {
        let file = try MLProjectFile.parse("""
            models:
              - name: m
                training: t
                target: y
                key: [id]
                features: {numeric: [x]}
            """, path: "/p/ml.yml")
        let model = try file.model(named: "m")
        XCTAssertEqual(model.definition.kind, .classifier)
        XCTAssertEqual(model.definition.l2, 1)
        XCTAssertEqual(model.definition.classWeight, ModelDefinition.ClassWeight.none)
        XCTAssertEqual(model.scoresTable, "m_scores")
        XCTAssertEqual(model.scoreColumn, "score")
        XCTAssertEqual(model.windowColumn, "ml_window")
        XCTAssertEqual(model.location, "ml.yml:2:5")
        XCTAssertEqual(file.promotionMargin, 0.01)
    }

    func testMistakesAreReportedWhereTheyAre() {
        func error(_ yaml: String) -> String {
            do {
                _ = try MLProjectFile.parse(yaml, path: "/p/ml.yml")
                return "no error"
            } catch { return "\(error)" }
        }
        let base = "models:\n  - name: m\n    training: t\n    target: y\n    key: [id]\n"
        XCTAssertEqual(error(base + "    features: {numeric: [x]}\n    kind: forest\n"),
                       "ml.yml:7:11: kind 'forest' is not one of classifier, regressor")
        XCTAssertEqual(error(base + "    features: {numeric: [x]}\n    l2: -1\n"),
                       "ml.yml:7:9: l2 is -1; it must lie between 0.0 and inf")
        XCTAssertEqual(error(base + "    features: {numeric: [x], categoricals: [g]}\n"),
                       "ml.yml:6:30: unknown key 'categoricals' in features — allowed: numeric, categorical, min_category_count")
        XCTAssertEqual(error(base + "    features: {numeric: [{name: x, missing: median}]}\n"),
                       "ml.yml:6:45: missing 'median' is not one of fail, mean, zero")
        XCTAssertEqual(error("models:\n  - name: m\n    training: t\n    features: {numeric: [x]}\n"), "ml.yml:2:5: a model needs `target`")
        XCTAssertEqual(error(base + "    features: {numeric: [x]}\n" + base.dropFirst(8) + "    features: {numeric: [x]}\n"),
                       "ml.yml:7:5: a second model named 'm'\n  hint: model names are unique")
        XCTAssertEqual(error(base + "    features: {numeric: [\"x; drop table t\"]}\n"),
                       "ml.yml:6:26: features.numeric 'x; drop table t' is not a plain name (letters, digits, _)")
        XCTAssertEqual(error(""), "ml.yml is empty\n  hint: declare `models:` (see the README's Machine learning section)")
        XCTAssertTrue(error("models: [").hasPrefix("ml.yml is not valid YAML"))
    }
}
