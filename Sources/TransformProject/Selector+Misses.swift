import Foundation

/// A selection criterion that matched no node, with the names a user probably meant.
public struct SelectionMiss: Sendable, Equatable, CustomStringConvertible {
    public var criterion: String
    public var nearMatches: [String]

    public var description: String {
        let hint = nearMatches.isEmpty ? "check the spelling, or list what exists with `storehouse ls`"
            : "did you mean \(nearMatches.map { "'\($0)'" }.joined(separator: ", "))?"
        return "the selection criterion '\(criterion)' does not match any node; \(hint)"
    }
}

extension Selector {
    /// Every criterion of `select` (space-separated, each part of a comma intersection) that
    /// matches nothing on its own, as dbt warns about them, with near matches from the project.
    public func misses(_ select: [String]) -> [SelectionMiss] {
        var misses: [SelectionMiss] = []
        for expression in select {
            for term in expression.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }) {
                for part in term.split(separator: ",") {
                    let bare = Self.withoutGraphOperators(String(part))
                    guard let matched = try? method(bare), matched.isEmpty else { continue }
                    misses.append(SelectionMiss(criterion: String(part), nearMatches: nearMatches(bare)))
                }
            }
        }
        return misses
    }

    /// `2+name+`, `@name`, `+tag:x` → the method text alone.
    static func withoutGraphOperators(_ atom: String) -> String {
        var text = Substring(atom)
        if text.hasPrefix("@") { text = text.dropFirst() }
        text = text.drop(while: { $0.isNumber })
        if text.hasPrefix("+") { text = text.dropFirst() }
        while let last = text.last, last.isNumber { text = text.dropLast() }
        if text.hasSuffix("+") { text = text.dropLast() }
        return String(text)
    }

    func nearMatches(_ bare: String) -> [String] {
        let (prefix, value): (String, String)
        if let colon = bare.firstIndex(of: ":") {
            (prefix, value) = (String(bare[...colon]), String(bare[bare.index(after: colon)...]))
        } else {
            (prefix, value) = ("", bare)
        }
        let candidates: [String]
        switch prefix {
        case "": candidates = everything.filter { $0.resourceType != .test }.map(\.name)
        case "tag:": candidates = everything.flatMap(\.config.tags)
        case "path:": candidates = everything.map(\.originalFilePath)
        case "source:": candidates = manifest.sources.values.compactMap { $0.extra("source_name")?.stringValue }
        case "resource_type:": candidates = ResourceType.allCases.map(\.rawValue)
        case "test_name:": candidates = manifest.nodes.values.compactMap { $0.testMetadata?.name }
        default: return []
        }
        return NearMatches.find(value, among: Set(candidates)).map { prefix + $0 }
    }
}

/// Names close to a misspelt one: small edit distance, or one containing the other.
package enum NearMatches {
    package static func find(_ text: String, among candidates: Set<String>, limit: Int = 3) -> [String] {
        let lowered = text.lowercased()
        let budget = max(1, lowered.count / 3)
        let scored = candidates.compactMap { candidate -> (Int, String)? in
            let other = candidate.lowercased()
            let distance = editDistance(lowered, other)
            if distance <= budget { return (distance, candidate) }
            if lowered.count >= 3, other.contains(lowered) || lowered.contains(other) { return (budget + 1, candidate) }
            return nil
        }
        return scored.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.prefix(limit).map(\.1)
    }

    /// Levenshtein distance over characters.
    package static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
