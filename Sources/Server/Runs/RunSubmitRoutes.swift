import Foundation
import Hummingbird
import Orchestrator

/// `POST /api/v1/runs` (admin): starts a run in the server's scheduler. This is how the CLI hands
/// a writing command to the running server (which owns the warehouse), and how a script starts
/// a job.
///
/// Body: `{"job": "daily", "vars": {...}}` for a job of jobs.yml, or `{"steps": [{"build":
/// {"select": "orders+"}}], "name": "cli.build", "vars": {...}}` for one-off steps, written as
/// a job file's steps and checked the same way (so no shell step either).
///
/// Answers 202 with `{"run": RUN}`; with `?follow=true` it streams the run instead, one JSON
/// object a line (NDJSON): `{"event":"queued","run":RUN}`, `{"event":"log","line":"…"}` …, and
/// last `{"event":"finished","run":RUN}`.
enum RunSubmitRoutes {
    static let fields: Set<String> = ["job", "steps", "name", "vars"]

    static func add(to router: Router<StorehouseRequestContext>, runs: RunsContext?) {
        router.post("api/v1/runs") { request, context in
            try context.require(.admin)
            guard let runs, let scheduler = runs.scheduler else {
                throw APIError(.conflict, code: "no_scheduler", "this server does not run jobs",
                               hint: "start `storehouse serve` on the project's own warehouse to run jobs in it")
            }
            let body = try APIRoutes.object(try await APIRoutes.body(request, context), allowed: fields)
            let vars = try self.vars(body["vars"])
            let record: RunRecord
            do {
                if let name = body["job"] {
                    guard body["steps"] == nil, let name = name as? String else {
                        throw APIError.badRequest("give either `job` (a name) or `steps`, not both", code: "invalid_field")
                    }
                    record = try await scheduler.submit(job: name, vars: vars)
                } else {
                    record = try await scheduler.submit(try oneOffJob(body), vars: vars)
                }
            } catch let error as OrchestratorError {
                throw APIError(error.message.hasPrefix("no job named") ? .notFound : .badRequest,
                               code: error.message.hasPrefix("no job named") ? "not_found" : "invalid_job", error.message,
                               hint: error.hint.isEmpty ? nil : error.hint)
            }
            let follow = FormFields(query: request).items.contains { $0.name == "follow" && ["true", "1"].contains($0.value) }
            guard follow else { return try JSONResponse(.object([("run", RunsJSON.run(record))]), status: .accepted).response(from: request, context: context) }
            let events = await scheduler.follow(record.id)
            let queued = line(.object([("event", .string("queued")), ("run", RunsJSON.run(record))]))
            let stream = AsyncStream<ByteBuffer> { continuation in
                let task = Task {
                    continuation.yield(ByteBuffer(string: queued))
                    for await event in events {
                        switch event {
                        case .line(let text):
                            continuation.yield(ByteBuffer(string: line(.object([("event", .string("log")), ("line", .string(text))]))))
                        case .finished(let run):
                            continuation.yield(ByteBuffer(string: line(.object([("event", .string("finished")), ("run", RunsJSON.run(run))]))))
                        }
                    }
                    continuation.finish()
                }
                continuation.onTermination = { _ in task.cancel() }
            }
            return Response(status: .ok, headers: [.contentType: "application/x-ndjson", .cacheControl: "no-store"],
                            body: ResponseBody(asyncSequence: stream))
        }
    }

    static func line(_ value: JSONValue) -> String {
        var out = ""
        value.write(to: &out)
        return out + "\n"
    }

    static func vars(_ value: Any?) throws -> [String: JobValue] {
        guard let value, !(value is NSNull) else { return [:] }
        guard let object = value as? [String: Any] else {
            throw APIError.badRequest("`vars` must be a JSON object", code: "invalid_field", hint: "e.g. {\"ds\": \"2026-01-31\"}")
        }
        let text = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        do { return try JobFile.vars(parsing: text) } catch {
            throw APIError.badRequest("`vars`: \(error.message)", code: "invalid_field")
        }
    }

    /// The body's `steps` as a job of their own, parsed as a job file would be.
    static func oneOffJob(_ body: [String: Any]) throws -> JobDefinition {
        guard let steps = body["steps"] else {
            throw APIError.badRequest("give `job` (a job of jobs.yml) or `steps` (a list of job-file steps)", code: "missing_field",
                                      hint: "e.g. {\"steps\": [{\"build\": {\"select\": \"orders+\"}}]}")
        }
        let name = (body["name"] as? String) ?? "adhoc"
        let object: [String: Any] = ["jobs": [name: ["steps": steps]]]
        let text = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        do throws(OrchestratorError) {
            guard let job = try JobFile(parsing: text, path: "the request's steps").jobs.first else { throw OrchestratorError("no steps") }
            return job
        } catch {
            throw APIError.badRequest(error.message, code: "invalid_steps", hint: error.hint.isEmpty ? nil : error.hint)
        }
    }
}
