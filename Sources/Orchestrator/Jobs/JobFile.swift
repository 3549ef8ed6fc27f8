import Foundation
import Yams

/// A project's job file (`jobs.yml`): the jobs, their steps and what starts them.
///
/// ```yaml
/// jobs:
///   daily:
///     schedule: {cron: "0 6 * * *", timezone: Europe/Berlin, catchup: false}
///     retries: {count: 2, backoff: 30s, max_backoff: 10m, jitter: 0.2}
///     steps:
///       - generate: {days: 1}
///       - build: {select: "staging+"}
///     on_success: [trigger: report]
/// ```
///
/// Loading checks everything it can without running anything: unknown keys and step kinds,
/// types, durations, cron expressions and time zones, triggers of unknown jobs and chains that
/// loop. Each problem is one `OrchestratorError` at the file, line and column at fault.
public struct JobFile: Sendable, Hashable {
    /// The path the file was read from, as messages name it.
    public var path: String
    /// The jobs in the order the file lists them.
    public var jobs: [JobDefinition]

    /// Keys a job may have.
    static let jobKeys = ["description", "schedule", "sensor", "retries", "timeout", "max_concurrent_runs", "tags",
                          "vars", "steps", "on_success", "on_failure", "deadline"]

    public init(path: String = "jobs.yml", jobs: [JobDefinition]) {
        self.path = path
        self.jobs = jobs
    }

    /// Parses a job file's text.
    ///
    /// - Parameter path: the file's project-relative path, for messages.
    /// - Throws: `OrchestratorError` at the first problem found.
    public init(parsing text: String, path: String = "jobs.yml") throws(OrchestratorError) {
        let reader = JobFileReader(file: path)
        let root = try JobFile.compose(text, file: path)
        guard let root, !reader.isNull(root) else {
            self.init(path: path, jobs: [])
            return
        }
        var jobs: [JobDefinition] = []
        var triggerNodes: [String: [(String, Node)]] = [:]
        for top in try reader.mapping(root, "the job file", allowed: ["jobs"]) {
            for entry in try reader.mapping(top.value, "jobs") {
                let (job, triggers) = try JobFile.job(named: entry.key, at: entry.keyNode, entry.value, reader)
                jobs.append(job)
                triggerNodes[job.name] = triggers
            }
        }
        try JobFile.checkTriggers(jobs: jobs, triggerNodes: triggerNodes, reader)
        self.init(path: path, jobs: jobs)
    }

    /// The job of that name, if any.
    public subscript(name: String) -> JobDefinition? {
        jobs.first { $0.name == name }
    }

    /// YAML text as nodes (every scalar a string, typed later by `JobFileReader`), or the
    /// syntax error at its position.
    static func compose(_ text: String, file: String) throws(OrchestratorError) -> Node? {
        do {
            return try Yams.compose(yaml: text, .basic)
        } catch let yamlError as YamlError {
            throw JobFile.describe(yamlError, file: file)
        } catch {
            throw OrchestratorError(file: file, "invalid YAML: \(error)", hint: "fix the file's syntax")
        }
    }

    static func describe(_ error: YamlError, file: String) -> OrchestratorError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
            return OrchestratorError(file: file, line: mark.line, column: mark.column, "invalid YAML: \(what)",
                                     hint: "fix the indentation or quoting at this line")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return OrchestratorError(file: file, line: context.mark.line, column: context.mark.column,
                                     "key \(names) appears more than once in the same mapping",
                                     hint: "each job, and each key of a job, may be written once")
        default:
            return OrchestratorError(file: file, "invalid YAML: \(error)", hint: "fix the file's syntax")
        }
    }

    private static func job(named name: String, at nameNode: Node, _ node: Node,
                            _ reader: JobFileReader) throws(OrchestratorError) -> (JobDefinition, [(String, Node)]) {
        guard name.first != "-", name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }) else {
            throw reader.error(at: nameNode, "job name '\(name)' may only contain letters, digits, '_', '-' and '.'",
                               hint: "the name is used on the command line, as in `storehouse jobs run daily`")
        }
        var job = JobDefinition(name: name, steps: [], location: reader.location(of: nameNode))
        var triggers: [(String, Node)] = []
        var sawSteps = false
        for entry in try reader.mapping(node, "job '\(name)'", allowed: jobKeys) {
            let value = entry.value
            switch entry.key {
            case "description": job.description = try reader.string(value, "description")
            case "schedule": job.schedule = try schedule(value, reader)
            case "sensor": job.sensor = try sensor(value, reader)
            case "retries": job.retries = try retries(value, reader)
            case "timeout": job.timeout = try reader.duration(value, "timeout")
            case "deadline": job.deadline = try deadline(value, reader)
            case "max_concurrent_runs": job.maxConcurrentRuns = try reader.int(value, "max_concurrent_runs", in: 1...1000)
            case "tags": job.tags = try reader.strings(value, "tags")
            case "vars": job.vars = try reader.vars(value, "vars")
            case "steps":
                sawSteps = true
                job.steps = try steps(value, job: name, reader)
            case "on_success", "on_failure":
                var names: [String] = []
                for item in try reader.sequence(value, entry.key) {
                    let fields = try reader.mapping(item, "each entry of \(entry.key)", allowed: ["trigger"])
                    guard let target = fields.first else {
                        throw reader.error(at: item, "an entry of \(entry.key) is empty", hint: "write `trigger: JOB`")
                    }
                    let targetName = try reader.string(target.value, "trigger")
                    names.append(targetName)
                    triggers.append((targetName, target.value))
                }
                if entry.key == "on_success" { job.onSuccess = names } else { job.onFailure = names }
            default: break
            }
        }
        guard !job.steps.isEmpty else {
            throw reader.error(at: nameNode, sawSteps ? "job '\(name)' has an empty list of steps" : "job '\(name)' has no steps",
                               hint: "give it `steps:`, a list such as `- build: {select: \"staging+\"}`")
        }
        return (job, triggers)
    }

    private static func schedule(_ node: Node, _ reader: JobFileReader) throws(OrchestratorError) -> JobSchedule {
        if case .scalar = node, !reader.isNull(node) {
            let text = try reader.string(node, "schedule")
            return JobSchedule(schedule: try reader.at(node) { () throws(OrchestratorError) in try Schedule(text) })
        }
        let entries = try reader.mapping(node, "schedule", allowed: ["cron", "timezone", "catchup", "max_catchup"])
        guard let cronEntry = entries.first(where: { $0.key == "cron" }) else {
            throw reader.error(at: node, "schedule has no cron", hint: "write for example `{cron: \"0 6 * * *\", timezone: Europe/Berlin}`")
        }
        let cronText = try reader.string(cronEntry.value, "cron")
        let cron = try reader.at(cronEntry.value) { () throws(OrchestratorError) in try CronExpression(cronText) }
        var result = JobSchedule(schedule: try Schedule(cron: cron, timeZone: "UTC"))
        for entry in entries {
            switch entry.key {
            case "timezone":
                let zone = try reader.string(entry.value, "timezone")
                result.schedule = try reader.at(entry.value) { () throws(OrchestratorError) in try Schedule(cron: cron, timeZone: zone) }
            case "catchup": result.catchup = try reader.bool(entry.value, "catchup")
            case "max_catchup": result.maxCatchUpRuns = try reader.int(entry.value, "max_catchup", in: 1...10_000)
            default: break
            }
        }
        return result
    }

    private static func sensor(_ node: Node, _ reader: JobFileReader) throws(OrchestratorError) -> JobSensor {
        let kinds = try reader.mapping(node, "sensor", allowed: ["landing"])
        guard kinds.count == 1, let landing = kinds.first else {
            throw reader.error(at: node, "sensor must name exactly one kind — allowed: landing")
        }
        let entries = try reader.mapping(landing.value, "landing sensor", allowed: ["path", "glob", "min_age"])
        guard let pathEntry = entries.first(where: { $0.key == "path" }) else {
            throw reader.error(at: landing.keyNode, "landing sensor has no path", hint: "write for example `{path: landing/, glob: \"*.csv\"}`")
        }
        let path = try reader.string(pathEntry.value, "path")
        var glob = try GlobPattern("*")
        var minimumAge: TimeInterval = 30
        for entry in entries {
            switch entry.key {
            case "glob":
                let text = try reader.string(entry.value, "glob")
                glob = try reader.at(entry.value) { () throws(OrchestratorError) in try GlobPattern(text) }
            case "min_age": minimumAge = try reader.duration(entry.value, "min_age", positive: false)
            default: break
            }
        }
        return .landing(path: path, sensor: LandingFolderSensor(glob: glob, minimumAge: minimumAge))
    }

    static func retries(_ node: Node, _ reader: JobFileReader) throws(OrchestratorError) -> RetryPolicy {
        if case .scalar = node, !reader.isNull(node) {
            return RetryPolicy(retries: try reader.int(node, "retries", in: 0...100))
        }
        let entries = try reader.mapping(node, "retries", allowed: ["count", "backoff", "max_backoff", "jitter"])
        guard let countEntry = entries.first(where: { $0.key == "count" }) else {
            throw reader.error(at: node, "retries has no count", hint: "write for example `{count: 2, backoff: 30s}`")
        }
        let count = try reader.int(countEntry.value, "retries count", in: 0...100)
        var base = RetryPolicy.defaultBaseDelay, cap = RetryPolicy.defaultMaxDelay, jitter = RetryPolicy.defaultJitter
        var capNode: Node?
        for entry in entries {
            switch entry.key {
            case "backoff": base = try reader.duration(entry.value, "backoff", positive: false)
            case "max_backoff":
                cap = try reader.duration(entry.value, "max_backoff", positive: false)
                capNode = entry.value
            case "jitter": jitter = try reader.double(entry.value, "jitter", in: 0...1)
            default: break
            }
        }
        if base > cap {
            // Without max_backoff, the default cap simply rises to the base.
            guard let capNode else { return RetryPolicy(retries: count, baseDelay: base, maxDelay: base, jitter: jitter) }
            throw reader.error(at: capNode, "max_backoff \(JobDuration.format(cap)) is shorter than backoff \(JobDuration.format(base))",
                               hint: "make max_backoff at least the backoff")
        }
        return RetryPolicy(retries: count, baseDelay: base, maxDelay: cap, jitter: jitter)
    }
}
