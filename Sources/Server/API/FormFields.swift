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

    static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    subscript(_ name: String) -> String? { self.get(name) }
    func get(_ name: String) -> String? { items.first { $0.name == name }?.value }
    func getAll(_ name: String) -> [String] { items.filter { $0.name == name }.map(\.value) }
    var names: [String] { items.map(\.name) }

    func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { items.makeIterator() }
}
