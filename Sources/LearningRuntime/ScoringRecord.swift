import Foundation

/// `target/ml_results.json`: what the last `storehouse ml score` (or `ml_score` step) wrote, per
/// model. Besides telling a reader which model versions the scores tables hold, its change tells
/// `storehouse serve` that scores moved, as run_results.json does for builds.
public enum ScoringRecord {
    public static let fileName = "ml_results.json"

    /// Adds (or replaces) the entries of `scored` in the file under `targetDirectory`.
    public static func write(_ scored: [ModelTasks.Scored], targetDirectory: String, at now: Date) throws {
        let path = (targetDirectory as NSString).appendingPathComponent(fileName)
        var models = (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])?["models"] as? [String: Any] ?? [:]
        let stamp = ISO8601DateFormatter().string(from: now)
        for entry in scored {
            models[entry.model] = ["version": entry.version, "rows": entry.rows, "table": entry.table.description, "scored_at": stamp, "mean_score": entry.meanScore]
        }
        try FileManager.default.createDirectory(atPath: targetDirectory, withIntermediateDirectories: true)
        let data = try JSONSerialization.data(withJSONObject: ["models": models], options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
