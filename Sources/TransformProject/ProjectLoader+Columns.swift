import Yams

/// Column entries of models, seeds, snapshots and sources.
extension Loader {
    /// The keys dbt reads on a column entry; anything else is dropped by dbt and by us.
    static let columnKeys: Set<String> = ["name", "description", "meta", "data_type", "constraints", "docs", "tags", "quote",
                                          "data_tests", "tests", "granularity", "config", "policy_tags"]

    func columns(_ item: Yams.Node, file: String) throws -> [ColumnDoc] {
        try columns(entries: YAMLSupport.items(YAMLSupport.lookup(item, "columns")), file: file)
    }

    func columns(entries: [Yams.Node], file: String) throws -> [ColumnDoc] {
        try entries.compactMap { column in
            guard let name = YAMLSupport.string(column, "name") else { return nil }
            warnUnknownColumnKeys(column, name: name, file: file)
            return ColumnDoc(name: name, description: try renderDescription(YAMLSupport.string(column, "description") ?? "", file: file),
                             dataType: YAMLSupport.string(column, "data_type"),
                             meta: YAMLSupport.lookup(column, "meta").map(YAMLSupport.value) ?? .dict([]))
        }
    }

    /// `- {name: status, description: Shipped, Complete or Returned}` is valid YAML whose
    /// description ends at the first comma, the rest turning into keys: say so where it happens.
    func warnUnknownColumnKeys(_ column: Yams.Node, name: String, file: String) {
        guard case .mapping(let map) = column else { return }
        let unknown = map.filter { !Self.columnKeys.contains(YAMLSupport.key($0.key)) }
        guard let first = unknown.first else { return }
        let keys = unknown.map { "'\(YAMLSupport.key($0.key))'" }.joined(separator: ", ")
        // Yams does not keep a mapping's style; the cut-off rest of a description is a key
        // with no value, on the description's line.
        let description = map.first { YAMLSupport.key($0.key) == "description" }
        let cutShort = description?.key.mark?.line == first.key.mark?.line && YAMLSupport.value(first.value) == .null
        let hint = cutShort
            ? "in a {…} entry a comma ends the description; put the description in quotes"
            : "dbt ignores \(unknown.count == 1 ? "it" : "them"); known keys: \(Self.columnKeys.sorted().joined(separator: ", "))"
        warnings.append(ProjectWarning(file: file, line: (first.key.mark?.line ?? 0), column: first.key.mark?.column ?? 0,
                                       "column '\(name)' has \(unknown.count == 1 ? "a key" : "keys") dbt does not know: \(keys); \(hint)"))
    }
}
