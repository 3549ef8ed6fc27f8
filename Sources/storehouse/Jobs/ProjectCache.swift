import Foundation
import Orchestrator
import TransformProject

/// The projects `serve`'s job steps run, loaded once and loaded again when a project file
/// changes. Loading the bundled project takes 50–70 ms; a trivial run in the server should take a
/// few. Other vars reuse a loaded project when its loading read no var (`withVars`), as a landing
/// sensor's runs differ only in their file list; otherwise each set of vars is loaded once. A
/// command handed over by the CLI after a model was edited sees the edit: the project's files
/// (SQL, YAML, seeds, docs — not the warehouse or run store beside them) are checked, their
/// count, sizes and newest modification, before every step.
actor ProjectCache {
    private let load: LoadOptions
    /// Folders that are not project files: the target folder, logs, landing folders.
    private let skipped: Set<String>
    private var entries: [String: (fingerprint: Fingerprint, project: LoadedProject)] = [:]
    private static let capacity = 16

    init(load: LoadOptions, skipping folders: [String]) {
        self.load = load
        let root = URL(fileURLWithPath: load.projectDir).standardizedFileURL.path
        skipped = Set((["target", "logs"] + folders).map { folder in
            folder.hasPrefix("/") ? URL(fileURLWithPath: folder).standardizedFileURL.path : (root as NSString).appendingPathComponent(folder)
        })
    }

    func project(vars: String?) throws -> LoadedProject {
        let fingerprint = Fingerprint(folder: load.projectDir, skipping: skipped)
        let key = vars ?? ""
        if let entry = entries[key], entry.fingerprint == fingerprint { return entry.project }
        if let loaded = entries.values.first(where: { $0.fingerprint == fingerprint })?.project,
           let project = try loaded.withVars(vars) {
            // Loading read no var, so these vars load the same nodes: only compiling sees them.
            remember(project, fingerprint: fingerprint, key: key)
            return project
        }
        var options = load
        options.vars = vars
        let project = try ProjectLoader.load(options)
        remember(project, fingerprint: fingerprint, key: key)
        return project
    }

    /// Keeps a project loaded with no vars from these load options, so the first run need not
    /// load it again.
    func prime(with project: LoadedProject) {
        remember(project, fingerprint: Fingerprint(folder: load.projectDir, skipping: skipped), key: "")
    }

    private func remember(_ project: LoadedProject, fingerprint: Fingerprint, key: String) {
        if entries.count >= Self.capacity { entries.removeAll() }
        entries[key] = (fingerprint, project)
    }

    /// What changes when a project file is added, removed or written.
    struct Fingerprint: Equatable {
        var files = 0
        var bytes: Int64 = 0
        var newest = Date.distantPast

        /// The kinds of file a project is made of; the warehouse, its WAL and the run store, which
        /// change with every run, are not among them.
        static let projectFileExtensions: Set<String> = ["sql", "yml", "yaml", "csv", "md", "py", "json"]

        init(folder: String, skipping skipped: Set<String>) {
            let root = URL(fileURLWithPath: folder, isDirectory: true).standardizedFileURL.path
            for file in FolderWalk.files(under: root, skipping: { skipped.contains((root as NSString).appendingPathComponent($0)) })
            where Self.projectFileExtensions.contains((file.path as NSString).pathExtension.lowercased()) {
                files += 1
                bytes += file.size
                newest = max(newest, file.modified)
            }
        }
    }
}
