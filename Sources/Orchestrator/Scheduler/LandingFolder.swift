import Foundation

/// Reads a landing folder from disk for `LandingFolderSensor`: every regular file below it,
/// with its path relative to the folder (`/`-separated), size and modification time. Hidden
/// files and folders (a leading `.`, as editors' and uploaders' temporary files have) are left
/// out. A folder that does not exist lists as empty: it is created by whoever lands files.
enum LandingFolder {
    static func list(_ folder: String) -> [LandingFile] {
        FolderWalk.files(under: folder).map { LandingFile(path: $0.path, size: $0.size, modified: $0.modified) }
    }
}
