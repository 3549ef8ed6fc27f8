/// Cheap string builders for the hot path (no Foundation formatters, no `UUID()`).
enum TextFormatting {
    private static let lowerHex: [UInt8] = Array("0123456789abcdef".utf8)

    /// A random version-4 UUID in lowercase `8-4-4-4-12` form.
    static func uuid(_ rng: inout SeededRandom) -> String {
        var high = rng.next(), low = rng.next()
        high = (high & ~0xF000) | 0x4000  // version 4
        low = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000  // RFC 4122 variant
        return uuid(high: high, low: low)
    }

    /// The UUID whose 128 bits are `high` then `low`, in lowercase `8-4-4-4-12` form.
    static func uuid(high: UInt64, low: UInt64) -> String {
        String(unsafeUninitializedCapacity: 36) { buffer in
            var out = 0
            for nibble in 0..<32 {
                if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                    buffer[out] = UInt8(ascii: "-")
                    out += 1
                }
                let word = nibble < 16 ? high : low
                let shift = UInt64(60 - (nibble % 16) * 4)
                buffer[out] = lowerHex[Int((word >> shift) & 0xF)]
                out += 1
            }
            return out
        }
    }

    /// A random IPv4 address in dotted form.
    static func ipv4(_ rng: inout SeededRandom) -> String {
        let bits = rng.next()
        return String(unsafeUninitializedCapacity: 15) { buffer in
            var out = 0
            for octet in 0..<4 {
                if octet > 0 {
                    buffer[out] = UInt8(ascii: ".")
                    out += 1
                }
                var value = Int((bits >> UInt64(octet * 8)) & 0xFF)
                if octet == 0 { value = 1 + value % 223 }  // a public-looking first octet
                out += writeDecimal(value, into: buffer, at: out)
            }
            return out
        }
    }

    /// Writes a non-negative integer's digits; returns how many bytes it wrote.
    @inline(__always)
    static func writeDecimal(_ value: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        if value == 0 {
            buffer[start] = UInt8(ascii: "0")
            return 1
        }
        var digits = 0, v = value
        while v > 0 { digits += 1; v /= 10 }
        v = value
        for i in stride(from: digits - 1, through: 0, by: -1) {
            buffer[start + i] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
        }
        return digits
    }
}
