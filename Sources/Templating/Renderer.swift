import Foundation

/// Variables of one block level (template top, macro body, loop body); lookups walk outwards.
final class Scope {
    var variables: [String: Value]
    let parent: Scope?

    init(parent: Scope?, variables: [String: Value] = [:]) {
        self.parent = parent
        self.variables = variables
    }

    func lookup(_ name: String) -> Value? {
        var scope: Scope? = self
        while let s = scope {
            if let v = s.variables[name] { return v }
            scope = s.parent
        }
        return nil
    }
}

/// dbt's `return(x)` unwinds to the macro call, which then evaluates to `x`.
final class ReturnSignal: Error, @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

enum Flow {
    case normal, breakLoop, continueLoop
}

/// The `loop` variable inside a for loop.
final class LoopState: TemplateObject {
    var index0 = 0
    let items: [Value]
    /// The values `loop.changed(…)` saw last.
    var lastChanged: Value?
    /// 1 for the outermost level of a recursive loop, one more per `loop(…)` call.
    let depth: Int
    /// Set for `recursive` loops: renders the body over other items, one level deeper.
    var recurse: ((Value) throws -> String)?

    init(items: [Value], depth: Int = 1) {
        self.items = items
        self.depth = depth
    }

    func call(_ arguments: Arguments) throws -> Value {
        guard let recurse else { throw TemplateError.raised("'loop' is not callable; write `{% for … recursive %}` to call loop(items) inside it") }
        return .string(try recurse(arguments.positional.first ?? .none))
    }

    func attribute(_ name: String) -> Value? {
        let length = items.count
        switch name {
        case "index": return .int(index0 + 1)
        case "index0": return .int(index0)
        case "first": return .bool(index0 == 0)
        case "last": return .bool(index0 == length - 1)
        case "length": return .int(length)
        case "revindex": return .int(length - index0)
        case "revindex0": return .int(length - index0 - 1)
        case "previtem": return index0 > 0 ? items[index0 - 1] : .undefined("there is no previous item")
        case "nextitem": return index0 + 1 < length ? items[index0 + 1] : .undefined("there is no next item")
        case "depth": return .int(depth)
        case "depth0": return .int(depth - 1)
        case "changed":
            // True on the first call and whenever the values differ from the previous call's.
            return .function(NativeFunction(name: "loop.changed") { [self] args in
                let values = Value.list(ListBox(args.positional, isTuple: true))
                defer { lastChanged = values }
                guard let last = lastChanged else { return .bool(true) }
                return .bool(!Operations.equals(last, values))
            })
        case "cycle":
            let i = index0
            return .function(NativeFunction(name: "loop.cycle") { args in
                guard !args.positional.isEmpty else { throw TemplateError.raised("loop.cycle() needs at least one value") }
                return args.positional[i % args.positional.count]
            })
        default: return nil
        }
    }

    var renderedString: String { "<LoopContext \(index0 + 1)/\(items.count)>" }
}

/// Interprets a parsed template against one render's names.
final class Renderer {
    let environment: Environment
    let context: [String: Value]
    /// Names that win over macros (but not over variables the template sets).
    let overrides: [String: Value]
    /// dbt's parse-time undefined: in the node's own template (not inside macros, which dbt
    /// compiles apart with Jinja's usual undefined), reading an attribute or item of an
    /// undefined value, or calling it, gives the undefined value back instead of an error, so a
    /// model that only fails once it runs (a name no macro defines, a column list empty before
    /// the warehouse answers) fails that node then, not the whole project's load.
    let lenientUndefined: Bool
    private var macroDepth = 0
    /// The template being rendered and its top-level variables: its own macros see them, as in Jinja.
    private var rootTemplate: Template?
    private var rootScope: Scope?

    init(environment: Environment, context: [String: Value], overrides: [String: Value] = [:], lenientUndefined: Bool = false) {
        self.environment = environment
        self.context = context
        self.overrides = overrides
        self.lenientUndefined = lenientUndefined
    }

    func renderTop(_ template: Template) throws -> String {
        var out = ""
        out.reserveCapacity(256)
        let scope = Scope(parent: nil)
        rootTemplate = template
        rootScope = scope
        _ = try execute(template.nodes, scope, template, &out)
        return out
    }

    func callFromHost(_ callable: Value, _ arguments: Arguments) throws -> Value {
        switch callable {
        case .macro(let m): return try callMacro(m, arguments, caller: nil)
        case .function(let f): return try f.body(arguments)
        case .object(let o): return try o.call(arguments)
        default: throw TemplateError.raised("'\(callable.typeName)' object is not callable")
        }
    }

    // MARK: names

    func lookup(_ name: String, _ scope: Scope, _ template: Template) -> Value? {
        if let v = scope.lookup(name) { return v }
        if !overrides.isEmpty, let v = overrides[name] { return v }
        if let d = template.macroDefinitions[name] {
            let captured = template === rootTemplate ? rootScope : nil
            return .macro(Macro(definition: d, template: template, capturedScope: captured))
        }
        // As dbt: plain names see the macros of the package whose node is rendering, not of the
        // package the calling macro comes from.
        if let package = rootTemplate?.package, let v = environment.macro(named: name, inNamespace: package) { return v }
        if let v = environment.macros[name] { return v }
        if let v = context[name] { return v }
        if let v = environment.namespaceObject(name) { return v }
        if let v = environment.globals[name] { return v }
        return Builtins.global(name)
    }

    // MARK: statements

    func execute(_ nodes: [Node], _ scope: Scope, _ template: Template, _ out: inout String) throws -> Flow {
        for node in nodes {
            switch node {
            case .text(let s):
                out += s
            case .output(let e):
                let v = try evaluate(e, scope, template)
                switch v {
                case .string(let s): out += s
                case .undefined: break
                default: out += v.renderedString
                }
            case .conditional(let branches, let otherwise):
                var taken = false
                for (condition, body) in branches where try evaluate(condition, scope, template).isTruthy {
                    taken = true
                    let flow = try execute(body, scope, template, &out)
                    if flow != .normal { return flow }
                    break
                }
                if !taken {
                    let flow = try execute(otherwise, scope, template, &out)
                    if flow != .normal { return flow }
                }
            case .forLoop(let loop):
                try executeFor(loop, scope, template, &out)
            case .set(let target, let e, let offset):
                let v = try evaluate(e, scope, template)
                try assign(target, v, scope, template, offset)
            case .setBlock(let target, let body, let filters, let offset):
                var text = ""
                _ = try execute(body, scope, template, &text)
                var v = Value.string(text)
                for f in filters { v = try applyFilterCall(f, v, scope, template) }
                try assign(target, v, scope, template, offset)
            case .macro(let definition):
                // Top-level macros resolve through the template's table; nested ones close over scope.
                if scope.parent != nil || macroDepth > 0 {
                    scope.variables[definition.name] = .macro(Macro(definition: definition, template: template, capturedScope: scope))
                }
            case .callBlock(let call, let callerDefinition):
                let caller = Macro(definition: callerDefinition, template: template, capturedScope: scope)
                let v = try evaluateCall(call, scope, template, caller: caller)
                out += v.renderedString
            case .expressionStatement(let e):
                _ = try evaluate(e, scope, template)
            case .filterBlock(let filters, let body):
                var text = ""
                _ = try execute(body, scope, template, &text)
                var v = Value.string(text)
                for f in filters { v = try applyFilterCall(f, v, scope, template) }
                out += v.renderedString
            case .withBlock(let assignments, let body):
                let inner = Scope(parent: scope)
                for (name, expression) in assignments { inner.variables[name] = try evaluate(expression, scope, template) }
                let flow = try execute(body, inner, template, &out)
                if flow != .normal { return flow }
            case .breakLoop:
                return .breakLoop
            case .continueLoop:
                return .continueLoop
            case .docs:
                break
            case .snapshot(_, let body):
                let flow = try execute(body, scope, template, &out)
                if flow != .normal { return flow }
            }
        }
        return .normal
    }

    private func executeFor(_ loop: ForLoop, _ scope: Scope, _ template: Template, _ out: inout String) throws {
        let iterable = try evaluate(loop.iterable, scope, template)
        try runFor(loop, over: iterable, depth: 1, scope, template, &out)
    }

    private func runFor(_ loop: ForLoop, over iterable: Value, depth: Int, _ scope: Scope, _ template: Template, _ out: inout String) throws {
        var items = try located(loop.iterable.offset >= 0 ? loop.iterable.offset : loop.offset, template) {
            try Operations.iterate(iterable)
        }
        let bodyScope = Scope(parent: scope)
        if let condition = loop.condition {
            items = try items.filter { item in
                bodyScope.variables.removeAll(keepingCapacity: true)
                try assign(loop.target, item, bodyScope, template, loop.offset)
                return try evaluate(condition, bodyScope, template).isTruthy
            }
        }
        if items.isEmpty {
            _ = try execute(loop.elseBody, scope, template, &out)
            return
        }
        let state = LoopState(items: items, depth: depth)
        if loop.recursive {
            state.recurse = { [unowned self] children in
                var text = ""
                try self.runFor(loop, over: children, depth: depth + 1, scope, template, &text)
                return text
            }
        }
        let loopValue = Value.object(state)
        for (i, item) in items.enumerated() {
            state.index0 = i
            bodyScope.variables.removeAll(keepingCapacity: true)
            bodyScope.variables["loop"] = loopValue
            try assign(loop.target, item, bodyScope, template, loop.offset)
            if try execute(loop.body, bodyScope, template, &out) == .breakLoop { break }
        }
    }

    private func assign(_ target: AssignTarget, _ value: Value, _ scope: Scope, _ template: Template, _ offset: Int) throws {
        switch target {
        case .name(let name):
            scope.variables[name] = value
        case .tuple(let targets):
            let values = try located(offset, template) { try Operations.iterate(value, forUnpacking: true) }
            guard values.count == targets.count else {
                let problem = values.count < targets.count ? "not enough" : "too many"
                throw template.error(at: offset, "\(problem) values to unpack (expected \(targets.count), got \(values.count))")
            }
            for (t, v) in zip(targets, values) { try assign(t, v, scope, template, offset) }
        case .attribute(let name, let attribute, let attrOffset):
            guard case .object(let object)? = lookup(name, scope, template), let namespace = object as? NamespaceObject else {
                throw template.error(at: attrOffset, "cannot set attribute '\(attribute)': '\(name)' is not a namespace() object")
            }
            namespace.values[attribute] = value
        }
    }

    // MARK: expressions

    /// Runs `body`, turning any error that has no location yet into one at `offset` of `template`.
    func located<T>(_ offset: Int, _ template: Template, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as TemplateError {
            if e.isLocated { throw e }
            throw template.error(at: offset, e.message)
        } catch let r as ReturnSignal {
            throw r
        } catch {
            throw template.error(at: offset, String(describing: error))
        }
    }

    func evaluate(_ expression: Expression, _ scope: Scope, _ template: Template) throws -> Value {
        switch expression {
        case .literal(let l):
            return l.value
        case .name(let name, _):
            return lookup(name, scope, template) ?? .undefined("'\(name)' is undefined")
        case .list(let items):
            return .list(ListBox(try items.map { try evaluate($0, scope, template) }))
        case .tuple(let items):
            return .list(ListBox(try items.map { try evaluate($0, scope, template) }, isTuple: true))
        case .dict(let pairs):
            let box = DictBox()
            for (k, v) in pairs {
                let key = try evaluate(k, scope, template)
                guard DictKey(key) != nil else { throw template.error(at: max(0, k.offset), "unhashable type: '\(key.typeName)' cannot be a dict key") }
                box[key] = try evaluate(v, scope, template)
            }
            return .dict(box)
        case .attribute(let base, let name, let offset):
            let value = try evaluate(base, scope, template)
            if lenientUndefined, template === rootTemplate, case .undefined = value { return value }
            return try located(offset, template) { try Operations.attribute(of: value, name) }
        case .subscriptAccess(let base, let keyExpression, let offset):
            let value = try evaluate(base, scope, template)
            let key = try evaluate(keyExpression, scope, template)
            if lenientUndefined, template === rootTemplate, case .undefined = value { return value }
            return try located(offset, template) { try Operations.item(of: value, key) }
        case .slice(let base, let start, let stop, let step, let offset):
            let value = try evaluate(base, scope, template)
            let bounds = try [start, stop, step].map { try $0.map { try evaluate($0, scope, template) } }
            return try located(offset, template) { try Operations.slice(value, bounds[0], bounds[1], bounds[2]) }
        case .call:
            return try evaluateCall(expression, scope, template, caller: nil)
        case .filter(let base, let name, let args, let offset):
            let value = try evaluate(base, scope, template)
            return try applyFilterCall(FilterCall(name: name, arguments: args, offset: offset), value, scope, template)
        case .test(let base, let name, let args, let negated, let offset):
            let value = try evaluate(base, scope, template)
            let arguments = try evaluateArguments(args, scope, template)
            let result = try located(offset, template) { try Builtins.test(name, value, arguments, renderer: self) }
            return .bool(result != negated)
        case .negate(let operand, let offset):
            let v = try evaluate(operand, scope, template)
            return try located(offset, template) { try Operations.negate(v) }
        case .plus(let operand, let offset):
            let v = try evaluate(operand, scope, template)
            return try located(offset, template) { try Operations.binary(.add, .int(0), v) }
        case .not(let operand):
            return .bool(!(try evaluate(operand, scope, template).isTruthy))
        case .binary(let op, let left, let right, let offset):
            let l = try evaluate(left, scope, template)
            let r = try evaluate(right, scope, template)
            return try located(offset, template) { try Operations.binary(op, l, r) }
        case .and(let left, let right):
            let l = try evaluate(left, scope, template)
            return l.isTruthy ? try evaluate(right, scope, template) : l
        case .or(let left, let right):
            let l = try evaluate(left, scope, template)
            return l.isTruthy ? l : try evaluate(right, scope, template)
        case .compare(let first, let rest):
            var left = try evaluate(first, scope, template)
            for (op, rightExpression, offset) in rest {
                let right = try evaluate(rightExpression, scope, template)
                let holds = try located(offset, template) { try Operations.compare(op, left, right) }
                if !holds { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .conditional(let condition, let then, let otherwise):
            if try evaluate(condition, scope, template).isTruthy { return try evaluate(then, scope, template) }
            if let otherwise { return try evaluate(otherwise, scope, template) }
            return .undefined("the inline if-expression evaluated to false and has no else")
        }
    }

    func evaluateArguments(_ args: [CallArgument], _ scope: Scope, _ template: Template) throws -> Arguments {
        var result = Arguments()
        if args.isEmpty { return result }
        for arg in args {
            switch arg {
            case .positional(let e):
                result.positional.append(try evaluate(e, scope, template))
            case .keyword(let name, let e):
                result.keyword.append((name, try evaluate(e, scope, template)))
            case .splat(let e):
                let v = try evaluate(e, scope, template)
                result.positional += try located(max(0, e.offset), template) { try Operations.iterate(v) }
            case .doubleSplat(let e):
                let v = try evaluate(e, scope, template)
                guard case .dict(let d) = v else {
                    throw template.error(at: max(0, e.offset), "argument after ** must be a dict, not \(v.typeName)")
                }
                for (k, value) in d.entries { result.keyword.append((k.renderedString, value)) }
            }
        }
        return result
    }

    private func evaluateCall(_ expression: Expression, _ scope: Scope, _ template: Template, caller: Macro?) throws -> Value {
        guard case .call(let callee, let args, let parenOffset) = expression else {
            return try evaluate(expression, scope, template)
        }
        // Methods on built-in values are dispatched directly rather than through a bound closure.
        if case .attribute(let baseExpression, let name, let nameOffset) = callee {
            let base = try evaluate(baseExpression, scope, template)
            switch base {
            case .string, .list, .dict:
                if Methods.has(base, name) {
                    let arguments = try evaluateArguments(args, scope, template)
                    return try located(nameOffset, template) { try Methods.call(base, name, arguments) }
                }
            default: break
            }
            if lenientUndefined, template === rootTemplate, case .undefined = base { return base }
            let function = try located(nameOffset, template) { try Operations.attribute(of: base, name) }
            let arguments = try evaluateArguments(args, scope, template)
            return try call(function, arguments, caller: caller, at: nameOffset, template, calleeName: name)
        }
        let function = try evaluate(callee, scope, template)
        let arguments = try evaluateArguments(args, scope, template)
        var offset = callee.offset
        if offset < 0 { offset = parenOffset }
        var calleeName: String?
        if case .name(let n, _) = callee { calleeName = n }
        return try call(function, arguments, caller: caller, at: offset, template, calleeName: calleeName)
    }

    func call(_ function: Value, _ arguments: Arguments, caller: Macro?, at offset: Int, _ template: Template, calleeName: String?) throws -> Value {
        switch function {
        case .macro(let m):
            return try callMacro(m, arguments, caller: caller, callOffset: offset, callTemplate: template)
        case .function(let f):
            do {
                return try located(offset, template) { try f.body(arguments) }
            } catch let r as ReturnSignal {
                if macroDepth == 0 { throw template.error(at: offset, "return() can only be used inside a macro") }
                throw r
            }
        case .object(let o):
            return try located(offset, template) { try o.call(arguments) }
        case .undefined(let description):
            if lenientUndefined, template === rootTemplate { return function }
            if let calleeName, description == "'\(calleeName)' is undefined" {
                throw template.error(at: offset, "'\(calleeName)' is undefined: no macro or function with this name exists")
            }
            throw template.error(at: offset, "\(description), so it cannot be called")
        default:
            throw template.error(at: offset, "'\(function.typeName)' object is not callable")
        }
    }

    func callMacro(_ macro: Macro, _ arguments: Arguments, caller: Macro?, callOffset: Int = 0, callTemplate: Template? = nil) throws -> Value {
        let definition = macro.definition
        func fail(_ message: String) -> TemplateError {
            if let callTemplate { return callTemplate.error(at: callOffset, message) }
            return TemplateError.raised(message)
        }
        let scope = Scope(parent: macro.capturedScope)
        let parameters = definition.parameters
        if arguments.positional.count > parameters.count, !definition.usesVarargs {
            throw fail("macro '\(definition.name)' takes not more than \(parameters.count) argument(s), got \(arguments.positional.count)")
        }
        var bound = [Bool](repeating: false, count: parameters.count)
        for (i, value) in arguments.positional.prefix(parameters.count).enumerated() {
            scope.variables[parameters[i].name] = value
            bound[i] = true
        }
        let kwargs = DictBox()
        for (name, value) in arguments.keyword {
            if let i = parameters.firstIndex(where: { $0.name == name }) {
                if bound[i] { throw fail("macro '\(definition.name)' got multiple values for argument '\(name)'") }
                scope.variables[name] = value
                bound[i] = true
            } else if definition.usesKwargs {
                kwargs[name] = value
            } else {
                throw fail("macro '\(definition.name)' takes no keyword argument '\(name)'")
            }
        }
        macroDepth += 1
        defer { macroDepth -= 1 }
        for (i, parameter) in parameters.enumerated() where !bound[i] {
            if let defaultValue = parameter.defaultValue {
                scope.variables[parameter.name] = try evaluate(defaultValue, scope, macro.template)
            } else {
                scope.variables[parameter.name] = .undefined("'\(parameter.name)' is undefined (macro '\(definition.name)' was called without it)")
            }
        }
        if definition.usesVarargs {
            scope.variables["varargs"] = .list(ListBox(Array(arguments.positional.dropFirst(parameters.count)), isTuple: true))
        }
        if definition.usesKwargs { scope.variables["kwargs"] = .dict(kwargs) }
        if let caller { scope.variables["caller"] = .macro(caller) }
        var out = ""
        do {
            _ = try execute(definition.body, scope, macro.template, &out)
        } catch let r as ReturnSignal {
            return r.value
        } catch var e as TemplateError {
            // Record the macro the error passed through, and where its caller called it.
            let line = e.callChain.isEmpty ? (e.file == macro.template.name ? e.line : 0) : e.callerLine
            e.callChain.append(TemplateError.CallFrame(macro: definition.name, file: macro.template.name, line: line))
            e.callerLine = callTemplate.map { $0.error(at: callOffset, "").line } ?? 0
            throw e
        }
        return .string(out)
    }

    func applyFilterCall(_ filter: FilterCall, _ value: Value, _ scope: Scope, _ template: Template) throws -> Value {
        let arguments = try evaluateArguments(filter.arguments, scope, template)
        return try located(filter.offset, template) {
            if let custom = environment.filters[filter.name] { return try custom(value, arguments) }
            return try Builtins.filter(filter.name, value, arguments, renderer: self)
        }
    }
}
