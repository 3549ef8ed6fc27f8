import Foundation

/// The response distributions the models use, each with its canonical link.
public enum GLMFamily: String, Codable, Sendable, CaseIterable {
    /// 0/1 outcomes, logit link: logistic regression.
    case binomial
    /// Non-negative counts or amounts, log link: Poisson regression (quasi-Poisson for amounts).
    case poisson

    /// The mean for a linear predictor.
    @inline(__always) func mean(_ eta: Double) -> Double {
        switch self {
        case .binomial: return 1 / (1 + exp(-eta))
        case .poisson: return exp(min(eta, 700))
        }
    }

    /// The negative log-likelihood of one row, up to a constant that does not depend on the fit.
    @inline(__always) func loss(eta: Double, mean: Double, target: Double) -> Double {
        switch self {
        case .binomial:
            let softplus = eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta))
            return softplus - target * eta
        case .poisson:
            return mean - target * eta
        }
    }

    /// The variance function: the weight of a row in Newton's step (IRLS).
    @inline(__always) func variance(_ mean: Double) -> Double {
        switch self {
        case .binomial: return mean * (1 - mean)
        case .poisson: return mean
        }
    }
}

/// Coefficients of a fitted GLM, on the encoded (standardised) features.
public struct GLMCoefficients: Codable, Sendable, Equatable {
    public let intercept: Double
    public let weights: [Double]
    /// Newton steps taken.
    public let iterations: Int
    /// The penalised objective at the answer (Σ sample weight × loss + l2/2 × ‖weights‖²).
    public let objective: Double
    /// The largest gradient component at the answer: how close to the optimum it is.
    public let gradientNorm: Double

    /// The linear predictor of one encoded row.
    @inline(__always) public func linearPredictor(_ row: UnsafeBufferPointer<Double>) -> Double {
        var eta = intercept
        for j in 0..<weights.count { eta += weights[j] * row[j] }
        return eta
    }

    /// The linear predictor of every row of `design`.
    public func linearPredictors(_ design: DesignMatrix) -> [Double] {
        precondition(design.columns == weights.count, "design has \(design.columns) columns, model \(weights.count)")
        return design.values.withUnsafeBufferPointer { values in
            (0..<design.rows).map { row in
                linearPredictor(UnsafeBufferPointer(rebasing: values[(row * design.columns)..<((row + 1) * design.columns)]))
            }
        }
    }
}

/// Fits a generalised linear model with an L2 penalty by Newton's method (IRLS): each step makes
/// one pass over the rows to accumulate the gradient and the Hessian, then solves the small
/// dense system by Cholesky. The intercept is not penalised.
///
/// The objective is Σᵢ sᵢ·ℓ(yᵢ, ηᵢ) + l2/2·‖β‖², sᵢ the sample weights. For scikit-learn's
/// `LogisticRegression(C=…)` that is `l2 = 1/C`; for `PoissonRegressor(alpha=…)` it is
/// `l2 = alpha × n` (scikit-learn divides the deviance by 2n).
public struct GLMSolver: Sendable {
    public var family: GLMFamily
    public var l2: Double
    public var maxIterations: Int
    /// Converged when no coefficient moves by more than this (relative to the largest one). The
    /// step that small is still taken, and Newton's steps shrink quadratically, so what is left
    /// is of the order of its square: 1e-8 leaves about 1e-16, one pass fewer than 1e-10 would.
    public var tolerance: Double
    /// Steps moving less than this (relative to the largest coefficient) are followed by chord steps.
    static let chordThreshold = 1e-3

    public init(family: GLMFamily, l2: Double, maxIterations: Int = 100, tolerance: Double = 1e-8) {
        self.family = family
        self.l2 = max(0, l2)
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }

    /// - Parameters:
    ///   - model: the model's name, for errors.
    ///   - sampleWeights: one per row (class weights), or nil for 1 each.
    public func fit(_ design: DesignMatrix, target: [Double], sampleWeights: [Double]? = nil, model: String) throws -> GLMCoefficients {
        precondition(target.count == design.rows, "target has \(target.count) values for \(design.rows) rows")
        let p = design.columns + 1  // the intercept is coefficient 0
        let weights = sampleWeights ?? [Double](repeating: 1, count: design.rows)
        var beta = [Double](repeating: 0, count: p)
        beta[0] = startingIntercept(target: target, weights: weights)

        let binarySuffix = design.binaryColumns ?? GLMPass.binarySuffix(of: design)
        var previous: (beta: [Double], objective: Double, step: [Double])?
        var stepScale = 1.0
        // Newton's last steps are tiny and the Hessian hardly changes over them: once a step
        // moves less than `chordThreshold`, the next ones reuse its factorisation (chord steps),
        // and their passes compute the gradient alone, a fraction of a full pass's work.
        var factorization: CholeskySystem?
        var chord = false
        var lastMovement = Double.infinity
        for iteration in 1...maxIterations {
            var pass = chord
                ? GLMPass.gradient(design, family: family, binarySuffix: binarySuffix, target: target, weights: weights, beta: beta)
                : GLMPass.accumulate(design, family: family, binarySuffix: binarySuffix, target: target, weights: weights, beta: beta)
            // The penalised objective, the one the steps minimise, is what tells an overshoot.
            for j in 1..<p { pass.objective += l2 / 2 * beta[j] * beta[j] }
            if let last = previous, pass.objective > last.objective + 1e-12 * max(1, abs(last.objective)), stepScale > 1e-8 {
                // The full step overshot (possible far from the optimum): halve it and try again,
                // with a fresh Hessian from then on.
                stepScale /= 2
                beta = zip(last.beta, last.step).map { $0 - stepScale * $1 }
                chord = false
                continue
            }
            for j in 1..<p { pass.gradient[j] += l2 * beta[j] }
            if !chord {
                for j in 1..<p { pass.hessian[j * p + j] += l2 }
                factorization = try CholeskySystem(size: p, upper: pass.hessian, model: model)
            }
            let step = factorization!.solve(pass.gradient)
            let gradientNorm = pass.gradient.map(abs).max() ?? 0
            let largest = max(1, beta.map(abs).max() ?? 0)
            let movement = (step.map(abs).max() ?? 0) / largest
            previous = (beta, pass.objective, step)
            stepScale = 1
            // A chord step must shrink the steps fast (it does when the Hessian is nearly
            // constant); if not, the next pass computes a fresh Hessian.
            chord = movement <= Self.chordThreshold && (!chord || movement <= lastMovement * 1e-2)
            lastMovement = movement
            beta = zip(beta, step).map { $0 - $1 }
            if movement <= tolerance || gradientNorm <= 1e-13 * max(1, abs(pass.objective)) {
                // Unpenalised logistic regression on separable classes "converges" by pushing
                // probabilities to 0 and 1 with unbounded coefficients: that is no answer.
                if family == .binomial, l2 == 0, pass.largestEta > 30 {
                    throw LearningError.didNotConverge(model: model, iterations: iteration, gradientNorm: gradientNorm)
                }
                return GLMCoefficients(
                    intercept: beta[0], weights: Array(beta[1...]), iterations: iteration,
                    objective: pass.objective, gradientNorm: gradientNorm)
            }
        }
        let last = GLMPass.accumulate(design, family: family, binarySuffix: binarySuffix, target: target, weights: weights, beta: beta)
        throw LearningError.didNotConverge(model: model, iterations: maxIterations, gradientNorm: last.gradient.map(abs).max() ?? 0)
    }

    /// The intercept-only optimum: a start one Newton step from where most fits end.
    private func startingIntercept(target: [Double], weights: [Double]) -> Double {
        var total = 0.0, weighted = 0.0
        for (y, w) in zip(target, weights) { total += w; weighted += w * y }
        let mean = min(max(weighted / max(total, .leastNonzeroMagnitude), 1e-6), family == .binomial ? 1 - 1e-6 : .infinity)
        switch family {
        case .binomial: return log(mean / (1 - mean))
        case .poisson: return log(mean)
        }
    }
}

/// A symmetric positive-definite system, factored once by Cholesky (LLᵀ).
struct CholeskySystem {
    let size: Int
    private var lower: [Double]

    /// - Parameter upper: the matrix's upper triangle, row-major (the lower half is ignored).
    init(size n: Int, upper: [Double], model: String) throws {
        size = n
        lower = [Double](repeating: 0, count: n * n)
        let largestDiagonal = (0..<n).map { upper[$0 * n + $0] }.max() ?? 0
        for j in 0..<n {
            var diagonal = upper[j * n + j]
            for k in 0..<j { diagonal -= lower[j * n + k] * lower[j * n + k] }
            guard diagonal > 1e-13 * max(largestDiagonal, 1e-300) else { throw LearningError.singularSystem(model: model) }
            let pivot = diagonal.squareRoot()
            lower[j * n + j] = pivot
            for i in (j + 1)..<max(n, j + 1) {
                var value = upper[j * n + i]  // (i, j) of the symmetric matrix = upper (j, i)
                for k in 0..<j { value -= lower[i * n + k] * lower[j * n + k] }
                lower[i * n + j] = value / pivot
            }
        }
    }

    /// x with A·x = b.
    func solve(_ b: [Double]) -> [Double] {
        let n = size
        var y = b
        for i in 0..<n {
            var value = y[i]
            for k in 0..<i { value -= lower[i * n + k] * y[k] }
            y[i] = value / lower[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var value = y[i]
            for k in (i + 1)..<max(n, i + 1) { value -= lower[k * n + i] * y[k] }
            y[i] = value / lower[i * n + i]
        }
        return y
    }
}
