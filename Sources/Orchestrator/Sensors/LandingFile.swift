import Foundation

/// One file of a landing folder's listing, as the runner reads it from disk.
public struct LandingFile: Sendable, Hashable, Codable {
    /// Path relative to the landing folder, `/`-separated.
    public var path: String
    /// Size in bytes.
    public var size: Int64
    /// Last modification time.
    public var modified: Date

    public init(path: String, size: Int64, modified: Date) {
        self.path = path
        self.size = size
        self.modified = modified
    }

    /// The file's size and modification time: what tells one version of a path from another.
    public var version: LandingFileVersion { LandingFileVersion(size: size, modified: modified) }
}

/// A version of a file: its size and modification time. A file written again later differs
/// in at least one of them.
public struct LandingFileVersion: Sendable, Hashable, Codable {
    public var size: Int64
    public var modified: Date

    public init(size: Int64, modified: Date) {
        self.size = size
        self.modified = modified
    }
}
