import Foundation

/// What a landing-folder sensor remembers between looks; persisted in the run store (as JSON),
/// so that a restart neither loses nor repeats a file.
///
/// It is a set of file versions rather than a modification-time high-water mark: a high-water
/// mark misses files copied in with their old modification time kept (`cp -p`, `rsync -t`,
/// unpacked archives) and cannot tell a file re-written in place from one already handed over.
/// Here a path is handed to a run again exactly when its size or modification time differs
/// from the version handed before.
public struct LandingCursor: Sendable, Hashable, Codable {
    /// A file version handed to a run, and when the sensor last saw it in the folder.
    public struct HandedFile: Sendable, Hashable, Codable {
        public var version: LandingFileVersion
        public var lastSeen: Date

        public init(version: LandingFileVersion, lastSeen: Date) {
            self.version = version
            self.lastSeen = lastSeen
        }
    }

    /// Files handed to a run, by path.
    public var handed: [String: HandedFile]
    /// Files seen but not taken yet (too young, or changing between looks), by path, as seen
    /// at the last look.
    public var pending: [String: LandingFileVersion]

    public init(handed: [String: HandedFile] = [:], pending: [String: LandingFileVersion] = [:]) {
        self.handed = handed
        self.pending = pending
    }

    /// A cursor that has handed nothing over.
    public static let empty = LandingCursor()
}
