import Foundation

/// Constants in the source; kept apart from `Value` so the parsed tree is `Sendable`.
enum Literal: Sendable {
    case none, bool(Bool), int(Int), double(Double), string(String)

    var value: Value {
        switch self {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        }
    }
}

enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%", power = "**"
    case concat = "~"
}

enum CompareOperator: String, Sendable {
    case eq = "==", ne = "!=", lt = "<", gt = ">", le = "<=", ge = ">=", isIn = "in", notIn = "not in"
}

enum CallArgument: Sendable {
    case positional(Expression)
    case keyword(String, Expression)
    case splat(Expression)
    case doubleSplat(Expression)
}

/// Expressions carry the byte offset they start at (for attributes: of the attribute name), so
/// errors point at the part that failed.
indirect enum Expression: Sendable {
    case literal(Literal)
    case name(String, Int)
    case list([Expression])
    case tuple([Expression])
    case dict([(Expression, Expression)])
    case attribute(Expression, String, Int)
    case subscriptAccess(Expression, Expression, Int)
    case slice(Expression, Expression?, Expression?, Expression?, Int)
    case call(Expression, [CallArgument], Int)
    case filter(Expression, String, [CallArgument], Int)
    case test(Expression, String, [CallArgument], negated: Bool, Int)
    case negate(Expression, Int)
    case plus(Expression, Int)
    case not(Expression)
    case binary(BinaryOperator, Expression, Expression, Int)
    case and(Expression, Expression)
    case or(Expression, Expression)
    case compare(Expression, [(CompareOperator, Expression, Int)])
    case conditional(condition: Expression, then: Expression, otherwise: Expression?)

    /// Where the expression starts, for errors about the whole expression.
    var offset: Int {
        switch self {
        case .literal, .list, .tuple, .dict: return -1
        case .name(_, let o), .subscriptAccess(_, _, let o), .slice(_, _, _, _, let o), .negate(_, let o), .plus(_, let o):
            return o
        case .attribute(let base, _, let o), .call(let base, _, let o), .filter(let base, _, _, let o),
            .test(let base, _, _, _, let o):
            let b = base.offset
            return b >= 0 ? b : o
        case .binary(_, let l, _, let o):
            let b = l.offset
            return b >= 0 ? b : o
        case .not(let e), .and(let e, _), .or(let e, _), .compare(let e, _): return e.offset
        case .conditional(_, let then, _): return then.offset
        }
    }
}

/// Where a `set` or `for` assigns.
indirect enum AssignTarget: Sendable {
    case name(String)
    case tuple([AssignTarget])
    case attribute(String, String, Int)
}

struct MacroParameter: Sendable {
    let name: String
    let defaultValue: Expression?
}

/// A parsed `{% macro %}` (or dbt `{% test %}` / `{% materialization %}`, or a `{% call %}` body).
final class MacroDefinition: Sendable {
    let name: String
    let parameters: [MacroParameter]
    let body: [Node]
    let offset: Int
    /// Whether the body reads `varargs` / `kwargs` / `caller`; as in Jinja, extra arguments are
    /// an error unless the body can see them.
    let usesVarargs: Bool
    let usesKwargs: Bool

    init(name: String, parameters: [MacroParameter], body: [Node], offset: Int, usesVarargs: Bool, usesKwargs: Bool) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.offset = offset
        self.usesVarargs = usesVarargs
        self.usesKwargs = usesKwargs
    }
}

final class ForLoop: Sendable {
    let target: AssignTarget
    let iterable: Expression
    let condition: Expression?
    let body: [Node]
    let elseBody: [Node]
    let offset: Int
    /// `{% for … recursive %}`: the body may call `loop(items)` to render itself one level deeper.
    let recursive: Bool

    init(target: AssignTarget, iterable: Expression, condition: Expression?, body: [Node], elseBody: [Node], offset: Int, recursive: Bool = false) {
        self.recursive = recursive
        self.target = target
        self.iterable = iterable
        self.condition = condition
        self.body = body
        self.elseBody = elseBody
        self.offset = offset
    }
}

struct FilterCall: Sendable {
    let name: String
    let arguments: [CallArgument]
    let offset: Int
}

indirect enum Node: Sendable {
    case text(String)
    case output(Expression)
    case conditional([(Expression, [Node])], otherwise: [Node])
    case forLoop(ForLoop)
    case set(AssignTarget, Expression, Int)
    case setBlock(AssignTarget, [Node], [FilterCall], Int)
    case macro(MacroDefinition)
    case callBlock(call: Expression, caller: MacroDefinition)
    case expressionStatement(Expression)
    case filterBlock([FilterCall], [Node])
    /// `{% with a = 1, b = x %}…{% endwith %}`: names visible only inside the body.
    case withBlock([(String, Expression)], [Node])
    case breakLoop
    case continueLoop
    /// A dbt docs block renders nothing where it stands; its text is in `Template.docsBlocks`.
    case docs
    /// A dbt snapshot block renders its body in place.
    case snapshot(String, [Node])
}
