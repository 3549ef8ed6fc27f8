import Foundation

/// A file-name pattern matched against paths relative to a landing folder, `/`-separated.
///
/// `*` matches any characters within one path segment, `?` one character, `[abc]`, `[a-z]` and
/// `[!abc]` one character of (or not of) a set, and a whole segment `**` any number of segments,
/// none included: `*.csv` takes CSV files at the top of the folder only, `orders/*.json` those
/// in `orders/`, and `**/*.csv` CSV files at any depth.
public struct GlobPattern: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String

    public var description: String { pattern }

    /// - Throws: `OrchestratorError` for an empty or absolute pattern, a `..` segment, a `**`
    ///   that is not a whole segment, or an unclosed `[`.
    public init(_ pattern: String) throws(OrchestratorError) {
        guard !pattern.isEmpty else {
            throw OrchestratorError("empty glob", hint: "write a pattern such as \"*.csv\"")
        }
        guard !pattern.hasPrefix("/") else {
            throw OrchestratorError("glob '\(pattern)' is absolute",
                                    hint: "globs are relative to the landing folder, as in \"orders/*.json\"")
        }
        for segment in pattern.split(separator: "/", omittingEmptySubsequences: false) {
            if segment == ".." {
                throw OrchestratorError("glob '\(pattern)' leaves the landing folder with '..'",
                                        hint: "point the sensor's path at the folder instead")
            }
            if segment != "**" && segment.contains("**") {
                throw OrchestratorError("glob '\(pattern)': '**' must be a whole path segment",
                                        hint: "write it as in \"orders/**/*.json\"")
            }
            var inClass = false
            for c in segment {
                if c == "[" { inClass = true } else if c == "]" { inClass = false }
            }
            if inClass {
                throw OrchestratorError("glob '\(pattern)' has a '[' without its ']'")
            }
        }
        self.pattern = pattern
    }

    /// Whether a relative path such as `orders/2026-01-01.json` matches.
    public func matches(_ path: String) -> Bool {
        let patternSegments = pattern.split(separator: "/", omittingEmptySubsequences: false).map { Array($0) }
        let pathSegments = path.split(separator: "/", omittingEmptySubsequences: false).map { Array($0) }
        return GlobPattern.match(patternSegments[...], pathSegments[...])
    }

    private static func match(_ pattern: ArraySlice<[Character]>, _ path: ArraySlice<[Character]>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == ["*", "*"] {
            // Zero segments, or one more segment swallowed by the `**`.
            if match(pattern.dropFirst(), path) { return true }
            return !path.isEmpty && match(pattern, path.dropFirst())
        }
        guard let segment = path.first, matchSegment(first[...], segment[...]) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    private static func matchSegment(_ p: ArraySlice<Character>, _ s: ArraySlice<Character>) -> Bool {
        guard let c = p.first else { return s.isEmpty }
        switch c {
        case "*":
            var rest = s
            while true {
                if matchSegment(p.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        case "?":
            return !s.isEmpty && matchSegment(p.dropFirst(), s.dropFirst())
        case "[":
            guard let close = p.firstIndex(of: "]"), let ch = s.first else { return false }
            var set = p[p.index(after: p.startIndex)..<close]
            let negated = set.first == "!"
            if negated { set = set.dropFirst() }
            var inSet = false
            var i = set.startIndex
            while i < set.endIndex {
                let next = set.index(after: i)
                if next < set.endIndex, set[next] == "-", set.index(after: next) < set.endIndex {
                    let upper = set[set.index(after: next)]
                    if set[i] <= ch && ch <= upper { inSet = true }
                    i = set.index(after: set.index(after: next))
                } else {
                    if set[i] == ch { inSet = true }
                    i = next
                }
            }
            return inSet != negated && matchSegment(p[p.index(after: close)...], s.dropFirst())
        default:
            return s.first == c && matchSegment(p.dropFirst(), s.dropFirst())
        }
    }
}
