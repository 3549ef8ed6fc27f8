import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Orchestrator
@testable import Server
import WarehouseDuckDB
import XCTest

/// `POST /api/v1/runs`: the server's scheduler takes a job or one-off steps, answers 202 or
/// streams the run as NDJSON, and refuses what a job file would refuse.
final class RunSubmitRouteTests: XCTestCase {
    struct EchoExecutor: StepExecutor {
        func execute(_ step: JobStep, context: StepContext) async throws -> StepResult {
            context.log("doing \(step.name) with ds=\(context.vars["ds"]?.text ?? "-")")
            if case .test = step.action { throw StepFailure("1 test failed: not_null_orders_id") }
            return StepResult(summary: "done \(step.name)")
        }
    }

    func router(access: AccessPolicy = .open) throws -> (Router<StorehouseRequestContext>, RunStore) {
        let jobs = try JobFile(parsing: """
            jobs:
              daily:
                vars: {ds: "2026-01-01"}
                steps: [{build: {select: "staging+"}}]
            """)
        let store = try RunStore(path: ":memory:")
        let scheduler = JobScheduler(jobs: jobs, store: store, executor: EchoExecutor(), settings: .init(projectRoot: "/tmp"))
        var options = ServerOptions(access: access)
        options.runs = RunsContext(store: store, jobs: jobs, scheduler: scheduler)
        let warehouse = try DuckDBWarehouse(path: ":memory:", sandboxed: true)
        return (StorehouseServer.router(served: try ServerRouteTests.served(), warehouse: warehouse, options: options), store)
    }

    static func post(_ client: some TestClientProtocol, _ uri: String, _ json: String, token: String? = nil) async throws -> (HTTPResponse.Status, String) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: json)) { response in
            (response.status, String(buffer: response.body))
        }
    }

    func testAJobRunsInTheServerAndItsLogStreamsAsNDJSON() async throws {
        let (router, store) = try router()
        try await Application(router: router).test(.router) { client in
            let (status, body) = try await Self.post(client, "/api/v1/runs?follow=true", #"{"job": "daily", "vars": {"ds": "2026-02-03"}}"#)
            XCTAssertEqual(status, .ok)
            let events = body.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            XCTAssertEqual(events.first?["event"] as? String, "queued")
            XCTAssertEqual(events.last?["event"] as? String, "finished")
            XCTAssertEqual((events.last?["run"] as? [String: Any])?["status"] as? String, "succeeded")
            let lines = events.compactMap { $0["line"] as? String }
            XCTAssertTrue(lines.contains("doing build with ds=2026-02-03"), "\(lines)")
        }
        let run = try XCTUnwrap(store.runs().first)
        XCTAssertEqual(run.job, "daily")
        XCTAssertEqual(run.vars["ds"], "2026-02-03")
        XCTAssertEqual(run.status, .succeeded)
    }

    func testOneOffStepsRunAsTheirOwnJobAndAFailureIsTheRunsStatus() async throws {
        let (router, store) = try router()
        try await Application(router: router).test(.router) { client in
            let (status, body) = try await Self.post(client, "/api/v1/runs?follow=1", #"{"name": "cli.test", "steps": [{"test": {"select": "orders"}}]}"#)
            XCTAssertEqual(status, .ok)
            XCTAssertTrue(body.contains(#""status":"failed""#), body)
            XCTAssertTrue(body.contains("not_null_orders_id"), body)
            // Without follow: 202 and the queued run.
            let (accepted, queued) = try await Self.post(client, "/api/v1/runs", #"{"steps": [{"build": {}}]}"#)
            XCTAssertEqual(accepted, .accepted)
            XCTAssertTrue(queued.contains(#""job":"adhoc""#), queued)
        }
        XCTAssertEqual(try store.runs(job: "cli.test").map(\.status), [.failed])
    }

    func testWhatAJobFileRefusesIsRefusedWithTheReason() async throws {
        let (router, _) = try router()
        try await Application(router: router).test(.router) { client in
            var (status, body) = try await Self.post(client, "/api/v1/runs", #"{"steps": [{"shell": "rm -rf /"}]}"#)
            XCTAssertEqual(status, .badRequest)
            XCTAssertTrue(body.contains("unknown step kind 'shell'"), body)
            (status, body) = try await Self.post(client, "/api/v1/runs", #"{"job": "nightly"}"#)
            XCTAssertEqual(status, .notFound)
            XCTAssertTrue(body.contains("jobs: daily"), body)
            (status, body) = try await Self.post(client, "/api/v1/runs", #"{"job": "daily", "when": "now"}"#)
            XCTAssertEqual(status, .badRequest)
            XCTAssertTrue(body.contains("unknown field 'when'"), body)
            (status, body) = try await Self.post(client, "/api/v1/runs", #"{"job": "daily", "vars": [1]}"#)
            XCTAssertEqual(status, .badRequest)
        }
    }

    func testOnlyAnAdminMayStartRuns() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tokens-\(UUID().uuidString)")
        try "viewer \(ServerAccessTests.viewerToken)\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let handOff = String(repeating: "h", count: 64)
        let policy = try AccessPolicy.load(tokenFile: file.path, environment: [:]).adding(adminToken: handOff)
        let (router, store) = try router(access: policy)
        try await Application(router: router).test(.router) { client in
            var (status, _) = try await Self.post(client, "/api/v1/runs", #"{"job": "daily"}"#)
            XCTAssertEqual(status, .unauthorized)
            (status, _) = try await Self.post(client, "/api/v1/runs", #"{"job": "daily"}"#, token: ServerAccessTests.viewerToken)
            XCTAssertEqual(status, .forbidden)
            (status, _) = try await Self.post(client, "/api/v1/runs", #"{"job": "daily"}"#, token: handOff)
            XCTAssertEqual(status, .accepted)
        }
        XCTAssertEqual(try store.runs().count, 1)
        XCTAssertFalse(AccessPolicy.open.adding(adminToken: handOff).requiresToken, "the hand-off token must not lock an open local server")
    }
}
