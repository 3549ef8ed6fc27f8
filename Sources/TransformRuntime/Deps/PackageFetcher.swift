import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TransformProject

/// Pins and fetches packages for `deps`: a local folder, a git repository at a revision, a hub
/// package at the highest version its range admits, or a tarball. Everything it downloads goes
/// to `downloads`, and what one step fetched is reused by the next (resolving a git revision
/// clones once; installing it moves that clone).
struct PackageFetcher {
    let projectRoot: String
    let downloads: String
    let environment: [String: String]
    let progress: (String) -> Void
    /// Fetched folders by pin, ready to move into place.
    private var fetched: [PackageLock.Pin: String] = [:]
    private var counter = 0

    init(projectRoot: String, downloads: String, environment: [String: String], progress: @escaping (String) -> Void) {
        self.projectRoot = projectRoot
        self.downloads = downloads
        self.environment = environment
        self.progress = progress
    }

    // MARK: resolving

    /// Pins every package of `file` and, after each, the packages it lists itself, as dbt does.
    /// The first request for a name wins; a second, different one is an error naming both.
    mutating func resolve(_ file: PackagesFile) throws -> [PackageLock.Entry] {
        var entries: [PackageLock.Entry] = []
        var queue = file.specs.map { (spec: $0, base: projectRoot, file: file.file, nested: false) }
        var byName: [String: (entry: PackageLock.Entry, from: String)] = [:]
        while !queue.isEmpty {
            let (spec, base, label, nested) = queue.removeFirst()
            let place = "\(label):\(spec.line)"
            let (entry, folder) = try pin(spec, base: base, place: place, nested: nested)
            if let earlier = byName[entry.name] {
                if earlier.entry.pin != entry.pin {
                    throw TransformError(file: label, line: spec.line, column: spec.column,
                                         "package '\(entry.name)' is asked for twice, as \(describe(earlier.entry.pin)) (\(earlier.from)) and as \(describe(entry.pin)) here; ask for one version of it")
                }
                continue
            }
            byName[entry.name] = (entry, place)
            entries.append(entry)
            let renderEnv = environment
            if let inner = try PackagesFile.read(projectDir: folder, render: { try PackageInstaller.renderEnvVars($0, renderEnv) }) {
                queue += inner.specs.map { (spec: $0, base: folder, file: "\(entry.name)/\(inner.file)", nested: true) }
            }
        }
        return entries
    }

    private mutating func pin(_ spec: PackageSpec, base: String, place: String, nested: Bool) throws -> (PackageLock.Entry, String) {
        switch spec.source {
        case .local(let path):
            let folder = absolute(path, base: base)
            guard FileManager.default.fileExists(atPath: folder) else {
                throw failure(place, "local package folder \(path) does not exist (looked for \(folder)); fix the path")
            }
            let name = try PackageLayout.projectName(folder: folder, label: path)
            // A package's own local packages are pinned by absolute path: the lock is read from the project root.
            return (PackageLock.Entry(pin: .local(path: nested ? folder : path), name: name), folder)
        case .git(let url, let revision, let subdirectory):
            progress("Fetching \(url)\(revision.map { " at \($0)" } ?? "")")
            let clone = try cloneGit(url, revision: revision ?? "HEAD", base: base, place: place)
            let commit: String
            do { commit = try GitCommand(workingDirectory: clone).run(["rev-parse", "HEAD"]) } catch let e as GitFailure {
                throw failure(place, "could not read the commit of \(url): \(e.message)")
            }
            let folder = subdirectory.map { (clone as NSString).appendingPathComponent($0) } ?? clone
            let name = try PackageLayout.projectName(folder: folder, label: subdirectory.map { "\(url) (\($0))" } ?? url)
            let pin = PackageLock.Pin.git(url: url, commit: commit, subdirectory: subdirectory)
            fetched[pin] = folder
            return (PackageLock.Entry(pin: pin, name: name), folder)
        case .hub(let package, let versions):
            let index = try HubIndex.fetch(package: package, hubURL: hubURL, place: place)
            guard let version = index.best(admitting: versions) else {
                throw failure(place, "no version of \(package) on the package hub meets \(versions.joined(separator: ", ")) (it has \(index.versions.keys.sorted().suffix(8).joined(separator: ", "))); widen the range")
            }
            let folder = try download(index.versions[version]!, what: "\(package) \(version)", place: place)
            let name = try PackageLayout.projectName(folder: folder, label: "\(package) \(version)")
            let pin = PackageLock.Pin.hub(package: package, version: version)
            fetched[pin] = folder
            return (PackageLock.Entry(pin: pin, name: name), folder)
        case .tarball(let url, let declaredName):
            let folder = try download(url, what: url, place: place)
            let name = try declaredName ?? PackageLayout.projectName(folder: folder, label: url)
            let pin = PackageLock.Pin.tarball(url: url)
            fetched[pin] = folder
            return (PackageLock.Entry(pin: pin, name: name), folder)
        }
    }

    // MARK: installing

    /// Puts a pinned package at `destination`: a symlink to a local folder, else the fetched copy.
    mutating func install(_ entry: PackageLock.Entry, into destination: String) throws -> InstalledPackageReport {
        let place = "package-lock.yml (\(entry.name))"
        switch entry.pin {
        case .local(let path):
            let folder = absolute(path, base: projectRoot)
            guard FileManager.default.fileExists(atPath: folder) else {
                throw failure(place, "local package folder \(path) does not exist (looked for \(folder)); fix packages.yml and run `storehouse deps` again")
            }
            try FileManager.default.createSymbolicLink(atPath: destination, withDestinationPath: folder)
            return InstalledPackageReport(name: entry.name, source: "local \(path)", version: "local")
        case .git(let url, let commit, let subdirectory):
            var folder = fetched[entry.pin]
            if folder == nil {
                progress("Fetching \(url) at \(commit)")
                let clone = try cloneGit(url, revision: commit, base: projectRoot, place: place)
                folder = subdirectory.map { (clone as NSString).appendingPathComponent($0) } ?? clone
            }
            try FileManager.default.moveItem(atPath: folder!, toPath: destination)
            fetched[entry.pin] = nil
            return InstalledPackageReport(name: entry.name, source: "git \(url)", version: commit)
        case .hub(let package, let version):
            var folder = fetched[entry.pin]
            if folder == nil {
                let index = try HubIndex.fetch(package: package, hubURL: hubURL, place: place)
                guard let tarball = index.versions[version] else {
                    throw failure(place, "the package hub no longer lists \(package) \(version); run `storehouse deps --upgrade`")
                }
                folder = try download(tarball, what: "\(package) \(version)", place: place)
            }
            try FileManager.default.moveItem(atPath: folder!, toPath: destination)
            fetched[entry.pin] = nil
            return InstalledPackageReport(name: entry.name, source: "hub \(package)", version: version)
        case .tarball(let url):
            let folder = try fetched[entry.pin] ?? download(url, what: url, place: place)
            try FileManager.default.moveItem(atPath: folder, toPath: destination)
            fetched[entry.pin] = nil
            return InstalledPackageReport(name: entry.name, source: "tarball \(url)", version: "tarball")
        }
    }

    // MARK: fetching

    private var hubURL: String {
        let base = environment["DBT_PACKAGE_HUB_URL"] ?? "https://hub.getdbt.com/"
        return base.hasSuffix("/") ? base : base + "/"
    }

    private mutating func nextFolder(_ stem: String) -> String {
        counter += 1
        return (downloads as NSString).appendingPathComponent("\(counter)-\(stem)")
    }

    private mutating func cloneGit(_ url: String, revision: String, base: String, place: String) throws -> String {
        let clone = nextFolder("git")
        do {
            try GitCommand(workingDirectory: base).run(["clone", "--quiet", url, clone])
        } catch let e as GitFailure {
            throw failure(place, "could not clone git package \(url): \(e.message); check the URL and that this machine can reach it")
        }
        if revision != "HEAD" {
            do { try GitCommand(workingDirectory: clone).run(["checkout", "--quiet", revision]) } catch let e as GitFailure {
                throw failure(place, "revision '\(revision)' is not a branch, tag or commit of \(url) (\(e.message)); fix `revision:`")
            }
        }
        return clone
    }

    /// Downloads a .tar.gz and unpacks it; the package is the archive's single top folder (as
    /// the hub's GitHub archives are) or the archive's root.
    private mutating func download(_ url: String, what: String, place: String) throws -> String {
        progress("Downloading \(what)")
        let archive = nextFolder("archive.tar.gz")
        let data = try HTTPFetch.get(url, place: place)
        try data.write(to: URL(fileURLWithPath: archive))
        let unpacked = nextFolder("unpacked")
        try FileManager.default.createDirectory(atPath: unpacked, withIntermediateDirectories: true)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-xzf", archive, "-C", unpacked]
        tar.standardError = FileHandle.nullDevice
        try tar.run()
        tar.waitUntilExit()
        guard tar.terminationStatus == 0 else { throw failure(place, "\(url) is not a .tar.gz archive tar can unpack") }
        let top = ((try? FileManager.default.contentsOfDirectory(atPath: unpacked)) ?? []).filter { !$0.hasPrefix(".") }
        if top.count == 1 {
            let inner = (unpacked as NSString).appendingPathComponent(top[0])
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: inner, isDirectory: &isFolder), isFolder.boolValue { return inner }
        }
        return unpacked
    }

    private func absolute(_ path: String, base: String) -> String {
        (path.hasPrefix("/") ? path : (base as NSString).appendingPathComponent(path) as String).standardizedPath
    }

    private func describe(_ pin: PackageLock.Pin) -> String {
        switch pin {
        case .local(let path): return "local \(path)"
        case .git(let url, let commit, _): return "git \(url)@\(commit.prefix(12))"
        case .hub(let package, let version): return "\(package) \(version)"
        case .tarball(let url): return "tarball \(url)"
        }
    }

    private func failure(_ place: String, _ message: String) -> TransformError {
        TransformError("\(place): \(message)")
    }
}

private extension String {
    var standardizedPath: String { (self as NSString).standardizingPath }
}

/// A hub package's index (`api/v1/<owner>/<name>.json`): its versions and their tarballs.
struct HubIndex {
    var versions: [String: String]

    static func fetch(package: String, hubURL: String, place: String) throws -> HubIndex {
        let url = "\(hubURL)api/v1/\(package).json"
        let data = try HTTPFetch.get(url, place: place)
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let versions = json["versions"] as? [String: Any] else {
            throw TransformError("\(place): the package hub's answer for \(package) (\(url)) is not a package index; check DBT_PACKAGE_HUB_URL")
        }
        var tarballs: [String: String] = [:]
        for (version, info) in versions {
            guard let info = info as? [String: Any], let downloads = info["downloads"] as? [String: Any], let tarball = downloads["tarball"] as? String else { continue }
            tarballs[version] = tarball
        }
        return HubIndex(versions: tarballs)
    }

    /// The highest release every bound admits (pre-releases only when asked for by exact pin).
    func best(admitting ranges: [String]) -> String? {
        let bounds = ranges.compactMap(VersionBound.init)
        let candidates = versions.keys.compactMap { text -> (SemanticVersion, String)? in
            guard let v = SemanticVersion(text), v.prerelease.isEmpty || bounds.contains(where: { $0.comparison == .exactly && $0.version == v }) else { return nil }
            return bounds.allSatisfy { $0.admits(v) } ? (v, text) : nil
        }
        return candidates.max { $0.0 < $1.0 }?.1
    }
}

/// A blocking GET for `deps` (a command-line step with nothing else to do meanwhile).
enum HTTPFetch {
    static func get(_ url: String, place: String) throws -> Data {
        guard let address = URL(string: url), address.scheme == "http" || address.scheme == "https" || address.scheme == "file" else {
            throw TransformError("\(place): '\(url)' is not an http(s) URL")
        }
        if address.isFileURL { return try Data(contentsOf: address) }
        final class Outcome: @unchecked Sendable { var data: Data?; var status = 0; var error: Error? }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        var request = URLRequest(url: address)
        request.timeoutInterval = 30
        URLSession.shared.dataTask(with: request) { data, response, error in
            outcome.data = data
            outcome.status = (response as? HTTPURLResponse)?.statusCode ?? 0
            outcome.error = error
            done.signal()
        }.resume()
        done.wait()
        if let error = outcome.error {
            throw TransformError("\(place): could not reach \(url) (\(error.localizedDescription)); check the network, or install the package from git or a local folder")
        }
        guard (200..<300).contains(outcome.status), let data = outcome.data else {
            throw TransformError("\(place): \(url) answered HTTP \(outcome.status); check the package name and version")
        }
        return data
    }
}
