import Foundation
import TransformProject

/// `run_results.json` in dbt's shape (schema v6), so tools that read dbt artifacts read ours.
enum RunResultsWriter {
    static func json(_ summary: RunSummary, command: RunOptions) throws -> Data {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let results: [[String: Any]] = summary.results.map { result in
            let finished = result.startedAt.addingTimeInterval(result.seconds)
            var entry: [String: Any] = [
                "unique_id": result.uniqueId,
                "status": result.status.rawValue,
                "timing": result.status == .skipped ? [] : [
                    ["name": "execute", "started_at": formatter.string(from: result.startedAt),
                     "completed_at": formatter.string(from: finished)],
                ],
                "thread_id": result.threadName,
                "execution_time": result.seconds,
                "adapter_response": adapterResponse(result),
                "message": result.message,
                "failures": result.failures.map { $0 as Any } ?? NSNull(),
                "compiled": result.compiledSQL != nil,
                "compiled_code": result.compiledSQL.map { $0 as Any } ?? NSNull(),
                "relation_name": result.relationName.map { $0 as Any } ?? NSNull(),
            ]
            if result.resourceType == .test { entry["relation_name"] = NSNull() }
            return entry
        }
        let document: [String: Any] = [
            "metadata": [
                "dbt_schema_version": "https://schemas.getdbt.com/dbt/run-results/v6.json",
                "dbt_version": DbtCompatibility.version,
                "generated_at": formatter.string(from: Date()),
                "invocation_id": UUID().uuidString.lowercased(),
                "env": [String: String](),
            ],
            "results": results,
            "elapsed_time": summary.seconds,
            "args": [
                "which": command.command.rawValue, "select": command.select, "exclude": command.exclude,
                "threads": command.threads, "full_refresh": command.fullRefresh, "fail_fast": command.failFast,
            ] as [String: Any],
        ]
        return Data(JSONText.encode(document))
    }

    /// dbt's free-form adapter response: rows affected, and a failing test's first rows
    /// (`failing_rows_sample`; dbt's readers keep unknown keys of this map as they are).
    static func adapterResponse(_ result: NodeResult) -> [String: Any] {
        var response: [String: Any] = result.rowsAffected.map { ["_message": result.message, "rows_affected": $0] } ?? [:]
        if let sample = result.failingRows { response["failing_rows_sample"] = sample.jsonObject }
        return response
    }
}
