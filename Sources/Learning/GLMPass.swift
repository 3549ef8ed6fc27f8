import Dispatch
import Synchronization

/// One pass of Newton's method over the rows: the objective, gradient and Hessian of a GLM at
/// given coefficients, unpenalised.
///
/// Encoded rows have two parts: numbers (standardised, dense) and, after them, 0/1 columns
/// (one-hot levels and missing-value indicators; a row has a handful of ones among them). The
/// Hessian's dense block is a rank-one update per row over contiguous memory, which the
/// compiler vectorises; the 0/1 columns touch only the entries of the row's ones. Every entry
/// gets the same terms, in the same order, as a plain loop over the non-zero pairs would add.
struct GLMPass {
    var objective: Double
    var largestEta: Double
    var gradient: [Double]
    /// Upper triangle, row-major p×p (p = columns + 1, the intercept first).
    var hessian: [Double]

    /// How many trailing columns of `design` hold only 0s and 1s.
    static func binarySuffix(of design: DesignMatrix) -> Int {
        let columns = design.columns
        var suffix = 0
        design.values.withUnsafeBufferPointer { x in
            for column in stride(from: columns - 1, through: 0, by: -1) {
                var binary = true
                for row in 0..<design.rows {
                    let value = x[row * columns + column]
                    if value != 0 && value != 1 { binary = false; break }
                }
                guard binary else { return }
                suffix += 1
            }
        }
        return suffix
    }

    /// The pass over every row. The rows are cut into blocks summed on all cores; the blocks
    /// depend on the row count only, so every machine adds the same numbers in the same order
    /// (the same fit to the bit).
    static func accumulate(
        _ design: DesignMatrix, family: GLMFamily, binarySuffix: Int, target: [Double], weights: [Double], beta: [Double]
    ) -> GLMPass {
        summed(rows: design.rows) { rows in
            accumulate(design, rows: rows, family: family, binarySuffix: binarySuffix, target: target, weights: weights, beta: beta)
        }
    }

    /// The objective and gradient alone (`hessian` empty): a pass for a chord step, which reuses
    /// an earlier Hessian. The same blocks and order as `accumulate`, so the same sums.
    static func gradient(
        _ design: DesignMatrix, family: GLMFamily, binarySuffix: Int, target: [Double], weights: [Double], beta: [Double]
    ) -> GLMPass {
        summed(rows: design.rows) { rows in
            gradient(design, rows: rows, family: family, binarySuffix: binarySuffix, target: target, weights: weights, beta: beta)
        }
    }

    /// `pass` over blocks of rows on all cores, added up block by block in order.
    private static func summed(rows count: Int, _ pass: @Sendable (Range<Int>) -> GLMPass) -> GLMPass {
        let blocks = min(8, max(1, count / 8_192))
        guard blocks > 1 else { return pass(0..<count) }
        let size = (count + blocks - 1) / blocks
        let passes = Mutex([GLMPass?](repeating: nil, count: blocks))
        DispatchQueue.concurrentPerform(iterations: blocks) { block in
            let result = pass((block * size)..<min(count, (block + 1) * size))
            passes.withLock { $0[block] = result }
        }
        let done = passes.withLock { $0.map { $0! } }
        var total = done[0]
        for pass in done.dropFirst() {
            total.objective += pass.objective
            total.largestEta = max(total.largestEta, pass.largestEta)
            for j in total.gradient.indices { total.gradient[j] += pass.gradient[j] }
            for j in total.hessian.indices { total.hessian[j] += pass.hessian[j] }
        }
        return total
    }

    private static func gradient(
        _ design: DesignMatrix, rows: Range<Int>, family: GLMFamily, binarySuffix: Int,
        target: [Double], weights: [Double], beta: [Double]
    ) -> GLMPass {
        let columns = design.columns, p = columns + 1
        let dense = columns - binarySuffix
        var objective = 0.0, largestEta = 0.0
        var gradient = [Double](repeating: 0, count: p)
        design.values.withUnsafeBufferPointer { xs in
            beta.withUnsafeBufferPointer { b in
                gradient.withUnsafeMutableBufferPointer { g in
                    let x = xs.baseAddress!
                    for row in rows {
                        let base = row * columns
                        var eta = b[0]
                        for j in 0..<dense { eta += b[j + 1] * x[base + j] }
                        for c in 0..<binarySuffix where x[base + dense + c] != 0 { eta += b[dense + c + 1] }
                        largestEta = max(largestEta, abs(eta))
                        let mu = family.mean(eta)
                        let s = weights[row]
                        objective += s * family.loss(eta: eta, mean: mu, target: target[row])
                        let residual = s * (mu - target[row])
                        g[0] += residual
                        for j in 0..<dense { g[j + 1] += residual * x[base + j] }
                        for c in 0..<binarySuffix where x[base + dense + c] != 0 { g[dense + c + 1] += residual }
                    }
                }
            }
        }
        return GLMPass(objective: objective, largestEta: largestEta, gradient: gradient, hessian: [])
    }

    private static func accumulate(
        _ design: DesignMatrix, rows: Range<Int>, family: GLMFamily, binarySuffix: Int,
        target: [Double], weights: [Double], beta: [Double]
    ) -> GLMPass {
        let columns = design.columns, p = columns + 1
        let dense = columns - binarySuffix
        var objective = 0.0, largestEta = 0.0
        var gradient = [Double](repeating: 0, count: p)
        var hessian = [Double](repeating: 0, count: p * p)
        // Dense × 0/1 entries, kept per 0/1 column so each row's update is contiguous; folded
        // into the Hessian at the end (those entries get nothing else).
        var cross = [Double](repeating: 0, count: binarySuffix * dense)
        var ones = [Int](repeating: 0, count: binarySuffix)
        design.values.withUnsafeBufferPointer { xs in
            beta.withUnsafeBufferPointer { b in
                gradient.withUnsafeMutableBufferPointer { g in
                    hessian.withUnsafeMutableBufferPointer { h in
                        cross.withUnsafeMutableBufferPointer { cross in
                            ones.withUnsafeMutableBufferPointer { ones in
                                let x = xs.baseAddress!
                                for row in rows {
                                    let base = row * columns
                                    var eta = b[0]
                                    for j in 0..<dense { eta += b[j + 1] * x[base + j] }
                                    var count = 0
                                    for c in 0..<binarySuffix where x[base + dense + c] != 0 {
                                        ones[count] = c
                                        count += 1
                                        eta += b[dense + c + 1]
                                    }
                                    largestEta = max(largestEta, abs(eta))
                                    let mu = family.mean(eta)
                                    let s = weights[row]
                                    objective += s * family.loss(eta: eta, mean: mu, target: target[row])
                                    let residual = s * (mu - target[row])
                                    let w = s * family.variance(mu)
                                    g[0] += residual
                                    h[0] += w
                                    // Dense block: row j of the upper triangle gets w·xⱼ·x[j...].
                                    for j in 0..<dense {
                                        let xj = x[base + j]
                                        if xj == 0 { continue }
                                        g[j + 1] += residual * xj
                                        let wxj = w * xj
                                        h[j + 1] += wxj
                                        // Pointers, not checked index sums: the loop vectorises.
                                        let target = h.baseAddress! + (j + 1) * p + 1, source = x + base
                                        for k in j..<dense { target[k] += wxj * source[k] }
                                    }
                                    // The row's ones: intercept, dense and 0/1 partners.
                                    for a in 0..<count {
                                        let c = ones[a], column = dense + c + 1
                                        g[column] += residual
                                        h[column] += w
                                        let target = cross.baseAddress! + c * dense, source = x + base
                                        for j in 0..<dense { target[j] += w * source[j] }
                                        let start = column * p + dense + 1
                                        for other in a..<count { h[start + ones[other]] += w }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for c in 0..<binarySuffix {
            for j in 0..<dense { hessian[(j + 1) * p + dense + c + 1] += cross[c * dense + j] }
        }
        return GLMPass(objective: objective, largestEta: largestEta, gradient: gradient, hessian: hessian)
    }
}
