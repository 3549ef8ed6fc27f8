import Hummingbird

/// `application/x-www-form-urlencoded` fields: a form's body, or a URL's query string as a
/// browser writes it for a GET form (`+` for a space, then percent-encoding). Hummingbird's own
/// query parameters keep a `+` as it is, so a filter value or an SQL text typed with spaces
/// would arrive with plus signs in it.
struct FormFields: Sequence {
    let items: [(name: String, value: String)]

    init(_ text: String) {
        items = text.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = parts.first.map(Self.decode), !name.isEmpty else { return nil }
            return (name, parts.count > 1 ? Self.decode(parts[1]) : "")
        }
    }

    /// The query string of `request`.
    init(query request: Request) { self.init(request.uri.query ?? "") }

    /// `+` → space, then `%XX` → that byte. A stray `%` or bytes that are not UTF-8 leave the
    /// text as it came (pluses as spaces). Byte by byte in Swift: Foundation's
    /// `replacingOccurrences` and `removingPercentEncoding` go through NSString on Linux and
    /// were the largest cost of a warm API answer.
    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var clean = true
        var input = text.utf8.makeIterator()
        while let byte = input.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                if clean, let high = input.next().flatMap(hexValue), let low = input.next().flatMap(hexValue) {
                    bytes.append(high << 4 | low)
                } else {
                    clean = false
                }
            default: bytes.append(byte)
            }
        }
        if clean, let decoded = String(validating: bytes, as: UTF8.self) { return decoded }
        return String(text.map { $0 == "+" ? " " : $0 })
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    subscript(_ name: String) -> String? { self.get(name) }
    func get(_ name: String) -> String? { items.first { $0.name == name }?.value }
    func getAll(_ name: String) -> [String] { items.filter { $0.name == name }.map(\.value) }
    var names: [String] { items.map(\.name) }

    func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { items.makeIterator() }
}
