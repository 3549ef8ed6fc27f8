import TransformProject

/// A problem with semantic definitions or a metrics query: what is wrong, where, and what to do.
public struct SemanticError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A stable name for programs (the JSON API's `code`).
    public enum Code: String, Sendable {
        case invalidDefinition = "invalid_definition"
        case unknownMetric = "unknown_metric"
        case unknownDimension = "unknown_dimension"
        case unknownModel = "unknown_model"
        case fanOut = "fan_out_join"
        case invalidQuery = "invalid_query"
        case noTimeSpine = "no_time_spine"
    }

    public var code: Code
    public var message: String
    /// Where the faulty definition is written; nil for problems in a query.
    public var location: SourceLocation?

    public init(_ code: Code, _ message: String, at location: SourceLocation? = nil) {
        self.code = code
        self.message = message
        self.location = location
    }

    public var description: String {
        guard let location else { return "error: \(message)" }
        return "\(location): error: \(message)"
    }

    /// " (did you mean 'x'?)" when a known name is close to `name`, else "".
    static func suggestion(for name: String, among candidates: [String]) -> String {
        guard let close = Suggest.closest(to: name, among: candidates) else { return "" }
        return " (did you mean '\(close)'?)"
    }
}
