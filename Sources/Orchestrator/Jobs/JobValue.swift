import Foundation

/// A value from a job file's `vars:`, typed as YAML 1.1 types it (as dbt reads `--vars`).
public enum JobValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([JobValue])
    case dict([String: JobValue])
}
