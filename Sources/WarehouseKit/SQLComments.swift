/// SQL comments, for the adapters' own scanners of statement text (splitting scripts, renaming
/// placeholders): where a comment that starts at a position ends.
public enum SQLComments {
    /// The index just past the comment starting at `index` — the end of the line (before its
    /// newline) for `--`, just past the closing `*/` for `/* … */`, nested ones included as
    /// PostgreSQL and Spark nest them (the end of the text if unclosed) — or nil when no comment
    /// starts there.
    public static func end(in bytes: [UInt8], at index: Int) -> Int? {
        let count = bytes.count
        guard index + 1 < count else { return nil }
        if bytes[index] == UInt8(ascii: "-") && bytes[index + 1] == UInt8(ascii: "-") {
            var end = index
            while end < count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            return end
        }
        guard bytes[index] == UInt8(ascii: "/") && bytes[index + 1] == UInt8(ascii: "*") else { return nil }
        var depth = 0
        var end = index
        while end < count {
            if bytes[end] == UInt8(ascii: "/"), end + 1 < count, bytes[end + 1] == UInt8(ascii: "*") {
                depth += 1
                end += 2
            } else if bytes[end] == UInt8(ascii: "*"), end + 1 < count, bytes[end + 1] == UInt8(ascii: "/") {
                depth -= 1
                end += 2
                if depth == 0 { break }
            } else {
                end += 1
            }
        }
        return end
    }
}
