/// Estimated text widths for layout. The server cannot measure the browser's font, so widths are
/// estimated per character class from typical sans-serif advance widths, erring wide: a label
/// given a little too much room looks fine, one given too little overlaps its neighbour.
enum TextMetrics {
    static func width(_ text: String, size: Double) -> Double {
        var em = 0.0
        for scalar in text.unicodeScalars {
            em += advance(scalar)
        }
        return em * size
    }

    /// `text` cut to fit `maxWidth`, ending in "…" when anything was cut.
    static func truncate(_ text: String, toWidth maxWidth: Double, size: Double) -> String {
        // The tolerance lets a box sized from a text's own width (plus and minus padding) hold it,
        // whatever the floating-point rounding of the sum.
        guard width(text, size: size) > maxWidth + 1e-6 else { return text }
        let budget = maxWidth - width("…", size: size)
        var used = 0.0
        var kept = ""
        for character in text {
            let w = width(String(character), size: size)
            if used + w > budget { break }
            used += w
            kept.append(character)
        }
        while kept.last == " " { kept.removeLast() }
        return kept + "…"
    }

    private static func advance(_ scalar: Unicode.Scalar) -> Double {
        switch scalar.value {
        case 0x20: return 0.3
        case 0x69, 0x6A, 0x6C, 0x2E, 0x2C, 0x3A, 0x3B, 0x27, 0x7C, 0x21, 0x49: return 0.3  // i j l . , : ; ' | ! I
        case 0x66, 0x72, 0x74, 0x28, 0x29, 0x5B, 0x5D, 0x2F, 0x2D: return 0.38  // f r t ( ) [ ] / -
        case 0x30...0x39: return 0.58
        case 0x6D, 0x77, 0x4D, 0x57, 0x40, 0x25: return 0.9  // m w M W @ %
        case 0x41...0x5A: return 0.7
        case 0x61...0x7A: return 0.56
        case 0x2026: return 1.0
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0x1F300...0x1FAFF:
            return 1.0  // CJK, Hangul, full-width forms, emoji
        default: return 0.62
        }
    }
}
