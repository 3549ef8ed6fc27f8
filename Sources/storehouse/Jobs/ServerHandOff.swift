import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Orchestrator
import TransformProject

/// A command that writes the warehouse, run while `storehouse serve` owns it: the work goes to
/// the server (`POST /api/v1/runs?follow=true`), which runs it in its scheduler, and its log
/// streams back here as it is written. DuckDB lets one process write a file; without this the
/// command would fail on the server's lock.
enum ServerHandOff {
    /// The running server that owns this project's warehouse, if any.
    static func runningServer(for loaded: LoadedProject) -> ServeLock? {
        guard let runStore = try? RunStoreOptions.defaultPath(for: loaded) else { return nil }
        return ServeLock.running(at: ServeLock.path(forRunStore: runStore))
    }

    /// The one message of a command that cannot run while `serve` owns the warehouse: what stops
    /// it, and where to go instead. Printed; the exit code (2) is returned to throw.
    static func refusal(by server: ServeLock, _ consequence: String, hint: String) -> ExitCode {
        ProjectCommandFailure.report(CLIError("storehouse serve (pid \(server.pid)) owns the warehouse, so \(consequence)", hint: hint))
    }

    /// A CLI command as a one-step run in the server (`cli.build`, `cli.docs`, …), with the
    /// command's `--vars`: prints the run's log, exits 1 when the run fails and 2, with one
    /// message, when the server cannot take it.
    static func runStep(_ kind: StepKind, options: [String: Any] = [:], vars: String?, on server: ServeLock, what: String) async throws {
        try await runSteps([(kind, options)], vars: vars, on: server, what: what)
    }

    /// `runStep` for several steps, run one after the other as one run.
    static func runSteps(_ steps: [(StepKind, [String: Any])], vars: String?, on server: ServeLock, what: String) async throws {
        let succeeded: Bool
        do {
            let name = "cli." + steps.map(\.0.rawValue).joined(separator: "+")
            var body: [String: Any] = ["name": name, "steps": steps.map { [$0.0.rawValue: $0.1] }]
            if let vars {
                body["vars"] = try JSONSerialization.jsonObject(with: Data(JobValue.dict(try JobValue.mapping(parsing: vars)).json.utf8))
            }
            succeeded = try await run(body, on: server, what: what)
        } catch {
            throw ProjectCommandFailure.report(error)
        }
        if !succeeded { throw ExitCode(1) }
    }

    /// Hands `body` (`{"job": …}` or `{"steps": […]}`) to the server and prints the run's log.
    /// Returns whether the run succeeded.
    static func run(_ body: [String: Any], on server: ServeLock, what: String) async throws -> Bool {
        guard let url = URL(string: server.url + "/api/v1/runs?follow=true") else { throw CLIError("the server's address \(server.url) is not a URL") }
        var request = URLRequest(url: url, timeoutInterval: 24 * 3600)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer \(server.token)", forHTTPHeaderField: "Authorization")
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        printLine("storehouse serve (pid \(server.pid), \(server.url)) owns the warehouse: \(what) runs there")

        let stream = LineStream()
        let session = URLSession(configuration: .default, delegate: stream, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        var succeeded = false
        var runID: Int64?
        let status = try await stream.run(session.dataTask(with: request)) { line in
            guard let event = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else { return }
            let run = event["run"] as? [String: Any]
            switch event["event"] as? String {
            case "queued":
                runID = (run?["id"] as? NSNumber)?.int64Value
                printLine("queued as run \(runID.map(String.init) ?? "?") of \(run?["job"] as? String ?? "?")")
            case "log":
                printLine(event["line"] as? String ?? "")
            case "finished":
                succeeded = run?["status"] as? String == "succeeded"
            default: break
            }
        }
        guard status == 200 else {
            let body = try? JSONSerialization.jsonObject(with: stream.received) as? [String: Any]
            let error = body?["error"] as? [String: Any]
            throw CLIError("the running server refused \(what): \(error?["message"] as? String ?? "HTTP \(status)")",
                           hint: error?["hint"] as? String ?? "see the server's output")
        }
        if let runID { printLine("`storehouse runs show \(runID)` shows its steps, attempts and log") }
        return succeeded
    }

    private static func printLine(_ text: String) {
        print(text)
        fflush(nil)
    }
}

/// Reads a streamed response line by line as it arrives (URLSession's async byte streams are
/// not on Linux).
final class LineStream: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = Data()
    private(set) var received = Data()
    private var onLine: ((Data) -> Void)?
    private var continuation: CheckedContinuation<Int, any Error>?

    /// Runs the task to its end, calling `onLine` for each line of a 200 response; returns the status.
    func run(_ task: URLSessionDataTask, onLine: @escaping (Data) -> Void) async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            lock.withLock {
                self.onLine = onLine
                self.continuation = continuation
            }
            task.resume()
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.withLock {
            let ok = (dataTask.response as? HTTPURLResponse)?.statusCode == 200
            guard ok else {
                received.append(data)
                return
            }
            buffer.append(data)
            while let end = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<end]
                buffer.removeSubrange(buffer.startIndex...end)
                onLine?(Data(line))
            }
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let continuation = lock.withLock { () -> CheckedContinuation<Int, any Error>? in
            defer { self.continuation = nil }
            return self.continuation
        }
        if let error {
            continuation?.resume(throwing: CLIError("lost the connection to the running server: \(error.localizedDescription)",
                                                    hint: "the run may go on there; see `storehouse runs`"))
        } else {
            continuation?.resume(returning: (task.response as? HTTPURLResponse)?.statusCode ?? 0)
        }
    }
}
