extension String {
    /// Without leading and trailing whitespace and line breaks (Unicode White_Space, which
    /// Foundation's `.whitespacesAndNewlines` nearly is), in Swift's own string view: Foundation's
    /// trimming goes through UTF-16, a tenth of the time a large project took to load.
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
