import Foundation
import Orchestrator

/// What the runs API and pages read, apart from HTTP and markup: filtered run lists, one run,
/// the jobs with their last runs, and each node's latest status. Every refusal is an `APIError`
/// that says what is allowed, so the API and the pages explain it the same way.
final class RunsService: Sendable {
    let served: ServedProject
    /// Nil when the server has no run store: the API answers 404, the pages say so.
    let context: RunsContext?
    /// The clock ages and next ticks are counted from (fixed in tests).
    let now: @Sendable () -> Date

    static let defaultLimit = 50
    static let limits = 1...1_000
    /// How deep paging goes: page × limit runs are read to show the last page.
    static let maxDepth = 10_000

    init(served: ServedProject, context: RunsContext?, now: @escaping @Sendable () -> Date = { Date() }) {
        self.served = served
        self.context = context
        self.now = now
    }

    static let noRunStore = APIError(
        .notFound, code: "no_run_store", "this server has no run store, so it has no runs or jobs to show",
        hint: "start it with `storehouse serve`, which opens the run store beside the warehouse (--runs-db FILE for another one)")

    func store() throws -> RunsContext {
        guard let context else { throw Self.noRunStore }
        return context
    }

    // MARK: - Run lists

    /// A run list's filters, as `?job=&status=&limit=&page=` give them.
    struct Filter: Sendable, Equatable {
        var job: String?
        var status: RunStatus?
        var limit = RunsService.defaultLimit
        /// 1-based; the pages' "Older" link moves it.
        var page = 1

        /// The query string for these filters with another page (empty parts left out).
        func query(page: Int? = nil) -> String {
            var items: [String] = []
            if let job { items.append("job=" + Self.percent(job)) }
            if let status { items.append("status=" + status.rawValue) }
            if limit != RunsService.defaultLimit { items.append("limit=\(limit)") }
            let page = page ?? self.page
            if page > 1 { items.append("page=\(page)") }
            return items.isEmpty ? "" : "?" + items.joined(separator: "&")
        }

        static func percent(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
        }
    }

    /// Reads and checks the filters: a known job (in the jobs file, or with runs on record), a
    /// status of `RunStatus`, a limit in `limits`, a page from 1.
    func filter(_ fields: FormFields, paging: Bool) throws -> Filter {
        let context = try store()
        var filter = Filter()
        if let job = fields.get("job"), !job.isEmpty {
            if context.jobs[job] == nil, try context.store.runs(job: job, limit: 1).isEmpty {
                let names = context.jobs.jobs.map(\.name)
                throw APIError(.notFound, code: "unknown_job", "no job named '\(job)'",
                               hint: names.isEmpty ? "the project has no jobs file (\(context.jobs.path)), so it has no jobs yet"
                                                   : "jobs: " + names.joined(separator: ", "))
            }
            filter.job = job
        }
        if let text = fields.get("status"), !text.isEmpty {
            guard let status = RunStatus(rawValue: text) else {
                throw APIError.badRequest("status '\(text)' is not a run status", code: "invalid_status",
                                          hint: "allowed: " + RunStatus.allCases.map(\.rawValue).joined(separator: ", "))
            }
            filter.status = status
        }
        if let text = fields.get("limit"), !text.isEmpty {
            guard let limit = Int(text), Self.limits.contains(limit) else {
                throw APIError.badRequest("limit must be a whole number from \(Self.limits.lowerBound) to \(Self.limits.upperBound), not '\(text)'",
                                          code: "invalid_limit", hint: "allowed: \(Self.limits.lowerBound)…\(Self.limits.upperBound); the default is \(Self.defaultLimit)")
            }
            filter.limit = limit
        }
        if paging, let text = fields.get("page"), !text.isEmpty {
            guard let page = Int(text), page >= 1, page <= Self.maxDepth / filter.limit else {
                throw APIError.badRequest("page must be a whole number from 1 to \(Self.maxDepth / filter.limit), not '\(text)'", code: "invalid_page",
                                          hint: "pages count from 1; the run list reaches back \(Self.maxDepth) runs")
            }
            filter.page = page
        }
        return filter
    }

    /// The runs the filter shows, newest first, and whether older ones follow.
    func runs(_ filter: Filter) throws -> (runs: [RunRecord], hasMore: Bool) {
        let context = try store()
        let skip = (filter.page - 1) * filter.limit
        let read = try context.store.runs(job: filter.job, status: filter.status, limit: skip + filter.limit + 1)
        let page = Array(read.dropFirst(skip))
        return (Array(page.prefix(filter.limit)), page.count > filter.limit)
    }

    // MARK: - One run

    /// The run a path's `{id}` names: 400 for text that is not an id, 404 for no such run.
    func run(id text: String) throws -> RunDetail {
        let context = try store()
        guard let id = Int64(text), id > 0 else {
            throw APIError.badRequest("'\(text)' is not a run id; run ids are whole numbers from 1", code: "invalid_id",
                                      hint: "list runs at /api/v1/runs")
        }
        guard let detail = try context.store.run(id) else {
            throw APIError.notFound("there is no run \(id)", hint: "it may have been purged by retention; list runs at /runs or /api/v1/runs")
        }
        return detail
    }

    /// Runs started because of this one: its retries and the jobs its success chained, among
    /// the newest runs on record, oldest first.
    func followUps(of run: RunRecord, scanning count: Int = 500) throws -> [RunRecord] {
        let context = try store()
        return try context.store.runs(limit: count).filter { later in
            switch later.trigger {
            case .retry(let id), .chained(let id): id == run.id
            default: false
            }
        }.reversed()
    }

    // MARK: - Jobs and nodes

    /// Every job of the jobs file, in file order, with its newest run.
    func jobs() throws -> [(job: JobDefinition, lastRun: RunRecord?)] {
        let context = try store()
        return try context.jobs.jobs.map { job in (job, try context.store.lastRun(job: job.name)) }
    }

    /// Jobs the run list can filter by: the jobs file's, then any others seen in `runs`.
    func jobNames(seen runs: [RunRecord]) -> [String] {
        var names = context?.jobs.jobs.map(\.name) ?? []
        for run in runs where !names.contains(run.job) { names.append(run.job) }
        return names
    }

    /// Each node's latest result; empty without a run store.
    func nodeStatuses() throws -> [String: NodeStatusRecord] {
        guard let context else { return [:] }
        return try context.store.latestNodeStatuses()
    }
}
