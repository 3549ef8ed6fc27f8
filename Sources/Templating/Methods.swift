import Foundation

/// Python methods on strings, lists and dicts (`'a,b'.split(',')`, `cols.append(x)`, `d.items()`).
enum Methods {
    static let stringMethods: Set<String> = [
        "upper", "lower", "strip", "lstrip", "rstrip", "split", "rsplit", "startswith", "endswith", "replace",
        "format", "join", "title", "capitalize", "count", "find", "rfind", "index", "isdigit", "isalpha",
        "isalnum", "islower", "isupper", "isspace", "splitlines", "zfill", "removeprefix", "removesuffix",
        "ljust", "rjust", "center", "swapcase",
    ]
    static let listMethods: Set<String> = ["append", "extend", "insert", "index", "pop", "remove", "count", "reverse", "sort", "copy", "clear",
                                           // Python's set methods, for the lists `set()` makes.
                                           "add", "discard", "update", "union", "intersection", "difference", "issubset", "issuperset"]
    static let dictMethods: Set<String> = ["items", "keys", "values", "get", "update", "pop", "setdefault", "copy", "clear"]

    static func has(_ value: Value, _ name: String) -> Bool {
        switch value {
        case .string: return stringMethods.contains(name)
        case .list: return listMethods.contains(name)
        case .dict: return dictMethods.contains(name)
        default: return false
        }
    }

    /// The method as a callable value, for `{% set f = s.upper %}` and `map`-style uses.
    static func bound(_ value: Value, _ name: String) -> Value {
        .function(NativeFunction(name: name) { args in try call(value, name, args) })
    }

    static func raise(_ message: String) -> TemplateError { TemplateError.raised(message) }

    static func call(_ value: Value, _ name: String, _ args: Arguments) throws -> Value {
        switch value {
        case .string(let s): return try stringMethod(s, name, args)
        case .list(let l): return try listMethod(l, name, args)
        case .dict(let d): return try dictMethod(d, name, args)
        default: throw raise("'\(value.typeName)' object has no method '\(name)'")
        }
    }

    private static func optionalString(_ args: Arguments, _ index: Int, _ key: String, _ method: String) throws -> String? {
        guard let v = args.arg(index, key) else { return nil }
        switch v {
        case .none: return nil
        case .string(let s): return s
        default: throw raise("\(method)() argument '\(key)' must be str or None, not \(v.typeName)")
        }
    }

    static func isPythonSpace(_ c: Character) -> Bool { c.isWhitespace }

    static func strip(_ s: String, _ chars: String?, leading: Bool, trailing: Bool) -> String {
        let set: (Character) -> Bool = chars.map { cs in { cs.contains($0) } } ?? isPythonSpace
        var sub = Substring(s)
        if leading { sub = sub.drop(while: set) }
        if trailing {
            while let last = sub.last, set(last) { sub = sub.dropLast() }
        }
        return String(sub)
    }

    static func split(_ s: String, _ separator: String?, maxSplit: Int) -> [String] {
        guard let separator else {
            var parts: [String] = []
            var rest = Substring(s).drop(while: isPythonSpace)
            while !rest.isEmpty {
                if maxSplit >= 0, parts.count == maxSplit {
                    var tail = rest
                    while let last = tail.last, isPythonSpace(last) { tail = tail.dropLast() }
                    parts.append(String(tail))
                    break
                }
                let word = rest.prefix(while: { !isPythonSpace($0) })
                parts.append(String(word))
                rest = rest.dropFirst(word.count).drop(while: isPythonSpace)
            }
            return parts
        }
        var parts: [String] = []
        var rest = Substring(s)
        while let range = rest.range(of: separator), maxSplit < 0 || parts.count < maxSplit {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }

    static func title(_ s: String) -> String {
        var out = ""
        var previousIsLetter = false
        for c in s {
            if c.isLetter {
                out += previousIsLetter ? c.lowercased() : c.uppercased()
                previousIsLetter = true
            } else {
                out.append(c)
                previousIsLetter = false
            }
        }
        return out
    }

    static func capitalize(_ s: String) -> String {
        guard let first = s.first else { return s }
        return first.uppercased() + s.dropFirst().lowercased()
    }

    private static func prefixes(_ v: Value?, _ method: String) throws -> [String] {
        switch v {
        case .string(let s)?: return [s]
        case .list(let l)?: return try l.items.map {
            guard case .string(let s) = $0 else { throw raise("\(method)() tuple items must be str, not \($0.typeName)") }
            return s
        }
        default: throw raise("\(method)() first argument must be str or a tuple of str")
        }
    }

    private static func stringMethod(_ s: String, _ name: String, _ args: Arguments) throws -> Value {
        switch name {
        case "upper": return .string(s.uppercased())
        case "lower": return .string(s.lowercased())
        case "swapcase": return .string(String(s.map { $0.isUppercase ? Character($0.lowercased()) : Character($0.uppercased()) }))
        case "strip", "lstrip", "rstrip":
            let chars = try optionalString(args, 0, "chars", name)
            return .string(strip(s, chars, leading: name != "rstrip", trailing: name != "lstrip"))
        case "split", "rsplit":
            let separator = try optionalString(args, 0, "sep", name)
            if separator == "" { throw raise("empty separator") }
            let maxSplit = args.arg(1, "maxsplit")?.intValue ?? -1
            if name == "rsplit", maxSplit >= 0 {
                let reversedParts = split(String(s.reversed()), separator.map { String($0.reversed()) }, maxSplit: maxSplit)
                return Value(reversedParts.reversed().map { .string(String($0.reversed())) })
            }
            return Value(split(s, separator, maxSplit: maxSplit).map(Value.string))
        case "splitlines":
            var lines = s.components(separatedBy: "\n")
            if lines.last == "" { lines.removeLast() }
            return Value(lines.map(Value.string))
        case "startswith", "endswith":
            let candidates = try prefixes(args.arg(0, "prefix"), name)
            return .bool(candidates.contains { name == "startswith" ? s.hasPrefix($0) : s.hasSuffix($0) })
        case "removeprefix":
            let p = try args.string(0, "prefix", of: name)
            return .string(s.hasPrefix(p) ? String(s.dropFirst(p.count)) : s)
        case "removesuffix":
            let p = try args.string(0, "suffix", of: name)
            return .string(s.hasSuffix(p) ? String(s.dropLast(p.count)) : s)
        case "replace":
            let old = try args.string(0, "old", of: name)
            let new = try args.string(1, "new", of: name)
            let count = args.arg(2, "count")?.intValue ?? -1
            return .string(replace(s, old, new, count: count))
        case "format":
            return .string(try format(s, args))
        case "join":
            let items = try Operations.iterate(try args.required(0, "iterable", of: name))
            return .string(try items.map {
                guard case .string(let part) = $0 else { throw raise("sequence item: expected str instance, \($0.typeName) found") }
                return part
            }.joined(separator: s))
        case "title": return .string(title(s))
        case "capitalize": return .string(capitalize(s))
        case "count":
            let sub = try args.string(0, "sub", of: name)
            if sub.isEmpty { return .int(s.count + 1) }
            return .int(s.components(separatedBy: sub).count - 1)
        case "find", "rfind", "index":
            let sub = try args.string(0, "sub", of: name)
            let range = name == "rfind" ? s.range(of: sub, options: .backwards) : s.range(of: sub)
            guard let range else {
                if name == "index" { throw raise("substring not found") }
                return .int(-1)
            }
            return .int(s.distance(from: s.startIndex, to: range.lowerBound))
        case "isdigit": return .bool(!s.isEmpty && s.allSatisfy(\.isNumber))
        case "isalpha": return .bool(!s.isEmpty && s.allSatisfy(\.isLetter))
        case "isalnum": return .bool(!s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber })
        case "isspace": return .bool(!s.isEmpty && s.allSatisfy(\.isWhitespace))
        case "islower": return .bool(s.contains(where: \.isLetter) && !s.contains(where: \.isUppercase))
        case "isupper": return .bool(s.contains(where: \.isLetter) && !s.contains(where: \.isLowercase))
        case "zfill", "ljust", "rjust", "center":
            let width = try args.required(0, "width", of: name).intValue ?? 0
            let fill = name == "zfill" ? "0" : (try optionalString(args, 1, "fillchar", name) ?? " ")
            let missing = max(0, width - s.count)
            switch name {
            case "ljust": return .string(s + String(repeating: fill, count: missing))
            case "center":
                let left = missing / 2 + (missing % 2 == 1 && width % 2 == 1 ? 1 : 0)
                return .string(String(repeating: fill, count: left) + s + String(repeating: fill, count: missing - left))
            default: return .string(String(repeating: fill, count: missing) + s)
            }
        default:
            throw raise("'str' object has no method '\(name)'")
        }
    }

    static func replace(_ s: String, _ old: String, _ new: String, count: Int) -> String {
        if count < 0 { return old.isEmpty ? s : s.replacingOccurrences(of: old, with: new) }
        var result = ""
        var rest = Substring(s)
        var done = 0
        while done < count, !old.isEmpty, let range = rest.range(of: old) {
            result += rest[..<range.lowerBound] + new
            rest = rest[range.upperBound...]
            done += 1
        }
        return result + rest
    }

    /// Python's `str.format` for `{}`, `{0}` and `{name}` fields; format specs after `:` are ignored
    /// except that the field still renders.
    static func format(_ template: String, _ args: Arguments) throws -> String {
        var out = ""
        var autoIndex = 0
        var chars = template.makeIterator()
        while let c = chars.next() {
            if c == "{" {
                var field = ""
                var closed = false
                var first = true
                while let d = chars.next() {
                    if first, d == "{" { break }
                    first = false
                    if d == "}" { closed = true; break }
                    field.append(d)
                }
                if !closed && field.isEmpty && !first { out.append("{"); continue }
                if !closed { throw raise("single '{' encountered in format string") }
                let name = field.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
                let value: Value
                if name.isEmpty {
                    guard autoIndex < args.positional.count else { throw raise("format(): not enough arguments for '{}' number \(autoIndex)") }
                    value = args.positional[autoIndex]
                    autoIndex += 1
                } else if let i = Int(name) {
                    guard i < args.positional.count else { throw raise("format(): no positional argument \(i)") }
                    value = args.positional[i]
                } else {
                    guard let v = args.keyword(name) else { throw raise("format(): no argument named '\(name)'") }
                    value = v
                }
                let spec = field.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first.map(String.init) ?? ""
                out += spec.isEmpty ? value.renderedString : try PythonFormatSpec(formatSpec: spec).format(value)
            } else if c == "}" {
                if let d = chars.next(), d != "}" { out.append("}"); out.append(d) } else { out.append("}") }
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// Python's `'%s' % value`: conversions s, r, d, i, f, e, g, x, o, c with flags, width and precision.
    static func percentFormat(_ format: String, _ argument: Value) throws -> String {
        let values: [Value] = {
            if case .list(let l) = argument, l.isTuple { return l.items }
            return [argument]
        }()
        var out = ""
        var index = 0
        var chars = Array(format)[...]
        while let c = chars.popFirst() {
            guard c == "%" else { out.append(c); continue }
            var flags = ""
            while let d = chars.first, "-+ 0#".contains(d) { flags.append(d); chars.removeFirst() }
            var widthText = ""
            while let d = chars.first, d.isNumber { widthText.append(d); chars.removeFirst() }
            var precision: Int?
            if chars.first == "." {
                chars.removeFirst()
                var p = ""
                while let d = chars.first, d.isNumber { p.append(d); chars.removeFirst() }
                precision = Int(p) ?? 0
            }
            guard let conversion = chars.popFirst() else { throw raise("incomplete format") }
            if conversion == "%" { out.append("%"); continue }
            guard index < values.count else { throw raise("not enough arguments for format string") }
            let v = values[index]
            index += 1
            switch conversion {
            case "s", "r", "d", "i", "f", "F", "e", "E", "g", "G", "x", "X", "o":
                if "dixXo".contains(conversion), v.doubleValue == nil {
                    throw raise("%\(conversion) format: a real number is required, not \(v.typeName)")
                }
                // %d truncates a float, as Python's does.
                let value: Value = "dixXo".contains(conversion) ? .int(Int(v.doubleValue!)) : v
                let spec = PythonFormatSpec(percentFlags: flags, width: Int(widthText) ?? 0, precision: precision,
                                            conversion: conversion == "i" ? "d" : conversion)
                out += try spec.format(value)
            case "c": out += v.intValue.flatMap { Unicode.Scalar($0).map { String(Character($0)) } } ?? v.renderedString
            default: throw raise("unsupported format character '\(conversion)'")
            }
        }
        if index < values.count { throw raise("not all arguments converted during string formatting") }
        return out
    }

    private static func listMethod(_ box: ListBox, _ name: String, _ args: Arguments) throws -> Value {
        switch name {
        case "append":
            box.items.append(try args.required(0, "object", of: name))
            return .none
        case "extend":
            box.items += try Operations.iterate(try args.required(0, "iterable", of: name))
            return .none
        case "insert":
            let i = try args.required(0, "index", of: name).intValue ?? 0
            let v = try args.required(1, "object", of: name)
            let index = i < 0 ? max(0, box.items.count + i) : min(i, box.items.count)
            box.items.insert(v, at: index)
            return .none
        case "index":
            let v = try args.required(0, "value", of: name)
            guard let i = box.items.firstIndex(where: { Operations.equals($0, v) }) else {
                throw raise("\(v.pythonRepr) is not in list")
            }
            return .int(i)
        case "count":
            let v = try args.required(0, "value", of: name)
            return .int(box.items.filter { Operations.equals($0, v) }.count)
        case "pop":
            guard !box.items.isEmpty else { throw raise("pop from empty list") }
            let i = args.arg(0, "index")?.intValue ?? -1
            let index = i < 0 ? box.items.count + i : i
            guard index >= 0, index < box.items.count else { throw raise("pop index out of range") }
            return box.items.remove(at: index)
        case "remove":
            let v = try args.required(0, "value", of: name)
            guard let i = box.items.firstIndex(where: { Operations.equals($0, v) }) else {
                throw raise("list.remove(x): x not in list")
            }
            box.items.remove(at: i)
            return .none
        case "reverse":
            box.items.reverse()
            return .none
        case "sort":
            let reverse = args.keyword("reverse")?.isTruthy ?? false
            box.items = try Builtins.sorted(box.items, reverse: reverse, caseSensitive: true, attribute: nil)
            return .none
        case "add":
            let v = try args.required(0, "elem", of: name)
            if !box.items.contains(where: { Operations.equals($0, v) }) { box.items.append(v) }
            box.items.sort(by: Builtins.setOrder)
            return .none
        case "discard":
            let v = try args.required(0, "elem", of: name)
            box.items.removeAll { Operations.equals($0, v) }
            return .none
        case "update":
            for v in try Operations.iterate(try args.required(0, "iterable", of: name)) where !box.items.contains(where: { Operations.equals($0, v) }) {
                box.items.append(v)
            }
            box.items.sort { $0.pythonRepr < $1.pythonRepr }
            return .none
        case "union", "intersection", "difference", "issubset", "issuperset":
            let other = try Operations.iterate(try args.required(0, "other", of: name))
            func contains(_ list: [Value], _ v: Value) -> Bool { list.contains { Operations.equals($0, v) } }
            switch name {
            case "union": return Builtins.pythonSet(box.items + other)
            case "intersection": return Builtins.pythonSet(box.items.filter { contains(other, $0) })
            case "difference": return Builtins.pythonSet(box.items.filter { !contains(other, $0) })
            case "issubset": return .bool(box.items.allSatisfy { contains(other, $0) })
            default: return .bool(other.allSatisfy { contains(box.items, $0) })
            }
        case "copy": return .list(ListBox(box.items, isTuple: box.isTuple))
        case "clear":
            box.items.removeAll()
            return .none
        default: throw raise("'list' object has no method '\(name)'")
        }
    }

    private static func dictMethod(_ box: DictBox, _ name: String, _ args: Arguments) throws -> Value {
        switch name {
        case "items": return Value(box.entries.map { .list(ListBox([$0.key, $0.value], isTuple: true)) })
        case "keys": return Value(box.keys)
        case "values": return Value(box.entries.map(\.value))
        case "get":
            let key = try args.required(0, "key", of: name)
            return box[key] ?? args.arg(1, "default") ?? .none
        case "update":
            if let other = args.positional.first {
                switch other {
                case .dict(let d): for (k, v) in d.entries { box[k] = v }
                case .list(let l):
                    for pair in l.items {
                        let kv = try Operations.iterate(pair, forUnpacking: true)
                        guard kv.count == 2 else { throw raise("dictionary update sequence element has length \(kv.count); 2 is required") }
                        box[kv[0]] = kv[1]
                    }
                default: throw raise("'\(other.typeName)' object is not a mapping")
                }
            }
            for (k, v) in args.keyword { box[.string(k)] = v }
            return .none
        case "pop":
            let key = try args.required(0, "key", of: name)
            if let v = box[key] {
                box[key] = nil
                return v
            }
            if let fallback = args.arg(1, "default") { return fallback }
            throw raise("KeyError: \(key.pythonRepr)")
        case "setdefault":
            let key = try args.required(0, "key", of: name)
            if let v = box[key] { return v }
            let v = args.arg(1, "default") ?? .none
            box[key] = v
            return v
        case "copy": return .dict(box.copy())
        case "clear":
            for k in box.keys { box[k] = nil }
            return .none
        default: throw raise("'dict' object has no method '\(name)'")
        }
    }
}
