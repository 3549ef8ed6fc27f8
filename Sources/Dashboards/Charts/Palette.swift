import Foundation

/// The colours of every chart, chosen so that series stay distinguishable with the common
/// colour-vision deficiencies and text stays readable on white.
public enum Palette {
    /// Series colours in order: the Okabe–Ito set (designed for colour-blind readers), without
    /// its yellow, which is too light against white, and with a neutral grey as the seventh.
    public static let series = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#7F7F7F"]

    /// The colour of series number `index`. The second round of the palette (series 8–14) is a
    /// lighter tint of the first, and lines of that round are dashed (`dash`), so no two of 14
    /// series look alike; past that, colours repeat — a chart of more series than that needs its
    /// tail grouped into "Other" to be read at all.
    public static func series(_ index: Int) -> String {
        let base = series[((index % series.count) + series.count) % series.count]
        return index / series.count % 2 == 1 ? tint(base, 0.45) : base
    }

    /// The dash pattern for line number `index`, nil for a solid line.
    public static func dash(_ index: Int) -> String? { index / series.count % 2 == 1 ? "6 3" : nil }

    /// `color` mixed with white, `amount` 0 (unchanged) to 1 (white).
    static func tint(_ color: String, _ amount: Double) -> String {
        let digits = String(color.dropFirst())
        guard digits.count == 6, let packed = Int(digits, radix: 16) else { return color }
        let channels = [16, 8, 0].map { Double((packed >> $0) & 0xFF) }.map { $0 + (255 - $0) * amount }
        return hex(channels[0], channels[1], channels[2])
    }

    static let ink = "#1F2328"
    static let mutedInk = "#57606A"
    static let grid = "#E6E8EB"
    static let axis = "#8C959F"
    static let zeroLine = "#57606A"
    /// Okabe–Ito's green and vermillion, darkened until they pass 4.5:1 contrast as text on white;
    /// the ▲/▼ arrow carries the meaning for readers who cannot tell the two apart.
    static let better = "#00785A"
    static let worse = "#B34700"

    /// Light to dark blue: lightness falls steadily, so "darker means more" holds for every reader
    /// and in greyscale print.
    static let sequentialStops: [(Double, Double, Double)] = [
        (247, 251, 255), (222, 235, 247), (198, 219, 239), (158, 202, 225), (107, 174, 214),
        (66, 146, 198), (33, 113, 181), (8, 81, 156), (8, 48, 107),
    ]

    /// The sequential colour for `t` in 0…1 (clamped), interpolated between neighbouring stops.
    public static func sequential(_ t: Double) -> String {
        let clamped = t.isFinite ? min(1, max(0, t)) : 0
        let position = clamped * Double(sequentialStops.count - 1)
        let index = min(Int(position), sequentialStops.count - 2)
        let fraction = position - Double(index)
        let (a, b) = (sequentialStops[index], sequentialStops[index + 1])
        return hex(a.0 + (b.0 - a.0) * fraction, a.1 + (b.1 - a.1) * fraction, a.2 + (b.2 - a.2) * fraction)
    }

    /// Relative luminance (WCAG) of a `#RRGGBB` colour, 0 for black to 1 for white.
    public static func luminance(_ color: String) -> Double {
        let digits = color.hasPrefix("#") ? String(color.dropFirst()) : color
        guard digits.count == 6, let packed = Int(digits, radix: 16) else { return 0 }
        func channel(_ shift: Int) -> Double {
            let c = Double((packed >> shift) & 0xFF) / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
    }

    /// White or ink, whichever reads better on `background`.
    static func text(on background: String) -> String {
        let l = luminance(background)
        // Contrast against white is 1.05/(l+0.05), against ink about (l+0.05)/0.066.
        return 1.05 / (l + 0.05) >= (l + 0.05) / 0.066 ? "#FFFFFF" : ink
    }

    private static func hex(_ r: Double, _ g: Double, _ b: Double) -> String {
        let digits = [r, g, b].map { component -> String in
            let byte = Int(component.rounded())
            let text = String(byte, radix: 16, uppercase: true)
            return text.count == 1 ? "0" + text : text
        }
        return "#" + digits.joined()
    }
}
