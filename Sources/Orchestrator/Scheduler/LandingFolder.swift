import Foundation

/// Reads a landing folder from disk for `LandingFolderSensor`: every regular file below it,
/// with its path relative to the folder (`/`-separated), size and modification time. Hidden
/// files and folders (a leading `.`, as editors' and uploaders' temporary files have) are left
/// out. A folder that does not exist lists as empty: it is created by whoever lands files.
enum LandingFolder {
    static func list(_ folder: String) -> [LandingFile] {
        let root = URL(fileURLWithPath: folder, isDirectory: true).standardizedFileURL
        let keys: [URLResourceKey] = [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey]
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys,
                                                          options: [.skipsHiddenFiles, .skipsPackageDescendants]) else { return [] }
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        var files: [LandingFile] = []
        for case let url as URL in walker {
            guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true,
                  let modified = values.contentModificationDate else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(prefix) else { continue }
            files.append(LandingFile(path: String(path.dropFirst(prefix.count)), size: Int64(values.fileSize ?? 0), modified: modified))
        }
        return files
    }
}
