import Foundation
import Templating

/// `modules.re` as dbt gives templates Python's `re`: `sub`, `match`, `search`, `fullmatch`,
/// `findall`, `split`, `escape`, `compile` and the flags, over Foundation's regular expressions
/// (ICU syntax, which agrees with Python's for the patterns macros use; replacements are expanded
/// as Python's, `\1` and `\g<name>` included).
enum PythonRegexModule {
    static let ignoreCase = 2, multiline = 8, dotAll = 16, verbose = 64

    static var value: Value {
        var members: [String: Value] = [
            "IGNORECASE": .int(ignoreCase), "I": .int(ignoreCase), "MULTILINE": .int(multiline), "M": .int(multiline),
            "DOTALL": .int(dotAll), "S": .int(dotAll), "VERBOSE": .int(verbose), "X": .int(verbose),
        ]
        for name in ["sub", "match", "search", "fullmatch", "findall", "split"] {
            members[name] = .function(NativeFunction(name: name) { args in
                let pattern = try args.string(0, "pattern", of: "re.\(name)")
                let flags = args.keyword("flags")?.intValue ?? 0
                return try call(name, try compile(pattern, flags: flags), args, offset: 1)
            })
        }
        members["escape"] = .function(NativeFunction(name: "escape") { args in
            .string(NSRegularExpression.escapedPattern(for: args.arg(0, "pattern")?.renderedString ?? ""))
        })
        members["compile"] = .function(NativeFunction(name: "compile") { args in
            let pattern = try args.string(0, "pattern", of: "re.compile")
            let flags = args.arg(1, "flags")?.intValue ?? 0
            let regex = try compile(pattern, flags: flags)
            var methods: [String: Value] = ["pattern": .string(pattern)]
            for name in ["sub", "match", "search", "fullmatch", "findall", "split"] {
                methods[name] = .function(NativeFunction(name: name) { args in try call(name, regex, args, offset: 0) })
            }
            return .object(HostObject(name: "Pattern", members: methods))
        })
        return .object(HostObject(name: "re", members: members))
    }

    static func compile(_ pattern: String, flags: Int) throws -> NSRegularExpression {
        var options: NSRegularExpression.Options = []
        if flags & ignoreCase != 0 { options.insert(.caseInsensitive) }
        if flags & multiline != 0 { options.insert(.anchorsMatchLines) }
        if flags & dotAll != 0 { options.insert(.dotMatchesLineSeparators) }
        if flags & verbose != 0 { options.insert(.allowCommentsAndWhitespace) }
        // Python's named groups `(?P<name>…)` are ICU's `(?<name>…)`.
        let icu = pattern.replacingOccurrences(of: "(?P<", with: "(?<")
        do { return try NSRegularExpression(pattern: icu, options: options) } catch {
            throw TemplateError.raised("re: '\(pattern)' is not a regular expression this engine can read")
        }
    }

    /// The call `re.<name>(pattern, …)` once the pattern is compiled; `offset` is where the
    /// arguments after the pattern start (1 for `re.sub(p, …)`, 0 for `compiled.sub(…)`).
    static func call(_ name: String, _ regex: NSRegularExpression, _ args: Arguments, offset: Int) throws -> Value {
        func positional(_ i: Int, _ key: String) -> Value? {
            args.positional.count > offset + i ? args.positional[offset + i] : args.keyword(key)
        }
        switch name {
        case "sub":
            let replacement = positional(0, "repl")?.renderedString ?? ""
            let text = positional(1, "string")?.renderedString ?? ""
            let count = positional(2, "count")?.intValue ?? 0
            let ns = text as NSString
            var out = "", last = 0, done = 0
            for match in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                if count > 0, done == count { break }
                out += ns.substring(with: NSRange(location: last, length: match.range.location - last))
                out += expand(replacement, match, in: ns)
                last = match.range.location + match.range.length
                done += 1
            }
            return .string(out + ns.substring(from: last))
        case "match", "search", "fullmatch":
            let text = positional(0, "string")?.renderedString ?? ""
            let ns = text as NSString
            let range = NSRange(location: 0, length: ns.length)
            let found: NSTextCheckingResult?
            switch name {
            case "match": found = regex.firstMatch(in: text, options: .anchored, range: range)
            case "fullmatch": found = regex.firstMatch(in: text, options: .anchored, range: range).flatMap { $0.range.length == ns.length ? $0 : nil }
            default: found = regex.firstMatch(in: text, range: range)
            }
            return found.map { matchObject($0, in: ns) } ?? .none
        case "findall":
            let text = positional(0, "string")?.renderedString ?? ""
            let ns = text as NSString
            return Value(regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { match -> Value in
                let groups = (1..<max(match.numberOfRanges, 1)).map { group(match, $0, ns) }
                if groups.isEmpty { return .string(ns.substring(with: match.range)) }
                return groups.count == 1 ? groups[0] : .list(ListBox(groups, isTuple: true))
            })
        default: // split
            let text = positional(0, "string")?.renderedString ?? ""
            let ns = text as NSString
            var parts: [Value] = [], last = 0
            for match in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                parts.append(.string(ns.substring(with: NSRange(location: last, length: match.range.location - last))))
                for i in 1..<max(match.numberOfRanges, 1) { parts.append(group(match, i, ns)) }
                last = match.range.location + match.range.length
            }
            parts.append(.string(ns.substring(from: last)))
            return Value(parts)
        }
    }

    static func group(_ match: NSTextCheckingResult, _ index: Int, _ text: NSString) -> Value {
        let range = match.range(at: index)
        return range.location == NSNotFound ? .none : .string(text.substring(with: range))
    }

    static func matchObject(_ match: NSTextCheckingResult, in text: NSString) -> Value {
        let groupFunction = Value.function(NativeFunction(name: "group") { args in
            let indexes = args.positional.isEmpty ? [0] : args.positional.compactMap(\.intValue)
            let values = indexes.map { $0 < match.numberOfRanges ? group(match, $0, text) : .none }
            return values.count == 1 ? values[0] : .list(ListBox(values, isTuple: true))
        })
        return HostObject(name: "Match", members: [
            "group": groupFunction,
            "groups": .function(NativeFunction(name: "groups") { _ in
                .list(ListBox((1..<max(match.numberOfRanges, 1)).map { group(match, $0, text) }, isTuple: true))
            }),
            "start": .function(NativeFunction(name: "start") { _ in .int(match.range.location) }),
            "end": .function(NativeFunction(name: "end") { _ in .int(match.range.location + match.range.length) }),
            "span": .function(NativeFunction(name: "span") { _ in
                .list(ListBox([.int(match.range.location), .int(match.range.location + match.range.length)], isTuple: true))
            }),
        ]).withString("<re.Match object; span=(\(match.range.location), \(match.range.location + match.range.length)), match='\(text.substring(with: match.range))'>")
    }

    /// Python's replacement text for one match: `\1`, `\g<1>` and `\g<name>` are groups, `\n` and
    /// `\t` escapes, everything else literal.
    static func expand(_ replacement: String, _ match: NSTextCheckingResult, in text: NSString) -> String {
        func groupText(_ range: NSRange) -> String { range.location == NSNotFound ? "" : text.substring(with: range) }
        var out = ""
        var chars = Array(replacement)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            guard c == "\\", let next = chars.first else { out.append(c); continue }
            if next.isNumber {
                let digits = chars.prefix { $0.isNumber }.prefix(2)
                let index = Int(String(digits)) ?? 0
                out += index < match.numberOfRanges ? groupText(match.range(at: index)) : ""
                chars = chars.dropFirst(digits.count)
            } else if next == "g", chars.dropFirst().first == "<", let close = chars.firstIndex(of: ">") {
                let name = String(chars[chars.index(chars.startIndex, offsetBy: 2)..<close])
                if let index = Int(name) { out += index < match.numberOfRanges ? groupText(match.range(at: index)) : "" }
                else { out += groupText(match.range(withName: name)) }
                chars = chars[chars.index(after: close)...]
            } else if next == "n" { out += "\n"; chars = chars.dropFirst() }
            else if next == "t" { out += "\t"; chars = chars.dropFirst() }
            else if next == "\\" { out += "\\"; chars = chars.dropFirst() }
            else { out.append(c) }
        }
        return out
    }
}
