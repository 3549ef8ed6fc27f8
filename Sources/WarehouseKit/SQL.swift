import Foundation

/// A SQL statement built by string interpolation, where every interpolated value becomes a bound
/// parameter and never part of the SQL text.
///
/// ```swift
/// let sql: SQL = "select * from raw.users where country = \(country) and age > \(minAge)"
/// let table: SQL = "select count(*) from \(identifier: "raw", "users")"   // quoted identifier
/// let text: SQL = "select 1 \(unsafeRaw: trustedFragment)"             // visible escape hatch
/// ```
public struct SQL: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public enum Fragment: Sendable, Hashable {
        case text(String)
        case parameter(WarehouseValue)
    }

    public private(set) var fragments: [Fragment]

    public init(stringLiteral value: String) { fragments = [.text(value)] }

    public init(stringInterpolation: StringInterpolation) { fragments = stringInterpolation.fragments }

    /// SQL text taken as it is: the caller vouches it holds no untrusted input.
    public init(unsafeRaw text: String) { fragments = [.text(text)] }

    public struct StringInterpolation: StringInterpolationProtocol {
        var fragments: [Fragment] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            fragments.reserveCapacity(interpolationCount * 2 + 1)
        }

        public mutating func appendLiteral(_ literal: String) { appendText(literal) }

        /// A bound parameter.
        public mutating func appendInterpolation(_ value: some WarehouseValueConvertible) {
            fragments.append(.parameter(value.warehouseValue))
        }

        /// A quoted identifier path such as `"raw"."users"`.
        public mutating func appendInterpolation(identifier parts: String...) {
            appendText(parts.map(SQL.quoteIdentifier).joined(separator: "."))
        }

        public mutating func appendInterpolation(_ relation: RelationName) {
            appendText(relation.quoted)
        }

        /// Another SQL value, with its parameters kept bound.
        public mutating func appendInterpolation(_ sql: SQL) {
            for fragment in sql.fragments {
                if case .text(let t) = fragment { appendText(t) } else { fragments.append(fragment) }
            }
        }

        /// Text inserted as it is. Never pass user input here.
        public mutating func appendInterpolation(unsafeRaw text: String) { appendText(text) }

        private mutating func appendText(_ text: String) {
            guard !text.isEmpty else { return }
            if case .text(let previous)? = fragments.last {
                fragments[fragments.count - 1] = .text(previous + text)
            } else {
                fragments.append(.text(text))
            }
        }
    }

    public var parameters: [WarehouseValue] {
        fragments.compactMap { if case .parameter(let v) = $0 { return v } else { return nil } }
    }

    /// The statement with `$1, $2, …` placeholders, as both DuckDB and PostgreSQL accept.
    public var text: String {
        var out = ""
        var index = 0
        for fragment in fragments {
            switch fragment {
            case .text(let t): out += t
            case .parameter:
                index += 1
                out += "$\(index)"
            }
        }
        return out
    }

    /// The SQL as it would be logged: text with placeholders; values are left out on purpose.
    public var description: String { text }

    public static func + (lhs: SQL, rhs: SQL) -> SQL { "\(lhs)\(rhs)" }

    /// Double-quotes an identifier, doubling embedded quotes.
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Single-quotes a string literal, doubling embedded quotes. For DDL where parameters are not
    /// allowed (defaults, comments); everywhere else bind parameters instead.
    public static func quoteLiteral(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
