// Exact conversion between Arrow decimals (two's complement little-endian
// integers of 128 or 256 bits, with a scale) and canonical decimal text.

public enum DecimalText {
    private static let chunk: UInt64 = 10_000_000_000_000_000_000   // 10^19

    /// Formats a two's complement integer (least significant 64-bit word first)
    /// as text with exactly `scale` fraction digits, e.g. -1250 at scale 2 → "-12.50".
    public static func format(littleEndianWords input: [UInt64], scale: Int) -> String {
        var words = input
        let negative = (words.last ?? 0) >> 63 == 1
        if negative {
            var carry: UInt64 = 1
            for k in 0..<words.count {
                let (s, o) = (~words[k]).addingReportingOverflow(carry)
                words[k] = s
                carry = o ? 1 : 0
            }
        }
        var chunks: [UInt64] = []
        while words.contains(where: { $0 != 0 }) {
            var rem: UInt64 = 0
            for k in stride(from: words.count - 1, through: 0, by: -1) {
                let (q, r) = chunk.dividingFullWidth((rem, words[k]))
                words[k] = q
                rem = r
            }
            chunks.append(rem)
        }
        var digits = chunks.last.map { String($0) } ?? "0"
        for c in chunks.dropLast().reversed() {
            let s = String(c)
            digits += String(repeating: "0", count: 19 - s.count) + s
        }
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale + 1 - digits.count) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        } else if scale < 0 && digits != "0" {
            digits += String(repeating: "0", count: -scale)
        }
        return negative ? "-" + digits : digits
    }

    /// Parses decimal text ("-12.5", "0.001", "42") into the unscaled 128-bit
    /// two's complement value at `scale`. Throws if the text is malformed, has
    /// non-zero digits beyond `scale`, or needs more than `precision` digits.
    public static func parse128(_ text: String, precision: Int, scale: Int) throws -> (high: Int64, low: UInt64) {
        func bad(_ why: String) -> ArrowError { ArrowError("decimal '\(text)' for decimal(\(precision),\(scale)): \(why)") }
        guard scale >= 0 else { throw bad("negative scales are not supported for writing") }
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        let dot = bytes.firstIndex(of: UInt8(ascii: "."))
        let intPart = dot.map { bytes[..<$0] } ?? bytes
        var fracPart = dot.map { bytes[($0 + 1)...] } ?? []
        guard !(intPart.isEmpty && fracPart.isEmpty) else { throw bad("no digits") }
        guard (intPart + fracPart).allSatisfy({ $0 >= 48 && $0 <= 57 }) else { throw bad("not a plain decimal number") }
        while fracPart.count > scale {
            guard fracPart.last == UInt8(ascii: "0") else { throw bad("more than \(scale) fraction digits") }
            fracPart = fracPart.dropLast()
        }
        let all = Array(intPart) + Array(fracPart) + Array(repeating: UInt8(ascii: "0"), count: scale - fracPart.count)
        let significant = all.drop(while: { $0 == UInt8(ascii: "0") })
        guard significant.count <= precision, significant.count <= 38 else {
            throw bad("needs \(significant.count) digits, more than the precision allows")
        }
        var hi: UInt64 = 0, lo: UInt64 = 0
        for c in significant {
            let (h1, l1) = lo.multipliedFullWidth(by: 10)
            let (l2, carry) = l1.addingReportingOverflow(UInt64(c - 48))
            hi = hi &* 10 &+ h1 &+ (carry ? 1 : 0)      // cannot overflow: at most 38 digits
            lo = l2
        }
        if negative {
            lo = ~lo &+ 1
            hi = ~hi &+ (lo == 0 ? 1 : 0)
        }
        return (Int64(bitPattern: hi), lo)
    }
}
