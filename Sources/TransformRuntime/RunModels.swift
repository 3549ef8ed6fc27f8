import Foundation
import WarehouseKit
import TransformProject

/// The CLI verbs that execute a project.
public enum RunCommand: String, Sendable, CaseIterable {
    case build, run, test, seed, snapshot

    /// What each verb executes, as dbt's.
    public var resourceTypes: Set<ResourceType> {
        switch self {
        case .build: return [.model, .seed, .snapshot, .test, .unitTest]
        case .run: return [.model]
        case .test: return [.test, .unitTest]
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
    /// Record the engine's profile of each model's statements (`build --profile`).
    public var profile = false
    /// Check the ready tests of one model in one query (true), one query each (false), or as the
    /// warehouse's dialect prefers (nil: `SQLDialect.checksTestsInOneQuery`).
    public var testsInOneQuery: Bool?

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
    /// A failing (or warning) test's first rows, so a reader sees what failed without running
    /// the query again.
    public var failingRows: FailingRowsSample?
    /// The engine's profile of the node's statements, with `--profile`.
    public var profile: QueryProfile?
    public var seconds: Double
    public var startedAt: Date
    public var compiledSQL: String?
    /// Path of the compiled SQL, relative to the project root.
    public var compiledPath: String?
    public var relationName: String?
    public var threadName: String
}

/// The first rows a failing test returned, as text (NULL as nil), with their column names.
public struct FailingRowsSample: Sendable, Equatable {
    /// How many rows a sample keeps.
    public static let limit = 5
    public var columns: [String]
    public var rows: [[String?]]

    public init(columns: [String], rows: [[String?]]) {
        self.columns = columns
        self.rows = rows
    }

    /// `{"columns": [...], "rows": [[...]]}`, as run_results.json keeps it.
    public var jsonObject: [String: Any] {
        ["columns": columns, "rows": rows.map { $0.map { $0.map { $0 as Any } ?? NSNull() } }]
    }

    public init?(jsonObject: Any?) {
        guard let object = jsonObject as? [String: Any], let columns = object["columns"] as? [String],
              let rows = object["rows"] as? [[Any]] else { return nil }
        self.columns = columns
        self.rows = rows.map { $0.map { $0 as? String } }
    }
}

public struct RunSummary: Sendable {
    public var results: [NodeResult]
    public var seconds: Double

    public func count(_ status: NodeStatus) -> Int { results.filter { $0.status == status }.count }
    public var succeeded: Bool { !results.contains { $0.status.isProblem } }
}
