import Foundation
import XCTest

@testable import Learning

final class ModelTrainerTests: XCTestCase {
    /// Rows whose outcome follows x closely, half for training and half for validation.
    private func rows(_ count: Int, seed: UInt64) -> FeatureTable {
        var random = SplitMix(seed: seed)
        var x: [Double?] = [], group: [String?] = [], label: [Double?] = [], amount: [Double?] = []
        for _ in 0..<count {
            let value = random.normal()
            let letter = ["a", "b", "c"][Int(random.uniform() * 3)]
            x.append(value)
            group.append(letter)
            let eta = -0.5 + 1.5 * value + (letter == "c" ? 1 : 0)
            label.append(random.uniform() < 1 / (1 + exp(-eta)) ? 1 : 0)
            amount.append(exp(0.2 + 0.5 * value) * random.uniform() * 2)
        }
        return FeatureTable(name: "analytics.rows", columns: [("x", .numbers(x)), ("group", .labels(group)), ("label", .numbers(label)), ("amount", .numbers(amount))])
    }

    private let classifier = ModelDefinition(
        name: "toy", kind: .classifier, target: "label", features: FeatureSpec(numeric: [.init("x")], categorical: ["group"]), l2: 1)

    func testTrainsScoresAndEvaluatesOnLaterRows() throws {
        let model = try ModelTrainer.train(classifier, training: rows(2000, seed: 1), validation: rows(1000, seed: 2), version: 3, now: Date(timeIntervalSince1970: 0))
        XCTAssertEqual(model.version, 3)
        XCTAssertEqual(model.trainingRows, 2000)
        XCTAssertEqual(model.validationRows, 1000)
        guard case let .classification(metrics) = model.evaluation else { return XCTFail("a classifier gives classification metrics") }
        XCTAssertGreaterThan(metrics.rocAUC, 0.75)
        XCTAssertEqual(model.rankedCoefficients.first?.feature, "x", "x carries the most signal")
        // Scores are the same whether computed through the model or the coefficients by hand.
        let validation = rows(5, seed: 9)
        let scores = try model.score(validation)
        let design = try model.encoder.encode(validation)
        for row in 0..<5 {
            var eta = model.coefficients.intercept
            for j in 0..<design.columns { eta += model.coefficients.weights[j] * design[row, j] }
            XCTAssertEqual(scores[row], 1 / (1 + exp(-eta)), accuracy: 1e-15)
        }
        // The artefact survives a JSON round trip unchanged.
        let decoded = try JSONDecoder().decode(TrainedModel.self, from: JSONEncoder().encode(model))
        XCTAssertEqual(decoded, model)
        XCTAssertEqual(try decoded.score(validation), scores)
    }

    func testBalancedClassWeightsRaiseTheMinorityScores() throws {
        var balanced = classifier
        balanced.classWeight = .balanced
        let training = rows(2000, seed: 1), validation = rows(500, seed: 2)
        let plain = try ModelTrainer.train(classifier, training: training, validation: validation, version: 1, now: Date())
        let weighted = try ModelTrainer.train(balanced, training: training, validation: validation, version: 1, now: Date())
        let positives = try training.numbers("label").filter { $0 == 1 }.count
        XCTAssertLessThan(positives, 1000, "the toy data has fewer positives than negatives")
        let meanPlain = try plain.score(validation).reduce(0, +) / 500, meanWeighted = try weighted.score(validation).reduce(0, +) / 500
        XCTAssertGreaterThan(meanWeighted, meanPlain)
    }

    func testRegressorBeatsTheMeanBaseline() throws {
        let definition = ModelDefinition(name: "amount", kind: .regressor, target: "amount", features: FeatureSpec(numeric: [.init("x")]), l2: 1)
        let model = try ModelTrainer.train(definition, training: rows(3000, seed: 4), validation: rows(1000, seed: 5), version: 1, now: Date())
        guard case let .regression(metrics) = model.evaluation else { return XCTFail("a regressor gives regression metrics") }
        XCTAssertLessThan(metrics.meanPoissonDeviance, metrics.baselineMeanPoissonDeviance)
        XCTAssertEqual(model.coefficients.weights[0], 0.5, accuracy: 0.1, "the planted log-linear effect, on a standardised x")
    }

    func testBadTargetsAreClearErrors() {
        let oneClass = FeatureTable(name: "analytics.t", columns: [("x", .numbers([1, 2, 3])), ("group", .labels(["a", "b", "c"])), ("label", .numbers([0, 0, 0]))])
        XCTAssertThrowsError(try ModelTrainer.train(classifier, training: oneClass, validation: oneClass, version: 1, now: Date())) { error in
            XCTAssertEqual("\(error)", "analytics.t.label is false on all 3 rows: there is nothing to learn; check the label's definition and the cutoff")
        }
        let nullLabel = FeatureTable(name: "analytics.t", columns: [("x", .numbers([1, 2])), ("group", .labels(["a", "b"])), ("label", .numbers([1, nil]))])
        XCTAssertThrowsError(try ModelTrainer.train(classifier, training: nullLabel, validation: nullLabel, version: 1, now: Date())) { error in
            XCTAssertEqual(error as? LearningError, .invalidTarget(table: "analytics.t", column: "label", row: 2, detail: "is NULL; every row needs a label"))
        }
        let notBinary = FeatureTable(name: "analytics.t", columns: [("x", .numbers([1, 2])), ("group", .labels(["a", "b"])), ("label", .numbers([1, 2]))])
        XCTAssertThrowsError(try ModelTrainer.train(classifier, training: notBinary, validation: notBinary, version: 1, now: Date()))
        let missingFeature = FeatureTable(name: "analytics.t", columns: [("x", .numbers([1, 2])), ("label", .numbers([1, 0]))])
        XCTAssertThrowsError(try ModelTrainer.train(classifier, training: missingFeature, validation: missingFeature, version: 1, now: Date())) { error in
            XCTAssertEqual(error as? LearningError, .missingColumn(table: "analytics.t", column: "group", available: ["x", "label"]))
        }
    }

    func testAModelFromAnotherFeatureSetIsRefused() throws {
        let model = try ModelTrainer.train(classifier, training: rows(500, seed: 1), validation: rows(200, seed: 2), version: 2, now: Date())
        XCTAssertNoThrow(try model.checkMatches(classifier))
        var changed = classifier
        changed.features.numeric.append(.init("y"))
        changed.features.categorical = []
        XCTAssertThrowsError(try model.checkMatches(changed)) { error in
            XCTAssertEqual(
                "\(error)",
                "model toy v2 does not fit this table: it was trained on other features than the project declares (features added: y; features removed: group); retrain it with storehouse ml train toy")
        }
    }

    func testPromotionKeepsTheAcceptedModelWhenTheNewOneIsWorse() throws {
        let good = try ModelTrainer.train(classifier, training: rows(2000, seed: 1), validation: rows(1000, seed: 2), version: 1, now: Date())
        var noise = classifier
        noise.features = FeatureSpec(numeric: [], categorical: ["group"])  // drops the strong feature
        var worse = try ModelTrainer.train(noise, training: rows(2000, seed: 1), validation: rows(1000, seed: 2), version: 2, now: Date())
        worse.version = 2
        XCTAssertTrue(PromotionDecision.decide(candidate: good, accepted: nil, margin: 0.01).promoted)
        let decision = PromotionDecision.decide(candidate: worse, accepted: good, margin: 0.01)
        XCTAssertFalse(decision.promoted)
        XCTAssertTrue(decision.reason.contains("v1 stays"), decision.reason)
        XCTAssertTrue(PromotionDecision.decide(candidate: good, accepted: worse, margin: 0.01).promoted)
        XCTAssertTrue(PromotionDecision.decide(candidate: worse, accepted: good, margin: 0.5).promoted, "within a wide margin")
    }
}
