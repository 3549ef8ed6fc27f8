import Foundation

/// A numeric axis whose domain is stretched to "nice" round ticks: multiples of 1, 2 or 5 × 10^k.
///
/// Round ticks are what lets a reader estimate a bar's value from the gridlines; a domain of
/// 0…1,180 becomes 0…1,200 with a tick every 200, never 0, 236, 472, ….
///
/// ```swift
/// let scale = LinearScale(covering: [3, 87], includeZero: true)
/// scale.ticks   // [0, 20, 40, 60, 80, 100]
/// ```
public struct LinearScale: Sendable, Hashable {
    /// The lowest and highest tick; every covered value lies between them.
    public let lower: Double
    public let upper: Double
    /// Tick values from `lower` to `upper`, evenly spaced by a nice step.
    public let ticks: [Double]

    /// A scale covering `values` (non-finite ones ignored) in at most `targetTickCount` steps.
    ///
    /// - Parameters:
    ///   - includeZero: stretch the domain to reach zero; bars must, since their length is their
    ///     value, and a line of revenue reads dishonestly without it.
    ///   - wholeUnits: never step by less than 1 (counts have no half orders).
    public init(covering values: [Double], includeZero: Bool, targetTickCount: Int = 6, wholeUnits: Bool = false) {
        // Beyond ±1e300 the span between values can overflow to infinity; such values are not drawn
        // to scale (no store measures them), but they must not crash the page that shows them.
        let finite = values.filter { $0.isFinite && abs($0) <= 1e300 }
        var low = finite.min() ?? 0
        var high = finite.max() ?? 0
        if includeZero {
            low = min(low, 0)
            high = max(high, 0)
        }
        if low == high {
            // One distinct value: give it room, keeping zero as an edge when it is one.
            if low == 0 { high = 1 } else if low > 0 { low = includeZero ? 0 : low - abs(low) * 0.5; high += abs(high) * 0.5 } else {
                high = includeZero ? 0 : high + abs(high) * 0.5; low -= abs(low) * 0.5
            }
        }
        // The smallest nice step that needs at most `targetTickCount` intervals once the ends are
        // rounded outward: the tightest round domain, so bars use the height they are given.
        let target = max(1, targetTickCount)
        var step = NiceStep(span: high - low, count: target * 2)
        if wholeUnits, step.value < 1 { step = NiceStep(mantissa: 1, exponent: 0) }
        while Self.intervals(low, high, step) > target { step = step.next }
        let first = Int((low / step.value + 1e-9).rounded(.down))
        let last = Int((high / step.value - 1e-9).rounded(.up))
        ticks = (first...max(first + 1, last)).map(step.multiple)
        lower = ticks.first!
        upper = ticks.last!
    }

    /// Nice ticks inside a fixed domain (a histogram's outer bin edges): the domain stays exact and
    /// only ticks that fall within it are kept.
    init(exactly low: Double, _ high: Double, targetTickCount: Int, wholeUnits: Bool = false) {
        let nice = LinearScale(covering: [low, high], includeZero: false, targetTickCount: targetTickCount, wholeUnits: wholeUnits)
        let tolerance = (high - low) * 1e-9
        ticks = nice.ticks.filter { $0 >= low - tolerance && $0 <= high + tolerance }
        lower = low
        upper = high
    }

    private static func intervals(_ low: Double, _ high: Double, _ step: NiceStep) -> Int {
        Int((high / step.value - 1e-9).rounded(.up)) - Int((low / step.value + 1e-9).rounded(.down))
    }

    /// Where `value` falls between `start` (at `lower`) and `end` (at `upper`).
    public func position(_ value: Double, from start: Double, to end: Double) -> Double {
        guard upper > lower else { return start }
        return start + (value - lower) / (upper - lower) * (end - start)
    }
}

/// A step of the form mantissa × 10^exponent with mantissa 1, 2 or 5.
struct NiceStep: Hashable {
    let mantissa: Int
    let exponent: Int

    init(mantissa: Int, exponent: Int) {
        self.mantissa = mantissa
        self.exponent = exponent
    }

    /// The smallest nice step that splits `span` into at most `count` parts.
    init(span: Double, count: Int) {
        let raw = span > 0 && span.isFinite ? span / Double(count) : 1
        var exponent = Int(log10(raw).rounded(.down))
        let fraction = raw / NiceStep.power(exponent)
        let mantissa: Int
        switch fraction {
        case ...1.000_000_001: mantissa = 1
        case ...2.000_000_001: mantissa = 2
        case ...5.000_000_001: mantissa = 5
        default: mantissa = 1; exponent += 1
        }
        self.init(mantissa: mantissa, exponent: exponent)
    }

    var value: Double { multiple(1) }

    /// The next larger nice step: 1 → 2 → 5 → 10.
    var next: NiceStep {
        switch mantissa {
        case 1: return NiceStep(mantissa: 2, exponent: exponent)
        case 2: return NiceStep(mantissa: 5, exponent: exponent)
        default: return NiceStep(mantissa: 1, exponent: exponent + 1)
        }
    }

    /// `index` steps from zero, computed as an integer over a power of ten so that 3 × 0.1 is
    /// the double nearest 0.3, not 0.30000000000000004.
    func multiple(_ index: Int) -> Double {
        let whole = Double(index * mantissa)
        return exponent >= 0 ? whole * NiceStep.power(exponent) : whole / NiceStep.power(-exponent)
    }

    static func power(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(exponent) { result *= 10 }
        return exponent >= 0 ? result : 1 / result
    }
}

/// Evenly spaced bands along an axis, one per category, with a gap between neighbours.
struct BandScale {
    let count: Int
    let start: Double
    let end: Double
    /// The share of each slot left empty between bands.
    let padding: Double

    var slot: Double { count > 0 ? (end - start) / Double(count) : 0 }
    var bandwidth: Double { slot * (1 - padding) }

    /// The leading edge of band `index`.
    func position(_ index: Int) -> Double { start + slot * Double(index) + slot * padding / 2 }
    func center(_ index: Int) -> Double { position(index) + bandwidth / 2 }
}
