import Foundation

/// Recursive-descent parser with Jinja2's precedence:
/// conditional < or < and < not < comparison < + - < ~ < * / // % < ** < unary < postfix/filter/test.
struct Parser {
    private let tokens: [Token]
    private let file: String
    private let locator: SourceLocator
    private var index = 0

    private(set) var topLevelMacros: [MacroDefinition] = []
    private(set) var docsBlocks: [DocsBlock] = []
    private(set) var snapshotNames: [String] = []
    /// Names read inside each macro being parsed (innermost last); only the few that matter.
    private var macroNameUses: [Set<String>] = []
    private var loopDepth = 0
    private var blockDepth = 0

    init(tokens: [Token], file: String, locator: SourceLocator) {
        self.tokens = tokens
        self.file = file
        self.locator = locator
    }

    // MARK: token helpers

    private var current: Token { tokens[index] }

    private mutating func advance() -> Token {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    private func error(_ offset: Int, _ message: String) -> TemplateError {
        locator.error(file: file, offset: offset, message: message)
    }

    private func describe(_ kind: TokenKind) -> String {
        switch kind {
        case .text: return "template text"
        case .variableBegin: return "'{{'"
        case .variableEnd: return "'}}'"
        case .blockBegin: return "'{%'"
        case .blockEnd: return "'%}'"
        case .name(let n): return "'\(n)'"
        case .string(let s): return "string '\(s)'"
        case .int(let i): return "number \(i)"
        case .double(let d): return "number \(d)"
        case .op(let o): return "'\(o)'"
        case .eof: return "end of template"
        }
    }

    private func unexpected(_ expected: String) -> TemplateError {
        error(current.offset, "unexpected \(describe(current.kind)), expected \(expected)")
    }

    private func isOp(_ op: String) -> Bool {
        if case .op(let o) = current.kind, o == op { return true }
        return false
    }

    private func isName(_ name: String) -> Bool {
        if case .name(let n) = current.kind, n == name { return true }
        return false
    }

    private func peekIsName(_ name: String, at ahead: Int = 1) -> Bool {
        let i = min(index + ahead, tokens.count - 1)
        if case .name(let n) = tokens[i].kind, n == name { return true }
        return false
    }

    private mutating func expectOp(_ op: String) throws {
        guard isOp(op) else { throw unexpected("'\(op)'") }
        _ = advance()
    }

    private mutating func expectName(_ what: String) throws -> (String, Int) {
        guard case .name(let n) = current.kind else { throw unexpected(what) }
        let offset = current.offset
        _ = advance()
        return (n, offset)
    }

    private mutating func expectBlockEnd() throws {
        guard case .blockEnd = current.kind else { throw unexpected("'%}'") }
        _ = advance()
    }

    private func position(_ offset: Int) -> String {
        let (line, column) = locator.position(of: offset)
        return "\(line):\(column)"
    }

    // MARK: statements

    mutating func parseTemplate() throws -> [Node] {
        let (nodes, _, _) = try parseNodes(until: [], opener: nil)
        return nodes
    }

    /// Parses until a block tag named in `endTags`; returns the nodes and which end tag stopped it
    /// (its name token is consumed, the rest of that tag is left for the caller).
    private mutating func parseNodes(until endTags: Set<String>, opener: (tag: String, end: String, offset: Int)?)
        throws -> ([Node], String, Int)
    {
        var nodes: [Node] = []
        while true {
            let token = current
            switch token.kind {
            case .text(let s):
                _ = advance()
                nodes.append(.text(s))
            case .variableBegin:
                _ = advance()
                let expr = try parseTuple()
                guard case .variableEnd = current.kind else { throw unexpected("'}}'") }
                _ = advance()
                nodes.append(.output(expr))
            case .blockBegin:
                _ = advance()
                guard case .name(let tag) = current.kind else { throw unexpected("a tag name such as 'if', 'for' or 'set'") }
                if endTags.contains(tag) {
                    let offset = current.offset
                    _ = advance()
                    return (nodes, tag, offset)
                }
                if tag.hasPrefix("end") || tag == "elif" || tag == "else" {
                    if let opener {
                        throw error(current.offset, "unexpected '\(tag)', expected '\(opener.end)' to close '\(opener.tag)' opened at \(position(opener.offset))")
                    }
                    throw error(current.offset, "unexpected '\(tag)': no open block for it to close")
                }
                if let node = try parseStatement(tag, at: token.offset) { nodes.append(node) }
            case .eof:
                if let opener {
                    throw error(token.offset, "unexpected end of template, expected '\(opener.end)' to close '\(opener.tag)' opened at \(position(opener.offset))")
                }
                return (nodes, "", token.offset)
            default:
                throw unexpected("template text or a tag")
            }
        }
    }

    private mutating func parseBlockBody(_ tag: String, _ offset: Int, until endTags: Set<String>, end: String) throws -> ([Node], String) {
        blockDepth += 1
        defer { blockDepth -= 1 }
        let (nodes, endTag, _) = try parseNodes(until: endTags, opener: (tag, end, offset))
        return (nodes, endTag)
    }

    private mutating func parseStatement(_ tag: String, at offset: Int) throws -> Node? {
        _ = advance()  // the tag name
        switch tag {
        case "if": return try parseIf(offset)
        case "for": return try parseFor(offset)
        case "set": return try parseSet(offset)
        case "macro": return try parseMacro(offset)
        case "test":
            return try parseMacro(offset, tag: "test", namePrefix: "test_")
        case "materialization": return try parseMaterialization(offset)
        case "call": return try parseCallBlock(offset)
        case "do":
            let expr = try parseTuple()
            try expectBlockEnd()
            return .expressionStatement(expr)
        case "filter":
            let filters = try parseFilterChain()
            try expectBlockEnd()
            let (body, _) = try parseBlockBody("filter", offset, until: ["endfilter"], end: "endfilter")
            try expectBlockEnd()
            return .filterBlock(filters, body)
        case "with":
            var assignments: [(String, Expression)] = []
            while !isBlockEnd {
                if !assignments.isEmpty { try expectOp(",") }
                let (name, _) = try expectName("a name to set, like {% with total = 3 %}")
                try expectOp("=")
                assignments.append((name, try parseExpression()))
            }
            try expectBlockEnd()
            let (body, _) = try parseBlockBody("with", offset, until: ["endwith"], end: "endwith")
            try expectBlockEnd()
            return .withBlock(assignments, body)
        case "break", "continue":
            guard loopDepth > 0 else { throw error(offset, "'\(tag)' used outside of a for loop") }
            try expectBlockEnd()
            return tag == "break" ? .breakLoop : .continueLoop
        case "docs":
            let (name, _) = try expectName("a docs block name")
            try expectBlockEnd()
            var contents = ""
            if case .text(let s) = current.kind {
                contents = s
                _ = advance()
            }
            guard case .blockBegin = current.kind, peekIsName("enddocs") else { throw unexpected("'enddocs'") }
            _ = advance(); _ = advance()
            try expectBlockEnd()
            let (line, _) = locator.position(of: offset)
            docsBlocks.append(DocsBlock(name: name, contents: contents, line: line))
            return .docs
        case "snapshot":
            let (name, _) = try expectName("a snapshot name")
            try expectBlockEnd()
            let (body, _) = try parseBlockBody("snapshot", offset, until: ["endsnapshot"], end: "endsnapshot")
            try expectBlockEnd()
            snapshotNames.append(name)
            return .snapshot(name, body)
        default:
            throw error(current.offset == offset ? offset : tokens[index - 1].offset, "unknown tag '\(tag)'")
        }
    }

    private mutating func parseIf(_ offset: Int) throws -> Node {
        var branches: [(Expression, [Node])] = []
        var condition = try parseExpression()
        try expectBlockEnd()
        while true {
            let (body, endTag) = try parseBlockBody("if", offset, until: ["elif", "else", "endif"], end: "endif")
            branches.append((condition, body))
            switch endTag {
            case "elif":
                condition = try parseExpression()
                try expectBlockEnd()
            case "else":
                try expectBlockEnd()
                let (elseBody, _) = try parseBlockBody("if", offset, until: ["endif"], end: "endif")
                try expectBlockEnd()
                return .conditional(branches, otherwise: elseBody)
            default:
                try expectBlockEnd()
                return .conditional(branches, otherwise: [])
            }
        }
    }

    private mutating func parseFor(_ offset: Int) throws -> Node {
        let target = try parseAssignTarget(allowAttribute: false)
        guard isName("in") else { throw unexpected("'in'") }
        _ = advance()
        let iterable = try parseOr()
        var condition: Expression?
        if isName("if") {
            _ = advance()
            condition = try parseExpression()
        }
        if isName("recursive") { throw error(current.offset, "recursive for loops are not supported") }
        try expectBlockEnd()
        loopDepth += 1
        let (body, endTag) = try parseBlockBody("for", offset, until: ["else", "endfor"], end: "endfor")
        loopDepth -= 1
        var elseBody: [Node] = []
        try expectBlockEnd()
        if endTag == "else" {
            (elseBody, _) = try parseBlockBody("for", offset, until: ["endfor"], end: "endfor")
            try expectBlockEnd()
        }
        return .forLoop(ForLoop(target: target, iterable: iterable, condition: condition, body: body, elseBody: elseBody, offset: offset))
    }

    private mutating func parseAssignTarget(allowAttribute: Bool) throws -> AssignTarget {
        var targets: [AssignTarget] = []
        var sawComma = false
        repeat {
            if isOp("(") {
                _ = advance()
                let inner = try parseAssignTarget(allowAttribute: false)
                try expectOp(")")
                targets.append(inner)
            } else {
                let (name, _) = try expectName("a variable name")
                if allowAttribute, isOp(".") {
                    _ = advance()
                    let (attr, attrOffset) = try expectName("an attribute name")
                    targets.append(.attribute(name, attr, attrOffset))
                } else {
                    targets.append(.name(name))
                }
            }
            if isOp(",") {
                sawComma = true
                _ = advance()
            } else {
                break
            }
        } while true
        return sawComma || targets.count > 1 ? .tuple(targets) : targets[0]
    }

    private var isBlockEnd: Bool {
        if case .blockEnd = current.kind { return true }
        return false
    }

    private mutating func parseSet(_ offset: Int) throws -> Node {
        let target = try parseAssignTarget(allowAttribute: true)
        if isOp("=") {
            _ = advance()
            let value = try parseTuple()
            try expectBlockEnd()
            return .set(target, value, offset)
        }
        var filters: [FilterCall] = []
        if isOp("|") {
            _ = advance()
            filters = try parseFilterChain()
        }
        guard case .blockEnd = current.kind else { throw unexpected("'=' or '%}'") }
        _ = advance()
        let (body, _) = try parseBlockBody("set", offset, until: ["endset"], end: "endset")
        try expectBlockEnd()
        return .setBlock(target, body, filters, offset)
    }

    private mutating func parseParameters() throws -> [MacroParameter] {
        var params: [MacroParameter] = []
        try expectOp("(")
        while !isOp(")") {
            let (name, _) = try expectName("a parameter name")
            var defaultValue: Expression?
            if isOp("=") {
                _ = advance()
                defaultValue = try parseExpression()
            }
            params.append(MacroParameter(name: name, defaultValue: defaultValue))
            if isOp(",") { _ = advance() } else if !isOp(")") { throw unexpected("',' or ')'") }
        }
        _ = advance()
        return params
    }

    private mutating func parseMacroBody(name: String, parameters: [MacroParameter], tag: String, offset: Int) throws -> MacroDefinition {
        macroNameUses.append([])
        let savedLoopDepth = loopDepth
        loopDepth = 0
        let (body, _) = try parseBlockBody(tag, offset, until: ["end" + tag], end: "end" + tag)
        loopDepth = savedLoopDepth
        try expectBlockEnd()
        let uses = macroNameUses.removeLast()
        return MacroDefinition(name: name, parameters: parameters, body: body, offset: offset,
                               usesVarargs: uses.contains("varargs"), usesKwargs: uses.contains("kwargs"))
    }

    private mutating func parseMacro(_ offset: Int, tag: String = "macro", namePrefix: String = "") throws -> Node {
        let (name, _) = try expectName("a macro name")
        let params = try parseParameters()
        try expectBlockEnd()
        let definition = try parseMacroBody(name: namePrefix + name, parameters: params, tag: tag, offset: offset)
        if blockDepth == 0 { topLevelMacros.append(definition) }
        return .macro(definition)
    }

    /// dbt's `{% materialization name, adapter='x' %}` (or `, default`) defines macro
    /// `materialization_<name>_<adapter>`.
    private mutating func parseMaterialization(_ offset: Int) throws -> Node {
        let (name, _) = try expectName("a materialization name")
        var adapter = "default"
        while isOp(",") {
            _ = advance()
            let (key, _) = try expectName("'default' or 'adapter='")
            if isOp("=") {
                _ = advance()
                let value = try parseExpression()
                if key == "adapter", case .literal(.string(let a)) = value { adapter = a }
            }
        }
        try expectBlockEnd()
        let definition = try parseMacroBody(name: "materialization_\(name)_\(adapter)", parameters: [], tag: "materialization", offset: offset)
        if blockDepth == 0 { topLevelMacros.append(definition) }
        return .macro(definition)
    }

    private mutating func parseCallBlock(_ offset: Int) throws -> Node {
        var params: [MacroParameter] = []
        if isOp("(") { params = try parseParameters() }
        let callOffset = current.offset
        let call = try parseExpression()
        guard case .call = call else { throw error(callOffset, "'call' expects a macro call such as {% call my_macro() %}") }
        try expectBlockEnd()
        let caller = try parseMacroBody(name: "caller", parameters: params, tag: "call", offset: offset)
        return .callBlock(call: call, caller: caller)
    }

    private mutating func parseFilterChain() throws -> [FilterCall] {
        var filters: [FilterCall] = []
        repeat {
            if !filters.isEmpty { _ = advance() }  // the '|'
            let (name, nameOffset) = try expectName("a filter name")
            let args = isOp("(") ? try parseCallArguments() : []
            filters.append(FilterCall(name: name, arguments: args, offset: nameOffset))
        } while isOp("|")
        return filters
    }

    // MARK: expressions

    /// An expression, or a tuple if commas follow (`set a, b = 1, 2`, `{{ 1, 2 }}`).
    private mutating func parseTuple() throws -> Expression {
        let first = try parseExpression()
        guard isOp(",") else { return first }
        var items = [first]
        while isOp(",") {
            _ = advance()
            if case .variableEnd = current.kind { break }
            if case .blockEnd = current.kind { break }
            items.append(try parseExpression())
        }
        return .tuple(items)
    }

    mutating func parseExpression() throws -> Expression {
        var expr = try parseOr()
        while isName("if") {
            _ = advance()
            let condition = try parseOr()
            var otherwise: Expression?
            if isName("else") {
                _ = advance()
                otherwise = try parseExpression()
            }
            expr = .conditional(condition: condition, then: expr, otherwise: otherwise)
        }
        return expr
    }

    private mutating func parseOr() throws -> Expression {
        var left = try parseAnd()
        while isName("or") {
            _ = advance()
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws -> Expression {
        var left = try parseNot()
        while isName("and") {
            _ = advance()
            left = .and(left, try parseNot())
        }
        return left
    }

    private mutating func parseNot() throws -> Expression {
        if isName("not") {
            _ = advance()
            return .not(try parseNot())
        }
        return try parseCompare()
    }

    private mutating func parseCompare() throws -> Expression {
        let left = try parseMath1()
        var ops: [(CompareOperator, Expression, Int)] = []
        while true {
            let offset = current.offset
            if case .op(let o) = current.kind, let op = CompareOperator(rawValue: o), op != .isIn, op != .notIn {
                _ = advance()
                ops.append((op, try parseMath1(), offset))
            } else if isName("in") {
                _ = advance()
                ops.append((.isIn, try parseMath1(), offset))
            } else if isName("not"), peekIsName("in") {
                _ = advance(); _ = advance()
                ops.append((.notIn, try parseMath1(), offset))
            } else {
                break
            }
        }
        return ops.isEmpty ? left : .compare(left, ops)
    }

    private mutating func parseMath1() throws -> Expression {
        var left = try parseConcat()
        while case .op(let o) = current.kind, o == "+" || o == "-" {
            let offset = advance().offset
            left = .binary(o == "+" ? .add : .subtract, left, try parseConcat(), offset)
        }
        return left
    }

    private mutating func parseConcat() throws -> Expression {
        var left = try parseMath2()
        while isOp("~") {
            let offset = advance().offset
            left = .binary(.concat, left, try parseMath2(), offset)
        }
        return left
    }

    private mutating func parseMath2() throws -> Expression {
        var left = try parsePower()
        while case .op(let o) = current.kind, o == "*" || o == "/" || o == "//" || o == "%" {
            let offset = advance().offset
            left = .binary(BinaryOperator(rawValue: o)!, left, try parsePower(), offset)
        }
        return left
    }

    private mutating func parsePower() throws -> Expression {
        var left = try parseUnary(withFilter: true)
        while isOp("**") {
            let offset = advance().offset
            left = .binary(.power, left, try parseUnary(withFilter: true), offset)
        }
        return left
    }

    private mutating func parseUnary(withFilter: Bool) throws -> Expression {
        var expr: Expression
        if isOp("-") {
            let offset = advance().offset
            expr = .negate(try parseUnary(withFilter: false), offset)
        } else if isOp("+") {
            let offset = advance().offset
            expr = .plus(try parseUnary(withFilter: false), offset)
        } else {
            expr = try parsePrimary()
        }
        expr = try parsePostfix(expr)
        if withFilter { expr = try parseFilterExpression(expr) }
        return expr
    }

    private mutating func parsePrimary() throws -> Expression {
        let token = current
        switch token.kind {
        case .name(let n):
            _ = advance()
            switch n {
            case "true", "True": return .literal(.bool(true))
            case "false", "False": return .literal(.bool(false))
            case "none", "None": return .literal(.none)
            default:
                if !macroNameUses.isEmpty, n == "varargs" || n == "kwargs" { macroNameUses[macroNameUses.count - 1].insert(n) }
                return .name(n, token.offset)
            }
        case .string(var s):
            _ = advance()
            while case .string(let more) = current.kind {
                s += more
                _ = advance()
            }
            return .literal(.string(s))
        case .int(let i):
            _ = advance()
            return .literal(.int(i))
        case .double(let d):
            _ = advance()
            return .literal(.double(d))
        case .op("("):
            _ = advance()
            if isOp(")") {
                _ = advance()
                return .tuple([])
            }
            let first = try parseExpression()
            if isOp(")") {
                _ = advance()
                return first
            }
            var items = [first]
            while isOp(",") {
                _ = advance()
                if isOp(")") { break }
                items.append(try parseExpression())
            }
            try expectOp(")")
            return .tuple(items)
        case .op("["):
            _ = advance()
            var items: [Expression] = []
            while !isOp("]") {
                items.append(try parseExpression())
                if isOp(",") { _ = advance() } else if !isOp("]") { throw unexpected("',' or ']'") }
            }
            _ = advance()
            return .list(items)
        case .op("{"):
            _ = advance()
            var pairs: [(Expression, Expression)] = []
            while !isOp("}") {
                let key = try parseExpression()
                try expectOp(":")
                let value = try parseExpression()
                pairs.append((key, value))
                if isOp(",") { _ = advance() } else if !isOp("}") { throw unexpected("',' or '}'") }
            }
            _ = advance()
            return .dict(pairs)
        case .eof:
            throw error(token.offset, "unexpected end of template, expected an expression")
        default:
            throw unexpected("an expression")
        }
    }

    private mutating func parsePostfix(_ base: Expression) throws -> Expression {
        var expr = base
        while true {
            if isOp(".") {
                _ = advance()
                let token = current
                switch token.kind {
                case .name(let n):
                    _ = advance()
                    expr = .attribute(expr, n, token.offset)
                case .int(let i):
                    _ = advance()
                    expr = .subscriptAccess(expr, .literal(.int(i)), token.offset)
                default:
                    throw unexpected("an attribute name after '.'")
                }
            } else if isOp("[") {
                let offset = advance().offset
                var parts: [Expression?] = [nil]
                var sawColon = false
                while !isOp("]") {
                    if isOp(":") {
                        sawColon = true
                        _ = advance()
                        parts.append(nil)
                        guard parts.count <= 3 else { throw unexpected("']'") }
                    } else {
                        guard parts[parts.count - 1] == nil else { throw unexpected("':' or ']'") }
                        parts[parts.count - 1] = try parseExpression()
                    }
                }
                _ = advance()
                if sawColon {
                    while parts.count < 3 { parts.append(nil) }
                    expr = .slice(expr, parts[0], parts[1], parts[2], offset)
                } else {
                    guard let key = parts[0] else { throw error(offset, "empty subscript '[]'") }
                    expr = .subscriptAccess(expr, key, offset)
                }
            } else if isOp("(") {
                let offset = current.offset
                let args = try parseCallArguments()
                expr = .call(expr, args, offset)
            } else {
                return expr
            }
        }
    }

    private mutating func parseCallArguments() throws -> [CallArgument] {
        try expectOp("(")
        var args: [CallArgument] = []
        while !isOp(")") {
            if isOp("*") {
                _ = advance()
                args.append(.splat(try parseExpression()))
            } else if isOp("**") {
                _ = advance()
                args.append(.doubleSplat(try parseExpression()))
            } else if case .name(let n) = current.kind, tokens[index + 1].kind == .op("=") {
                _ = advance(); _ = advance()
                args.append(.keyword(n, try parseExpression()))
            } else {
                args.append(.positional(try parseExpression()))
            }
            if isOp(",") { _ = advance() } else if !isOp(")") { throw unexpected("',' or ')'") }
        }
        _ = advance()
        return args
    }

    private mutating func parseFilterExpression(_ base: Expression) throws -> Expression {
        var expr = base
        while true {
            if isOp("|") {
                _ = advance()
                let (name, offset) = try expectName("a filter name after '|'")
                let args = isOp("(") ? try parseCallArguments() : []
                expr = .filter(expr, name, args, offset)
            } else if isName("is") {
                _ = advance()
                var negated = false
                if isName("not") {
                    negated = true
                    _ = advance()
                }
                let (name, offset) = try expectName("a test name after 'is'")
                var args: [CallArgument] = []
                if isOp("(") {
                    args = try parseCallArguments()
                } else if startsTestArgument() {
                    args = [.positional(try parsePostfix(try parsePrimary()))]
                }
                expr = .test(expr, name, args, negated: negated, offset)
            } else if isOp("(") {
                let offset = current.offset
                expr = .call(expr, try parseCallArguments(), offset)
            } else {
                return expr
            }
        }
    }

    private func startsTestArgument() -> Bool {
        switch current.kind {
        case .name(let n): return !["else", "or", "and", "if", "in", "not", "is"].contains(n)
        case .string, .int, .double: return true
        case .op(let o): return o == "[" || o == "{"
        default: return false
        }
    }
}

/// A dbt `{% docs name %}…{% enddocs %}` block: its name and its text, verbatim.
public struct DocsBlock: Sendable, Equatable {
    public let name: String
    public let contents: String
    /// 1-based line of the `{% docs %}` tag.
    public let line: Int
}
