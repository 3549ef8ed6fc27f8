/// Escaping for text placed in SVG and HTML.
///
/// Every string that did not come from this module's own code — product names, column names,
/// titles, anything read from a warehouse — passes through `Markup.escape` before it lands in
/// markup. There is deliberately one function for both element text and attribute values (it
/// escapes quotes too), so no call site has to choose and none can choose wrong.
public enum Markup {
    /// `text` made safe for element content and for single- or double-quoted attribute values.
    ///
    /// `&`, `<`, `>`, `"` and `'` become entities. Characters XML 1.0 forbids (C0 controls other
    /// than tab, newline and carriage return, lone surrogates cannot occur in a Swift `String`,
    /// U+FFFE and U+FFFF) become U+FFFD, because a single one makes a standalone SVG file
    /// unreadable to XML parsers, and warehouse text can contain anything.
    ///
    /// ```swift
    /// Markup.escape(#"<script>"A&B"</script>"#)
    /// // "&lt;script&gt;&quot;A&amp;B&quot;&lt;/script&gt;"
    /// ```
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
