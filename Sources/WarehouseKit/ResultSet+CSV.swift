extension ResultSet {
    /// RFC 4180 CSV with a header row; NULL is an empty field. What `query --format csv`, the
    /// metrics CLI and a dashboard tile's export all write.
    public var csvText: String {
        var out = columnNames.map(ResultSet.csvField).joined(separator: ",") + "\n"
        for row in rows {
            out += row.map { $0.isNull ? "" : ResultSet.csvField($0.description) }.joined(separator: ",") + "\n"
        }
        return out
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
