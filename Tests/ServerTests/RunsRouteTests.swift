import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Orchestrator
@testable import Server
import TransformProject
import WarehouseDuckDB
import XCTest

/// The runs API and pages, in-process, over a run store whose runs are recorded through its own
/// API (as the job runner records them) and the shop fixture's models.
final class RunsRouteTests: XCTestCase {
    static let jobsYAML = """
        jobs:
          daily:
            description: Rebuild everything every morning
            schedule: {cron: "0 6 * * *", timezone: Europe/Berlin, catchup: true}
            tags: [daily, core]
            steps:
              - generate: {days: 1}
              - build: {}
            on_success: [trigger: report]
          marts_refresh:
            steps:
              - build: {select: "+path:models/marts"}
          landing:
            sensor: {landing: {path: landing/, glob: "*.csv", min_age: 45s}}
            steps:
              - ingest: {connector: orders_csv}
          report:
            steps:
              - test: {}
        """

    /// A log line that must never become markup on the run page.
    static let scriptLine = "<script>alert(\"log\")</script> & done\n"

    var warehouse: DuckDBWarehouse!
    var store: RunStore!
    /// Whole seconds 2 h 05 min ago plus 123 ms (every run below falls 2 h ago): the API must keep the milliseconds.
    let base = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 7_500).rounded(.down) + 0.123)
    var ids: (daily: Int64, failed: Int64, retry: Int64) = (0, 0, 0)

    func at(_ seconds: TimeInterval) -> Date { base.addingTimeInterval(seconds) }

    override func setUp() async throws {
        warehouse = try DuckDBWarehouse(path: ":memory:")
        store = try RunStore(path: ":memory:")
        // 1: daily, scheduled, succeeded; builds orders and order_items.
        let daily = try store.createRun(job: "daily", trigger: .schedule(tick: at(-60)), vars: ["ds": "2026-12-04"], at: at(0))
        try store.markStarted(run: daily.id, at: at(0.25))
        let generate = try store.startAttempt(run: daily.id, step: "generate", kind: "generate", attempt: 1, at: at(0.5))
        try store.appendOutput(attempt: generate.id, "generated 1 day\n")
        try store.finishAttempt(generate.id, status: .succeeded, error: nil, nodeResults: [], at: at(2))
        let build = try store.startAttempt(run: daily.id, step: "build", kind: "build", attempt: 1, at: at(2))
        try store.appendOutput(attempt: build.id, "1 of 2 OK created table orders\n")
        try store.finishAttempt(build.id, status: .succeeded, error: nil, nodeResults: [
            NodeResultRecord(uniqueID: "model.shop.orders", status: "success", seconds: 0.5, rows: 7),
            NodeResultRecord(uniqueID: "model.shop.order_items", status: "success", seconds: 0.25, rows: 3),
        ], at: at(3.5))
        try store.finishRun(daily.id, status: .succeeded, error: nil, at: at(3.75))
        // 2: marts_refresh, manual, fails twice on customers.
        let failed = try store.createRun(job: "marts_refresh", trigger: .manual, vars: [:], at: at(100))
        try store.markStarted(run: failed.id, at: at(100.5))
        for attempt in 1...2 {
            let started = try store.startAttempt(run: failed.id, step: "build", kind: "build", attempt: attempt, at: at(100 + Double(attempt * 10)))
            try store.appendOutput(attempt: started.id, "attempt \(attempt)\n" + Self.scriptLine)
            try store.finishAttempt(started.id, status: .failed, error: "1 node failed: customers", nodeResults: [
                NodeResultRecord(uniqueID: "model.shop.customers", status: "error", seconds: 0.125, message: "Binder Error: <column> missing"),
                NodeResultRecord(uniqueID: "model.shop.orders", status: "success", seconds: 0.5, rows: 7),
            ], at: at(100 + Double(attempt * 10) + 2))
        }
        try store.finishRun(failed.id, status: .failed, error: "step build failed: 1 node failed: customers", at: at(123))
        // 3: its retry, still running.
        let retry = try store.createRun(job: "marts_refresh", trigger: .retry(ofRun: failed.id), vars: [:], at: at(200))
        try store.markStarted(run: retry.id, at: at(200.5))
        _ = try store.startAttempt(run: retry.id, step: "build", kind: "build", attempt: 1, at: at(201))
        ids = (daily.id, failed.id, retry.id)
    }

    override func tearDown() async throws { await warehouse.close() }

    struct Answer {
        var status: HTTPResponse.Status
        var body: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
        var error: [String: Any] { json["error"] as? [String: Any] ?? [:] }
    }

    func get(_ uri: String, runs: RunsContext?? = nil) async throws -> Answer {
        var options = ServerOptions()
        let standard = RunsContext(store: store, jobs: try JobFile(parsing: Self.jobsYAML))
        options.runs = runs ?? standard
        let router = StorehouseServer.router(served: try ServerRouteTests.served(), warehouse: warehouse, options: options)
        return try await Application(router: router).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in Answer(status: response.status, body: String(buffer: response.body)) }
        }
    }

    // MARK: - JSON API

    func testRunListIsNewestFirstWithEveryFieldAndMillisecondTimes() async throws {
        let answer = try await get("/api/v1/runs")
        XCTAssertEqual(answer.status, .ok, answer.body)
        let runs = try XCTUnwrap(answer.json["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.map { $0["id"] as? Int }, [ids.retry, ids.failed, ids.daily].map { Int($0) })
        let daily = runs[2]
        XCTAssertEqual(Set(daily.keys), ["id", "job", "status", "trigger", "vars", "attempt", "queued_at", "started_at", "ended_at", "seconds", "error"])
        XCTAssertEqual(daily["job"] as? String, "daily")
        XCTAssertEqual(daily["status"] as? String, "succeeded")
        XCTAssertEqual(daily["trigger"] as? [String: String], ["kind": "schedule", "tick": TimeText.iso(at(-60))])
        XCTAssertEqual(daily["vars"] as? [String: String], ["ds": "2026-12-04"])
        XCTAssertEqual(daily["attempt"] as? Int, 1)
        let queued = try XCTUnwrap(daily["queued_at"] as? String)
        XCTAssertTrue(queued.hasSuffix(".123Z"), queued)
        XCTAssertEqual(queued.count, "2026-12-05T14:03:07.123Z".count)
        XCTAssertEqual(daily["started_at"] as? String, TimeText.iso(at(0.25)))
        XCTAssertTrue((daily["started_at"] as? String)?.hasSuffix(".373Z") ?? false)
        XCTAssertEqual(try XCTUnwrap(daily["seconds"] as? Double), 3.5, accuracy: 1e-6)
        XCTAssertTrue(daily["error"] is NSNull)
        let retry = runs[0]
        XCTAssertEqual(retry["status"] as? String, "running")
        let trigger = try XCTUnwrap(retry["trigger"] as? [String: Any])
        XCTAssertEqual(trigger["kind"] as? String, "retry")
        XCTAssertEqual(trigger["run"] as? Int, Int(ids.failed))
        XCTAssertEqual(trigger.count, 2)
        XCTAssertEqual(retry["attempt"] as? Int, 2)
        XCTAssertTrue(retry["ended_at"] is NSNull)
        XCTAssertTrue(retry["seconds"] is NSNull)
        XCTAssertEqual(runs[1]["error"] as? String, "step build failed: 1 node failed: customers")
    }

    func testRunListFiltersAndRefusesWhatItDoesNotKnow() async throws {
        let marts = try await get("/api/v1/runs?job=marts_refresh&status=failed")
        XCTAssertEqual((marts.json["runs"] as? [[String: Any]])?.map { $0["id"] as? Int }, [Int(ids.failed)])
        let one = try await get("/api/v1/runs?limit=1")
        XCTAssertEqual((one.json["runs"] as? [[String: Any]])?.map { $0["id"] as? Int }, [Int(ids.retry)])
        let report = try await get("/api/v1/runs?job=report")
        XCTAssertEqual((report.json["runs"] as? [Any])?.count, 0, "a job of the file without runs has an empty list")

        let status = try await get("/api/v1/runs?status=done")
        XCTAssertEqual(status.status, .badRequest)
        XCTAssertEqual(status.error["code"] as? String, "invalid_status")
        XCTAssertTrue((status.error["hint"] as? String ?? "").contains("queued, running, succeeded, failed, interrupted, timed_out, cancelled"), status.body)
        for limit in ["0", "1001", "ten", "-1"] {
            let answer = try await get("/api/v1/runs?limit=\(limit)")
            XCTAssertEqual(answer.status, .badRequest, limit)
            XCTAssertTrue((answer.error["message"] as? String ?? "").contains("from 1 to 1000"), answer.body)
        }
        let job = try await get("/api/v1/runs?job=nightly")
        XCTAssertEqual(job.status, .notFound)
        XCTAssertEqual(job.error["code"] as? String, "unknown_job")
        XCTAssertEqual(job.error["hint"] as? String, "jobs: daily, marts_refresh, landing, report")
        let deep = try await get("/runs?limit=131&page=159797027037587200")
        XCTAssertEqual(deep.status, .badRequest, "a page past the run list's reach is refused, not an overflow")
        XCTAssertTrue(deep.body.contains("page must be a whole number from 1 to 76"), deep.body)
        let typo = try await get("/api/v1/runs?state=failed")
        XCTAssertEqual(typo.status, .badRequest)
        XCTAssertEqual(typo.error["code"] as? String, "unknown_field")
    }

    func testOneRunHasEveryAttemptWithItsLogAndNodes() async throws {
        let answer = try await get("/api/v1/runs/\(ids.failed)")
        XCTAssertEqual(answer.status, .ok, answer.body)
        XCTAssertEqual(answer.json["status"] as? String, "failed")
        let steps = try XCTUnwrap(answer.json["steps"] as? [[String: Any]])
        XCTAssertEqual(steps.map { $0["attempt"] as? Int }, [1, 2])
        XCTAssertEqual(steps.map { $0["step"] as? String }, ["build", "build"])
        XCTAssertEqual(steps[0]["kind"] as? String, "build")
        XCTAssertEqual(steps[0]["status"] as? String, "failed")
        XCTAssertEqual(steps[0]["error"] as? String, "1 node failed: customers")
        XCTAssertEqual(steps[1]["output"] as? String, "attempt 2\n" + Self.scriptLine)
        XCTAssertEqual(steps[0]["started_at"] as? String, TimeText.iso(at(110)))
        XCTAssertEqual(try XCTUnwrap(steps[0]["seconds"] as? Double), 2, accuracy: 1e-6)
        let nodes = try XCTUnwrap(steps[0]["nodes"] as? [[String: Any]])
        XCTAssertEqual(nodes.map { $0["unique_id"] as? String }, ["model.shop.customers", "model.shop.orders"])
        XCTAssertEqual(nodes[0]["status"] as? String, "error")
        XCTAssertEqual(nodes[0]["seconds"] as? Double, 0.125)
        XCTAssertTrue(nodes[0]["rows"] is NSNull)
        XCTAssertEqual(nodes[0]["message"] as? String, "Binder Error: <column> missing")
        XCTAssertEqual(nodes[1]["rows"] as? Int, 7)

        let missing = try await get("/api/v1/runs/9999")
        XCTAssertEqual(missing.status, .notFound)
        XCTAssertEqual(missing.error["code"] as? String, "not_found")
        let text = try await get("/api/v1/runs/abc")
        XCTAssertEqual(text.status, .badRequest)
    }

    func testJobsCarryScheduleSensorStepsChainsAndLastRun() async throws {
        let answer = try await get("/api/v1/jobs")
        XCTAssertEqual(answer.status, .ok, answer.body)
        let jobs = try XCTUnwrap(answer.json["jobs"] as? [[String: Any]])
        XCTAssertEqual(jobs.map { $0["name"] as? String }, ["daily", "marts_refresh", "landing", "report"])
        let daily = jobs[0]
        XCTAssertEqual(daily["description"] as? String, "Rebuild everything every morning")
        XCTAssertEqual(daily["tags"] as? [String], ["daily", "core"])
        XCTAssertEqual(daily["steps"] as? [String], ["generate", "build"])
        XCTAssertEqual(daily["on_success"] as? [String], ["report"])
        let schedule = try XCTUnwrap(daily["schedule"] as? [String: Any])
        XCTAssertEqual(schedule["cron"] as? String, "0 6 * * *")
        XCTAssertEqual(schedule["timezone"] as? String, "Europe/Berlin")
        XCTAssertEqual(schedule["catchup"] as? Bool, true)
        let next = try XCTUnwrap(schedule["next_tick"] as? String)
        let expected = try Schedule("0 6 * * *", timeZone: "Europe/Berlin").nextTick(after: Date())
        XCTAssertEqual(next, TimeText.iso(expected))
        XCTAssertTrue(next.hasSuffix(":00:00.000Z"), next)
        XCTAssertTrue(daily["sensor"] is NSNull)
        XCTAssertEqual((daily["last_run"] as? [String: Any])?["id"] as? Int, Int(ids.daily))
        XCTAssertEqual((jobs[1]["last_run"] as? [String: Any])?["id"] as? Int, Int(ids.retry))
        XCTAssertTrue(jobs[1]["description"] is NSNull)
        XCTAssertTrue(jobs[1]["schedule"] is NSNull)
        let sensor = try XCTUnwrap(jobs[2]["sensor"] as? [String: Any])
        XCTAssertEqual(sensor["kind"] as? String, "landing")
        XCTAssertEqual(sensor["path"] as? String, "landing/")
        XCTAssertEqual(sensor["glob"] as? String, "*.csv")
        XCTAssertEqual(sensor["min_age_seconds"] as? Double, 45)
        XCTAssertTrue(jobs[3]["last_run"] is NSNull)
    }

    func testWithoutARunStoreTheAPIAndRunPagesSaySoAndTheGraphStillDraws() async throws {
        for path in ["/api/v1/runs", "/api/v1/runs/1", "/api/v1/jobs"] {
            let answer = try await get(path, runs: .some(nil))
            XCTAssertEqual(answer.status, .notFound, path)
            XCTAssertEqual(answer.error["code"] as? String, "no_run_store", path)
            XCTAssertTrue((answer.error["hint"] as? String ?? "").contains("storehouse serve"), answer.body)
        }
        let page = try await get("/runs", runs: .some(nil))
        XCTAssertEqual(page.status, .notFound)
        XCTAssertTrue(page.body.contains("no run store"), page.body)
        let graph = try await get("/models/graph", runs: .some(nil))
        XCTAssertEqual(graph.status, .ok)
        XCTAssertTrue(graph.body.contains("class=\"node status-never kind-model\""), graph.body)
    }

    // MARK: - Pages

    func testRunsPageShowsEachRunOnOneTimelineWithFiltersAndJobs() async throws {
        let page = try await get("/runs")
        XCTAssertEqual(page.status, .ok)
        for id in [ids.daily, ids.failed, ids.retry] { XCTAssertTrue(page.body.contains("data-run=\"\(id)\""), "run \(id) is listed") }
        XCTAssertTrue(page.body.contains("<span class=\"status status-failed\">failed</span>"))
        XCTAssertTrue(page.body.contains("<span class=\"status status-running\">running</span>"))
        XCTAssertTrue(page.body.contains("class=\"bar bar-succeeded\""), "a bar per run")
        XCTAssertTrue(page.body.contains("retry of <a href=\"/runs/\(ids.failed)\">"), "the retry links the run it retries")
        XCTAssertTrue(page.body.contains("<form class=\"filters\" method=\"get\" action=\"/runs\">"))
        XCTAssertTrue(page.body.contains("2 h ago"), "ages are relative to now")
        XCTAssertTrue(page.body.contains("data-job=\"landing\""), "the jobs table lists every job")
        XCTAssertTrue(page.body.contains("after daily succeeds"), "a chained job says what starts it")
        XCTAssertTrue(page.body.contains("href=\"/assets/runs.css\""))
        let filtered = try await get("/runs?job=daily")
        XCTAssertTrue(filtered.body.contains("data-run=\"\(ids.daily)\""))
        XCTAssertFalse(filtered.body.contains("data-run=\"\(ids.failed)\""))
        let paged = try await get("/runs?limit=1&page=2")
        XCTAssertTrue(paged.body.contains("data-run=\"\(ids.failed)\"") && !paged.body.contains("data-run=\"\(ids.retry)\""))
        XCTAssertTrue(paged.body.contains("rel=\"prev\"") && paged.body.contains("rel=\"next\""), "paging links both ways")
        let bad = try await get("/runs?status=nope")
        XCTAssertEqual(bad.status, .badRequest)
        XCTAssertTrue(bad.body.contains("queued, running"), "the refusal lists the statuses")
    }

    func testEmptyStatesSayHowToGetRuns() async throws {
        let empty = try RunStore(path: ":memory:")
        let noRuns = try await get("/runs", runs: RunsContext(store: empty, jobs: try JobFile(parsing: Self.jobsYAML)))
        XCTAssertEqual(noRuns.status, .ok)
        XCTAssertTrue(noRuns.body.contains("No runs yet") && noRuns.body.contains("storehouse jobs run daily"), noRuns.body)
        let noJobs = try await get("/runs", runs: RunsContext(store: empty, jobs: JobFile(path: "jobs.yml", jobs: [])))
        XCTAssertTrue(noJobs.body.contains("No jobs yet") && noJobs.body.contains("storehouse jobs run NAME"), noJobs.body)
        let graph = try await get("/models/graph", runs: RunsContext(store: empty, jobs: JobFile(path: "jobs.yml", jobs: [])))
        XCTAssertTrue(graph.body.contains("storehouse jobs run NAME"), graph.body)
    }

    func testRunPageShowsStepsAttemptsEscapedLogsNodesAndTrigger() async throws {
        let page = try await get("/runs/\(ids.failed)")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.contains("Run #\(ids.failed) · marts_refresh"))
        XCTAssertEqual(page.body.components(separatedBy: "<section class=\"attempt attempt-failed\"").count - 1, 2, "both attempts")
        XCTAssertTrue(page.body.contains("<span class=\"step-name\">build</span>"))
        XCTAssertTrue(page.body.contains("attempt 2 of 2"))
        XCTAssertFalse(page.body.contains("<script>alert"), "a log is text, never markup")
        XCTAssertTrue(page.body.contains("<pre class=\"log\">attempt 1\n&lt;script&gt;alert(&quot;log&quot;)&lt;/script&gt; &amp; done\n</pre>"), page.body)
        XCTAssertTrue(page.body.contains("Binder Error: &lt;column&gt; missing"))
        XCTAssertTrue(page.body.contains("data-node=\"model.shop.customers\""))
        XCTAssertTrue(page.body.contains("<pre class=\"run-error\" id=\"run-error\">step build failed"))
        XCTAssertTrue(page.body.contains("<a href=\"/runs/\(ids.retry)\">#\(ids.retry)</a> retry"), "the run links its retry")
        let retry = try await get("/runs/\(ids.retry)")
        XCTAssertTrue(retry.body.contains("Retry of run <a href=\"/runs/\(ids.failed)\">#\(ids.failed)</a>"))
        XCTAssertTrue(retry.body.contains("so far"), "a running run shows its time so far")
        let scheduled = try await get("/runs/\(ids.daily)")
        XCTAssertTrue(scheduled.body.contains("Schedule tick <time datetime=\"\(TimeText.iso(at(-60)))\">"))
        XCTAssertTrue(scheduled.body.contains("<code>ds=2026-12-04</code>"))
        XCTAssertTrue(scheduled.body.contains("<span class=\"step-name\">generate</span>") && scheduled.body.contains("generated 1 day"))
        let missing = try await get("/runs/9999")
        XCTAssertEqual(missing.status, .notFound)
        XCTAssertTrue(missing.body.contains("there is no run 9999"))
    }

    func testModelGraphColoursEachNodeByItsLatestResult() async throws {
        let page = try await get("/models/graph")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.contains("<svg class=\"model-graph\""))
        func node(_ id: String) throws -> String {
            let start = try XCTUnwrap(page.body.range(of: "id=\"node-\(id)\""), id)
            let open = page.body[..<start.lowerBound].range(of: "<g class=\"", options: .backwards)!
            return String(page.body[open.lowerBound..<(page.body[start.lowerBound...].range(of: "</g>")!.upperBound)])
        }
        // orders: built by the daily run, then again by the failed run's second attempt (its newest result).
        let orders = try node("model.shop.orders")
        XCTAssertTrue(orders.hasPrefix("<g class=\"node status-success kind-model\""), orders)
        XCTAssertTrue(orders.contains("built 2 h ago"), orders)
        XCTAssertTrue(page.body.contains("<a href=\"/runs/\(ids.failed)\" aria-label=\"orders: built 2 h ago, open run\">"), page.body)
        let customers = try node("model.shop.customers")
        XCTAssertTrue(customers.hasPrefix("<g class=\"node status-error kind-model\""), customers)
        XCTAssertTrue(customers.contains("error 2 h ago"))
        XCTAssertTrue(try node("model.shop.balances").hasPrefix("<g class=\"node status-never kind-model\""))
        XCTAssertTrue(try node("model.shop.balances").contains("never built"))
        XCTAssertTrue(page.body.contains("id=\"attention\""), "the failing model is listed under Needs attention")
        XCTAssertTrue(page.body.contains("<ul class=\"legend\""))
        let selected = try await get("/models/graph?select=orders")
        XCTAssertTrue(selected.body.contains("id=\"node-model.shop.orders\"") && !selected.body.contains("id=\"node-model.shop.balances\""))
    }

    func testABuildOutsideAJobColoursNodesTheRunStoreDoesNotKnowOrKnowsOlder() throws {
        let served = try ServerRouteTests.served()
        let now = Date()
        func result(_ id: String, _ status: String, _ at: Date) -> BuildRecord.NodeResult {
            BuildRecord.NodeResult(uniqueID: id, status: status, executionTime: 0.5, rowsAffected: 4, message: nil, completedAt: at, failures: nil)
        }
        let build = BuildRecord(invocationID: nil, command: "build", generatedAt: now, elapsedSeconds: 1, results: [
            result("model.shop.balances", "success", now.addingTimeInterval(-600)),       // not in the run store
            result("model.shop.customers", "success", now.addingTimeInterval(-60)),       // newer than the job's error
            result("model.shop.orders", "success", now.addingTimeInterval(-86_400 * 3)),  // older than the job's build
        ])
        let graph = ModelGraph(manifest: served.project.manifest)
        let page = ModelGraphPage(graph: graph, statuses: try store.latestNodeStatuses(), lastBuild: build, hasRunStore: true,
                                  selection: "", selectionError: nil, dashboards: [], now: now)
        let balances = page.view(try XCTUnwrap(graph.nodes["model.shop.balances"]))
        XCTAssertEqual(balances.status, "success")
        XCTAssertEqual(balances.line, "built 10 min ago")
        XCTAssertNil(balances.link, "no run to link to")
        XCTAssertEqual(page.view(graph.nodes["model.shop.customers"]!).status, "success", "the later CLI build fixed it")
        XCTAssertEqual(page.view(graph.nodes["model.shop.orders"]!).link, "/runs/\(ids.failed)", "the job's newer build keeps its run")
    }

    // MARK: - Layout and text, pure

    func testTheBundledProjectsGraphFlowsLeftToRightWithoutOverlaps() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let project = root.appendingPathComponent("analytics").path
        let manifest = try ProjectLoader.load(LoadOptions(projectDir: project, profilesDir: project, environment: ["STOREHOUSE_DB": "/tmp/unused.duckdb"])).manifest
        let graph = ModelGraph(manifest: manifest)
        XCTAssertGreaterThan(graph.nodes.count, 30)
        XCTAssertTrue(graph.nodes.values.contains { $0.kind == .source }, "sources are drawn as inputs")
        XCTAssertTrue(graph.nodes.values.contains { $0.kind == .snapshot })
        let layout = ModelGraphLayout(graph: graph, widths: graph.nodes.mapValues { _ in 180 })
        XCTAssertEqual(layout.boxes.count, graph.nodes.count)
        for node in graph.nodes.values {
            for parent in node.parents { XCTAssertLessThan(layout.boxes[parent]!.column, layout.boxes[node.id]!.column, "\(parent) → \(node.id)") }
        }
        let boxes = Array(layout.boxes.values)
        for (i, a) in boxes.enumerated() {
            XCTAssertLessThanOrEqual(a.x + a.width, layout.width)
            XCTAssertLessThanOrEqual(a.y + ModelGraphLayout.nodeHeight, layout.height)
            for b in boxes[(i + 1)...] {
                let apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + ModelGraphLayout.nodeHeight <= b.y || b.y + ModelGraphLayout.nodeHeight <= a.y
                XCTAssertTrue(apart, "boxes overlap")
            }
        }
        // The same project always draws the same picture.
        XCTAssertEqual(ModelGraphLayout(graph: graph, widths: graph.nodes.mapValues { _ in 180 }).boxes.mapValues(\.y), layout.boxes.mapValues(\.y))
    }

    func testTimesAreISOWithMillisecondsAndDurationsRead() {
        XCTAssertEqual(TimeText.iso(Date(timeIntervalSince1970: 1_796_479_387.123)), "2026-12-05T14:03:07.123Z")
        XCTAssertEqual(TimeText.iso(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(TimeText.iso(Date(timeIntervalSince1970: -0.001)), "1969-12-31T23:59:59.999Z")
        XCTAssertEqual(TimeText.display(Date(timeIntervalSince1970: 1_796_479_387.999)), "2026-12-05 14:03:07 UTC")
        XCTAssertEqual(TimeText.duration(0.4213), "0.42 s")
        XCTAssertEqual(TimeText.duration(12.34), "12.3 s")
        XCTAssertEqual(TimeText.duration(245), "4 min 05 s")
        XCTAssertEqual(TimeText.duration(7_620), "2 h 07 min")
        let now = Date(timeIntervalSince1970: 1_796_479_387)
        XCTAssertEqual(TimeText.age(of: now.addingTimeInterval(-7_300), now: now), "2 h ago")
        XCTAssertEqual(TimeText.age(of: now.addingTimeInterval(-2 * 86_400), now: now), "2 days ago")
        XCTAssertEqual(TimeText.age(of: now.addingTimeInterval(3), now: now), "just now")
        let timeline = RunTimeline(spans: [(now, now.addingTimeInterval(600))])
        XCTAssertEqual(timeline.style(from: now.addingTimeInterval(150), to: now.addingTimeInterval(300)), "left:25.000%;width:25.000%")
        XCTAssertEqual(timeline.ticks().map(\.label), ["14:04", "14:06", "14:08", "14:10", "14:12"], "a tick every 2 minutes across 10")
    }
}
