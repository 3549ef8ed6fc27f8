import Foundation

/// A project in a fresh temporary folder, for tests that run the CLI on it.
struct ProjectFolder {
    let root: URL

    init(prefix: String) {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    }

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// `storehouse ARGUMENTS --project-dir ROOT`, with no run store unless the project names one;
    /// run from `directory` (default: the test process's own).
    func storehouse(_ arguments: [String], in directory: URL? = nil) throws -> StorehouseProcess.Outcome {
        try StorehouseProcess.run(arguments + ["--project-dir", root.path], in: directory, environment: ["STOREHOUSE_RUNS_DB": ""])
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}
