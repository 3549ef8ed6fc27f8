import Foundation

/// A version such as `1.11.0` or `1.0.0-rc1`, ordered as semantic versions are (a pre-release
/// sorts before its release).
package struct SemanticVersion: Comparable, CustomStringConvertible, Sendable {
    package var major: Int
    package var minor: Int
    package var patch: Int
    package var prerelease: String

    package init?(_ text: String) {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        if body.hasPrefix("v") { body = body.dropFirst() }
        var pre = ""
        if let dash = body.firstIndex(where: { $0 == "-" || $0 == "+" }) {
            pre = body[dash] == "-" ? String(body[body.index(after: dash)...]) : ""
            body = body[..<dash]
        } else if let letter = body.firstIndex(where: { $0.isLetter }) {
            // dbt's own pre-releases are spelled `1.8.0b1` / `1.8.0rc2`.
            pre = String(body[letter...])
            body = body[..<letter]
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), let major = Int(parts[0]) else { return nil }
        let numbers = parts.dropFirst().map { Int($0) }
        guard !numbers.contains(where: { $0 == nil }) else { return nil }
        self.major = major
        minor = numbers.first.flatMap { $0 } ?? 0
        patch = numbers.count > 1 ? numbers[1]! : 0
        prerelease = pre
    }

    package static func < (a: SemanticVersion, b: SemanticVersion) -> Bool {
        if (a.major, a.minor, a.patch) != (b.major, b.minor, b.patch) { return (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch) }
        if a.prerelease.isEmpty != b.prerelease.isEmpty { return !a.prerelease.isEmpty }
        return a.prerelease < b.prerelease
    }

    package var description: String { "\(major).\(minor).\(patch)" + (prerelease.isEmpty ? "" : "-\(prerelease)") }
}

/// One bound of a version range as dbt writes them: `>=1.3.0`, `<2.0.0`, `=1.1.0`, `1.1.0`.
package struct VersionBound: Sendable, Equatable {
    package enum Comparison: String, Sendable { case atLeast = ">=", above = ">", atMost = "<=", below = "<", exactly = "=" }
    package var comparison: Comparison
    package var version: SemanticVersion

    package init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for candidate in [Comparison.atLeast, .atMost, .above, .below, .exactly] where trimmed.hasPrefix(candidate.rawValue) {
            guard let version = SemanticVersion(String(trimmed.dropFirst(candidate.rawValue.count))) else { return nil }
            self.comparison = candidate
            self.version = version
            return
        }
        guard let version = SemanticVersion(trimmed) else { return nil }
        comparison = .exactly
        self.version = version
    }

    package func admits(_ v: SemanticVersion) -> Bool {
        switch comparison {
        case .atLeast: return v >= version
        case .above: return v > version
        case .atMost: return v <= version
        case .below: return v < version
        case .exactly: return v == version
        }
    }

    package static func == (a: VersionBound, b: VersionBound) -> Bool { a.comparison == b.comparison && a.version == b.version }
}

extension SemanticVersion: Equatable {
    package static func == (a: SemanticVersion, b: SemanticVersion) -> Bool {
        (a.major, a.minor, a.patch, a.prerelease) == (b.major, b.minor, b.patch, b.prerelease)
    }
}

/// The version of dbt this engine answers to (`dbt_version` in templates, `require-dbt-version`).
package enum DbtCompatibility {
    package static let version = "1.11.0"

    /// The bounds of `ranges` that `version` falls outside of; empty when every bound admits it.
    /// Throws a message for a bound it cannot read.
    static func unmet(_ ranges: [String], version: String = DbtCompatibility.version) throws -> [String] {
        guard let current = SemanticVersion(version) else { return [] }
        return try ranges.filter { text in
            guard let bound = VersionBound(text) else {
                throw TransformError("'\(text)' is not a version range; write it like '>=1.3.0' or '<2.0.0'")
            }
            return !bound.admits(current)
        }
    }
}
