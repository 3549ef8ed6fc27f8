import Foundation

/// Jinja's built-in globals, filters and tests.
enum Builtins {
    static func raise(_ message: String) -> TemplateError { TemplateError.raised(message) }

    // MARK: globals

    /// A list standing in for a Python set: duplicates dropped, sorted so equal sets compare equal.
    static func pythonSet(_ items: [Value]) -> Value {
        var unique: [Value] = []
        for item in items where !unique.contains(where: { Operations.equals($0, item) }) { unique.append(item) }
        unique.sort(by: setOrder)
        return .list(ListBox(unique, isSet: true))
    }

    /// How a set keeps its items: numbers by value (as Python prints small ints), the rest by repr.
    static func setOrder(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.int, .int), (.int, .double), (.double, .int), (.double, .double): return a.doubleValue! < b.doubleValue!
        default: break
        }
        return a.pythonRepr < b.pythonRepr
    }

    static func global(_ name: String) -> Value? {
        switch name {
        case "range": return .function(NativeFunction(name: "range", range))
        case "dict":
            return .function(NativeFunction(name: "dict") { args in
                let box = DictBox()
                if let first = args.positional.first, case .dict(let d) = first { for (k, v) in d.entries { box[k] = v } }
                for (k, v) in args.keyword { box[.string(k)] = v }
                return .dict(box)
            })
        case "namespace":
            return .function(NativeFunction(name: "namespace") { args in
                let box = DictBox()
                if let first = args.positional.first, case .dict(let d) = first { for (k, v) in d.entries { box[k] = v } }
                for (k, v) in args.keyword { box[.string(k)] = v }
                return .object(NamespaceObject(values: box))
            })
        case "return":
            return .function(NativeFunction(name: "return") { args in
                throw ReturnSignal(args.positional.first ?? args.keyword("value") ?? .none)
            })
        case "set", "frozenset":
            // Python's set, as the macros of dbt packages use it: unique items, compared without
            // regard to order (kept sorted), with add/union/difference/… as list methods.
            return .function(NativeFunction(name: name) { args in
                guard let source = args.positional.first else { return pythonSet([]) }
                return pythonSet(try Operations.iterate(source))
            })
        case "zip":
            return .function(NativeFunction(name: "zip") { args in
                let lists = try args.positional.map { try Operations.iterate($0) }
                let count = lists.map(\.count).min() ?? 0
                return Value((0..<count).map { i in .list(ListBox(lists.map { $0[i] }, isTuple: true)) })
            })
        default: return nil
        }
    }

    static func range(_ args: Arguments) throws -> Value {
        let numbers = try args.positional.map {
            guard let i = $0.intValue else { throw raise("range() arguments must be integers, not \($0.typeName)") }
            return i
        }
        var start = 0, stop = 0, step = 1
        switch numbers.count {
        case 1: stop = numbers[0]
        case 2: (start, stop) = (numbers[0], numbers[1])
        case 3: (start, stop, step) = (numbers[0], numbers[1], numbers[2])
        default: throw raise("range() expects 1 to 3 integer arguments, got \(numbers.count)")
        }
        guard step != 0 else { throw raise("range() step must not be zero") }
        let count = step > 0 ? max(0, (stop - start + step - 1) / step) : max(0, (start - stop - step - 1) / -step)
        guard count <= 100_000 else { throw raise("range() of \(count) items is too large (limit 100000)") }
        return Value(Swift.stride(from: start, to: stop, by: step).map(Value.int))
    }

    // MARK: filters

    static func filter(_ name: String, _ value: Value, _ args: Arguments, renderer: Renderer) throws -> Value {
        switch name {
        case "lower": return .string(value.renderedString.lowercased())
        case "upper": return .string(value.renderedString.uppercased())
        case "trim":
            let chars = args.arg(0, "chars")?.stringValue
            return .string(Methods.strip(value.renderedString, chars, leading: true, trailing: true))
        case "capitalize": return .string(Methods.capitalize(value.renderedString))
        case "title": return .string(Methods.title(value.renderedString))
        case "replace":
            let old = try args.required(0, "old", of: "replace").renderedString
            let new = try args.required(1, "new", of: "replace").renderedString
            let count = args.arg(2, "count")?.intValue ?? -1
            return .string(Methods.replace(value.renderedString, old, new, count: count))
        case "string": return .string(value.renderedString)
        case "safe": return value
        case "escape", "e":
            var s = value.renderedString
            for (from, to) in [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\"", "&#34;"), ("'", "&#39;")] {
                s = s.replacingOccurrences(of: from, with: to)
            }
            return .string(s)
        case "join":
            let separator = args.arg(0, "d")?.renderedString ?? ""
            var items = try Operations.iterate(value)
            if let attribute = args.arg(1, "attribute") { items = try items.map { try attributeOrItem($0, attribute) } }
            return .string(items.map(\.renderedString).joined(separator: separator))
        case "default", "d":
            let fallback = args.arg(0, "default_value") ?? .string("")
            let boolean = args.arg(1, "boolean")?.isTruthy ?? false
            if value.isUndefined || (boolean && !value.isTruthy) { return fallback }
            return value
        case "length", "count":
            switch value {
            case .string(let s): return .int(s.count)
            case .list(let l): return .int(l.items.count)
            case .dict(let d): return .int(d.count)
            case .undefined: return .int(0)
            case .object(let o):
                if let items = o.iterate() { return .int(items.count) }
                throw raise("object of type '\(value.typeName)' has no len()")
            default: throw raise("object of type '\(value.typeName)' has no len()")
            }
        case "list": return Value(try Operations.iterate(value))
        case "int":
            let fallback = args.arg(0, "default") ?? .int(0)
            let base = args.arg(1, "base")?.intValue ?? 10
            switch value {
            case .int(let i): return .int(i)
            case .bool(let b): return .int(b ? 1 : 0)
            case .double(let d): return d.isFinite ? .int(Int(d)) : fallback
            case .string(let s):
                let t = s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
                if let i = Int(t, radix: base) { return .int(i) }
                if let d = Double(t), d.isFinite { return .int(Int(d)) }
                return fallback
            default: return fallback
            }
        case "float":
            let fallback = args.arg(0, "default") ?? .double(0)
            switch value {
            case .int, .double, .bool: return .double(value.doubleValue!)
            case .string(let s):
                if let d = Double(s.trimmingCharacters(in: .whitespaces)) { return .double(d) }
                return fallback
            default: return fallback
            }
        case "abs":
            switch value {
            case .int(let i): return .int(abs(i))
            case .double(let d): return .double(abs(d))
            case .bool(let b): return .int(b ? 1 : 0)
            default: throw raise("bad operand type for abs(): '\(value.typeName)'")
            }
        case "round":
            let precision = args.arg(0, "precision")?.intValue ?? 0
            let method = args.arg(1, "method")?.stringValue ?? "common"
            guard let d = value.doubleValue else { throw raise("round filter needs a number, got \(value.typeName)") }
            let scale = pow(10.0, Double(precision))
            switch method {
            case "common":
                // Python's round(): a whole number stays whole (`7|round` is 7, not 7.0).
                if case .int = value { return value }
                return .double((d * scale).rounded(.toNearestOrEven) / scale)
            case "ceil": return .double((d * scale).rounded(.up) / scale)
            case "floor": return .double((d * scale).rounded(.down) / scale)
            default: throw raise("round method must be 'common', 'ceil' or 'floor', not '\(method)'")
            }
        case "tojson":
            let indent = args.arg(0, "indent")?.intValue
            return .string(try JSON.encode(value, sortKeys: true, indent: indent, htmlSafe: true))
        case "items":
            switch value {
            case .dict(let d): return Value(d.entries.map { .list(ListBox([$0.key, $0.value], isTuple: true)) })
            case .undefined: return Value([Value]())
            default: throw raise("items filter needs a dict, got \(value.typeName)")
            }
        case "truncate":
            // Jinja's: within `leeway` (5) of the length it stays whole; else cut at a word unless killwords.
            let text = value.renderedString
            let length = args.arg(0, "length")?.intValue ?? 255
            let killwords = args.arg(1, "killwords")?.isTruthy ?? false
            let end = args.arg(2, "end")?.renderedString ?? "..."
            let leeway = args.arg(3, "leeway")?.intValue ?? 5
            let chars = Array(text)
            if chars.count <= length + leeway { return .string(text) }
            let head = String(chars.prefix(max(length - end.count, 0)))
            if killwords { return .string(head + end) }
            let cut = head.range(of: " ", options: .backwards).map { String(head[..<$0.lowerBound]) } ?? head
            return .string(cut + end)
        case "slice":
            // Jinja's: `n` columns, the first `len % n` one item longer.
            let items = try Operations.iterate(value)
            let count = max(args.arg(0, "slices")?.intValue ?? 1, 1)
            let fill = args.arg(1, "fill_with")
            let per = items.count / count, extra = items.count % count
            var offset = 0
            var out: [Value] = []
            for number in 0..<count {
                let start = offset + number * per
                if number < extra { offset += 1 }
                let end = offset + (number + 1) * per
                var part = Array(items[min(start, items.count)..<min(end, items.count)])
                if let fill, !fill.isNoneLike, number >= extra { part.append(fill) }
                out.append(Value(part))
            }
            return Value(out)
        case "groupby":
            // Jinja's: items sorted by the attribute, then one (grouper, list) per run of equal keys.
            guard let attribute = args.arg(0, "attribute") else { throw raise("groupby needs an attribute, e.g. groupby('team')") }
            let items = try sorted(try Operations.iterate(value), reverse: false, caseSensitive: args.keyword("case_sensitive")?.isTruthy ?? false,
                                   attribute: attribute)
            var groups: [(Value, [Value])] = []
            for item in items {
                let key = try attributeOrItem(item, attribute)
                if let last = groups.last, Operations.equals(last.0, key) { groups[groups.count - 1].1.append(item) } else { groups.append((key, [item])) }
            }
            return Value(groups.map { .object(GroupTuple(grouper: $0.0, list: $0.1)) })
        case "dictsort":
            guard case .dict(let d) = value else { throw raise("dictsort filter needs a dict, got \(value.typeName)") }
            let byValue = args.arg(1, "by")?.stringValue == "value"
            let reverse = args.arg(2, "reverse")?.isTruthy ?? false
            let caseSensitive = args.arg(0, "case_sensitive")?.isTruthy ?? false
            let pairs = d.entries.map { Value.list(ListBox([$0.key, $0.value], isTuple: true)) }
            return Value(try sorted(pairs, reverse: reverse, caseSensitive: caseSensitive, attribute: .int(byValue ? 1 : 0)))
        case "first":
            let items = try Operations.iterate(value)
            return items.first ?? .undefined("no first item, sequence was empty")
        case "last":
            let items = try Operations.iterate(value)
            return items.last ?? .undefined("no last item, sequence was empty")
        case "reverse":
            if case .string(let s) = value { return .string(String(s.reversed())) }
            return Value(try Operations.iterate(value).reversed())
        case "unique":
            let caseSensitive = args.arg(0, "case_sensitive")?.isTruthy ?? false
            let attribute = args.arg(1, "attribute")
            var seen: [Value] = []
            var result: [Value] = []
            for item in try Operations.iterate(value) {
                var key = attribute == nil ? item : try attributeOrItem(item, attribute!)
                if !caseSensitive, case .string(let s) = key { key = .string(s.lowercased()) }
                if !seen.contains(where: { Operations.equals($0, key) }) {
                    seen.append(key)
                    result.append(item)
                }
            }
            return Value(result)
        case "sort":
            let reverse = args.arg(0, "reverse")?.isTruthy ?? false
            let caseSensitive = args.arg(1, "case_sensitive")?.isTruthy ?? false
            return Value(try sorted(try Operations.iterate(value), reverse: reverse, caseSensitive: caseSensitive, attribute: args.arg(2, "attribute")))
        case "min", "max":
            let caseSensitive = args.arg(0, "case_sensitive")?.isTruthy ?? false
            let items = try sorted(try Operations.iterate(value), reverse: false, caseSensitive: caseSensitive, attribute: args.arg(1, "attribute"))
            return (name == "min" ? items.first : items.last) ?? .undefined("no \(name) item, sequence was empty")
        case "sum":
            var total = args.arg(1, "start") ?? .int(0)
            for item in try Operations.iterate(value) {
                let v = try args.arg(0, "attribute").map { try attributeOrItem(item, $0) } ?? item
                total = try Operations.binary(.add, total, v)
            }
            return total
        case "map":
            // Jinja maps nothing over none or undefined (`if value:` guards its loop).
            if value.isNoneLike { return Value([]) }
            let items = try Operations.iterate(value)
            if let attribute = args.keyword("attribute") {
                let fallback = args.keyword("default")
                return Value(try items.map {
                    let v = try attributeOrItem($0, attribute)
                    if v.isUndefined, let fallback { return fallback }
                    return v
                })
            }
            guard let filterName = args.positional.first?.stringValue else {
                throw raise("map needs a filter name or attribute=, e.g. map('upper') or map(attribute='name')")
            }
            let rest = Arguments(positional: Array(args.positional.dropFirst()), keyword: args.keyword)
            return Value(try items.map { try applyNamed(filterName, $0, rest, renderer) })
        case "select", "reject":
            let items = try Operations.iterate(value)
            let keep = name == "select"
            guard let testName = args.positional.first?.stringValue else { return Value(items.filter { $0.isTruthy == keep }) }
            let rest = Arguments(positional: Array(args.positional.dropFirst()), keyword: args.keyword)
            return Value(try items.filter { try test(testName, $0, rest, renderer: renderer) == keep })
        case "selectattr", "rejectattr":
            let items = try Operations.iterate(value)
            let keep = name == "selectattr"
            let attribute = try args.required(0, "attribute", of: name)
            let testName = args.positional.count > 1 ? args.positional[1].stringValue : nil
            let rest = Arguments(positional: Array(args.positional.dropFirst(2)), keyword: args.keyword)
            return Value(try items.filter {
                let v = try attributeOrItem($0, attribute)
                let passes = try testName.map { try test($0, v, rest, renderer: renderer) } ?? v.isTruthy
                return passes == keep
            })
        case "attr":
            return try Operations.attribute(of: value, try args.string(0, "name", of: "attr"))
        case "indent":
            let width = args.arg(0, "width") ?? .int(4)
            let first = args.arg(1, "first")?.isTruthy ?? false
            let blank = args.arg(2, "blank")?.isTruthy ?? false
            let indentation = width.stringValue ?? String(repeating: " ", count: width.intValue ?? 4)
            var lines = (value.renderedString + "\n").components(separatedBy: "\n")
            lines.removeLast()
            var result: String
            if blank {
                result = lines.joined(separator: "\n" + indentation)
            } else {
                result = lines.first ?? ""
                if lines.count > 1 {
                    result += "\n" + lines.dropFirst().map { $0.isEmpty ? $0 : indentation + $0 }.joined(separator: "\n")
                }
            }
            return .string(first ? indentation + result : result)
        case "format":
            let argument: Value = args.positional.count == 1 ? args.positional[0] : .list(ListBox(args.positional, isTuple: true))
            return .string(try Methods.percentFormat(value.renderedString, argument))
        case "wordcount":
            return .int(value.renderedString.split(whereSeparator: { $0.isWhitespace }).count)
        case "batch":
            let size = try args.required(0, "linecount", of: "batch").intValue ?? 1
            let items = try Operations.iterate(value)
            guard size > 0 else { throw raise("batch size must be positive") }
            return Value(Swift.stride(from: 0, to: items.count, by: size).map { Value(Array(items[$0..<min($0 + size, items.count)])) })
        default:
            throw raise("no filter named '\(name)'")
        }
    }

    private static func applyNamed(_ filterName: String, _ value: Value, _ args: Arguments, _ renderer: Renderer) throws -> Value {
        if let custom = renderer.environment.filters[filterName] { return try custom(value, args) }
        return try filter(filterName, value, args, renderer: renderer)
    }

    /// `attribute='a.b'` or an index, as Jinja's `map`/`sort`/`selectattr` take them.
    static func attributeOrItem(_ value: Value, _ path: Value) throws -> Value {
        if case .int = path { return try Operations.item(of: value, path) }
        var current = value
        for part in path.renderedString.split(separator: ".") {
            if let i = Int(part) {
                current = try Operations.item(of: current, .int(i))
            } else if case .dict(let d) = current {
                current = d[.string(String(part))] ?? .undefined("'dict object' has no attribute '\(part)'")
            } else {
                current = try Operations.attribute(of: current, String(part))
            }
        }
        return current
    }

    static func sorted(_ items: [Value], reverse: Bool, caseSensitive: Bool, attribute: Value?) throws -> [Value] {
        func key(_ v: Value) throws -> Value {
            var k = try attribute.map { try attributeOrItem(v, $0) } ?? v
            if !caseSensitive, case .string(let s) = k { k = .string(s.lowercased()) }
            return k
        }
        let keyed = try items.map { (try key($0), $0) }
        var failure: Error?
        let result = keyed.enumerated().sorted { a, b in
            do {
                if try Operations.lessThan(a.element.0, b.element.0, "<") { return !reverse }
                if try Operations.lessThan(b.element.0, a.element.0, "<") { return reverse }
            } catch { failure = error }
            return a.offset < b.offset
        }
        if let failure { throw failure }
        return result.map(\.element.1)
    }

    // MARK: tests

    static func test(_ name: String, _ value: Value, _ args: Arguments, renderer: Renderer) throws -> Bool {
        func other() throws -> Value { try args.required(0, "other", of: name) }
        switch name {
        case "defined": return !value.isUndefined
        case "undefined": return value.isUndefined
        case "none": if case .none = value { return true }; return false
        case "true": if case .bool(true) = value { return true }; return false
        case "false": if case .bool(false) = value { return true }; return false
        case "boolean": if case .bool = value { return true }; return false
        case "string": if case .string = value { return true }; return false
        case "number":
            switch value { case .int, .double, .bool: return true; default: return false }
        case "integer": if case .int = value { return true }; return false
        case "float": if case .double = value { return true }; return false
        case "mapping":
            if case .dict = value { return true }
            if case .object(let o) = value { return o.isMapping }
            return false
        case "iterable":
            switch value {
            case .list, .dict, .string, .undefined: return true
            case .object(let o): return o.iterate() != nil
            default: return false
            }
        case "sequence":
            switch value {
            case .list, .dict, .string: return true
            default: return false
            }
        case "callable":
            switch value {
            case .function, .macro: return true
            default: return false
            }
        case "lower": return value.stringValue.map { $0 == $0.lowercased() } ?? false
        case "upper": return value.stringValue.map { $0 == $0.uppercased() } ?? false
        case "odd", "even":
            guard let i = value.intValue else { throw raise("'\(name)' test needs an integer, got \(value.typeName)") }
            return (i % 2 != 0) == (name == "odd")
        case "divisibleby":
            guard let i = value.intValue, let n = try other().intValue, n != 0 else { throw raise("'divisibleby' test needs non-zero integers") }
            return i % n == 0
        case "in": return try Operations.contains(try other(), value)
        case "eq", "equalto", "==": return Operations.equals(value, try other())
        case "ne", "!=": return !Operations.equals(value, try other())
        case "lt", "lessthan", "<": return try Operations.compare(.lt, value, try other())
        case "le", "<=": return try Operations.compare(.le, value, try other())
        case "gt", "greaterthan", ">": return try Operations.compare(.gt, value, try other())
        case "ge", ">=": return try Operations.compare(.ge, value, try other())
        case "sameas":
            let o = try other()
            switch (value, o) {
            case (.none, .none): return true
            case (.bool(let a), .bool(let b)): return a == b
            case (.list(let a), .list(let b)): return a === b
            case (.dict(let a), .dict(let b)): return a === b
            default: return Operations.equals(value, o)
            }
        default: throw raise("no test named '\(name)'")
        }
    }
}

/// JSON as Jinja's `tojson` writes it (Python's `json.dumps` layout).
enum JSON {
    static func encode(_ value: Value, sortKeys: Bool, indent: Int?, htmlSafe: Bool) throws -> String {
        var out = ""
        try write(value, into: &out, sortKeys: sortKeys, indent: indent, level: 0, htmlSafe: htmlSafe)
        return out
    }

    private static func write(_ value: Value, into out: inout String, sortKeys: Bool, indent: Int?, level: Int, htmlSafe: Bool) throws {
        let newline = indent.map { "\n" + String(repeating: " ", count: $0 * (level + 1)) }
        let closing = indent.map { "\n" + String(repeating: " ", count: $0 * level) } ?? ""
        let itemSeparator = indent == nil ? ", " : ","
        switch value {
        case .none, .undefined: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            if d.isNaN { out += "NaN" } else if d.isInfinite { out += d < 0 ? "-Infinity" : "Infinity" } else { out += Value.formatDouble(d) }
        case .string(let s): out += quote(s, htmlSafe: htmlSafe)
        case .list(let l):
            if l.items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in l.items.enumerated() {
                if i > 0 { out += itemSeparator }
                out += newline ?? ""
                try write(item, into: &out, sortKeys: sortKeys, indent: indent, level: level + 1, htmlSafe: htmlSafe)
            }
            out += closing + "]"
        case .dict(let d):
            if d.count == 0 { out += "{}"; return }
            var entries: [(key: String, value: Value)] = d.entries.map { entry in
                switch entry.key {
                case .bool(let b): return (b ? "true" : "false", entry.value)
                case .none: return ("null", entry.value)
                default: return (entry.key.renderedString, entry.value)
                }
            }
            if sortKeys { entries.sort { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) } }
            out += "{"
            for (i, entry) in entries.enumerated() {
                if i > 0 { out += itemSeparator }
                out += newline ?? ""
                out += quote(entry.key, htmlSafe: htmlSafe) + ": "
                try write(entry.value, into: &out, sortKeys: sortKeys, indent: indent, level: level + 1, htmlSafe: htmlSafe)
            }
            out += closing + "}"
        case .function, .macro, .object:
            throw TemplateError.raised("Object of type \(value.typeName) is not JSON serializable")
        }
    }

    static func quote(_ s: String, htmlSafe: Bool) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<" where htmlSafe: out += "\\u003c"
            case ">" where htmlSafe: out += "\\u003e"
            case "&" where htmlSafe: out += "\\u0026"
            case "'" where htmlSafe: out += "\\u0027"
            default:
                if scalar.value < 0x20 || scalar.value > 0x7E {
                    if scalar.value > 0xFFFF {
                        let v = scalar.value - 0x10000
                        out += String(format: "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF))
                    } else {
                        out += String(format: "\\u%04x", scalar.value)
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}


/// One group of Jinja's `groupby` filter: `.grouper` and `.list`, and a 2-tuple when unpacked.
final class GroupTuple: TemplateObject {
    let grouper: Value
    let list: Value

    init(grouper: Value, list: [Value]) {
        self.grouper = grouper
        self.list = Value(list)
    }

    func attribute(_ name: String) -> Value? {
        switch name {
        case "grouper": return grouper
        case "list": return list
        default: return nil
        }
    }

    func item(_ key: Value) -> Value? {
        switch key.intValue {
        case 0: return grouper
        case 1: return list
        default: return nil
        }
    }

    func iterate() -> [Value]? { [grouper, list] }
    var renderedString: String { Value.list(ListBox([grouper, list], isTuple: true)).pythonRepr }
}
