import Foundation

/// `package-lock.yml`: each package pinned (a git commit, a hub version, a local folder) under the
/// name its dbt_project.yml gives it, and the hash of the packages.yml it was resolved from — in
/// dbt's format, so `dbt deps` and `storehouse deps` read each other's locks.
///
/// ```yaml
/// packages:
///   - local: ../shared_macros
///     name: shared_macros
///   - git: https://github.com/dbt-labs/dbt-utils.git
///     name: dbt_utils
///     revision: 5d6e8ab1c1b7ce4e0e3e4f7e0a0b5d6c7e8f9a0b
/// sha1_hash: 8fa2336a213c8084ff892769a2325c4601f3732f
/// ```
package struct PackageLock: Equatable, Sendable {
    package enum Pin: Hashable, Sendable {
        case local(path: String)
        case git(url: String, commit: String, subdirectory: String?)
        case hub(package: String, version: String)
        case tarball(url: String)
    }

    package struct Entry: Equatable, Sendable {
        package var pin: Pin
        package var name: String
        package init(pin: Pin, name: String) { self.pin = pin; self.name = name }
    }

    package var entries: [Entry]
    package var sha1Hash: String

    package init(entries: [Entry], sha1Hash: String) {
        self.entries = entries
        self.sha1Hash = sha1Hash
    }

    /// Reads a lock; nil when there is none. A lock that cannot be read is an error naming the
    /// line, since `deps` would otherwise resolve again silently.
    package static func read(path: String) throws -> PackageLock? {
        let file = (path as NSString).lastPathComponent
        guard let text = try ProjectText.read(path: path, file: file), let root = try YAMLSupport.parse(text, file: file) else { return nil }
        let entries = try YAMLSupport.items(YAMLSupport.lookup(root, "packages")).map { item -> Entry in
            func text(_ key: String) -> String? {
                guard let node = YAMLSupport.lookup(item, key) else { return nil }
                if case .scalar(let s) = node { return s.string }
                return YAMLSupport.value(node).stringValue
            }
            let name = text("name") ?? ""
            let pin: Pin
            if let path = text("local") { pin = .local(path: path) }
            else if let url = text("git"), let commit = text("revision") { pin = .git(url: url, commit: commit, subdirectory: text("subdirectory")) }
            else if let package = text("package"), let version = text("version") { pin = .hub(package: package, version: version) }
            else if let url = text("tarball") { pin = .tarball(url: url) }
            else {
                throw TransformError(file: file, line: YAMLSupport.line(item), column: item.mark?.column ?? 0,
                                     "this lock entry pins no package (it needs `local:`, `git:` with `revision:`, `package:` with `version:`, or `tarball:`); delete package-lock.yml and run `storehouse deps` to write it again")
            }
            return Entry(pin: pin, name: name)
        }
        return PackageLock(entries: entries, sha1Hash: YAMLSupport.string(root, "sha1_hash") ?? "")
    }

    /// The lock as dbt writes it: each entry's keys in alphabetical order, then `sha1_hash`.
    package var yaml: String {
        var out = "packages:\n"
        for entry in entries {
            var pairs: [(String, String)] = [("name", entry.name)]
            switch entry.pin {
            case .local(let path): pairs.append(("local", path))
            case .git(let url, let commit, let subdirectory):
                pairs += [("git", url), ("revision", commit)]
                if let subdirectory { pairs.append(("subdirectory", subdirectory)) }
            case .hub(let package, let version): pairs += [("package", package), ("version", version)]
            case .tarball(let url): pairs.append(("tarball", url))
            }
            pairs.sort { $0.0 < $1.0 }
            for (i, pair) in pairs.enumerated() {
                out += (i == 0 ? "  - " : "    ") + pair.0 + ": " + PackageLock.scalar(pair.1) + "\n"
            }
        }
        return out + "sha1_hash: \(sha1Hash)\n"
    }

    /// A YAML scalar that reads back as the same string: plain when safe, single-quoted otherwise.
    static func scalar(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "_./@-+".unicodeScalars.contains($0) }
            && !(text.first.map { "-@".contains($0) } ?? false)
            && YAMLSupport.value(.scalar(.init(text))).stringValue == text
        // `https://…` is plain YAML too; a colon followed by a space is what would break it.
        let url = text.contains("://") && !text.contains(": ") && !text.contains(" #") && !text.contains("'")
        return plain || url ? text : "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}

/// Where packages go and what a package folder calls itself, for `deps`.
package enum PackageLayout {
    /// The install path (`packages-install-path`, default `dbt_packages`) as an absolute folder.
    package static func installFolder(projectDir: String) throws -> String {
        let settings = try ProjectSettings.read(projectDir: projectDir)
        let path = settings.packagesInstallPath
        return path.hasPrefix("/") ? path : (projectDir as NSString).appendingPathComponent(path)
    }

    /// The `name:` of the dbt project in `folder`; an error naming `label` when there is none.
    package static func projectName(folder: String, label: String) throws -> String {
        guard FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("dbt_project.yml")) else {
            throw TransformError(file: label, "\(label) holds no dbt_project.yml, so it is not a dbt package; check the path (and `subdirectory:` for a git package)")
        }
        let settings = try ProjectSettings.read(projectDir: folder, label: "\(label)/dbt_project.yml")
        try InstalledPackage.checkVersion(settings)
        return settings.name
    }
}
