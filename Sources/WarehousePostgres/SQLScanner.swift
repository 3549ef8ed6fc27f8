import WarehouseKit

/// Splits SQL text into statements and finds its `$n` placeholders, skipping what PostgreSQL
/// treats as opaque: quoted strings (`'…'`, `E'…'`), quoted identifiers, dollar-quoted bodies
/// (`$fn$ … $fn$`) and comments (`--`, nested `/* */`).
///
/// postgres-nio speaks only the extended query protocol, which takes one statement per message,
/// so scripts are split here.
struct SQLScanner {
    /// The statements of a script, trimmed, empty ones (`;;`, comment-only) left out.
    var statements: [String] = []
    /// The highest `$n` seen outside quotes and comments.
    var highestPlaceholder = 0

    init(_ text: String) {
        let bytes = Array(text.utf8)
        var index = 0
        var statementStart = 0
        var statementHasCode = false
        let count = bytes.count

        func isIdentifierByte(_ b: UInt8) -> Bool {
            (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b >= 0x80
        }
        func endStatement(at end: Int) {
            if statementHasCode, let piece = String(validating: bytes[statementStart..<end], as: UTF8.self) {
                let trimmed = piece.trimmingWhitespace()
                if !trimmed.isEmpty { statements.append(trimmed) }
            }
            statementStart = end + 1
            statementHasCode = false
        }

        while index < count {
            let byte = bytes[index]
            if let end = SQLComments.end(in: bytes, at: index) {
                index = end
                continue
            }
            switch byte {
            case UInt8(ascii: "'"):
                // E'…' strings take backslash escapes; plain ones only double their quotes.
                let escapes = index > 0 && (bytes[index - 1] == UInt8(ascii: "E") || bytes[index - 1] == UInt8(ascii: "e"))
                    && (index < 2 || !isIdentifierByte(bytes[index - 2]))
                index += 1
                while index < count {
                    if escapes && bytes[index] == UInt8(ascii: "\\") {
                        index += 2
                        continue
                    }
                    if bytes[index] == UInt8(ascii: "'") {
                        if index + 1 < count && bytes[index + 1] == UInt8(ascii: "'") { index += 2; continue }
                        break
                    }
                    index += 1
                }
            case UInt8(ascii: "\""):
                index += 1
                while index < count {
                    if bytes[index] == UInt8(ascii: "\"") {
                        if index + 1 < count && bytes[index + 1] == UInt8(ascii: "\"") { index += 2; continue }
                        break
                    }
                    index += 1
                }
            case UInt8(ascii: "$"):
                if index > 0 && isIdentifierByte(bytes[index - 1]) { break } // part of an identifier such as a$b
                var end = index + 1
                if end < count && bytes[end] >= 0x30 && bytes[end] <= 0x39 {
                    var number = 0
                    while end < count && bytes[end] >= 0x30 && bytes[end] <= 0x39 {
                        number = number * 10 + Int(bytes[end] - 0x30)
                        end += 1
                    }
                    highestPlaceholder = max(highestPlaceholder, number)
                    statementHasCode = true
                    index = end
                    continue
                }
                while end < count && isIdentifierByte(bytes[end]) { end += 1 }
                guard end < count && bytes[end] == UInt8(ascii: "$") else { break }
                let tag = Array(bytes[index...end])
                var search = end + 1
                while search + tag.count <= count && !bytes[search..<(search + tag.count)].elementsEqual(tag) { search += 1 }
                statementHasCode = true
                index = min(search + tag.count, count)
                continue
            case UInt8(ascii: ";"):
                endStatement(at: index)
                index += 1
                continue
            default:
                break
            }
            if byte != 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D { statementHasCode = true }
            index += 1
        }
        endStatement(at: count)
    }
}
