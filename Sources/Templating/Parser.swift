import Foundation

/// Recursive-descent parser with Jinja2's precedence:
/// conditional < or < and < not < comparison < + - < ~ < * / // % < ** < unary < postfix/filter/test.
struct Parser {
    let tokens: [Token]
    let file: String
    let locator: SourceLocator
    var index = 0

    private(set) var topLevelMacros: [MacroDefinition] = []
    private(set) var docsBlocks: [DocsBlock] = []
    private(set) var snapshotNames: [String] = []
    /// Names read inside each macro being parsed (innermost last); only the few that matter.
    var macroNameUses: [Set<String>] = []
    var loopDepth = 0
    var blockDepth = 0

    init(tokens: [Token], file: String, locator: SourceLocator) {
        self.tokens = tokens
        self.file = file
        self.locator = locator
    }

    // MARK: token helpers

    var current: Token { tokens[index] }

    mutating func advance() -> Token {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    func error(_ offset: Int, _ message: String) -> TemplateError {
        locator.error(file: file, offset: offset, message: message)
    }

    func describe(_ kind: TokenKind) -> String {
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

    func unexpected(_ expected: String) -> TemplateError {
        error(current.offset, "unexpected \(describe(current.kind)), expected \(expected)")
    }

    func isOp(_ op: String) -> Bool {
        if case .op(let o) = current.kind, o == op { return true }
        return false
    }

    func isName(_ name: String) -> Bool {
        if case .name(let n) = current.kind, n == name { return true }
        return false
    }

    func peekIsName(_ name: String, at ahead: Int = 1) -> Bool {
        let i = min(index + ahead, tokens.count - 1)
        if case .name(let n) = tokens[i].kind, n == name { return true }
        return false
    }

    mutating func expectOp(_ op: String) throws {
        guard isOp(op) else { throw unexpected("'\(op)'") }
        _ = advance()
    }

    mutating func expectName(_ what: String) throws -> (String, Int) {
        guard case .name(let n) = current.kind else { throw unexpected(what) }
        let offset = current.offset
        _ = advance()
        return (n, offset)
    }

    mutating func expectBlockEnd() throws {
        guard case .blockEnd = current.kind else { throw unexpected("'%}'") }
        _ = advance()
    }

    func position(_ offset: Int) -> String {
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
    mutating func parseNodes(until endTags: Set<String>, opener: (tag: String, end: String, offset: Int)?)
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

    mutating func parseBlockBody(_ tag: String, _ offset: Int, until endTags: Set<String>, end: String) throws -> ([Node], String) {
        blockDepth += 1
        defer { blockDepth -= 1 }
        let (nodes, endTag, _) = try parseNodes(until: endTags, opener: (tag, end, offset))
        return (nodes, endTag)
    }

    mutating func parseStatement(_ tag: String, at offset: Int) throws -> Node? {
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

    mutating func parseIf(_ offset: Int) throws -> Node {
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

    mutating func parseFor(_ offset: Int) throws -> Node {
        let target = try parseAssignTarget(allowAttribute: false)
        guard isName("in") else { throw unexpected("'in'") }
        _ = advance()
        let iterable = try parseOr()
        var condition: Expression?
        if isName("if") {
            _ = advance()
            condition = try parseExpression()
        }
        var recursive = false
        if isName("recursive") {
            _ = advance()
            recursive = true
        }
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
        return .forLoop(ForLoop(target: target, iterable: iterable, condition: condition, body: body, elseBody: elseBody, offset: offset,
                                recursive: recursive))
    }

    mutating func parseAssignTarget(allowAttribute: Bool) throws -> AssignTarget {
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

    var isBlockEnd: Bool {
        if case .blockEnd = current.kind { return true }
        return false
    }

    mutating func parseSet(_ offset: Int) throws -> Node {
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

    mutating func parseParameters() throws -> [MacroParameter] {
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

    mutating func parseMacroBody(name: String, parameters: [MacroParameter], tag: String, offset: Int) throws -> MacroDefinition {
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

    mutating func parseMacro(_ offset: Int, tag: String = "macro", namePrefix: String = "") throws -> Node {
        let (name, _) = try expectName("a macro name")
        let params = try parseParameters()
        try expectBlockEnd()
        let definition = try parseMacroBody(name: namePrefix + name, parameters: params, tag: tag, offset: offset)
        if blockDepth == 0 { topLevelMacros.append(definition) }
        return .macro(definition)
    }

    /// dbt's `{% materialization name, adapter='x' %}` (or `, default`) defines macro
    /// `materialization_<name>_<adapter>`.
    mutating func parseMaterialization(_ offset: Int) throws -> Node {
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

    mutating func parseCallBlock(_ offset: Int) throws -> Node {
        var params: [MacroParameter] = []
        if isOp("(") { params = try parseParameters() }
        let callOffset = current.offset
        let call = try parseExpression()
        guard case .call = call else { throw error(callOffset, "'call' expects a macro call such as {% call my_macro() %}") }
        try expectBlockEnd()
        let caller = try parseMacroBody(name: "caller", parameters: params, tag: "call", offset: offset)
        return .callBlock(call: call, caller: caller)
    }

    mutating func parseFilterChain() throws -> [FilterCall] {
        var filters: [FilterCall] = []
        repeat {
            if !filters.isEmpty { _ = advance() }  // the '|'
            let (name, nameOffset) = try expectName("a filter name")
            let args = isOp("(") ? try parseCallArguments() : []
            filters.append(FilterCall(name: name, arguments: args, offset: nameOffset))
        } while isOp("|")
        return filters
    }
}
