import WarehouseKit

/// Spark SQL text as its lexer reads it: quoted strings (`'…'` and, without ANSI identifiers,
/// `"…"`, with backslash escapes), back-quoted identifiers, `--` and nested `/* */` comments.
///
/// Spark Connect runs one statement per plan, so scripts are split here; and Spark's parameter
/// markers are named (`:p1`), so the `$1` placeholders Storehouse's `SQL` writes are renamed.
/// Both need to know what is code and what is quoted, which is all this type does.
struct SparkSQLText {
    /// The statements of a script, trimmed; empty ones (`;;`, comment-only) left out.
    private(set) var statements: [String] = []
    /// The text with `$n` outside quotes and comments written as `:pn`.
    private(set) var withNamedMarkers = ""
    /// The highest `$n` seen outside quotes and comments.
    private(set) var highestPlaceholder = 0

    /// The name `$n` becomes.
    static func markerName(_ n: Int) -> String { "p\(n)" }

    init(_ text: String) {
        let bytes = Array(text.utf8)
        let count = bytes.count
        var output: [UInt8] = []
        output.reserveCapacity(count)
        var statement: [UInt8] = []
        var statementHasCode = false
        var index = 0

        func endStatement() {
            if statementHasCode, let piece = String(validating: statement, as: UTF8.self) {
                let trimmed = piece.trimmedSQL
                if !trimmed.isEmpty { statements.append(trimmed) }
            }
            statement.removeAll(keepingCapacity: true)
            statementHasCode = false
        }
        func copy(_ range: Range<Int>, code: Bool) {
            output.append(contentsOf: bytes[range])
            statement.append(contentsOf: bytes[range])
            if code { statementHasCode = true }
        }

        while index < count {
            let byte = bytes[index]
            let start = index
            if let end = SQLComments.end(in: bytes, at: index) {
                index = end
                copy(start..<end, code: false)
                continue
            }
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
                index += 1
                while index < count {
                    if bytes[index] == UInt8(ascii: "\\"), byte != UInt8(ascii: "`") {
                        index += 2
                        continue
                    }
                    if bytes[index] == byte {
                        // A doubled back quote is one back quote inside the identifier.
                        if byte == UInt8(ascii: "`"), index + 1 < count, bytes[index + 1] == byte {
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    index += 1
                }
                copy(start..<min(index, count), code: true)
            case UInt8(ascii: "$") where index + 1 < count && bytes[index + 1] >= 0x30 && bytes[index + 1] <= 0x39:
                index += 1
                var number = 0
                while index < count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                    number = number * 10 + Int(bytes[index] - 0x30)
                    index += 1
                }
                highestPlaceholder = max(highestPlaceholder, number)
                output.append(contentsOf: Array((":" + Self.markerName(number)).utf8))
                statement.append(contentsOf: bytes[start..<index])
                statementHasCode = true
            case UInt8(ascii: ";"):
                output.append(byte)
                index += 1
                endStatement()
            default:
                index += 1
                copy(start..<index, code: byte > 0x20)
            }
        }
        endStatement()
        withNamedMarkers = String(decoding: output, as: UTF8.self)
    }
}

extension String {
    var trimmedSQL: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
