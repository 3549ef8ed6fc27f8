import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file found in a landing folder, with what the load ledger compares.
public struct LandingFile: Sendable, Hashable {
    /// Where the file is read from (absolute).
    public var path: String
    /// How loads name it — in the ledger, `_ingest_file` and reports: relative to the project
    /// root when it lies under it, so a project moved elsewhere keeps its ledger.
    public var name: String
    public var size: Int
    /// Seconds since 1970.
    public var modified: Double
}

/// Finds the files a connector's `path` names: one file, every data file directly in a folder,
/// or a glob whose `*`, `?` and `[…]` match within a name and `**` any depth of folders. Hidden
/// files and partial downloads (`.part`, `.tmp`, `.crdownload`, `.partial`, `~`) are never
/// matched: writers drop those and rename them when done.
public enum LandingFiles {
    public static func resolve(_ pattern: String, relativeTo given: String) throws -> [LandingFile] {
        let root = absolutePath(given)
        let absolute = pattern.hasPrefix("/") ? pattern : (root as NSString).appendingPathComponent(pattern)
        let segments = absolute.split(separator: "/").map(String.init)
        guard let firstGlob = segments.firstIndex(where: isGlob) else {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isFolder) else {
                throw IngestError("\(pattern) does not exist (looked in \(absolute))",
                                  hint: "check the connector's path; it is relative to the project root")
            }
            if !isFolder.boolValue { return [try stat(absolute, root: root)] }
            let names = try FileManager.default.contentsOfDirectory(atPath: absolute).sorted()
            return try names.filter { !isPartial($0) && FileFormat.inferred(fromPath: $0) != nil }
                .map { try stat((absolute as NSString).appendingPathComponent($0), root: root) }
        }
        let base = "/" + segments[..<firstGlob].joined(separator: "/")
        let rest = Array(segments[firstGlob...])
        var found: [String] = []
        walk(base, pattern: rest[...], into: &found)
        return try found.sorted().map { try stat($0, root: root) }
    }

    /// The folder a connector's path reads from: the path itself for a folder, its folder for a
    /// file, the part before the first wildcard for a glob.
    public static func baseFolder(of pattern: String, relativeTo root: String) -> String {
        let absolute = absolutePath(pattern.hasPrefix("/") ? pattern : (root as NSString).appendingPathComponent(pattern))
        let segments = absolute.split(separator: "/").map(String.init)
        if let firstGlob = segments.firstIndex(where: isGlob) { return "/" + segments[..<firstGlob].joined(separator: "/") }
        var folder: ObjCBool = false
        if FileManager.default.fileExists(atPath: absolute, isDirectory: &folder), folder.boolValue { return absolute }
        return (absolute as NSString).deletingLastPathComponent
    }

    /// `path` from the root folder down, `.` and `..` resolved (a project opened as `.` too).
    static func absolutePath(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        return (joined as NSString).standardizingPath
    }

    /// A name a writer uses while a file is incomplete, or a hidden file.
    public static func isPartial(_ name: String) -> Bool {
        let lower = name.lowercased()
        return name.hasPrefix(".") || name.hasSuffix("~")
            || [".part", ".tmp", ".crdownload", ".partial", ".download"].contains { lower.hasSuffix($0) }
    }

    private static func isGlob(_ segment: String) -> Bool { segment.contains { "*?[".contains($0) } }

    private static func walk(_ folder: String, pattern: ArraySlice<String>, into found: inout [String]) {
        guard let segment = pattern.first else { return }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !isPartial($0) }
        if segment == "**" {
            walk(folder, pattern: pattern.dropFirst(), into: &found)
            for name in names {
                let path = (folder as NSString).appendingPathComponent(name)
                if isFolder(path) { walk(path, pattern: pattern, into: &found) }
            }
            return
        }
        for name in names where matches(segment, name) {
            let path = (folder as NSString).appendingPathComponent(name)
            if pattern.count == 1 {
                if !isFolder(path) { found.append(path) }
            } else if isFolder(path) {
                walk(path, pattern: pattern.dropFirst(), into: &found)
            }
        }
    }

    private static func matches(_ pattern: String, _ name: String) -> Bool {
        fnmatch(pattern, name, 0) == 0
    }

    private static func isFolder(_ path: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
    }

    static func stat(_ path: String, root: String) throws -> LandingFile {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let base = absolutePath(root) + "/"
        let standard = (path as NSString).standardizingPath
        let name = standard.hasPrefix(base) ? String(standard.dropFirst(base.count)) : standard
        return LandingFile(path: standard, name: name, size: (attributes[.size] as? NSNumber)?.intValue ?? 0,
                           modified: (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)
    }
}
