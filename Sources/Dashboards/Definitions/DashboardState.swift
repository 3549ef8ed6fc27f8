import Foundation
import SemanticLayer

/// What a reader has chosen on a dashboard: date range, grain, filter values. The whole state
/// lives in the URL's query string, so a link reproduces the view (a permalink).
public struct DashboardState: Sendable, Hashable {
    /// Inclusive `YYYY-MM-DD` bounds on metric_time; nil = open.
    public var start: String?
    public var end: String?
    /// The date zoom; nil = the dashboard's grain.
    public var grain: TimeGranularity?
    /// Dimension → values to keep (the filter bar and cross-filter clicks).
    public var filters: [String: [String]]

    public init(start: String? = nil, end: String? = nil, grain: TimeGranularity? = nil, filters: [String: [String]] = [:]) {
        self.start = start
        self.end = end
        self.grain = grain
        self.filters = filters
    }

    /// Reads `start`, `end`, `grain` and `f.<dimension>` parameters; anything malformed is an
    /// error naming the parameter.
    public init(query items: [(name: String, value: String)]) throws {
        self.init()
        for (name, value) in items {
            switch name {
            case "start", "end":
                guard value.isEmpty || Self.isDate(value) else {
                    throw SemanticError(.invalidQuery, "parameter \(name)=\(value) is not a date; write YYYY-MM-DD")
                }
                if !value.isEmpty { if name == "start" { start = value } else { end = value } }
            case "grain":
                guard let grain = TimeGranularity(rawValue: value), grain >= .day else {
                    throw SemanticError(.invalidQuery, "parameter grain=\(value) is not a grain; use day, week, month, quarter or year")
                }
                self.grain = grain
            case _ where name.hasPrefix("f."):
                let dimension = String(name.dropFirst(2))
                guard (try? GroupByName(parsing: dimension)) != nil else {
                    throw SemanticError(.invalidQuery, "parameter \(name) does not name a dimension")
                }
                if !value.isEmpty { filters[dimension, default: []].append(value) }
            default:
                continue
            }
        }
    }

    /// The state as query-string items, in a stable order (for links and cache keys).
    public var queryItems: [(name: String, value: String)] {
        var items: [(String, String)] = []
        if let start { items.append(("start", start)) }
        if let end { items.append(("end", end)) }
        if let grain { items.append(("grain", grain.rawValue)) }
        for (dimension, values) in filters.sorted(by: { $0.key < $1.key }) {
            for value in values { items.append(("f.\(dimension)", value)) }
        }
        return items
    }

    /// `?start=…&grain=…` (empty when the state is the default).
    public var queryString: String {
        let items = queryItems
        guard !items.isEmpty else { return "" }
        return "?" + items.map { "\(Self.encode($0.name))=\(Self.encode($0.value))" }.joined(separator: "&")
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static func isDate(_ text: String) -> Bool {
        text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil
    }
}
