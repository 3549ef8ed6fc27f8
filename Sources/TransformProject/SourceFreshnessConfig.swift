import Foundation
import Yams

/// The unit of a freshness threshold, as dbt spells it.
public enum FreshnessPeriod: String, Sendable, CaseIterable {
    case minute, hour, day

    public var seconds: Double {
        switch self {
        case .minute: return 60
        case .hour: return 3600
        case .day: return 86_400
        }
    }
}

/// `{count: 12, period: hour}`: how old a source's newest row may get. An empty one (`{}`, the
/// default when the key is left out) sets nothing; the loader refuses one with only a count or
/// only a period, which dbt would silently never apply.
public struct FreshnessTime: Sendable, Equatable {
    public var count: Int?
    public var period: FreshnessPeriod?

    public init(count: Int? = nil, period: FreshnessPeriod? = nil) {
        self.count = count
        self.period = period
    }

    /// Both parts given: the threshold applies.
    public var isSet: Bool { count != nil && period != nil }

    /// The threshold in seconds, when set.
    public var seconds: Double? {
        guard let count, let period else { return nil }
        return Double(count) * period.seconds
    }

    var configValue: ConfigValue {
        .dict([("count", count.map(ConfigValue.int) ?? .null), ("period", period.map { .string($0.rawValue) } ?? .null)])
    }
}

/// A source table's `freshness:` after dbt's merge of the source's and the table's settings:
/// when it warns, when it errors, and which rows count.
///
/// ```yaml
/// freshness:
///   warn_after: {count: 12, period: hour}
///   error_after: {count: 1, period: day}
///   filter: "status != 'test'"
/// ```
public struct FreshnessThreshold: Sendable, Equatable {
    /// nil when the YAML says `warn_after: null` (which also drops a source-level default).
    public var warnAfter: FreshnessTime?
    public var errorAfter: FreshnessTime?
    /// A SQL `where` condition the newest row is looked for under.
    public var filter: String?

    public init(warnAfter: FreshnessTime? = FreshnessTime(), errorAfter: FreshnessTime? = FreshnessTime(), filter: String? = nil) {
        self.warnAfter = warnAfter
        self.errorAfter = errorAfter
        self.filter = filter
    }

    /// Whether the table is checked at all: dbt checks a source with a warn or error threshold.
    public var isActive: Bool { warnAfter?.isSet == true || errorAfter?.isSet == true }

    /// The criteria as manifest.json and sources.json write them.
    public var configValue: ConfigValue {
        .dict([("warn_after", warnAfter?.configValue ?? .null), ("error_after", errorAfter?.configValue ?? .null),
               ("filter", filter.map(ConfigValue.string) ?? .null)])
    }

    /// Reads back `configValue` (a manifest node's `freshness`); nil for null or another shape.
    public init?(configValue: ConfigValue) {
        guard case .dict = configValue else { return nil }
        func time(_ key: String) -> FreshnessTime? {
            guard let value = configValue[key], case .dict = value else { return nil }
            return FreshnessTime(count: value["count"]?.intValue, period: value["period"]?.stringValue.flatMap(FreshnessPeriod.init))
        }
        self.init(warnAfter: time("warn_after"), errorAfter: time("error_after"), filter: configValue["filter"]?.stringValue)
    }

    /// dbt's merge of freshness settings, most general first (source, source `config:`, table,
    /// table `config:`): a later layer overrides per threshold; a null layer turns freshness off
    /// until a later layer sets a threshold again.
    public static func merged(_ layers: [FreshnessThreshold?]) -> FreshnessThreshold? {
        guard var current = layers.first else { return nil }
        for update in layers.dropFirst() {
            if let base = current, let update {
                current = FreshnessThreshold(warnAfter: mergedTime(base.warnAfter, update.warnAfter),
                                             errorAfter: mergedTime(base.errorAfter, update.errorAfter),
                                             filter: update.filter ?? base.filter)
            } else if current == nil, let update, update.isActive {
                current = update
            } else {
                current = nil
            }
        }
        return current
    }

    /// An explicit null drops the threshold; an empty or partial one keeps the base's.
    static func mergedTime(_ base: FreshnessTime?, _ update: FreshnessTime?) -> FreshnessTime? {
        guard let update else { return nil }
        return update.isSet ? update : base
    }
}

extension Node {
    /// A source table's freshness criteria, merged; nil when turned off (`freshness: null`).
    public var freshness: FreshnessThreshold? { extra("freshness").flatMap(FreshnessThreshold.init(configValue:)) }

    /// The column or expression whose maximum says when a source table last got data.
    public var loadedAtField: String? { extra("loaded_at_field")?.stringValue }
}

/// Reads `freshness:` and `loaded_at_field:` of a source and its tables from YAML, as dbt's
/// parser does, refusing bad settings with file:line.
enum SourceFreshnessConfig {
    /// The table's merged criteria; nil when turned off.
    static func freshness(source: Yams.Node, table: Yams.Node, file: String) throws -> FreshnessThreshold? {
        let layers = try [source, YAMLSupport.lookup(source, "config"), table, YAMLSupport.lookup(table, "config")].map { owner in
            try layer(YAMLSupport.lookup(owner, "freshness"), file: file)
        }
        return FreshnessThreshold.merged(layers)
    }

    /// The table's `loaded_at_field` (or its config's) when it names one, even as null, else the source's.
    static func loadedAtField(source: Yams.Node, table: Yams.Node) -> String? {
        func text(_ node: Yams.Node?) -> String? { node.flatMap { YAMLSupport.value($0).stringValue } }
        let tableConfig = YAMLSupport.lookup(table, "config")
        if let written = YAMLSupport.lookup(table, "loaded_at_field") {
            return text(written) ?? text(YAMLSupport.lookup(tableConfig, "loaded_at_field"))
        }
        if let field = text(YAMLSupport.lookup(tableConfig, "loaded_at_field")) { return field }
        return text(YAMLSupport.lookup(source, "loaded_at_field")) ?? text(YAMLSupport.lookup(YAMLSupport.lookup(source, "config"), "loaded_at_field"))
    }

    /// One layer: absent is an empty threshold (it inherits), null is nil (it turns freshness off).
    static func layer(_ node: Yams.Node?, file: String) throws -> FreshnessThreshold? {
        guard let node else { return FreshnessThreshold() }
        if YAMLSupport.value(node).isNull { return nil }
        guard case .mapping = node else {
            throw error(node, file, "freshness must be a mapping such as {warn_after: {count: 12, period: hour}, error_after: {count: 1, period: day}}")
        }
        var threshold = FreshnessThreshold()
        for (key, value) in YAMLSupport.entries(node) {
            switch key {
            case "warn_after": threshold.warnAfter = try time(value, key, file: file)
            case "error_after": threshold.errorAfter = try time(value, key, file: file)
            case "filter":
                switch YAMLSupport.value(value) {
                case .null: threshold.filter = nil
                case .string(let text): threshold.filter = text
                default: throw error(value, file, "freshness filter must be a SQL condition in quotes, such as \"status != 'test'\"")
                }
            default:
                throw error(value, file, "freshness has an unknown key '\(key)'; allowed: warn_after, error_after, filter")
            }
        }
        return threshold
    }

    static func time(_ node: Yams.Node, _ name: String, file: String) throws -> FreshnessTime? {
        if YAMLSupport.value(node).isNull { return nil }
        guard case .mapping = node else {
            throw error(node, file, "\(name) must be a mapping such as {count: 12, period: hour}")
        }
        var time = FreshnessTime()
        for (key, value) in YAMLSupport.entries(node) {
            switch key {
            case "count":
                guard case .int(let count) = YAMLSupport.value(value), count > 0 else {
                    throw error(value, file, "\(name) count must be a positive whole number, got '\(YAMLSupport.key(value))'")
                }
                time.count = count
            case "period":
                let text = YAMLSupport.key(value)
                guard let period = FreshnessPeriod(rawValue: text) else {
                    throw error(value, file, "\(name) has an unknown period '\(text)'; use minute, hour or day")
                }
                time.period = period
            default:
                throw error(value, file, "\(name) has an unknown key '\(key)'; allowed: count, period")
            }
        }
        if (time.count == nil) != (time.period == nil) {
            throw error(node, file, "\(name) needs both count and period, e.g. {count: 12, period: hour}; dbt ignores one without the other")
        }
        return time
    }

    static func error(_ node: Yams.Node, _ file: String, _ message: String) -> TransformError {
        TransformError(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0, message)
    }
}
