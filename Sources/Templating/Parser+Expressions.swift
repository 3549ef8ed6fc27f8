import Foundation

// Expressions, by precedence from the loosest (`a if b else c`, `or`) to the tightest (calls,
// attributes, subscripts, filters); the statements that hold them are in Parser.swift.
extension Parser {

    /// An expression, or a tuple if commas follow (`set a, b = 1, 2`, `{{ 1, 2 }}`).
    mutating func parseTuple() throws -> Expression {
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

    mutating func parseOr() throws -> Expression {
        var left = try parseAnd()
        while isName("or") {
            _ = advance()
            left = .or(left, try parseAnd())
        }
        return left
    }

    mutating func parseAnd() throws -> Expression {
        var left = try parseNot()
        while isName("and") {
            _ = advance()
            left = .and(left, try parseNot())
        }
        return left
    }

    mutating func parseNot() throws -> Expression {
        if isName("not") {
            _ = advance()
            return .not(try parseNot())
        }
        return try parseCompare()
    }

    mutating func parseCompare() throws -> Expression {
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

    mutating func parseMath1() throws -> Expression {
        var left = try parseConcat()
        while case .op(let o) = current.kind, o == "+" || o == "-" {
            let offset = advance().offset
            left = .binary(o == "+" ? .add : .subtract, left, try parseConcat(), offset)
        }
        return left
    }

    mutating func parseConcat() throws -> Expression {
        var left = try parseMath2()
        while isOp("~") {
            let offset = advance().offset
            left = .binary(.concat, left, try parseMath2(), offset)
        }
        return left
    }

    mutating func parseMath2() throws -> Expression {
        var left = try parsePower()
        while case .op(let o) = current.kind, o == "*" || o == "/" || o == "//" || o == "%" {
            let offset = advance().offset
            left = .binary(BinaryOperator(rawValue: o)!, left, try parsePower(), offset)
        }
        return left
    }

    mutating func parsePower() throws -> Expression {
        var left = try parseUnary(withFilter: true)
        while isOp("**") {
            let offset = advance().offset
            left = .binary(.power, left, try parseUnary(withFilter: true), offset)
        }
        return left
    }

    mutating func parseUnary(withFilter: Bool) throws -> Expression {
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

    mutating func parsePrimary() throws -> Expression {
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

    mutating func parsePostfix(_ base: Expression) throws -> Expression {
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

    mutating func parseCallArguments() throws -> [CallArgument] {
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

    mutating func parseFilterExpression(_ base: Expression) throws -> Expression {
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

    func startsTestArgument() -> Bool {
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
