import Foundation

/// Python's number and string formatting, shared by `'%05.2f' % x` and `'{:>8,.2f}'.format(x)`:
/// fill and alignment, sign, zero padding, width, thousands separator, precision, and the types
/// s, d, f, e, g, x, o, b, % (as CPython formats them).
struct PythonFormatSpec {
    var fill: Character = " "
    var align: Character?
    var sign: Character = "-"
    var alternate = false
    var zeroPad = false
    var width = 0
    var thousands: Character?
    var precision: Int?
    var type: Character?
    var textAlignsRight = false

    /// The format-spec mini-language of `str.format`: `[[fill]align][sign][#][0][width][,][.precision][type]`.
    init(formatSpec: String) throws {
        var chars = Array(formatSpec)[...]
        if chars.count >= 2, "<>^=".contains(chars[chars.startIndex + 1]) {
            fill = chars.removeFirst(); align = chars.removeFirst()
        } else if let c = chars.first, "<>^=".contains(c) {
            align = chars.removeFirst()
        }
        if let c = chars.first, "+- ".contains(c) { sign = chars.removeFirst() }
        if chars.first == "#" { alternate = true; chars.removeFirst() }
        if chars.first == "0" { zeroPad = true; chars.removeFirst() }
        var digits = ""
        while let c = chars.first, c.isNumber { digits.append(chars.removeFirst()) }
        width = Int(digits) ?? 0
        if let c = chars.first, c == "," || c == "_" { thousands = chars.removeFirst() }
        if chars.first == "." {
            chars.removeFirst()
            var p = ""
            while let c = chars.first, c.isNumber { p.append(chars.removeFirst()) }
            guard let value = Int(p) else { throw TemplateError.raised("Format specifier missing precision") }
            precision = value
        }
        if let c = chars.popFirst() { type = c }
        guard chars.isEmpty else { throw TemplateError.raised("Invalid format specifier '\(formatSpec)'") }
    }

    /// A `%` conversion: flags `-+ 0#`, width, `.precision`, then the conversion character.
    init(percentFlags flags: String, width: Int, precision: Int?, conversion: Character) {
        if flags.contains("-") { align = "<" }
        // `%5s` right-aligns text too, where `{:5}` left-aligns it.
        textAlignsRight = true
        if flags.contains("+") { sign = "+" } else if flags.contains(" ") { sign = " " }
        alternate = flags.contains("#")
        zeroPad = flags.contains("0") && !flags.contains("-")
        self.width = width
        self.precision = precision
        type = conversion
    }

    func format(_ value: Value) throws -> String {
        let type = self.type
        var body: String
        var negative = false
        var numeric = true
        switch type {
        case nil where value.isNumberLike, "d", "i", "n", "f", "F", "e", "E", "g", "G", "%", "x", "X", "o", "b":
            guard let number = value.doubleValue else {
                throw TemplateError.raised("Unknown format code '\(type.map(String.init) ?? "")' for object of type '\(value.typeName)'")
            }
            negative = number < 0 || (number == 0 && number.sign == .minus && !value.isInteger)
            let magnitude = abs(number)
            switch type {
            case "d", "i", "n":
                guard value.isInteger || number.rounded() == number else {
                    throw TemplateError.raised("Unknown format code 'd' for object of type 'float'")
                }
                body = String(Int(magnitude))
            case "x", "X", "o", "b":
                let radix = type == "o" ? 8 : type == "b" ? 2 : 16
                body = String(Int(magnitude), radix: radix, uppercase: type == "X")
                if alternate { body = (type == "o" ? "0o" : type == "b" ? "0b" : type == "X" ? "0X" : "0x") + body }
            case "e", "E":
                body = String(format: "%.\(precision ?? 6)\(type!)", magnitude)
            case "g", "G":
                body = String(format: "%.\(precision ?? 6)\(type!)", magnitude)
            case "%":
                body = String(format: "%.\(precision ?? 6)f", magnitude * 100) + "%"
            case nil:
                if value.isInteger { body = String(Int(magnitude)) }
                else if let precision { body = String(format: "%.\(precision)g", magnitude) }
                else { body = Value.double(magnitude).renderedString }
            default:
                body = String(format: "%.\(precision ?? 6)f", magnitude)
            }
            if let thousands { body = Self.group(body, with: thousands) }
        case "r":
            numeric = false
            body = value.pythonRepr
        default:
            numeric = false
            body = value.renderedString
            if let precision { body = String(body.prefix(precision)) }
        }
        var signText = ""
        if numeric {
            if negative { signText = "-" } else if sign == "+" { signText = "+" } else if sign == " " { signText = " " }
        }
        let length = signText.count + body.count
        guard width > length else { return signText + body }
        let padding = width - length
        if numeric && (zeroPad || align == "=") && align != "<" && align != ">" && align != "^" {
            let padChar: Character = zeroPad && align == nil ? "0" : fill
            return signText + String(repeating: padChar, count: padding) + body
        }
        let text = signText + body
        switch align ?? (numeric || textAlignsRight ? ">" : "<") {
        case ">": return String(repeating: fill, count: padding) + text
        case "^":
            let left = padding / 2
            return String(repeating: fill, count: left) + text + String(repeating: fill, count: padding - left)
        default: return text + String(repeating: fill, count: padding)
        }
    }

    /// `1234567.5` → `1,234,567.5`.
    static func group(_ digits: String, with separator: Character) -> String {
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = Array(parts[0])
        var out = ""
        for (i, c) in whole.enumerated() {
            if i > 0, (whole.count - i) % 3 == 0 { out.append(separator) }
            out.append(c)
        }
        return parts.count > 1 ? out + "." + parts[1] : out
    }
}

extension Value {
    var isNumberLike: Bool {
        switch self {
        case .int, .double: return true
        default: return false
        }
    }

    var isInteger: Bool {
        if case .int = self { return true }
        return false
    }
}
