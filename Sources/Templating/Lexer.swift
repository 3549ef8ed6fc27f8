import Foundation

enum TokenKind: Equatable, Sendable {
    case text(String)
    case variableBegin, variableEnd, blockBegin, blockEnd
    case name(String)
    case string(String)
    case int(Int)
    case double(Double)
    case op(String)
    case eof
}

struct Token: Sendable {
    let kind: TokenKind
    let offset: Int
}

/// Turns template bytes into tokens. Works on UTF-8 bytes: every delimiter and operator is ASCII,
/// so multi-byte characters only ever occur inside text, strings and names' surroundings.
struct Lexer {
    private let bytes: [UInt8]
    private let file: String
    private let locator: SourceLocator
    private var pos = 0
    private var tokens: [Token] = []
    /// Set by a closing `-%}`/`-}}`/`-#}`: the next text loses its leading whitespace.
    private var stripNextText = false

    init(bytes: [UInt8], file: String, locator: SourceLocator) {
        self.bytes = bytes
        self.file = file
        self.locator = locator
    }

    /// Jinja's defaults, which dbt keeps: newlines normalised to "\n" and one trailing newline dropped.
    static func normalize(_ source: String) -> [UInt8] {
        var bytes = Array(source.utf8)
        if bytes.contains(13) {
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var i = 0
            while i < bytes.count {
                if bytes[i] == 13 {
                    out.append(10)
                    if i + 1 < bytes.count, bytes[i + 1] == 10 { i += 1 }
                } else {
                    out.append(bytes[i])
                }
                i += 1
            }
            bytes = out
        }
        if bytes.last == 10 { bytes.removeLast() }
        return bytes
    }

    private func error(_ offset: Int, _ message: String) -> TemplateError {
        locator.error(file: file, offset: offset, message: message)
    }

    private func byte(_ i: Int) -> UInt8 { i < bytes.count ? bytes[i] : 0 }

    private static func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 || b == 12 || b == 11 }
    private static func isNameStart(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    /// `**`, `//`, `==`, `!=`, `<=`, `>=`.
    private static func isTwoByteOperator(_ a: UInt8, _ b: UInt8) -> Bool {
        switch (a, b) {
        case (42, 42), (47, 47), (61, 61), (33, 61), (60, 61), (62, 61): return true
        default: return false
        }
    }

    private static let oneByteOperators: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for b in "+-*/%~<>=()[]{},.:|".utf8 { table[Int(b)] = true }
        return table
    }()

    private static func isOneByteOperator(_ b: UInt8) -> Bool { oneByteOperators[Int(b)] }

    mutating func tokenize() throws -> [Token] {
        let n = bytes.count
        while pos < n {
            var tagStart = pos
            while tagStart < n {
                if bytes[tagStart] == UInt8(ascii: "{"), tagStart + 1 < n {
                    let c = bytes[tagStart + 1]
                    if c == UInt8(ascii: "{") || c == UInt8(ascii: "%") || c == UInt8(ascii: "#") { break }
                }
                tagStart += 1
            }
            let trimBefore = tagStart < n && byte(tagStart + 2) == UInt8(ascii: "-")
            emitText(from: pos, to: tagStart, stripTrailing: trimBefore, at: pos)
            if tagStart >= n { break }
            let opener = bytes[tagStart + 1]
            var inner = tagStart + 2
            if byte(inner) == UInt8(ascii: "-") || byte(inner) == UInt8(ascii: "+") { inner += 1 }
            if opener == UInt8(ascii: "#") {
                var end = inner
                while end + 1 < n, !(bytes[end] == UInt8(ascii: "#") && bytes[end + 1] == UInt8(ascii: "}")) { end += 1 }
                if end + 1 >= n {
                    throw error(tagStart, "unclosed comment: '{#' has no matching '#}'")
                }
                stripNextText = end > inner && bytes[end - 1] == UInt8(ascii: "-")
                pos = end + 2
                continue
            }
            let isBlock = opener == UInt8(ascii: "%")
            let blockTokenIndex = tokens.count
            tokens.append(Token(kind: isBlock ? .blockBegin : .variableBegin, offset: tagStart))
            pos = inner
            try lexTagContents(isBlock: isBlock, openedAt: tagStart)
            if isBlock, blockTokenIndex + 1 < tokens.count, case .name(let tag) = tokens[blockTokenIndex + 1].kind,
                tag == "raw" || tag == "docs"
            {
                try lexRawBody(tag: tag, blockTokenIndex: blockTokenIndex)
            }
        }
        tokens.append(Token(kind: .eof, offset: n))
        return tokens
    }

    private mutating func emitText(from start: Int, to end: Int, stripTrailing: Bool, at offset: Int) {
        var s = start, e = end
        if stripNextText {
            while s < e, Lexer.isSpace(bytes[s]) { s += 1 }
            stripNextText = false
        }
        if stripTrailing {
            while e > s, Lexer.isSpace(bytes[e - 1]) { e -= 1 }
        }
        if s < e {
            tokens.append(Token(kind: .text(String(decoding: bytes[s..<e], as: UTF8.self)), offset: s))
        }
    }

    /// The body of `{% raw %}` or `{% docs %}` is kept verbatim up to its end tag.
    private mutating func lexRawBody(tag: String, blockTokenIndex: Int) throws {
        let n = bytes.count
        let endName = Array(("end" + tag).utf8)
        var scan = pos
        while scan < n {
            if bytes[scan] == UInt8(ascii: "{"), byte(scan + 1) == UInt8(ascii: "%") {
                var p = scan + 2
                let trimBefore = byte(p) == UInt8(ascii: "-")
                if trimBefore || byte(p) == UInt8(ascii: "+") { p += 1 }
                while p < n, Lexer.isSpace(bytes[p]) { p += 1 }
                if p + endName.count <= n, Array(bytes[p..<(p + endName.count)]) == endName,
                    !Lexer.isNameStart(byte(p + endName.count)), !Lexer.isDigit(byte(p + endName.count))
                {
                    var q = p + endName.count
                    while q < n, Lexer.isSpace(bytes[q]) { q += 1 }
                    var trimAfter = false
                    if byte(q) == UInt8(ascii: "-") || byte(q) == UInt8(ascii: "+") {
                        trimAfter = byte(q) == UInt8(ascii: "-")
                        q += 1
                    }
                    if byte(q) == UInt8(ascii: "%"), byte(q + 1) == UInt8(ascii: "}") {
                        let bodyStart = pos
                        if tag == "raw" {
                            tokens.removeSubrange(blockTokenIndex...)
                            emitText(from: bodyStart, to: scan, stripTrailing: trimBefore, at: bodyStart)
                        } else {
                            var s = bodyStart, e = scan
                            if stripNextText { while s < e, Lexer.isSpace(bytes[s]) { s += 1 } }
                            if trimBefore { while e > s, Lexer.isSpace(bytes[e - 1]) { e -= 1 } }
                            stripNextText = false
                            tokens.append(Token(kind: .text(String(decoding: bytes[s..<e], as: UTF8.self)), offset: s))
                            tokens.append(Token(kind: .blockBegin, offset: scan))
                            tokens.append(Token(kind: .name("end" + tag), offset: p))
                            tokens.append(Token(kind: .blockEnd, offset: q))
                        }
                        stripNextText = trimAfter
                        pos = q + 2
                        return
                    }
                }
            }
            scan += 1
        }
        let (line, column) = locator.position(of: tokens[blockTokenIndex].offset)
        throw error(n, "unexpected end of template, expected 'end\(tag)' to close '\(tag)' opened at \(line):\(column)")
    }

    private mutating func lexTagContents(isBlock: Bool, openedAt: Int) throws {
        let n = bytes.count
        // Open brackets: a `}}` inside `{'a': {'b': 1}}` closes a dict, not the tag (as in Jinja),
        // but inside an unclosed `[` or `(` it still ends the tag so the parser can say what is missing.
        var brackets: [UInt8] = []
        let closer = isBlock ? UInt8(ascii: "%") : UInt8(ascii: "}")
        while true {
            while pos < n, Lexer.isSpace(bytes[pos]) { pos += 1 }
            if pos >= n {
                let (line, column) = locator.position(of: openedAt)
                let open = isBlock ? "{%" : "{{"
                let close = isBlock ? "%}" : "}}"
                throw error(n, "unexpected end of template, expected '\(close)' to close '\(open)' opened at \(line):\(column)")
            }
            let b = bytes[pos]
            if brackets.last != UInt8(ascii: "{") {
                if b == closer, byte(pos + 1) == UInt8(ascii: "}") {
                    tokens.append(Token(kind: isBlock ? .blockEnd : .variableEnd, offset: pos))
                    pos += 2
                    return
                }
                if (b == UInt8(ascii: "-") || b == UInt8(ascii: "+")), byte(pos + 1) == closer, byte(pos + 2) == UInt8(ascii: "}") {
                    tokens.append(Token(kind: isBlock ? .blockEnd : .variableEnd, offset: pos))
                    stripNextText = b == UInt8(ascii: "-")
                    pos += 3
                    return
                }
            }
            let start = pos
            if Lexer.isNameStart(b) || b >= 0x80 {
                while pos < n, Lexer.isNameStart(bytes[pos]) || Lexer.isDigit(bytes[pos]) || bytes[pos] >= 0x80 { pos += 1 }
                tokens.append(Token(kind: .name(String(decoding: bytes[start..<pos], as: UTF8.self)), offset: start))
            } else if Lexer.isDigit(b) {
                try lexNumber()
            } else if b == UInt8(ascii: "'") || b == UInt8(ascii: "\"") {
                try lexString(quote: b)
            } else {
                let next = byte(pos + 1)
                if Lexer.isTwoByteOperator(b, next) {
                    tokens.append(Token(kind: .op(String(decoding: [b, next], as: UTF8.self)), offset: pos))
                    pos += 2
                } else if Lexer.isOneByteOperator(b) {
                    if b == UInt8(ascii: "(") || b == UInt8(ascii: "[") || b == UInt8(ascii: "{") { brackets.append(b) }
                    if b == UInt8(ascii: ")") || b == UInt8(ascii: "]") || b == UInt8(ascii: "}") { _ = brackets.popLast() }
                    tokens.append(Token(kind: .op(String(UnicodeScalar(b))), offset: pos))
                    pos += 1
                } else {
                    throw error(pos, "unexpected character '\(Character(UnicodeScalar(b)))' inside a tag")
                }
            }
        }
    }

    private mutating func lexNumber() throws {
        let n = bytes.count
        let start = pos
        var isFloat = false
        while pos < n, Lexer.isDigit(bytes[pos]) || bytes[pos] == UInt8(ascii: "_") { pos += 1 }
        if byte(pos) == UInt8(ascii: "."), Lexer.isDigit(byte(pos + 1)) {
            isFloat = true
            pos += 1
            while pos < n, Lexer.isDigit(bytes[pos]) || bytes[pos] == UInt8(ascii: "_") { pos += 1 }
        }
        if byte(pos) == UInt8(ascii: "e") || byte(pos) == UInt8(ascii: "E") {
            var p = pos + 1
            if byte(p) == UInt8(ascii: "+") || byte(p) == UInt8(ascii: "-") { p += 1 }
            if Lexer.isDigit(byte(p)) {
                isFloat = true
                pos = p
                while pos < n, Lexer.isDigit(bytes[pos]) { pos += 1 }
            }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self).replacingOccurrences(of: "_", with: "")
        if isFloat {
            guard let d = Double(text) else { throw error(start, "invalid number '\(text)'") }
            tokens.append(Token(kind: .double(d), offset: start))
        } else {
            guard let i = Int(text) else { throw error(start, "integer '\(text)' is too large") }
            tokens.append(Token(kind: .int(i), offset: start))
        }
    }

    private mutating func lexString(quote: UInt8) throws {
        let n = bytes.count
        let start = pos
        pos += 1
        var out: [UInt8] = []
        while true {
            guard pos < n else { throw error(start, "unterminated string literal: no closing \(Character(UnicodeScalar(quote)))") }
            let b = bytes[pos]
            if b == quote { pos += 1; break }
            if b == UInt8(ascii: "\\"), pos + 1 < n {
                let e = bytes[pos + 1]
                pos += 2
                switch e {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "0"): out.append(0)
                case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): out.append(e)
                case 10: break  // backslash-newline continues the line, as in Python
                case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let width = e == UInt8(ascii: "x") ? 2 : (e == UInt8(ascii: "u") ? 4 : 8)
                    guard pos + width <= n,
                        let code = UInt32(String(decoding: bytes[pos..<(pos + width)], as: UTF8.self), radix: 16),
                        let scalar = UnicodeScalar(code)
                    else { throw error(pos - 2, "invalid \\\(Character(UnicodeScalar(e))) escape in string literal") }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    pos += width
                default:
                    out.append(UInt8(ascii: "\\"))
                    out.append(e)
                }
                continue
            }
            out.append(b)
            pos += 1
        }
        tokens.append(Token(kind: .string(String(decoding: out, as: UTF8.self)), offset: start))
    }
}
