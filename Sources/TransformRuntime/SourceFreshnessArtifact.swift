import Foundation
import TransformProject
import WarehouseKit

/// `sources.json` in dbt's shape (schema sources/v3), so tools that read dbt's freshness
/// artifact read ours.
///
/// As dbt-core 1.11 does, only sources whose check ran are listed: a `runtime error` is
/// reported on the terminal and in the exit code, but dbt leaves it out of the file.
enum SourceFreshnessArtifact {
    static let schemaVersion = "https://schemas.getdbt.com/dbt/sources/v3.json"

    static func json(_ summary: SourceFreshnessSummary, invocationStartedAt: Date, generatedAt: Date = Date()) -> Data {
        let results: [[String: Any]] = summary.results.compactMap { result in
            guard let measurement = result.measurement, result.status != .runtimeError else { return nil }
            return [
                "unique_id": result.uniqueId,
                "max_loaded_at": zoned(measurement.maxLoadedAt),
                "snapshotted_at": zoned(measurement.snapshottedAt),
                "max_loaded_at_time_ago_in_s": measurement.age,
                "status": result.status.rawValue,
                "criteria": result.criteria.configValue.jsonObject,
                "adapter_response": ["_message": "OK"],
                "timing": [
                    ["name": "compile", "started_at": utc(result.startedAt), "completed_at": utc(result.executeStartedAt)],
                    ["name": "execute", "started_at": utc(result.executeStartedAt), "completed_at": utc(result.completedAt)],
                ],
                "thread_id": result.threadName,
                "execution_time": result.seconds,
            ]
        }
        let document: [String: Any] = [
            "metadata": [
                "dbt_schema_version": schemaVersion,
                "dbt_version": DbtCompatibility.version,
                "generated_at": utc(generatedAt),
                "invocation_id": UUID().uuidString.lowercased(),
                "invocation_started_at": utc(invocationStartedAt),
                "env": [String: String](),
            ] as [String: Any],
            "results": results,
            "elapsed_time": summary.seconds,
        ]
        return Data(JSONText.encode(document))
    }

    /// A warehouse time as Python's `isoformat()` writes an aware UTC datetime:
    /// `2024-01-02T10:00:00+00:00`, microseconds only when there are some.
    static func zoned(_ time: Timestamp) -> String { iso(time) + "+00:00" }

    /// A wall-clock time as dbt writes its naive UTC times: `2024-01-02T10:00:00.123456Z`.
    static func utc(_ date: Date) -> String {
        iso(Timestamp(micros: Int64((date.timeIntervalSince1970 * 1_000_000).rounded()))) + "Z"
    }

    static func iso(_ time: Timestamp) -> String {
        let date = time.date
        let ofDay = time.micros - Int64(date.daysSinceEpoch) * Timestamp.microsPerDay
        let seconds = Int(ofDay / Timestamp.microsPerSecond), micros = Int(ofDay % Timestamp.microsPerSecond)
        var text = "\(date)T\(String(seconds / 3600).leftPadded(to: 2)):\(String(seconds / 60 % 60).leftPadded(to: 2)):\(String(seconds % 60).leftPadded(to: 2))"
        if micros != 0 { text += "." + String(micros).leftPadded(to: 6) }
        return text
    }
}
