import Foundation
import TransformRuntime

/// The last build, as dbt's `run_results.json` (which our engine writes too) records it.
///
/// dbt overwrites the file on every invocation, so this is the latest build only; a history of
/// builds comes with the run store.
public struct BuildRecord: Sendable {
    public struct NodeResult: Sendable {
        public let uniqueID: String
        public let status: String
        public let executionTime: Double
        public let rowsAffected: Int?
        public let message: String?
        public let completedAt: Date?
        /// A test's failing rows (run_results' `failures`); nil for models and where unknown.
        public let failures: Int?
        /// A failing test's first rows (`adapter_response.failing_rows_sample`).
        public var failingRows: FailingRowsSample? = nil
    }

    public let invocationID: String?
    public let command: String?
    public let generatedAt: Date?
    public let elapsedSeconds: Double
    public let results: [NodeResult]

    /// Nodes that errored, failed (tests) or were skipped because something upstream failed.
    public var failures: Int { results.filter { ["error", "fail", "runtime error"].contains($0.status) }.count }
    public var status: String { failures == 0 ? "success" : "failed" }

    public func result(for uniqueID: String) -> NodeResult? { results.first { $0.uniqueID == uniqueID } }

    /// Reads `path`; nil where there is no build on record or the file is not run_results JSON.
    public static func read(path: String) -> BuildRecord? {
        guard let data = FileManager.default.contents(atPath: path),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        let metadata = root["metadata"] as? [String: Any] ?? [:]
        let args = root["args"] as? [String: Any] ?? [:]
        let results = (root["results"] as? [[String: Any]] ?? []).compactMap { item -> NodeResult? in
            guard let id = item["unique_id"] as? String else { return nil }
            let timing = (item["timing"] as? [[String: Any]] ?? []).first { $0["name"] as? String == "execute" }
            let adapter = item["adapter_response"] as? [String: Any] ?? [:]
            return NodeResult(uniqueID: id, status: item["status"] as? String ?? "unknown",
                              executionTime: (item["execution_time"] as? NSNumber)?.doubleValue ?? 0,
                              rowsAffected: (adapter["rows_affected"] as? NSNumber)?.intValue,
                              message: item["message"] as? String,
                              completedAt: (timing?["completed_at"] as? String).flatMap(parseDate),
                              failures: (item["failures"] as? NSNumber)?.intValue,
                              failingRows: FailingRowsSample(jsonObject: adapter["failing_rows_sample"]))
        }
        return BuildRecord(invocationID: metadata["invocation_id"] as? String, command: args["which"] as? String,
                           generatedAt: (metadata["generated_at"] as? String).flatMap(parseDate),
                           elapsedSeconds: (root["elapsed_time"] as? NSNumber)?.doubleValue ?? 0, results: results)
    }

    static func parseDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        // dbt writes naive UTC times without a zone ("2026-12-04T18:27:01.940000").
        return formatter.date(from: String(text.prefix(19)) + "Z")
    }

    static func iso(_ date: Date?) -> String? {
        guard let date else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
