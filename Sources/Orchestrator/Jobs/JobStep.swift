import Foundation

/// The kinds of step a job may have. There is deliberately no shell step: a job file must not
/// be a way to run commands on the server.
public enum StepKind: String, Sendable, Hashable, CaseIterable {
    case generate, ingest, seed, build, run, test, snapshot, freshness, docs, export
    case mlTrain = "ml_train", mlScore = "ml_score"
}

/// Which nodes of the project a build-like step works on, as the CLI's flags say it.
public struct NodeSelection: Sendable, Hashable {
    /// `--select`, nil for everything.
    public var select: String?
    /// `--exclude`.
    public var exclude: String?
    /// `--vars`, on top of the job's.
    public var vars: [String: JobValue]
    /// `--full-refresh`.
    public var fullRefresh: Bool

    public init(select: String? = nil, exclude: String? = nil, vars: [String: JobValue] = [:], fullRefresh: Bool = false) {
        self.select = select
        self.exclude = exclude
        self.vars = vars
        self.fullRefresh = fullRefresh
    }
}

/// The file format of an `export` step.
public enum ExportFormat: String, Sendable, Hashable, CaseIterable {
    case parquet, csv
}

/// What a step does, with its options.
public enum StepAction: Sendable, Hashable {
    /// Generate synthetic store data: `days` of it, from `seed` when given.
    case generate(days: Int, seed: Int?)
    /// Run a configured ingest connector.
    case ingest(connector: String)
    case seed(NodeSelection)
    case build(NodeSelection)
    case run(NodeSelection)
    case test(NodeSelection)
    case snapshot(NodeSelection)
    /// Check source freshness (dbt's `source freshness`), of the sources `select` names.
    case freshness(select: String?)
    /// Compile the project and write manifest.json and catalog.json (dbt's `docs generate`).
    case docs
    /// Export marts and raw data to a folder, partitioned by a column when `partitionBy` names one.
    case export(to: String, format: ExportFormat, select: String?, partitionBy: String? = nil)
    /// Train the named models of the project's ml.yml (all when empty), as `storehouse ml train`.
    case mlTrain(models: [String])
    /// Score with the accepted versions of the named models (all when empty), as `storehouse ml score`.
    case mlScore(models: [String])

    public var kind: StepKind {
        switch self {
        case .generate: .generate
        case .ingest: .ingest
        case .seed: .seed
        case .build: .build
        case .run: .run
        case .test: .test
        case .snapshot: .snapshot
        case .freshness: .freshness
        case .docs: .docs
        case .export: .export
        case .mlTrain: .mlTrain
        case .mlScore: .mlScore
        }
    }
}

/// One step of a job.
public struct JobStep: Sendable, Hashable {
    /// Unique within the job; the kind by default (`build`, then `build-2` …).
    public var name: String
    public var action: StepAction
    /// Overrides the job's policy for this step.
    public var retries: RetryPolicy?
    /// Seconds one attempt of the step may take.
    public var timeout: TimeInterval?
    /// Where the step is written.
    public var location: JobFileLocation

    public init(name: String, action: StepAction, retries: RetryPolicy? = nil, timeout: TimeInterval? = nil,
                location: JobFileLocation = JobFileLocation()) {
        self.name = name
        self.action = action
        self.retries = retries
        self.timeout = timeout
        self.location = location
    }

    /// The policy this step runs under, given its job's.
    public func retryPolicy(in job: JobDefinition) -> RetryPolicy {
        RetryPolicy.effective(step: retries, job: job.retries)
    }
}
