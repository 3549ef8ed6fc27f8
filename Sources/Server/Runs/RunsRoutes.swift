import Foundation
import Hummingbird
import Orchestrator
import TransformProject

/// The runs features, for viewers: `/api/v1/runs`, `/api/v1/runs/{id}`, `/api/v1/jobs`, the
/// pages `/runs`, `/runs/{id}` and `/models/graph`, and their stylesheet. Without a run store
/// the API and the runs pages answer 404 saying so; the model graph still draws, uncoloured.
enum RunsRoutes {
    static func add(to router: Router<StorehouseRequestContext>, runs: RunsService) {
        let dashboards = runs.served.dashboards
        router.get("assets/runs.css") { _, _ in Asset(text: RunsAssets.stylesheet, contentType: "text/css; charset=utf-8") }

        let v1 = router.group("api/v1")
        v1.get("runs") { request, context in
            try context.require(.viewer)
            let fields = FormFields(query: request)
            try refuseUnknown(fields, allowed: ["job", "status", "limit"])
            let filter = try runs.filter(fields, paging: false)
            return JSONResponse(.object([("runs", .array(try runs.runs(filter).runs.map(RunsJSON.run)))]))
        }
        v1.get("runs/:id") { _, context in
            try context.require(.viewer)
            return JSONResponse(RunsJSON.detail(try runs.run(id: context.parameters.get("id") ?? "")))
        }
        v1.get("jobs") { _, context in
            try context.require(.viewer)
            let now = runs.now()
            return JSONResponse(.object([("jobs", .array(try runs.jobs().map { RunsJSON.job($0.job, lastRun: $0.lastRun, now: now) }))]))
        }

        router.get("runs") { request, context in
            try context.require(.viewer)
            let filter = try runs.filter(FormFields(query: request), paging: true)
            let (list, hasMore) = try runs.runs(filter)
            let page = RunsPage(runs: list, hasMore: hasMore, filter: filter, jobNames: runs.jobNames(seen: list),
                                jobs: try runs.jobs(), jobFile: try runs.store().jobs, dashboards: dashboards, now: runs.now())
            return noStore(page.render())
        }
        router.get("runs/:id") { _, context in
            try context.require(.viewer)
            let detail = try runs.run(id: context.parameters.get("id") ?? "")
            let page = RunPage(detail: detail, job: try runs.store().jobs[detail.run.job], followUps: try runs.followUps(of: detail.run),
                               dashboards: dashboards, now: runs.now())
            return noStore(page.render())
        }
        router.get("models/graph") { request, context in
            try context.require(.viewer)
            let selection = (FormFields(query: request).get("select") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let manifest = runs.served.project.manifest
            var selected: Set<String>?
            var problem: String?
            if !selection.isEmpty {
                do {
                    selected = Set(try Selector(manifest: manifest).select([selection]))
                } catch {
                    problem = "The selection “\(selection)” could not be read: \(error). The whole graph is shown."
                }
            }
            let page = ModelGraphPage(graph: ModelGraph(manifest: manifest, selected: selected), statuses: try runs.nodeStatuses(),
                                      lastBuild: BuildRecord.read(path: runs.served.runResultsPath),
                                      hasRunStore: runs.context != nil, selection: selection, selectionError: problem,
                                      dashboards: dashboards, now: runs.now())
            return noStore(page.render())
        }
    }

    /// A page that changes with every run: never cached.
    static func noStore(_ html: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// Parameters outside `allowed` are refused, so a misspelt filter is not silently ignored.
    static func refuseUnknown(_ fields: FormFields, allowed: [String]) throws {
        if let unknown = fields.names.first(where: { !allowed.contains($0) }) {
            throw APIError.badRequest("unknown parameter '\(unknown)'", code: "unknown_field", hint: "the parameters are: " + allowed.joined(separator: ", "))
        }
    }
}
