import Foundation

/// Who may call the server: the access tokens it accepts and the role each grants.
///
/// Bound to this machine only, a server may run without tokens (the reader is the machine's own
/// user). Bound beyond it, `serve` refuses to start without at least one token, and every route
/// but `/healthz` then needs `Authorization: Bearer <token>` (or the session cookie the login page
/// sets from the same token).
public struct AccessPolicy: Sendable {
    /// What a token lets its holder do. Admin can do everything a viewer can.
    public enum Role: String, Sendable, Comparable, CaseIterable {
        /// Dashboards, API reads and the SQL explorer.
        case viewer
        /// Also the routes that change what the server holds (the query cache, runs later).
        case admin

        public static func < (lhs: Role, rhs: Role) -> Bool { lhs == .viewer && rhs == .admin }
    }

    struct Token: Sendable {
        let bytes: [UInt8]
        let role: Role
    }

    let tokens: [Token]

    /// A server that asks no one for a token: every request is an admin's (this machine only).
    public static let open = AccessPolicy(tokens: [])

    init(tokens: [Token]) { self.tokens = tokens }

    /// The policy with one more admin token (the one `serve` gives the CLI in its lock file).
    /// A server that asks no one for a token stays that way: every local caller is an admin
    /// already.
    public func adding(adminToken token: String) -> AccessPolicy {
        guard requiresToken else { return self }
        return AccessPolicy(tokens: tokens + [Token(bytes: Array(token.utf8), role: .admin)])
    }

    /// Whether requests must carry a token.
    public var requiresToken: Bool { !tokens.isEmpty }

    /// The shortest token accepted: shorter ones are guessable.
    public static let minimumTokenLength = 16

    /// Tokens from a file (`--token-file`) and the environment (`STOREHOUSE_TOKEN` for a viewer,
    /// `STOREHOUSE_ADMIN_TOKEN` for an admin).
    ///
    /// The file holds one token a line, `viewer <token>` or `admin <token>` (a bare token is a
    /// viewer's); blank lines and `#` comments are skipped.
    public static func load(tokenFile: String?, environment: [String: String]) throws -> AccessPolicy {
        var tokens: [Token] = []
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                throw AccessError("cannot read the token file \(tokenFile)", hint: "check the path and that this user may read it")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw AccessError("the token file \(tokenFile) is not UTF-8 text", hint: "write one token a line: `viewer <token>` or `admin <token>`")
            }
            tokens += try parse(text, file: tokenFile)
            if tokens.isEmpty {
                throw AccessError("the token file \(tokenFile) holds no token", hint: "write one token a line: `viewer <token>` or `admin <token>`")
            }
        }
        for (variable, role) in [("STOREHOUSE_TOKEN", Role.viewer), ("STOREHOUSE_ADMIN_TOKEN", .admin)] {
            guard let value = environment[variable]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { continue }
            try check(value, at: "$\(variable)")
            tokens.append(Token(bytes: Array(value.utf8), role: role))
        }
        return AccessPolicy(tokens: tokens)
    }

    static func parse(_ text: String, file: String) throws -> [Token] {
        var tokens: [Token] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            let place = "\(file):\(index + 1)"
            let role: Role
            let token: String
            switch fields.count {
            case 1: (role, token) = (.viewer, fields[0])
            case 2:
                guard let named = Role(rawValue: fields[0].lowercased()) else {
                    throw AccessError("\(place): unknown role '\(fields[0])'", hint: "the roles are viewer and admin: `viewer <token>` or `admin <token>`")
                }
                (role, token) = (named, fields[1])
            default:
                throw AccessError("\(place): expected `viewer <token>` or `admin <token>`, found \(fields.count) words", hint: "a token has no spaces")
            }
            try check(token, at: place)
            tokens.append(Token(bytes: Array(token.utf8), role: role))
        }
        return tokens
    }

    static func check(_ token: String, at place: String) throws {
        guard token.count >= minimumTokenLength else {
            throw AccessError("\(place): the token is \(token.count) characters; at least \(minimumTokenLength) are needed",
                              hint: "make one with `openssl rand -hex 32`")
        }
    }

    /// The role `presented` grants, or nil. Every known token is compared in full, in time that
    /// depends only on the tokens' lengths, never on where the bytes first differ.
    public func role(for presented: String) -> Role? {
        let bytes = Array(presented.utf8)
        var granted: Role?
        for token in tokens where Self.constantTimeEqual(bytes, token.bytes) {
            granted = max(granted ?? token.role, token.role)
        }
        return granted
    }

    static func constantTimeEqual(_ presented: [UInt8], _ known: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: presented.count ^ known.count)
        if presented.count != known.count { difference |= 1 }
        for index in 0..<known.count {
            let other = index < presented.count ? presented[index] : 0
            difference |= other ^ known[index]
        }
        return difference == 0
    }
}

/// A token file or variable that cannot be used; `serve` stops with it.
public struct AccessError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let hint: String
    init(_ message: String, hint: String) {
        self.message = message
        self.hint = hint
    }
    public var description: String { message + "\n  hint: " + hint }
}
