/// The text of each `{% macro name(…) %} … {% endmacro %}` (and `{% test … %} … {% endtest %}`)
/// block of a file, by name, as dbt records it in the manifest's `macro_sql`. Blocks do not nest,
/// so a block ends at the first end tag after it opens.
enum MacroBlocks {
    /// The built-in macros' blocks, scanned once per process rather than on every project load.
    static let builtins = blocks(in: BuiltinMacros.all)
    static let expectations = blocks(in: ExpectationMacros.source)

    static func blocks(in text: String) -> [String: String] {
        var found: [String: String] = [:]
        var rest = text[...]
        while let open = rest.range(of: "{%") {
            guard let close = rest.range(of: "%}", range: open.upperBound..<rest.endIndex) else { break }
            let tag = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines.union(["-"]))
            let keyword = tag.prefix { $0.isLetter }
            guard keyword == "macro" || keyword == "test" else { rest = rest[close.upperBound...]; continue }
            let name = tag.dropFirst(keyword.count).drop { $0 == " " || $0 == "\t" }.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            var cursor = close.upperBound
            var end: String.Index?
            while let next = rest.range(of: "{%", range: cursor..<rest.endIndex),
                  let nextClose = rest.range(of: "%}", range: next.upperBound..<rest.endIndex) {
                let inner = rest[next.upperBound..<nextClose.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines.union(["-"]))
                cursor = nextClose.upperBound
                if inner == "end" + keyword { end = nextClose.upperBound; break }
            }
            guard let end else { break }
            // A `{% test unique(…) %}` block is the macro `test_unique`.
            if !name.isEmpty { found[(keyword == "test" ? "test_" : "") + name] = String(rest[open.lowerBound..<end]) }
            rest = rest[end...]
        }
        return found
    }
}
