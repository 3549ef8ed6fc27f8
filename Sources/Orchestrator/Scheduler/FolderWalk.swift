import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The regular files under a folder with their sizes and modification times, read with
/// `readdir` and `stat`. Foundation's enumerator with resource values costs a millisecond or more
/// on a small folder (and reads /etc/passwd for owner names on every call), which a sensor
/// polling five times a second and a server checking its project before every run both pay.
/// Names starting with a dot are skipped, as Finder-style tools and dbt skip them; symbolic
/// links to files count as files, symbolic links to folders are not followed.
public enum FolderWalk {
    public struct File: Sendable, Equatable {
        /// Relative to the walked folder, `/`-separated.
        public var path: String
        public var size: Int64
        public var modified: Date
    }

    /// `skipping` gets each folder's path relative to the root and says whether to leave it out.
    public static func files(under root: String, skipping: (String) -> Bool = { _ in false }) -> [File] {
        var found: [File] = []
        walk(root, relative: "", skipping: skipping, into: &found)
        return found
    }

    private static func walk(_ folder: String, relative: String, skipping: (String) -> Bool, into found: inout [File]) {
        guard let directory = opendir(folder) else { return }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard !name.hasPrefix(".") else { continue }
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            let child = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            var kind = info.st_mode & S_IFMT
            if kind == S_IFLNK {
                guard stat(path, &info) == 0 else { continue }
                kind = info.st_mode & S_IFMT
                if kind == S_IFDIR { continue }
            }
            if kind == S_IFDIR {
                if !skipping(child) { walk(path, relative: child, skipping: skipping, into: &found) }
            } else if kind == S_IFREG {
                let modified = Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
                found.append(File(path: child, size: Int64(info.st_size), modified: modified))
            }
        }
    }
}
