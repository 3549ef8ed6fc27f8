import Foundation

/// A value that templates compute with: the Jinja/Python data model, reduced to what dbt projects use.
///
/// Lists and dicts are reference boxes, so `{% do items.append(x) %}` changes the list every
/// holder sees, as in Python.
///
/// ```swift
/// let columns: Value = ["id", "amount"]          // a list
/// let config: Value = ["materialized": "table"]   // a dict
/// ```
public indirect enum Value {
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    /// A mutable, shared list (also used for tuples, see `ListBox.isTuple`).
    case list(ListBox)
    /// A mutable, shared dict that keeps insertion order.
    case dict(DictBox)
    /// A host function callable from templates.
    case function(NativeFunction)
    /// A Jinja macro (or a `caller`), callable from templates and through `Environment.call`.
    case macro(Macro)
    /// A host object with attributes, an optional call, and its own string form.
    case object(any TemplateObject)
    /// What a name or attribute that does not exist evaluates to; `description` says what was missing.
    /// Prints as "", is falsy, iterates as empty; reading an attribute of it or calling it is an error.
    case undefined(String)
}

extension Value {
    /// A list value holding `items`.
    public init(_ items: [Value]) { self = .list(ListBox(items)) }

    /// A dict value holding `entries` (string keys; order follows the keys' sort order
    /// because Swift dictionaries have none).
    public init(_ entries: [String: Value]) {
        let box = DictBox()
        for key in entries.keys.sorted() { box[.string(key)] = entries[key]! }
        self = .dict(box)
    }

    /// A dict value keeping the given order of `pairs`.
    public init(orderedPairs pairs: [(String, Value)]) {
        let box = DictBox()
        for (key, value) in pairs { box[.string(key)] = value }
        self = .dict(box)
    }

    /// Python truthiness: none, false, 0, 0.0, "", empty list/dict and undefined are false.
    public var isTruthy: Bool {
        switch self {
        case .none, .undefined: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.items.isEmpty
        case .dict(let d): return d.count > 0
        case .function, .macro, .object: return true
        }
    }

    /// True for `.undefined`.
    public var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    /// How `{{ value }}` prints: Python's `str()` (None, True, 1.5, ['a', 1]); undefined prints "".
    public var renderedString: String {
        switch self {
        case .string(let s): return s
        case .undefined: return ""
        case .object(let o): return o.renderedString
        default: return pythonRepr
        }
    }

    /// Python's `repr()`: strings quoted, used inside lists and dicts.
    public var pythonRepr: String {
        switch self {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d): return Value.formatDouble(d)
        case .string(let s): return Value.quotePython(s)
        case .list(let box):
            let inner = box.items.map(\.pythonRepr).joined(separator: ", ")
            if box.isTuple { return box.items.count == 1 ? "(\(inner),)" : "(\(inner))" }
            if box.isSet { return box.items.isEmpty ? "set()" : "{\(inner)}" }
            return "[\(inner)]"
        case .dict(let box):
            return "{" + box.entries.map { "\($0.key.pythonRepr): \($0.value.pythonRepr)" }.joined(separator: ", ") + "}"
        case .function(let f): return "<function \(f.name)>"
        case .macro(let m): return "<Macro '\(m.name)'>"
        case .object(let o): return o.renderedString
        case .undefined: return ""
        }
    }

    /// The Python type name used in error messages ("str", "int", "list", ...).
    public var typeName: String {
        switch self {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .list(let l): return l.isTuple ? "tuple" : l.isSet ? "set" : "list"
        case .dict: return "dict"
        case .function: return "function"
        case .macro: return "macro"
        case .object(let o): return String(describing: type(of: o))
        case .undefined: return "undefined"
        }
    }

    /// The string payload, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer payload, if this is an int (or a bool, as in Python).
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// The numeric payload as a double, for ints, doubles and bools.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// The elements, if this is a list or tuple.
    public var listValue: [Value]? {
        if case .list(let l) = self { return l.items }
        return nil
    }

    /// The dict box, if this is a dict.
    public var dictValue: DictBox? {
        if case .dict(let d) = self { return d }
        return nil
    }

    static func formatDouble(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == d.rounded(), abs(d) < 1e16 {
            return String(format: "%.1f", d)
        }
        return d.description
    }

    static func quotePython(_ s: String) -> String {
        let quote: Character = (s.contains("'") && !s.contains("\"")) ? "\"" : "'"
        var out = String(quote)
        for ch in s {
            switch ch {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if ch == quote { out += "\\" + String(ch) } else { out.append(ch) }
            }
        }
        out.append(quote)
        return out
    }
}

// Deliberately not ExpressibleByNilLiteral: in `-> Value?` code a bare `nil` must mean "absent"
// (undefined to templates), never Python's None.
extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: Value...) { self = .list(ListBox(elements)) }
    public init(dictionaryLiteral elements: (String, Value)...) { self.init(orderedPairs: elements) }
}

extension Value: CustomStringConvertible {
    public var description: String { renderedString }
}

/// A shared, mutable list: the storage behind `Value.list`.
public final class ListBox {
    public var items: [Value]
    /// Tuples print with parentheses; otherwise they behave as lists.
    public let isTuple: Bool
    /// Python's sets (`set(…)`) print with braces, `set()` when empty; they are kept as sorted,
    /// unique lists.
    public let isSet: Bool

    public init(_ items: [Value] = [], isTuple: Bool = false, isSet: Bool = false) {
        self.items = items
        self.isTuple = isTuple
        self.isSet = isSet
    }
}

/// A shared, mutable dict that keeps insertion order, as Python's does.
/// Keys are strings, numbers, bools or none (`1`, `1.0` and `True` are the same key, as in Python).
public final class DictBox {
    public private(set) var keys: [Value] = []
    private var values: [Value] = []
    private var index: [DictKey: Int] = [:]

    public init() {}

    /// A dict with string keys in the given order.
    public convenience init(_ pairs: [(String, Value)]) {
        self.init()
        for (k, v) in pairs { self[.string(k)] = v }
    }

    public var count: Int { keys.count }

    /// Entries in insertion order.
    public var entries: [(key: Value, value: Value)] {
        (0..<keys.count).map { (keys[$0], values[$0]) }
    }

    /// Reads or writes an entry; assigning nil removes it. Unhashable keys (lists, dicts) are ignored.
    public subscript(key: Value) -> Value? {
        get {
            guard let k = DictKey(key), let i = index[k] else { return nil }
            return values[i]
        }
        set {
            guard let k = DictKey(key) else { return }
            if let newValue {
                if let i = index[k] { values[i] = newValue } else {
                    index[k] = keys.count
                    keys.append(key)
                    values.append(newValue)
                }
            } else if let i = index[k] {
                keys.remove(at: i)
                values.remove(at: i)
                index[k] = nil
                for j in i..<keys.count { index[DictKey(keys[j])!] = j }
            }
        }
    }

    /// String-keyed convenience access.
    public subscript(key: String) -> Value? {
        get { self[.string(key)] }
        set { self[.string(key)] = newValue }
    }

    /// A shallow copy (new box, same element values).
    public func copy() -> DictBox {
        let d = DictBox()
        d.keys = keys
        d.values = values
        d.index = index
        return d
    }
}

/// The hashable form of a dict key, equal where Python's keys are equal.
enum DictKey: Hashable {
    case none
    case number(Double)
    case int(Int)
    case string(String)
    case other(ObjectIdentifier)

    init?(_ value: Value) {
        switch value {
        case .none: self = .none
        case .bool(let b): self = .int(b ? 1 : 0)
        case .int(let i): self = .int(i)
        case .double(let d):
            if d == d.rounded(), abs(d) < 9e18 { self = .int(Int(d)) } else { self = .number(d) }
        case .string(let s): self = .string(s)
        case .object(let o): self = .other(ObjectIdentifier(o))
        case .macro(let m): self = .other(ObjectIdentifier(m))
        case .list, .dict, .function, .undefined: return nil
        }
    }
}

/// Arguments of a call from a template: positional values, then keyword values in call order.
public struct Arguments {
    public var positional: [Value]
    public var keyword: [(String, Value)]

    public init(positional: [Value] = [], keyword: [(String, Value)] = []) {
        self.positional = positional
        self.keyword = keyword
    }

    /// The keyword argument `name`, if given.
    public func keyword(_ name: String) -> Value? {
        for (k, v) in keyword where k == name { return v }
        return nil
    }

    /// The argument passed at position `index` or as keyword `name` (Python's binding rule).
    public func arg(_ index: Int, _ name: String) -> Value? {
        if index < positional.count { return positional[index] }
        return keyword(name)
    }

    /// Like `arg`, but throws a message naming the function when the argument is missing.
    public func required(_ index: Int, _ name: String, of function: String) throws -> Value {
        guard let v = arg(index, name) else {
            throw TemplateError.raised("\(function)() is missing required argument '\(name)'")
        }
        return v
    }

    /// The string argument at `index`/`name`, or a message naming the function and the type given.
    public func string(_ index: Int, _ name: String, of function: String) throws -> String {
        let v = try required(index, name, of: function)
        guard case .string(let s) = v else {
            throw TemplateError.raised("\(function)() expects argument '\(name)' to be a string, got \(v.typeName)")
        }
        return s
    }
}

/// A host function callable from templates, e.g. `ref`, `var`, `log`.
///
/// ```swift
/// env.globals["shout"] = .function(NativeFunction(name: "shout") { args in
///     .string((args.arg(0, "text")?.renderedString ?? "").uppercased())
/// })
/// ```
/// Any error the body throws surfaces as a `TemplateError` at the call's file:line:col.
public struct NativeFunction {
    public let name: String
    public let body: (Arguments) throws -> Value

    public init(name: String, _ body: @escaping (Arguments) throws -> Value) {
        self.name = name
        self.body = body
    }
}

/// A host object visible to templates: `{{ this }}`, `{{ target.schema }}`, `adapter.dispatch(...)`.
extension Value {
    /// `none`, or a name that was never set.
    public var isNoneLike: Bool {
        switch self {
        case .none, .undefined: return true
        default: return false
        }
    }
}

/// An object that takes part in `+`, `-` and comparisons, as Python's dates and durations do.
public protocol TemplateArithmetic: TemplateObject {
    /// `self + other` / `self - other` (or `other - self` when `selfOnLeft` is false); nil when
    /// the operation does not apply, which is then a type error.
    func combine(adding: Bool, _ other: Value, selfOnLeft: Bool) throws -> Value?
    /// Orders and equates objects of one kind (a date's day number, a duration's seconds).
    var orderingKey: Double { get }
}

public protocol TemplateObject: AnyObject {
    /// The attribute `name`, or nil when it does not exist (the template then sees undefined).
    func attribute(_ name: String) -> Value?
    /// How `{{ obj }}` prints, e.g. a relation prints `"schema"."name"`.
    var renderedString: String { get }
    /// Calling the object, `{{ obj(...) }}`; by default an error saying it is not callable.
    func call(_ arguments: Arguments) throws -> Value
    /// `obj[key]`; by default the attribute named by a string key.
    func item(_ key: Value) -> Value?
    /// What `for x in obj` walks (e.g. rows of a query result); nil, the default, means not iterable.
    func iterate() -> [Value]?
    /// Whether `obj is mapping` holds (dbt's relations are mappings); false by default.
    var isMapping: Bool { get }
}

extension TemplateObject {
    public func call(_ arguments: Arguments) throws -> Value {
        throw TemplateError.raised("'\(type(of: self))' object is not callable")
    }
}

/// A Jinja macro bound to the template that defines it (and, for nested macros and `caller`,
/// to the scope it was defined in). Calling it renders its body, or yields the value passed to
/// `return(...)`.
public final class Macro {
    /// The macro's name (`caller` for the body of a `{% call %}` block).
    public var name: String { definition.name }
    /// Parameter names in declaration order.
    public var parameterNames: [String] { definition.parameters.map(\.name) }
    /// The file the macro was defined in.
    public var templateName: String { template.name }

    let definition: MacroDefinition
    let template: Template
    let capturedScope: Scope?

    init(definition: MacroDefinition, template: Template, capturedScope: Scope?) {
        self.definition = definition
        self.template = template
        self.capturedScope = capturedScope
    }
}
