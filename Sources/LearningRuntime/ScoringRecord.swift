import Foundation

/// `target/ml_results.json`: per model, the version the last `storehouse ml score` (or `ml_score`
/// step) wrote and the last version trained. Besides telling a reader which model versions the
/// scores tables hold, its change tells `storehouse serve` that scores or accepted models moved,
/// as run_results.json does for builds.
public enum ScoringRecord {
    public static let fileName = "ml_results.json"

    /// Records the entries of `scored` in the file under `targetDirectory`.
    public static func write(_ scored: [ModelTasks.Scored], targetDirectory: String, at now: Date) throws {
        let stamp = ISO8601DateFormatter().string(from: now)
        try update(targetDirectory: targetDirectory) { models in
            for entry in scored {
                var fields = models[entry.model] as? [String: Any] ?? [:]
                fields["version"] = entry.version
                fields["rows"] = entry.rows
                fields["table"] = entry.table.description
                fields["scored_at"] = stamp
                fields["mean_score"] = entry.meanScore
                models[entry.model] = fields
            }
        }
    }

    /// Records the versions `trained` made (promoted or not).
    public static func write(_ trained: [ModelTasks.Trained], targetDirectory: String, at now: Date) throws {
        let stamp = ISO8601DateFormatter().string(from: now)
        try update(targetDirectory: targetDirectory) { models in
            for entry in trained {
                var fields = models[entry.model.name] as? [String: Any] ?? [:]
                fields["trained_version"] = entry.model.version
                fields["trained_promoted"] = entry.decision.promoted
                fields["trained_at"] = stamp
                models[entry.model.name] = fields
            }
        }
    }

    private static func update(targetDirectory: String, _ change: (inout [String: Any]) -> Void) throws {
        let path = (targetDirectory as NSString).appendingPathComponent(fileName)
        var models = (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])?["models"] as? [String: Any] ?? [:]
        change(&models)
        try FileManager.default.createDirectory(atPath: targetDirectory, withIntermediateDirectories: true)
        let data = try JSONSerialization.data(withJSONObject: ["models": models], options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
