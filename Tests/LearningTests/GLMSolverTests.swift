import Foundation
import XCTest

@testable import Learning

/// Newton's method against answers known in closed form: with one binary feature and no penalty,
/// a GLM's fitted means are the groups' observed means, so the coefficients are logs of them.
final class GLMSolverTests: XCTestCase {
    /// x = 0: 10 of 30 positive; x = 1: 30 of 40 positive.
    private func binaryGroups() -> (DesignMatrix, [Double]) {
        var x: [Double] = [], y: [Double] = []
        for (value, positives, rows) in [(0.0, 10, 30), (1.0, 30, 40)] {
            for row in 0..<rows { x.append(value); y.append(row < positives ? 1 : 0) }
        }
        return (DesignMatrix(rows: x.count, columns: 1, values: x), y)
    }

    func testLogisticCoefficientsAreLogOddsAndLogOddsRatio() throws {
        let (design, target) = binaryGroups()
        let fit = try GLMSolver(family: .binomial, l2: 0).fit(design, target: target, model: "t")
        XCTAssertEqual(fit.intercept, log(10.0 / 20.0), accuracy: 1e-9)
        XCTAssertEqual(fit.weights[0], log(30.0 / 10.0) - log(10.0 / 20.0), accuracy: 1e-9)
        XCTAssertLessThan(fit.iterations, 15)
        XCTAssertLessThan(fit.gradientNorm, 1e-6)
    }

    func testSampleWeightsActAsRepeatedRows() throws {
        let (design, target) = binaryGroups()
        // Weighing positives 0.875 and negatives 7/6 (scikit-learn's 'balanced' for 40/30)
        // is the same as that many copies of each row: the fitted odds are the weighted odds.
        let weights = target.map { $0 == 1 ? 0.875 : 7.0 / 6.0 }
        let fit = try GLMSolver(family: .binomial, l2: 0).fit(design, target: target, sampleWeights: weights, model: "t")
        let odds0 = 10 * 0.875 / (20 * 7.0 / 6.0), odds1 = 30 * 0.875 / (10 * 7.0 / 6.0)
        XCTAssertEqual(fit.intercept, log(odds0), accuracy: 1e-9)
        XCTAssertEqual(fit.weights[0], log(odds1 / odds0), accuracy: 1e-9)
    }

    func testPoissonCoefficientsAreLogMeans() throws {
        // x = 0: mean 2 (amounts, not only counts); x = 1: mean 5.
        let x: [Double] = [0, 0, 0, 0, 1, 1, 1]
        let y: [Double] = [0, 1.5, 2.5, 4, 5, 0, 10]
        let fit = try GLMSolver(family: .poisson, l2: 0).fit(DesignMatrix(rows: 7, columns: 1, values: x), target: y, model: "t")
        XCTAssertEqual(fit.intercept, log(2.0), accuracy: 1e-9)
        XCTAssertEqual(fit.weights[0], log(5.0 / 2.0), accuracy: 1e-9)
    }

    func testL2PenaltyMatchesTheOneDimensionalOptimum() throws {
        // x = ±1, n rows each; a of the +1 rows and n − a of the −1 rows positive. By symmetry the
        // intercept is 0 and β solves n(2σ(β) − 1) − (2a − n) + λβ = 0, found here by bisection.
        let n = 50, a = 40
        let lambda = 3.0
        var x: [Double] = [], y: [Double] = []
        for row in 0..<n { x.append(1); y.append(row < a ? 1 : 0) }
        for row in 0..<n { x.append(-1); y.append(row < n - a ? 1 : 0) }
        func gradient(_ beta: Double) -> Double {
            Double(n) * (2 / (1 + exp(-beta)) - 1) - Double(2 * a - n) + lambda * beta
        }
        var low = 0.0, high = 10.0
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if gradient(middle) > 0 { high = middle } else { low = middle }
        }
        let fit = try GLMSolver(family: .binomial, l2: lambda).fit(DesignMatrix(rows: 2 * n, columns: 1, values: x), target: y, model: "t")
        XCTAssertEqual(fit.intercept, 0, accuracy: 1e-9)
        XCTAssertEqual(fit.weights[0], (low + high) / 2, accuracy: 1e-9)
        // Unpenalised, the same data gives the larger log-odds ratio log(4)/… — the penalty shrinks it.
        let free = try GLMSolver(family: .binomial, l2: 0).fit(DesignMatrix(rows: 2 * n, columns: 1, values: x), target: y, model: "t")
        XCTAssertEqual(free.weights[0], log(4.0), accuracy: 1e-9)
        XCTAssertLessThan(fit.weights[0], free.weights[0])
    }

    func testSeparatedClassesUnderALightPenaltyReachTheOptimum() throws {
        // Far from the start, where the data's loss is nearly zero and the penalty is what is left:
        // the steps are judged by the penalised objective (what they minimise). Judging them
        // without the penalty let cross_sell at scale 1.0 (2026-12-07's data) swing for 100 steps;
        // no small data set here reproduced that swing, so this checks the optimum is reached.
        let n = 100
        let x = (0..<2 * n).map { $0 < n ? 1.0 : -1.0 }
        let y = (0..<2 * n).map { $0 < n ? 1.0 : 0.0 }
        let lambda = 0.01
        let fit = try GLMSolver(family: .binomial, l2: lambda).fit(DesignMatrix(rows: 2 * n, columns: 1, values: x), target: y, model: "t")
        // At the optimum (intercept 0 by symmetry) the penalised gradient vanishes: 2n·(σ(β) − 1) + λβ = 0.
        XCTAssertEqual(fit.intercept, 0, accuracy: 1e-8)
        let beta = fit.weights[0]
        XCTAssertEqual(Double(2 * n) * (1 / (1 + exp(-beta)) - 1) + lambda * beta, 0, accuracy: 1e-8)
        XCTAssertGreaterThan(beta, 5)
    }

    func testPenalisedFitSatisfiesTheOptimalityConditions() throws {
        try checkOptimality(rows: 400)
    }

    func testAFitSummedInBlocksOnEveryCoreSatisfiesTheSameConditions() throws {
        // 50,000 rows are summed as 6 blocks in parallel (below 16,384 rows, one block).
        try checkOptimality(rows: 50_000)
    }

    func testAChordStepsPassAddsTheSameGradientAndObjectiveAsAFullPass() {
        // Dense columns and a 0/1 suffix, 20,000 rows (summed in blocks on every core).
        var random = SplitMix(seed: 11)
        let rows = 20_000, dense = 3, binary = 4
        var values: [Double] = [], target: [Double] = [], weights: [Double] = []
        for _ in 0..<rows {
            let hot = Int(random.uniform() * Double(binary))
            values += (0..<dense).map { _ in random.normal() } + (0..<binary).map { $0 == hot ? 1 : 0 }
            target.append(random.uniform() < 0.3 ? 1 : 0)
            weights.append(random.uniform() < 0.5 ? 1 : 2.5)
        }
        let design = DesignMatrix(rows: rows, columns: dense + binary, values: values, binaryColumns: binary)
        let beta = [0.2, 0.5, -0.3, 0.1, 0.4, -0.2, 0.0, 0.3]
        for family in GLMFamily.allCases {
            let full = GLMPass.accumulate(design, family: family, binarySuffix: binary, target: target, weights: weights, beta: beta)
            let light = GLMPass.gradient(design, family: family, binarySuffix: binary, target: target, weights: weights, beta: beta)
            XCTAssertEqual(light.gradient, full.gradient, "\(family)")
            XCTAssertEqual(light.objective, full.objective, "\(family)")
            XCTAssertEqual(light.largestEta, full.largestEta, "\(family)")
            XCTAssertTrue(light.hessian.isEmpty)
        }
    }

    private func checkOptimality(rows: Int) throws {
        // Five correlated features and a noisy label: at the answer the penalised gradient is zero.
        var random = SplitMix(seed: 7)
        let columns = 5
        var values: [Double] = [], target: [Double] = []
        for _ in 0..<rows {
            let shared = random.normal()
            let row = (0..<columns).map { j in shared * 0.6 + random.normal() + Double(j) * 0.1 }
            values += row
            let eta = 0.3 + 1.2 * row[0] - 0.8 * row[2] + 0.2 * row[4]
            target.append(random.uniform() < 1 / (1 + exp(-eta)) ? 1 : 0)
        }
        let design = DesignMatrix(rows: rows, columns: columns, values: values)
        let lambda = 2.5
        let fit = try GLMSolver(family: .binomial, l2: lambda).fit(design, target: target, model: "t")
        let etas = fit.linearPredictors(design)
        var gradient = [Double](repeating: 0, count: columns + 1)
        for row in 0..<rows {
            let residual = 1 / (1 + exp(-etas[row])) - target[row]
            gradient[0] += residual
            for j in 0..<columns { gradient[j + 1] += residual * design[row, j] }
        }
        for j in 0..<columns { gradient[j + 1] += lambda * fit.weights[j] }
        for component in gradient { XCTAssertEqual(component, 0, accuracy: 1e-8 * max(1, Double(rows) / 400)) }
        XCTAssertEqual(fit.weights[0], 1.2, accuracy: 0.5, "the planted effect is recovered roughly")
    }

    func testPerfectlySeparatedClassesWithoutPenaltyAreAnError() {
        let design = DesignMatrix(rows: 6, columns: 1, values: [-3, -2, -1, 1, 2, 3])
        XCTAssertThrowsError(try GLMSolver(family: .binomial, l2: 0).fit(design, target: [0, 0, 0, 1, 1, 1], model: "separable")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("separable"), text)
            XCTAssertTrue(text.contains("l2"), text)
        }
        // With a penalty the same data has a finite answer.
        XCTAssertNoThrow(try GLMSolver(family: .binomial, l2: 1).fit(design, target: [0, 0, 0, 1, 1, 1], model: "separable"))
    }

    func testDuplicatedFeaturesWithoutPenaltyAreSingular() {
        let design = DesignMatrix(rows: 4, columns: 2, values: [1, 1, 2, 2, 3, 3, 4, 4])
        XCTAssertThrowsError(try GLMSolver(family: .poisson, l2: 0).fit(design, target: [1, 0, 3, 2], model: "copies")) { error in
            XCTAssertEqual(error as? LearningError, .singularSystem(model: "copies"))
        }
    }
}

/// SplitMix64 with Box–Muller normals: repeatable data for tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func normal() -> Double {
        let u = max(uniform(), 1e-300), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}
