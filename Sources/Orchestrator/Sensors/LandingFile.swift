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
///
/// Two versions are the same when their sizes are equal and their times are within a
/// microsecond: the cursor is stored as JSON with times as seconds since 1970, and converting
/// Foundation's dates to and from that can change the last bits of a nanosecond timestamp. An
/// exact comparison made a restarted server hand a file over a second time.
public struct LandingFileVersion: Sendable, Hashable, Codable {
    public var size: Int64
    public var modified: Date

    public init(size: Int64, modified: Date) {
        self.size = size
        self.modified = modified
    }

    public static func == (a: LandingFileVersion, b: LandingFileVersion) -> Bool {
        a.size == b.size && abs(a.modified.timeIntervalSince(b.modified)) < 0.000_001
    }

    /// The size alone: equal versions may differ in the last bits of their times.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(size)
    }
}
