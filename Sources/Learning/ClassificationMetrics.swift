import Foundation

/// How well scores separate 0/1 outcomes. Every figure is computed from (score, label) pairs
/// alone, so a model's metrics can be recomputed from its scores.
public struct ClassificationMetrics: Codable, Sendable, Equatable {
    public struct AtThreshold: Codable, Sendable, Equatable {
        public let threshold: Double
        public let precision: Double
        public let recall: Double
        public let f1: Double
        public let predictedPositive: Int
    }

    public struct CalibrationBin: Codable, Sendable, Equatable {
        public let rows: Int
        public let meanScore: Double
        public let observedRate: Double
    }

    public struct CurvePoint: Codable, Sendable, Equatable {
        public let x: Double
        public let y: Double
    }

    public let rows: Int
    public let positives: Int
    public let rocAUC: Double
    /// Average precision: Σ (Rₖ − Rₖ₋₁)·Pₖ over the distinct thresholds (scikit-learn's definition).
    public let prAUC: Double
    public let logLoss: Double
    public let atChosenThreshold: AtThreshold
    public let atBestF1: AtThreshold
    /// Ten bins of (about) equal size by score, lowest first.
    public let calibration: [CalibrationBin]
    /// Share of positives among the highest-scored tenth of rows.
    public let topDecilePrecision: Double
    /// topDecilePrecision over the base rate.
    public let topDecileLift: Double
    /// False-positive rate → true-positive rate, thinned to at most 101 points.
    public let rocCurve: [CurvePoint]

    /// - Precondition: `scores` and `labels` have the same, non-zero length; scores lie in [0, 1].
    public init(scores: [Double], labels: [Bool], threshold: Double = 0.5) {
        precondition(scores.count == labels.count && !scores.isEmpty, "metrics need as many labels as scores")
        rows = scores.count
        positives = labels.filter { $0 }.count
        rocAUC = Self.rocAUC(scores: scores, labels: labels)
        prAUC = Self.averagePrecision(scores: scores, labels: labels)
        logLoss = Self.logLoss(scores: scores, labels: labels)
        atChosenThreshold = Self.atThreshold(threshold, scores: scores, labels: labels)
        atBestF1 = Self.bestF1(scores: scores, labels: labels)
        calibration = Self.calibration(scores: scores, labels: labels, bins: 10)
        let tenth = max(1, rows / 10)
        topDecilePrecision = Self.topKPrecision(tenth, scores: scores, labels: labels)
        let baseRate = Double(positives) / Double(rows)
        topDecileLift = baseRate > 0 ? topDecilePrecision / baseRate : 0
        rocCurve = Self.rocCurve(scores: scores, labels: labels, maxPoints: 101)
    }

    /// The probability that a random positive scores above a random negative, ties counting half
    /// (Mann–Whitney U with mid-ranks). NaN when one class is absent.
    public static func rocAUC(scores: [Double], labels: [Bool]) -> Double {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var positiveRankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && scores[order[end + 1]] == scores[order[start]] { end += 1 }
            let midRank = Double(start + end + 2) / 2  // ranks are 1-based
            for position in start...end where labels[order[position]] { positiveRankSum += midRank }
            start = end + 1
        }
        let positives = Double(labels.filter { $0 }.count)
        let negatives = Double(labels.count) - positives
        guard positives > 0, negatives > 0 else { return .nan }
        return (positiveRankSum - positives * (positives + 1) / 2) / (positives * negatives)
    }

    /// Rows grouped by distinct score, highest first: (score, positives, rows) per group.
    static func descendingGroups(scores: [Double], labels: [Bool]) -> [(score: Double, positives: Int, rows: Int)] {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var groups: [(score: Double, positives: Int, rows: Int)] = []
        for index in order {
            if let last = groups.last, last.score == scores[index] {
                groups[groups.count - 1].rows += 1
                if labels[index] { groups[groups.count - 1].positives += 1 }
            } else {
                groups.append((scores[index], labels[index] ? 1 : 0, 1))
            }
        }
        return groups
    }

    public static func averagePrecision(scores: [Double], labels: [Bool]) -> Double {
        let positives = labels.filter { $0 }.count
        guard positives > 0 else { return .nan }
        var truePositives = 0, predicted = 0
        var previousRecall = 0.0, total = 0.0
        for group in descendingGroups(scores: scores, labels: labels) {
            truePositives += group.positives
            predicted += group.rows
            let recall = Double(truePositives) / Double(positives)
            total += (recall - previousRecall) * Double(truePositives) / Double(predicted)
            previousRecall = recall
        }
        return total
    }

    /// Mean negative log-likelihood, scores clipped to [1e-15, 1 − 1e-15] as scikit-learn does.
    public static func logLoss(scores: [Double], labels: [Bool]) -> Double {
        var total = 0.0
        for (score, label) in zip(scores, labels) {
            let p = min(max(score, 1e-15), 1 - 1e-15)
            total -= label ? log(p) : log(1 - p)
        }
        return total / Double(scores.count)
    }

    /// Rows scoring at or above `threshold` are predicted positive.
    public static func atThreshold(_ threshold: Double, scores: [Double], labels: [Bool]) -> AtThreshold {
        var truePositives = 0, predicted = 0
        for (score, label) in zip(scores, labels) where score >= threshold {
            predicted += 1
            if label { truePositives += 1 }
        }
        return summary(threshold: threshold, truePositives: truePositives, predicted: predicted, positives: labels.filter { $0 }.count)
    }

    /// The threshold (one of the scores) with the highest F1; the higher threshold wins a tie.
    public static func bestF1(scores: [Double], labels: [Bool]) -> AtThreshold {
        let positives = labels.filter { $0 }.count
        var best = summary(threshold: 1, truePositives: 0, predicted: 0, positives: positives)
        var truePositives = 0, predicted = 0
        for group in descendingGroups(scores: scores, labels: labels) {
            truePositives += group.positives
            predicted += group.rows
            let candidate = summary(threshold: group.score, truePositives: truePositives, predicted: predicted, positives: positives)
            if candidate.f1 > best.f1 { best = candidate }
        }
        return best
    }

    private static func summary(threshold: Double, truePositives: Int, predicted: Int, positives: Int) -> AtThreshold {
        let precision = predicted > 0 ? Double(truePositives) / Double(predicted) : 0
        let recall = positives > 0 ? Double(truePositives) / Double(positives) : 0
        let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        return AtThreshold(threshold: threshold, precision: precision, recall: recall, f1: f1, predictedPositive: predicted)
    }

    /// Share of positives among the `k` highest scores (ties broken by row order).
    public static func topKPrecision(_ k: Int, scores: [Double], labels: [Bool]) -> Double {
        let top = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(k)
        guard !top.isEmpty else { return 0 }
        return Double(top.filter { labels[$0] }.count) / Double(top.count)
    }

    /// Rows sorted by score and cut into `bins` groups whose sizes differ by at most one
    /// (the first `rows % bins` groups hold one more), as numpy's array_split does.
    public static func calibration(scores: [Double], labels: [Bool], bins: Int) -> [CalibrationBin] {
        let order = scores.indices.sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        let count = min(bins, order.count)
        var result: [CalibrationBin] = []
        var start = 0
        for bin in 0..<count {
            let size = order.count / count + (bin < order.count % count ? 1 : 0)
            let members = order[start..<(start + size)]
            result.append(CalibrationBin(
                rows: size,
                meanScore: members.reduce(0) { $0 + scores[$1] } / Double(size),
                observedRate: Double(members.filter { labels[$0] }.count) / Double(size)))
            start += size
        }
        return result
    }

    public static func rocCurve(scores: [Double], labels: [Bool], maxPoints: Int) -> [CurvePoint] {
        let positives = Double(labels.filter { $0 }.count)
        let negatives = Double(labels.count) - positives
        guard positives > 0, negatives > 0 else { return [] }
        var points = [CurvePoint(x: 0, y: 0)]
        var truePositives = 0.0, falsePositives = 0.0
        for group in descendingGroups(scores: scores, labels: labels) {
            truePositives += Double(group.positives)
            falsePositives += Double(group.rows - group.positives)
            points.append(CurvePoint(x: falsePositives / negatives, y: truePositives / positives))
        }
        guard points.count > maxPoints else { return points }
        // Keep the ends and evenly spaced points between: enough to draw, small enough to store.
        let stride = Double(points.count - 1) / Double(maxPoints - 1)
        return (0..<maxPoints).map { points[Int((Double($0) * stride).rounded())] }
    }
}
