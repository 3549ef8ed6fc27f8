import Foundation
import TransformProject

/// The projects `serve`'s job steps run, loaded once per set of vars and loaded again when a
/// file of the project changes. Loading the bundled project takes 50–70 ms; a trivial run in
/// the server should take a few. A command handed over by the CLI after a model was edited
/// sees the edit: the project folder's files are checked (their count, sizes and newest
/// modification) before every step.
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
        var options = load
        options.vars = vars
        let project = try ProjectLoader.load(options)
        if entries.count >= Self.capacity { entries.removeAll() }
        entries[key] = (fingerprint, project)
        return project
    }

    /// What changes when a project file is added, removed or written.
    struct Fingerprint: Equatable {
        var files = 0
        var bytes: Int64 = 0
        var newest = Date.distantPast

        init(folder: String, skipping skipped: Set<String>) {
            let root = URL(fileURLWithPath: folder, isDirectory: true).standardizedFileURL
            let keys: [URLResourceKey] = [.isDirectoryKey, .fileSizeKey, .contentModificationDateKey]
            guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles]) else { return }
            for case let url as URL in walker {
                guard let values = try? url.resourceValues(forKeys: Set(keys)) else { continue }
                if values.isDirectory == true {
                    if skipped.contains(url.standardizedFileURL.path) { walker.skipDescendants() }
                    continue
                }
                files += 1
                bytes += Int64(values.fileSize ?? 0)
                newest = max(newest, values.contentModificationDate ?? .distantPast)
            }
        }
    }
}
