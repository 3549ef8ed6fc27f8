import Foundation
import XCTest

@testable import Learning

/// Metrics on vectors small enough to work out by hand, ties included.
final class ClassificationMetricsTests: XCTestCase {
    // Positives score 0.35, 0.8 and 0.4; negatives 0.1 and 0.4 (a tie across the classes).
    let scores = [0.1, 0.4, 0.35, 0.8, 0.4]
    let labels = [false, false, true, true, true]

    func testAUCCountsTiesAsHalf() {
        // Pairs (positive, negative): 0.35 beats 0.1, loses to 0.4; 0.8 beats both; 0.4 beats 0.1
        // and ties 0.4 → (1 + 0 + 1 + 1 + 1 + 0.5) / 6.
        XCTAssertEqual(ClassificationMetrics.rocAUC(scores: scores, labels: labels), 4.5 / 6, accuracy: 1e-15)
        XCTAssertEqual(ClassificationMetrics.rocAUC(scores: [0.2, 0.2, 0.2], labels: [true, false, true]), 0.5, accuracy: 1e-15)
        XCTAssertEqual(ClassificationMetrics.rocAUC(scores: [0.9, 0.1], labels: [true, false]), 1)
        XCTAssertTrue(ClassificationMetrics.rocAUC(scores: [0.9, 0.1], labels: [true, true]).isNaN, "one class: no AUC")
    }

    func testAveragePrecisionStepsOverDistinctThresholds() {
        // Thresholds 0.8 (R 1/3, P 1), 0.4 (R 2/3, P 2/3), 0.35 (R 1, P 3/4), 0.1 (R 1, P 3/5):
        // 1/3·1 + 1/3·2/3 + 1/3·3/4 + 0 = 29/36.
        XCTAssertEqual(ClassificationMetrics.averagePrecision(scores: scores, labels: labels), 29.0 / 36, accuracy: 1e-15)
    }

    func testLogLossClipsCertainMistakes() {
        let expected = -(log(0.9) + log(0.6) + log(0.35) + log(0.8) + log(0.4)) / 5
        XCTAssertEqual(ClassificationMetrics.logLoss(scores: scores, labels: labels), expected, accuracy: 1e-15)
        XCTAssertEqual(ClassificationMetrics.logLoss(scores: [0], labels: [true]), -log(1e-15), accuracy: 1e-9)
    }

    func testPrecisionRecallAndF1AtAThresholdAndAtTheBestOne() {
        let half = ClassificationMetrics.atThreshold(0.5, scores: scores, labels: labels)
        XCTAssertEqual(half.predictedPositive, 1)
        XCTAssertEqual(half.precision, 1)
        XCTAssertEqual(half.recall, 1.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(half.f1, 0.5, accuracy: 1e-15)
        // F1 by threshold: 0.8 → 1/2, 0.4 → 2/3, 0.35 → 6/7, 0.1 → 3/4.
        let best = ClassificationMetrics.bestF1(scores: scores, labels: labels)
        XCTAssertEqual(best.threshold, 0.35)
        XCTAssertEqual(best.f1, 6.0 / 7, accuracy: 1e-15)
        XCTAssertEqual(best.precision, 0.75)
        XCTAssertEqual(best.recall, 1)
        // At a threshold equal to a tied score both tied rows count as predicted positive.
        XCTAssertEqual(ClassificationMetrics.atThreshold(0.4, scores: scores, labels: labels).predictedPositive, 3)
        let nothing = ClassificationMetrics.atThreshold(0.99, scores: scores, labels: labels)
        XCTAssertEqual(nothing.precision, 0, "no predicted positives: precision 0, not NaN")
        XCTAssertEqual(nothing.f1, 0)
    }

    func testTopKAndCalibrationBins() {
        // Top 2: 0.8 (positive), then the first 0.4 in row order (negative).
        XCTAssertEqual(ClassificationMetrics.topKPrecision(2, scores: scores, labels: labels), 0.5)
        XCTAssertEqual(ClassificationMetrics.topKPrecision(1, scores: scores, labels: labels), 1)
        let bins = ClassificationMetrics.calibration(scores: scores, labels: labels, bins: 2)
        XCTAssertEqual(bins.map(\.rows), [3, 2])
        // Lowest three: 0.1 (n), 0.35 (p), 0.4 (n, row 1 before row 4); then 0.4 (p), 0.8 (p).
        XCTAssertEqual(bins[0].meanScore, (0.1 + 0.35 + 0.4) / 3, accuracy: 1e-15)
        XCTAssertEqual(bins[0].observedRate, 1.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(bins[1].meanScore, 0.6, accuracy: 1e-15)
        XCTAssertEqual(bins[1].observedRate, 1)
    }

    func testSummaryAndROCCurve() {
        let metrics = ClassificationMetrics(scores: scores, labels: labels)
        XCTAssertEqual(metrics.rows, 5)
        XCTAssertEqual(metrics.positives, 3)
        XCTAssertEqual(metrics.rocAUC, 0.75, accuracy: 1e-15)
        XCTAssertEqual(metrics.topDecilePrecision, 1, "a tenth of 5 rows is the single best row")
        XCTAssertEqual(metrics.topDecileLift, 5.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(metrics.rocCurve.map(\.x), [0, 0, 0.5, 0.5, 1])
        XCTAssertEqual(metrics.rocCurve.map(\.y), [0, 1.0 / 3, 2.0 / 3, 1, 1])
        // The trapezoids under the curve are the AUC.
        var area = 0.0
        for (a, b) in zip(metrics.rocCurve, metrics.rocCurve.dropFirst()) { area += (b.x - a.x) * (a.y + b.y) / 2 }
        XCTAssertEqual(area, metrics.rocAUC, accuracy: 1e-15)
        let long = ClassificationMetrics.rocCurve(scores: (0..<1000).map { Double($0) }, labels: (0..<1000).map { $0 % 3 == 0 }, maxPoints: 101)
        XCTAssertEqual(long.count, 101)
        XCTAssertEqual(long.first, .init(x: 0, y: 0))
        XCTAssertEqual(long.last, .init(x: 1, y: 1))
    }

    func testRegressionMetricsAgainstTheMeanBaseline() {
        let metrics = RegressionMetrics(predictions: [1, 2, 4], targets: [0, 2, 6], baseline: 2)
        XCTAssertEqual(metrics.meanAbsoluteError, 1)
        XCTAssertEqual(metrics.rootMeanSquaredError, (5.0 / 3).squareRoot(), accuracy: 1e-15)
        // 2·[(0 − 0 + 1) + (2·log 1 − 2 + 2) + (6·log(6/4) − 6 + 4)] / 3
        XCTAssertEqual(metrics.meanPoissonDeviance, 2 * (1 + 0 + (6 * log(1.5) - 2)) / 3, accuracy: 1e-15)
        XCTAssertEqual(metrics.baselineMeanAbsoluteError, 2)
        XCTAssertEqual(metrics.observedTotal, 8)
        XCTAssertEqual(metrics.predictedTotal, 7)
    }
}
