import ArgumentParser
import Foundation
import TransformProject
import TransformRuntime
import WarehouseKit

/// `storehouse profile`: the slowest models of the last `storehouse build --profile`, each with
/// the operator its time goes to and what to look at first.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Show the slowest models of the last build --profile, with the operator that dominates each.",
        discussion: "Reads target/profiles.json, which `storehouse build --profile` (or run --profile) writes from the warehouse's own profiler.")

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(help: "How many models to show.")
    var top = 10

    @Option(name: [.short, .long], help: "Output format (text, json).")
    var format: OutputFormat = .text

    @OptionGroup var project: ProjectOptions

    func validate() throws {
        guard top >= 1 else { throw ValidationError("--top must be 1 or more") }
    }

    func run() throws {
        let loaded: LoadedProject
        do { loaded = try project.load() } catch { throw ProjectCommandFailure.report(error) }
        let target = (loaded.manifest.projectRoot as NSString).appendingPathComponent(loaded.manifest.targetPath)
        guard let document = ProfileArtifact.read(targetDirectory: target), !document.entries.isEmpty else {
            throw ProjectCommandFailure.report(CLIError("no profiles in \(loaded.manifest.targetPath)/\(ProfileArtifact.fileName)",
                                                        hint: "run `storehouse build --profile` first (models built as tables or incremental are profiled)"))
        }
        let shown = Array(document.slowest.prefix(top))
        switch format {
        case .json:
            let items: [[String: Any]] = shown.map { entry in
                var item: [String: Any] = ["unique_id": entry.uniqueId, "name": entry.name, "wall_seconds": entry.wallSeconds,
                                           "engine_seconds": entry.profile.seconds]
                if let rows = entry.profile.rowsScanned { item["rows_scanned"] = rows }
                if let rows = entry.profile.rowsProduced { item["rows_produced"] = rows }
                if let (op, share) = entry.profile.dominant {
                    item["dominant_operator"] = ["name": op.name, "share": share, "detail": op.detail ?? NSNull()] as [String: Any]
                }
                if let advice = ProfileArtifact.advice(for: entry) { item["advice"] = advice }
                return item
            }
            let data = try JSONSerialization.data(withJSONObject: ["warehouse": document.warehouse, "models": items], options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        case .text:
            print(Self.text(document, shown: shown, now: Date()))
        }
    }

    static func text(_ document: ProfileArtifact.Document, shown: [ProfileArtifact.Entry], now: Date) -> String {
        let age = Int(now.timeIntervalSince(document.generatedAt))
        let when = age < 120 ? "\(age) s ago" : age < 7_200 ? "\(age / 60) min ago" : "\(age / 3_600) h ago"
        var lines = ["Slowest \(shown.count) of \(document.entries.count) profiled models (\(document.warehouse), profiled \(when)):", ""]
        let header = ["model", "wall", "engine", "rows scanned", "rows out", "peak memory", "slowest operator"]
        var rows: [[String]] = [header]
        for entry in shown {
            let p = entry.profile
            let dominant = p.dominant.map { "\($0.operator.name) \(Int(($0.share * 100).rounded()))%" } ?? "—"
            rows.append([entry.name, ProfileArtifact.duration(entry.wallSeconds), ProfileArtifact.duration(p.seconds), p.rowsScanned.map(count) ?? "—",
                         p.rowsProduced.map(count) ?? "—", p.peakMemoryBytes.map(ProfileArtifact.bytes) ?? "—", dominant])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for (index, row) in rows.enumerated() {
            lines.append("  " + row.enumerated().map { column, cell in
                column == 0 || column == row.count - 1 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  "))
            if index > 0 {
                let entry = shown[index - 1]
                if let detail = entry.profile.dominant?.operator.detail { lines.append("      \(detail.prefix(140))") }
                if let advice = ProfileArtifact.advice(for: entry) { lines.append("      → \(advice)") }
            }
        }
        return lines.joined(separator: "\n")
    }

    static func count(_ value: Int) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        return formatter.string(from: NSNumber(value: value)) ?? String(value)
    }
}
