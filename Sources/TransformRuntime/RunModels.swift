import Foundation
import TransformProject

/// The CLI verbs that execute a project.
public enum RunCommand: String, Sendable, CaseIterable {
    case build, run, test, seed, snapshot

    /// What each verb executes, as dbt's.
    public var resourceTypes: Set<ResourceType> {
        switch self {
        case .build: return [.model, .seed, .snapshot, .test]
        case .run: return [.model]
        case .test: return [.test]
        case .seed: return [.seed]
        case .snapshot: return [.snapshot]
        }
    }
}

public struct RunOptions: Sendable {
    public var command: RunCommand
    public var select: [String]
    public var exclude: [String]
    public var threads: Int
    public var fullRefresh: Bool
    public var failFast: Bool
    /// Folder of a previous run's artifacts (`manifest.json`, `run_results.json`) for `state:`
    /// and `result:` selectors.
    public var statePath: String?

    public init(command: RunCommand, select: [String] = [], exclude: [String] = [], threads: Int = 4,
                fullRefresh: Bool = false, failFast: Bool = false, statePath: String? = nil)
    {
        self.command = command
        self.select = select
        self.exclude = exclude
        self.threads = threads
        self.fullRefresh = fullRefresh
        self.failFast = failFast
        self.statePath = statePath
    }
}

/// dbt's result statuses: models, seeds and snapshots succeed or error; tests pass, warn, fail or
/// error; anything can be skipped.
public enum NodeStatus: String, Sendable, Codable {
    case success, error, skipped, pass, fail, warn

    /// Whether the node's failure stops its descendants.
    public var blocksDescendants: Bool { self == .error || self == .fail || self == .skipped }
    public var isProblem: Bool { self == .error || self == .fail }
}

public struct NodeResult: Sendable {
    public var uniqueId: String
    public var name: String
    public var resourceType: ResourceType
    public var status: NodeStatus
    /// What happened in a few words: `view`, `table`, `12 failures`, the engine's error.
    public var message: String
    public var rowsAffected: Int?
    public var failures: Int?
    public var seconds: Double
    public var startedAt: Date
    public var compiledSQL: String?
    /// Path of the compiled SQL, relative to the project root.
    public var compiledPath: String?
    public var relationName: String?
    public var threadName: String
}

public struct RunSummary: Sendable {
    public var results: [NodeResult]
    public var seconds: Double

    public func count(_ status: NodeStatus) -> Int { results.filter { $0.status == status }.count }
    public var succeeded: Bool { !results.contains { $0.status.isProblem } }
}
