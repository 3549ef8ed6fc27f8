import WarehouseKit

/// How a measure's numbers read: the unit they carry and how much precision a reader needs.
///
/// Each format has three renderings: `full` for tables and tooltips (`$1,234.50`), `compact` for
/// labels inside a chart (`$1.2k`), and `tickLabels` for an axis, where every label of one axis
/// shares the precision its step needs (`1k, 1.25k, 1.5k` — never `1.3k` next to `1.3k`).
/// Output never depends on the process locale, so a chart renders the same bytes everywhere.
public enum ValueFormat: Sendable, Hashable {
    /// A plain quantity: `1,234.57` in full, `1.2k` compact.
    case number
    /// A count: rounded to whole numbers; axis ticks never fall between integers.
    case integer
    /// Money in the given ISO 4217 currency: `$1,234.50`, `-$1.2k`.
    case currency(code: String = "USD")
    /// A fraction shown as a percentage: `0.125` reads `12.5%`.
    case percent
    /// A duration measured in days: `3.5 days`, `3.5d`.
    case durationDays
    /// A duration measured in hours: `12 hours`, `12h`.
    case durationHours

    /// The value as a table cell or a tooltip shows it, with thousands separators.
    ///
    /// ```swift
    /// ValueFormat.currency().full(-1234.5)   // "-$1,234.50"
    /// ValueFormat.percent.full(0.12345)      // "12.35%"
    /// ```
    public func full(_ value: Double) -> String {
        guard value.isFinite else { return Self.nonFinite(value) }
        switch self {
        case .number:
            return Self.signed(value, Self.decimal(abs(value), decimals: 2, trim: true, grouped: true))
        case .integer:
            return Self.signed(value, Self.decimal(abs(value), decimals: 0, trim: false, grouped: true))
        case .currency(let code):
            let (symbol, minor) = Self.currencySymbol(code)
            return Self.signed(value, symbol + Self.decimal(abs(value), decimals: minor, trim: false, grouped: true))
        case .percent:
            return Self.signed(value, Self.decimal(abs(value) * 100, decimals: 2, trim: true, grouped: true) + "%")
        case .durationDays:
            let text = Self.decimal(abs(value), decimals: 1, trim: true, grouped: true)
            return Self.signed(value, text + (text == "1" ? " day" : " days"))
        case .durationHours:
            let text = Self.decimal(abs(value), decimals: 1, trim: true, grouped: true)
            return Self.signed(value, text + (text == "1" ? " hour" : " hours"))
        }
    }

    /// The value as a short label inside a chart: `1.2k`, `3.4M`, `$12.3k`, `12.5%`, `3.5d`.
    public func compact(_ value: Double) -> String {
        guard value.isFinite else { return Self.nonFinite(value) }
        switch self {
        case .number:
            return Self.signed(value, Self.compactMagnitude(abs(value), smallDecimals: nil))
        case .integer:
            return Self.signed(value, Self.compactMagnitude(abs(value).rounded(), smallDecimals: 0))
        case .currency(let code):
            let (symbol, minor) = Self.currencySymbol(code)
            let magnitude = abs(value)
            // Cents matter on small amounts ($9.99), not on hundreds; never show one decimal of money.
            let small = magnitude >= 100 || magnitude == magnitude.rounded() ? 0 : minor
            return Self.signed(value, symbol + Self.compactMagnitude(magnitude, smallDecimals: small))
        case .percent:
            let points = abs(value) * 100
            let decimals = points < 1 ? 2 : 1
            return Self.signed(value, Self.decimal(points, decimals: decimals, trim: true, grouped: true) + "%")
        case .durationDays:
            return Self.signed(value, Self.compactMagnitude(abs(value), smallDecimals: 1) + "d")
        case .durationHours:
            return Self.signed(value, Self.compactMagnitude(abs(value), smallDecimals: 1) + "h")
        }
    }

    /// Labels for evenly spaced axis ticks, all with the precision the step between them needs.
    ///
    /// The unit (k, M, …) is the largest tick's, so one axis never mixes `500k` with `1M`; below
    /// 10,000 with steps under 1,000 numbers are written out (`1,250` reads better than `1.25k`).
    /// Zero is written without a unit.
    ///
    /// ```swift
    /// ValueFormat.number.tickLabels([0, 2500, 5000, 7500])     // ["0", "2.5k", "5k", "7.5k"]
    /// ValueFormat.number.tickLabels([0, 250, 500, 750, 1000])  // ["0", "250", "500", "750", "1,000"]
    /// ValueFormat.currency().tickLabels([0, 5e5, 1e6, 1.5e6])  // ["$0", "$0.5M", "$1M", "$1.5M"]
    /// ```
    public func tickLabels(_ ticks: [Double]) -> [String] {
        guard !ticks.isEmpty else { return [] }
        let step = ticks.count > 1 ? abs(ticks[1] - ticks[0]) : 0
        let largest = ticks.map { abs($0) }.max() ?? 0
        switch self {
        case .percent:
            let decimals = Self.decimalsNeeded(step * 100)
            return ticks.map { Self.signed($0, Self.decimal(abs($0) * 100, decimals: decimals, trim: true, grouped: true) + "%") }
        default:
            let (divisor, suffix) = largest < 10_000 && step < 1000 ? (1, "") : Self.unit(for: largest)
            var decimals = Self.decimalsNeeded(step / divisor)
            var prefix = ""
            var unitSuffix = ""
            switch self {
            case .currency(let code):
                let (symbol, minor) = Self.currencySymbol(code)
                prefix = symbol
                // $0.5 reads as a typo; money below the unit shows whole minor units.
                if divisor == 1, decimals > 0 { decimals = max(decimals, minor) }
            case .durationDays: unitSuffix = "d"
            case .durationHours: unitSuffix = "h"
            default: break
            }
            let trim = prefix.isEmpty || divisor > 1 || decimals == 0
            return ticks.map { tick in
                if tick == 0 { return prefix + "0" + unitSuffix }
                let digits = Self.decimal(abs(tick) / divisor, decimals: decimals, trim: trim, grouped: true)
                return Self.signed(tick, prefix + digits + suffix + unitSuffix)
            }
        }
    }

    /// True for formats whose values are whole units, so scales never place ticks between them.
    var isWholeUnits: Bool { self == .integer }

    // MARK: - Building blocks

    private static let units: [(Double, String)] = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")]

    private static func unit(for magnitude: Double) -> (Double, String) {
        for (size, suffix) in units where magnitude >= size { return (size, suffix) }
        return (1, "")
    }

    /// A non-negative magnitude with a k/M/B/T suffix and one decimal; below 1000 with
    /// `smallDecimals` decimals (nil: two below 10, one below 100, none above).
    private static func compactMagnitude(_ magnitude: Double, smallDecimals: Int?) -> String {
        if magnitude < 1000 {
            let decimals = smallDecimals ?? (magnitude < 10 ? 2 : magnitude < 100 ? 1 : 0)
            let text = decimal(magnitude, decimals: decimals, trim: true, grouped: false)
            // 999.7 rounds to "1000": that is 1k.
            if text != "1000" { return text }
        }
        var index = units.count - 1
        while index > 0, magnitude >= units[index - 1].0 { index -= 1 }
        var (size, suffix) = units[index]
        var scaled = (magnitude / size * 10).rounded() / 10
        // 999,950 rounds to 1000.0k: move up to the next unit instead.
        if scaled >= 1000, index > 0 {
            (size, suffix) = units[index - 1]
            scaled = (magnitude / size * 10).rounded() / 10
        }
        return decimal(scaled, decimals: 1, trim: true, grouped: true) + suffix
    }

    /// The fewest decimals (up to 4) that write `step` exactly, so neighbouring ticks differ.
    private static func decimalsNeeded(_ step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        for decimals in 0...4 {
            let scaled = step * pow10(decimals)
            if abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled) { return decimals }
        }
        return 4
    }

    /// A non-negative number written with a fixed number of decimals, without using the locale.
    static func decimal(_ magnitude: Double, decimals: Int, trim: Bool, grouped: Bool) -> String {
        let factor = pow10(decimals)
        let scaledValue = (magnitude * factor).rounded()
        // Past 2^53 integers stop being exact; such figures are not read digit by digit anyway.
        guard scaledValue < 9e15 else { return WarehouseValue.format(double: magnitude) }
        let scaled = Int64(scaledValue)
        let divisor = Int64(factor)
        var whole = String(scaled / divisor)
        if grouped, whole.count > 3 {
            var groups: [Substring] = []
            var end = whole.endIndex
            while end > whole.startIndex {
                let start = whole.index(end, offsetBy: -3, limitedBy: whole.startIndex) ?? whole.startIndex
                groups.insert(whole[start..<end], at: 0)
                end = start
            }
            whole = groups.joined(separator: ",")
        }
        guard decimals > 0 else { return whole }
        var fraction = String(scaled % divisor).leftPaddedWithZeros(to: decimals)
        if trim { while fraction.hasSuffix("0") { fraction.removeLast() } }
        return fraction.isEmpty ? whole : whole + "." + fraction
    }

    /// Puts a minus in front of a formatted magnitude, unless it rounded to zero ("-0" is noise).
    private static func signed(_ value: Double, _ text: String) -> String {
        guard value < 0, text.contains(where: { ("1"..."9").contains($0) }) else { return text }
        return "-" + text
    }

    private static func nonFinite(_ value: Double) -> String { value.isNaN ? "NaN" : value > 0 ? "∞" : "-∞" }

    private static func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { acc, _ in acc * 10 } }

    /// The symbol written before an amount and the currency's minor-unit digits.
    private static func currencySymbol(_ code: String) -> (String, Int) {
        switch code.uppercased() {
        case "USD": return ("$", 2)
        case "EUR": return ("€", 2)
        case "GBP": return ("£", 2)
        case "JPY": return ("¥", 0)
        case "INR": return ("₹", 2)
        case "KRW": return ("₩", 0)
        default: return (code.uppercased() + " ", 2)
        }
    }
}

extension String {
    func leftPaddedWithZeros(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
