import Foundation

/// What a landing-folder sensor decided at one look.
public struct LandingDecision: Sendable, Hashable {
    /// New or re-written files to trigger the job for, oldest modification first.
    public var files: [LandingFile]
    /// Matching files held back for now (still being written, or too young).
    public var waiting: [LandingFile]
    /// The cursor to persist, together with the run that takes `files`.
    public var cursor: LandingCursor
}

/// Decides which files of a landing folder a job should be triggered for.
///
/// A file is taken when it matches the glob, was not handed to a run before in this version
/// (size and modification time), and looks complete: it is at least `minimumAge` old and its
/// size and modification time did not change since the previous look. A file that is still
/// being written fails one of those tests and is taken at a later look.
///
/// Entries of files that left the folder are kept for `forgetAfter` before they are dropped,
/// so a listing that briefly comes back empty (a network share hiccup) does not hand every
/// file over again, while the cursor still stays about as small as the folder.
///
/// ```swift
/// let sensor = try LandingFolderSensor(glob: "*.csv", minimumAge: 30)
/// let decision = sensor.evaluate(listing: files, cursor: stored, now: clock.now)
/// ```
public struct LandingFolderSensor: Sendable, Hashable {
    public var glob: GlobPattern
    /// How old, in seconds, a file's last modification must be before it is taken.
    public var minimumAge: TimeInterval
    /// How long, in seconds, a handed file may be missing from the listing before it is forgotten.
    public var forgetAfter: TimeInterval

    /// Seven days: far longer than any outage of a listing, short enough to bound the cursor.
    public static let defaultForgetAfter: TimeInterval = 7 * 86_400

    public init(glob: GlobPattern, minimumAge: TimeInterval, forgetAfter: TimeInterval = LandingFolderSensor.defaultForgetAfter) {
        self.glob = glob
        self.minimumAge = max(0, minimumAge)
        self.forgetAfter = forgetAfter
    }

    /// - Throws: `OrchestratorError` when the glob is invalid.
    public init(glob: String, minimumAge: TimeInterval, forgetAfter: TimeInterval = LandingFolderSensor.defaultForgetAfter) throws(OrchestratorError) {
        self.init(glob: try GlobPattern(glob), minimumAge: minimumAge, forgetAfter: forgetAfter)
    }

    /// Looks at a listing of the folder at `now`.
    public func evaluate(listing: [LandingFile], cursor: LandingCursor, now: Date) -> LandingDecision {
        var next = LandingCursor(handed: cursor.handed, pending: [:])
        var taken: [LandingFile] = []
        var waiting: [LandingFile] = []
        for file in listing where glob.matches(file.path) {
            let version = file.version
            if let handed = cursor.handed[file.path], handed.version == version {
                next.handed[file.path]?.lastSeen = now
                continue
            }
            let oldEnough = now.timeIntervalSince(file.modified) >= minimumAge
            let unchanged = cursor.pending[file.path].map { $0 == version } ?? true
            if oldEnough && unchanged {
                taken.append(file)
                next.handed[file.path] = .init(version: version, lastSeen: now)
            } else {
                waiting.append(file)
                next.pending[file.path] = version
            }
        }
        next.handed = next.handed.filter { now.timeIntervalSince($0.value.lastSeen) <= forgetAfter }
        let order: (LandingFile, LandingFile) -> Bool = { ($0.modified, $0.path) < ($1.modified, $1.path) }
        return LandingDecision(files: taken.sorted(by: order), waiting: waiting.sorted(by: order), cursor: next)
    }
}
