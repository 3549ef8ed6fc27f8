/// A small, fast, seeded random number generator (SplitMix64).
///
/// Every entity draws from its own stream, derived from the seed and the entity's identity
/// (`SeededRandom(seed:stream:_:_:)`), so the data does not depend on which thread or chunk
/// generated it.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A stream for one entity: the same (seed, stream, a, b) always gives the same sequence.
    public init(seed: UInt64, stream: StreamTag, _ a: UInt64, _ b: UInt64 = 0) {
        state = SeededRandom.mix(SeededRandom.mix(SeededRandom.mix(seed ^ stream.rawValue) ^ a) &+ b)
    }

    /// Which part of the data a stream feeds; separate tags keep streams independent.
    public enum StreamTag: UInt64, Sendable {
        case catalog = 0x1A2B_3C4D_5E6F_7081
        case userCore = 0x2B3C_4D5E_6F70_8192
        case userProfile = 0x3C4D_5E6F_7081_92A3
        case experiment = 0x4D5E_6F70_8192_A3B4
        case activity = 0x5E6F_7081_92A3_B4C5
        case ghost = 0x6F70_8192_A3B4_C5D6
        case clickstream = 0x7081_92A3_B4C5_D6E7
        /// A customer's whole order lifetime (growing profile): one stream across runs, so an
        /// append continues the same lifetime the first load cut off at its as-of date.
        case lifetime = 0x8192_A3B4_C5D6_E7F8
    }

    /// The SplitMix64 finaliser: a bijective 64-bit mix used to derive stream states.
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SeededRandom.mix(state)
    }

    /// Uniform in [0, 1).
    @inline(__always)
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [0, n); n > 0.
    @inline(__always)
    public mutating func int(below n: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// Uniform in the closed range.
    @inline(__always)
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(below: range.upperBound - range.lowerBound + 1)
    }

    /// Uniform in [0, n) for 64-bit spans such as microseconds; n > 0.
    @inline(__always)
    public mutating func int64(below n: Int64) -> Int64 {
        Int64(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    @inline(__always)
    public mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    @inline(__always)
    public mutating func double(in low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

    /// A Poisson draw (Knuth's method; fine for the small means used here).
    public mutating func poisson(mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        if mean > 30 { return max(0, Int((mean + mean.squareRoot() * normal()).rounded())) }
        let limit = _exp(-mean)
        var product = unit()
        var count = 0
        while product > limit {
            count += 1
            product *= unit()
        }
        return count
    }

    /// An exponential draw with the given mean.
    @inline(__always)
    public mutating func exponential(mean: Double) -> Double { -mean * _log1p(-unit()) }

    /// A standard normal draw (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = max(unit(), 1e-300)
        let u2 = unit()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }
}

/// A fixed list of choices with weights, drawn by walking the cumulative weights.
public struct WeightedChoice<Element: Sendable>: Sendable {
    public let elements: [Element]
    public let weights: [Double]
    private let cumulative: [Double]

    public init(_ pairs: [(Element, Double)]) {
        precondition(!pairs.isEmpty, "a weighted choice needs at least one element")
        elements = pairs.map(\.0)
        weights = pairs.map(\.1)
        let total = weights.reduce(0, +)
        var running = 0.0
        cumulative = weights.map { running += $0 / total; return running }
    }

    /// The index of the drawn element.
    @inline(__always)
    public func pickIndex(_ rng: inout SeededRandom) -> Int {
        let u = rng.unit()
        for i in 0..<cumulative.count where u < cumulative[i] { return i }
        return cumulative.count - 1
    }

    @inline(__always)
    public func pick(_ rng: inout SeededRandom) -> Element { elements[pickIndex(&rng)] }

    /// The weight of each element divided by the total.
    public var probabilities: [Double] {
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }
}

import Foundation

@inline(__always) func _exp(_ x: Double) -> Double { Foundation.exp(x) }
@inline(__always) func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) func _log1p(_ x: Double) -> Double { Foundation.log1p(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Foundation.cos(x) }
