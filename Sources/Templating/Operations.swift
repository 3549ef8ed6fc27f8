import Foundation

/// Python semantics for the operators, attribute access and iteration. Errors are thrown
/// unlocated (`TemplateError.raised`); the renderer adds where they happened.
enum Operations {
    static func raise(_ message: String) -> TemplateError { TemplateError.raised(message) }

    static func attribute(of value: Value, _ name: String) throws -> Value {
        switch value {
        case .undefined(let description):
            throw raise("\(description), so attribute '\(name)' cannot be read")
        case .dict(let d):
            if Methods.has(value, name) { return Methods.bound(value, name) }
            return d[.string(name)] ?? .undefined("'dict object' has no attribute '\(name)'")
        case .string, .list:
            if Methods.has(value, name) { return Methods.bound(value, name) }
            return .undefined("'\(value.typeName) object' has no attribute '\(name)'")
        case .object(let o):
            return o.attribute(name) ?? .undefined("'\(value.typeName)' object has no attribute '\(name)'")
        case .macro(let m):
            switch name {
            case "name": return .string(m.name)
            case "arguments": return Value(m.parameterNames.map(Value.string))
            default: return .undefined("macro '\(m.name)' has no attribute '\(name)'")
            }
        default:
            return .undefined("'\(value.typeName) object' has no attribute '\(name)'")
        }
    }

    static func item(of value: Value, _ key: Value) throws -> Value {
        switch value {
        case .undefined(let description):
            throw raise("\(description), so item [\(key.pythonRepr)] cannot be read")
        case .dict(let d):
            if let v = d[key] { return v }
            if case .string(let name) = key, Methods.has(value, name) { return Methods.bound(value, name) }
            return .undefined("'dict object' has no attribute \(key.pythonRepr)")
        case .list(let l):
            guard let i = key.intValue else {
                if case .string(let name) = key { return try attribute(of: value, name) }
                throw raise("list indices must be integers, not \(key.typeName)")
            }
            let index = i < 0 ? l.items.count + i : i
            guard index >= 0, index < l.items.count else { return .undefined("list index \(i) out of range") }
            return l.items[index]
        case .string(let s):
            guard let i = key.intValue else {
                if case .string(let name) = key { return try attribute(of: value, name) }
                throw raise("string indices must be integers, not \(key.typeName)")
            }
            let chars = Array(s)
            let index = i < 0 ? chars.count + i : i
            guard index >= 0, index < chars.count else { return .undefined("string index \(i) out of range") }
            return .string(String(chars[index]))
        case .object(let o):
            if let v = o.item(key) { return v }
            return .undefined("'\(value.typeName)' object has no item \(key.pythonRepr)")
        default:
            if case .string(let name) = key { return try attribute(of: value, name) }
            return .undefined("'\(value.typeName)' object is not subscriptable")
        }
    }

    static func slice(_ value: Value, _ start: Value?, _ stop: Value?, _ step: Value?) throws -> Value {
        func bound(_ v: Value?) throws -> Int? {
            guard let v, !(v.isUndefined) else { return nil }
            if case .none = v { return nil }
            guard let i = v.intValue else { throw raise("slice indices must be integers or None, not \(v.typeName)") }
            return i
        }
        let stepValue = try bound(step) ?? 1
        guard stepValue != 0 else { throw raise("slice step cannot be zero") }
        func indices(count: Int) throws -> [Int] {
            func clamp(_ i: Int?, _ defaultValue: Int, low: Int, high: Int) -> Int {
                guard var i else { return defaultValue }
                if i < 0 { i += count }
                return min(max(i, low), high)
            }
            var result: [Int] = []
            if stepValue > 0 {
                var i = clamp(try bound(start), 0, low: 0, high: count)
                let end = clamp(try bound(stop), count, low: 0, high: count)
                while i < end { result.append(i); i += stepValue }
            } else {
                var i = clamp(try bound(start), count - 1, low: -1, high: count - 1)
                let end = clamp(try bound(stop), -1, low: -1, high: count - 1)
                while i > end { result.append(i); i += stepValue }
            }
            return result
        }
        switch value {
        case .list(let l):
            return .list(ListBox(try indices(count: l.items.count).map { l.items[$0] }, isTuple: l.isTuple))
        case .string(let s):
            let chars = Array(s)
            return .string(String(try indices(count: chars.count).map { chars[$0] }))
        case .undefined(let description):
            throw raise("\(description), so it cannot be sliced")
        default:
            throw raise("'\(value.typeName)' object cannot be sliced")
        }
    }

    /// What a for loop walks: list items, dict keys, string characters; undefined is empty.
    static func iterate(_ value: Value, forUnpacking: Bool = false) throws -> [Value] {
        switch value {
        case .list(let l): return l.items
        case .dict(let d): return d.keys
        case .string(let s): return s.map { .string(String($0)) }
        case .undefined(let description):
            if forUnpacking { throw raise("\(description), so it cannot be unpacked") }
            return []
        case .object(let o):
            if let items = o.iterate() { return items }
            throw raise("'\(value.typeName)' object is not iterable")
        default:
            throw raise("'\(value.typeName)' object is not iterable")
        }
    }

    static func negate(_ value: Value) throws -> Value {
        switch value {
        case .int(let i): return .int(-i)
        case .double(let d): return .double(-d)
        case .bool(let b): return .int(b ? -1 : 0)
        case .undefined(let description): throw raise(description)
        default: throw raise("bad operand type for unary -: '\(value.typeName)'")
        }
    }

    private static func unsupported(_ op: BinaryOperator, _ l: Value, _ r: Value) -> TemplateError {
        if case .undefined(let d) = l { return raise(d) }
        if case .undefined(let d) = r { return raise(d) }
        return raise("unsupported operand type(s) for \(op.rawValue): '\(l.typeName)' and '\(r.typeName)'")
    }

    static func binary(_ op: BinaryOperator, _ l: Value, _ r: Value) throws -> Value {
        if op == .concat { return .string(l.renderedString + r.renderedString) }
        if op == .add || op == .subtract {
            if case .object(let o as TemplateArithmetic) = l, let v = try o.combine(adding: op == .add, r, selfOnLeft: true) { return v }
            if case .object(let o as TemplateArithmetic) = r, let v = try o.combine(adding: op == .add, l, selfOnLeft: false) { return v }
        }
        // Integer arithmetic first; bools count as ints, as in Python.
        if let a = l.intValue, let b = r.intValue, !(isDouble(l) || isDouble(r)) {
            switch op {
            case .add:
                let (v, overflow) = a.addingReportingOverflow(b)
                return overflow ? .double(Double(a) + Double(b)) : .int(v)
            case .subtract:
                let (v, overflow) = a.subtractingReportingOverflow(b)
                return overflow ? .double(Double(a) - Double(b)) : .int(v)
            case .multiply:
                let (v, overflow) = a.multipliedReportingOverflow(by: b)
                return overflow ? .double(Double(a) * Double(b)) : .int(v)
            case .divide:
                guard b != 0 else { throw raise("division by zero") }
                return .double(Double(a) / Double(b))
            case .floorDivide:
                guard b != 0 else { throw raise("integer division or modulo by zero") }
                let q = a / b
                return .int((a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q)
            case .modulo:
                guard b != 0 else { throw raise("integer division or modulo by zero") }
                let m = a % b
                return .int(m != 0 && ((m < 0) != (b < 0)) ? m + b : m)
            case .power:
                if b >= 0 {
                    var result = 1
                    for _ in 0..<b {
                        let (v, overflow) = result.multipliedReportingOverflow(by: a)
                        if overflow { return .double(pow(Double(a), Double(b))) }
                        result = v
                    }
                    return .int(result)
                }
                return .double(pow(Double(a), Double(b)))
            case .concat: break
            }
        }
        if let a = l.doubleValue, let b = r.doubleValue {
            switch op {
            case .add: return .double(a + b)
            case .subtract: return .double(a - b)
            case .multiply: return .double(a * b)
            case .divide:
                guard b != 0 else { throw raise("float division by zero") }
                return .double(a / b)
            case .floorDivide:
                guard b != 0 else { throw raise("float floor division by zero") }
                return .double((a / b).rounded(.down))
            case .modulo:
                guard b != 0 else { throw raise("float modulo by zero") }
                let m = a.truncatingRemainder(dividingBy: b)
                return .double(m != 0 && ((m < 0) != (b < 0)) ? m + b : m)
            case .power: return .double(pow(a, b))
            case .concat: break
            }
        }
        switch (op, l, r) {
        case (.add, .string(let a), .string(let b)):
            return .string(a + b)
        case (.add, .list(let a), .list(let b)):
            return .list(ListBox(a.items + b.items, isTuple: a.isTuple))
        case (.multiply, .string(let s), _), (.multiply, _, .string(let s)):
            guard let n = (l.stringValue == nil ? l.intValue : r.intValue) else { throw unsupported(op, l, r) }
            return .string(String(repeating: s, count: max(0, n)))
        case (.multiply, .list(let box), _), (.multiply, _, .list(let box)):
            guard let n = (l.listValue == nil ? l.intValue : r.intValue) else { throw unsupported(op, l, r) }
            var items: [Value] = []
            for _ in 0..<max(0, n) { items += box.items }
            return .list(ListBox(items, isTuple: box.isTuple))
        case (.modulo, .string(let format), _):
            return .string(try Methods.percentFormat(format, r))
        default:
            throw unsupported(op, l, r)
        }
    }

    private static func isDouble(_ v: Value) -> Bool {
        if case .double = v { return true }
        return false
    }

    static func equals(_ l: Value, _ r: Value) -> Bool {
        if case .object(let a as TemplateArithmetic) = l, case .object(let b as TemplateArithmetic) = r, type(of: a) == type(of: b) {
            return a.orderingKey == b.orderingKey
        }
        switch (l, r) {
        case (.none, .none): return true
        case (.undefined, .undefined): return true
        case (.string(let a), .string(let b)): return a == b
        case (.list(let a), .list(let b)):
            if a === b { return true }
            return a.items.count == b.items.count && zip(a.items, b.items).allSatisfy { equals($0, $1) }
        case (.dict(let a), .dict(let b)):
            if a === b { return true }
            guard a.count == b.count else { return false }
            for (k, v) in a.entries {
                guard let other = b[k], equals(v, other) else { return false }
            }
            return true
        case (.object(let a), .object(let b)): return a === b
        case (.macro(let a), .macro(let b)): return a === b
        default:
            if let a = l.doubleValue, let b = r.doubleValue {
                if let ai = l.intValue, let bi = r.intValue { return ai == bi }
                return a == b
            }
            return false
        }
    }

    static func lessThan(_ l: Value, _ r: Value, _ symbol: String) throws -> Bool {
        if case .object(let a as TemplateArithmetic) = l, case .object(let b as TemplateArithmetic) = r, type(of: a) == type(of: b) {
            return a.orderingKey < b.orderingKey
        }
        switch (l, r) {
        case (.string(let a), .string(let b)):
            return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
        case (.list(let a), .list(let b)):
            for (x, y) in zip(a.items, b.items) where !equals(x, y) { return try lessThan(x, y, symbol) }
            return a.items.count < b.items.count
        default:
            if let ai = l.intValue, let bi = r.intValue, !isDouble(l), !isDouble(r) { return ai < bi }
            if let a = l.doubleValue, let b = r.doubleValue { return a < b }
            if case .undefined(let d) = l { throw raise(d) }
            if case .undefined(let d) = r { throw raise(d) }
            throw raise("'\(symbol)' not supported between instances of '\(l.typeName)' and '\(r.typeName)'")
        }
    }

    static func contains(_ container: Value, _ item: Value) throws -> Bool {
        switch container {
        case .string(let s):
            guard case .string(let sub) = item else {
                throw raise("'in <string>' requires string as left operand, not \(item.typeName)")
            }
            return sub.isEmpty || s.contains(sub)
        case .list(let l): return l.items.contains { equals($0, item) }
        case .dict(let d): return d[item] != nil
        case .undefined(let description): throw raise("\(description), so 'in' cannot look inside it")
        case .object(let o):
            if let items = o.iterate() { return items.contains { equals($0, item) } }
            throw raise("argument of type '\(container.typeName)' is not iterable")
        default: throw raise("argument of type '\(container.typeName)' is not iterable")
        }
    }

    static func compare(_ op: CompareOperator, _ l: Value, _ r: Value) throws -> Bool {
        switch op {
        case .eq: return equals(l, r)
        case .ne: return !equals(l, r)
        case .lt: return try lessThan(l, r, "<")
        case .gt: return try lessThan(r, l, ">")
        case .le: return try !lessThan(r, l, "<=")
        case .ge: return try !lessThan(l, r, ">=")
        case .isIn: return try contains(r, l)
        case .notIn: return try !contains(r, l)
        }
    }
}

extension TemplateObject {
    public func item(_ key: Value) -> Value? {
        if case .string(let s) = key { return attribute(s) }
        return nil
    }

    public func iterate() -> [Value]? { nil }
    public var isMapping: Bool { false }
}
