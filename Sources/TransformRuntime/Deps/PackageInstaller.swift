import Crypto
import Foundation
import TransformProject

/// One package `deps` put in place.
public struct InstalledPackageReport: Sendable, Equatable {
    public var name: String
    /// `local ../x`, `git https://…`, `hub dbt-labs/dbt_utils`.
    public var source: String
    /// The commit, version or `local` it was installed at.
    public var version: String
}

/// What `storehouse deps` did.
public struct DepsReport: Sendable {
    public var packages: [InstalledPackageReport]
    /// Whether package-lock.yml was (re)written: packages.yml changed, there was none, or `--upgrade`.
    public var lockWritten: Bool
    public var lockPath: String
}

/// `storehouse deps`: resolves packages.yml (or dependencies.yml) into package-lock.yml and
/// installs every pinned package into the install path (`dbt_packages/`), as `dbt deps` does —
/// local packages as symlinks, git packages at the locked commit, packages they depend on too.
///
/// Unlike dbt, a failure leaves the previous `dbt_packages/` untouched: the new set is put
/// together beside it and swapped in only once every package is in place.
public enum PackageInstaller {
    public static func run(projectDir: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                           upgrade: Bool = false, progress: @escaping (String) -> Void = { _ in }) throws -> DepsReport
    {
        // Absolute: local packages become symlinks, and a relative target would resolve from dbt_packages/.
        let root = URL(fileURLWithPath: projectDir).standardizedFileURL.path
        let lockPath = (root as NSString).appendingPathComponent("package-lock.yml")
        let installFolder = try PackageLayout.installFolder(projectDir: root)
        try checkInstallFolder(installFolder, projectRoot: root)
        guard let declared = try PackagesFile.read(projectDir: root, render: { try renderEnvVars($0, environment) }), !declared.specs.isEmpty else {
            return DepsReport(packages: [], lockWritten: false, lockPath: lockPath)
        }
        let hash = Digest.hex(Array(Insecure.SHA1.hash(data: Array(declared.lockHashInput.utf8))))
        let staging = installFolder + ".storehouse-deps-\(getpid())"
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.createDirectory(atPath: staging + "/downloads", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        var fetcher = PackageFetcher(projectRoot: root, downloads: staging + "/downloads", environment: environment, progress: progress)

        var lock = try PackageLock.read(path: lockPath)
        let lockWritten = upgrade || lock == nil || lock?.sha1Hash != hash
        if lockWritten {
            lock = PackageLock(entries: try fetcher.resolve(declared), sha1Hash: hash)
        }
        guard let lock else { return DepsReport(packages: [], lockWritten: false, lockPath: lockPath) }

        let next = staging + "/packages"
        try FileManager.default.createDirectory(atPath: next, withIntermediateDirectories: true)
        var reports: [InstalledPackageReport] = []
        for entry in lock.entries {
            progress("Installing \(entry.name)")
            reports.append(try fetcher.install(entry, into: (next as NSString).appendingPathComponent(entry.name)))
        }
        // Only now, with every package in place: the lock, then the swap.
        if lockWritten { try lock.yaml.write(toFile: lockPath, atomically: true, encoding: .utf8) }
        let old = staging + "/previous"
        if FileManager.default.fileExists(atPath: installFolder) { try FileManager.default.moveItem(atPath: installFolder, toPath: old) }
        try FileManager.default.moveItem(atPath: next, toPath: installFolder)
        return DepsReport(packages: reports, lockWritten: lockWritten, lockPath: lockPath)
    }

    /// `deps` replaces the install path whole; refuse a path that would take the project (or
    /// more) with it.
    static func checkInstallFolder(_ folder: String, projectRoot: String) throws {
        let target = (folder as NSString).standardizingPath
        let resolvedRoot = (projectRoot as NSString).resolvingSymlinksInPath
        let resolvedTarget = (target as NSString).resolvingSymlinksInPath
        if resolvedTarget == "/" || resolvedRoot == resolvedTarget || resolvedRoot.hasPrefix(resolvedTarget + "/") {
            throw TransformError(file: "dbt_project.yml", "packages-install-path '\(folder)' is the project folder or holds it, and deps replaces that folder whole; point it at a folder of its own, such as dbt_packages")
        }
    }

    static func renderEnvVars(_ text: String, _ environment: [String: String]) throws -> String {
        guard text.contains("{{") else { return text }
        return try ProjectLoader.renderEnvVars(text, environment: environment, file: "packages.yml")
    }
}
