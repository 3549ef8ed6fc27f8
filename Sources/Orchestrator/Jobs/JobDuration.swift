import Foundation

/// Durations as job files write them: `30s`, `10m`, `1h30m`, `2d`.
///
/// Units go from largest to smallest, each at most once. A bare number is refused rather than
/// guessed at: `timeout: 45` could mean seconds or minutes, and guessing wrong stops a build.
public enum JobDuration {
    private static let units: [(Character, TimeInterval)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]

    /// Seconds in a duration such as `1h30m`.
    ///
    /// - Throws: `OrchestratorError` saying what is wrong and how to write it.
    public static func parse(_ text: String) throws(OrchestratorError) -> TimeInterval {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let n = Double(trimmed) {
            let shown = n == n.rounded() ? String(Int(n)) : trimmed
            throw OrchestratorError("duration \(trimmed) has no unit", hint: "write \(shown)s, \(shown)m or \(shown)h")
        }
        var total: TimeInterval = 0
        var digits = ""
        var lastUnit = -1
        for c in trimmed {
            if c.isASCII && c.isNumber {
                digits.append(c)
                continue
            }
            guard let unit = units.firstIndex(where: { $0.0 == c }), let n = Int(digits) else {
                throw OrchestratorError("duration '\(text)' is not a duration",
                                        hint: "write a number and a unit, as in 30s, 10m, 1h30m or 2d")
            }
            guard unit > lastUnit else {
                throw OrchestratorError("duration '\(text)' repeats or reorders its units",
                                        hint: "write units from largest to smallest, each once, as in 1h30m")
            }
            total += TimeInterval(n) * units[unit].1
            lastUnit = unit
            digits = ""
        }
        guard digits.isEmpty, lastUnit >= 0 else {
            throw OrchestratorError("duration '\(text)' is not a duration",
                                    hint: "write a number and a unit, as in 30s, 10m, 1h30m or 2d")
        }
        return total
    }

    /// The shortest text for a whole number of seconds, as `parse` reads it: 5400 → `1h30m`.
    public static func format(_ seconds: TimeInterval) -> String {
        var rest = Int(seconds.rounded())
        guard rest > 0 else { return "0s" }
        var text = ""
        for (unit, size) in units where rest >= Int(size) {
            text += "\(rest / Int(size))\(unit)"
            rest %= Int(size)
        }
        return text
    }
}
