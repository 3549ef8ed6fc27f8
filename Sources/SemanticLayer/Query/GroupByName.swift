import Foundation

/// A name a query groups or filters by, in MetricFlow's spelling: `metric_time__month`,
/// `customer__segment`, `order__ordered_at__week`, `order__customer__segment` (two hops), or an
/// entity such as `customer`.
public struct GroupByName: Sendable, Hashable, CustomStringConvertible {
    /// Entities walked from the measure's model to the element (`[order, customer]`); empty for
    /// `metric_time`.
    public var entityPath: [String]
    /// The dimension, `metric_time`, or nil when the name is an entity itself.
    public var element: String?
    public var grain: TimeGranularity?

    public static let metricTimeName = "metric_time"

    public init(entityPath: [String], element: String?, grain: TimeGranularity? = nil) {
        self.entityPath = entityPath
        self.element = element
        self.grain = grain
    }

    /// Splits on `__`; a last part that is a grain is the grain.
    public init(parsing text: String) throws {
        var parts = text.components(separatedBy: "__")
        guard !text.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }) else {
            throw SemanticError(.invalidQuery, "'\(text)' is not a dimension name; write entity__dimension (customer__segment) or metric_time__month")
        }
        var grain: TimeGranularity?
        if parts.count > 1, let g = TimeGranularity(rawValue: parts.last!) {
            grain = g
            parts.removeLast()
        }
        if parts == [GroupByName.metricTimeName] {
            self.init(entityPath: [], element: GroupByName.metricTimeName, grain: grain)
        } else if parts.count == 1 {
            self.init(entityPath: parts, element: nil, grain: grain)
        } else {
            let element = parts.removeLast()
            self.init(entityPath: parts, element: element, grain: grain)
        }
    }

    public var isMetricTime: Bool { element == GroupByName.metricTimeName && entityPath.isEmpty }
    public var isEntity: Bool { element == nil }

    /// The name without its grain.
    public var baseName: String { (entityPath + (element.map { [$0] } ?? [])).joined(separator: "__") }

    public var description: String { grain.map { "\(baseName)__\($0.rawValue)" } ?? baseName }

    /// A saved query's `group_by` entry, `TimeDimension('metric_time', 'day')` or
    /// `Dimension('customer__segment')` or a plain name, as a name.
    static func fromJinjaReference(_ text: String, at location: SourceLocation) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "{{", with: "").replacingOccurrences(of: "}}", with: "")
            .trimmingCharacters(in: .whitespaces)
        guard let open = trimmed.firstIndex(of: "("), trimmed.hasSuffix(")") else { return trimmed }
        let arguments = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
            .split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " '\"")) }
        guard let first = arguments.first, !first.isEmpty else {
            throw SemanticError(.invalidDefinition, "group_by entry '\(text)' names nothing; write Dimension('entity__name')", at: location)
        }
        return arguments.count > 1 ? "\(first)__\(arguments[1])" : first
    }
}
