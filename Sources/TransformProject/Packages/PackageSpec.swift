import Foundation
import Yams

/// One package a project asks for in `packages.yml` (or `dependencies.yml`), as dbt reads it.
///
/// ```yaml
/// packages:
///   - local: ../shared_macros
///   - git: https://github.com/dbt-labs/dbt-utils.git
///     revision: 1.3.0
///   - package: dbt-labs/dbt_utils
///     version: [">=1.3.0", "<2.0.0"]
/// ```
package struct PackageSpec: Equatable, Sendable {
    package enum Source: Equatable, Sendable {
        case local(path: String)
        case git(url: String, revision: String?, subdirectory: String?)
        /// A package of the dbt package hub: `owner/name` and the version bounds it must meet.
        case hub(package: String, versions: [String])
        case tarball(url: String, name: String?)
    }

    package var source: Source
    package var line: Int
    package var column: Int
    /// The entry as written, before `{{ env_var() }}` is rendered (dbt hashes it into the lock).
    package var written: ConfigValue = .null
}

/// `packages.yml` or `dependencies.yml`: where it is, its text (hashed into package-lock.yml) and
/// what it asks for.
package struct PackagesFile: Sendable {
    package var file: String
    package var text: String
    package var specs: [PackageSpec]

    /// Reads the project's package list; nil when it has none. `render` expands `{{ env_var(…) }}`
    /// in values (dbt renders this file with env_var only, so tokens stay out of the file).
    package static func read(projectDir: String, render: (String) throws -> String = { $0 }) throws -> PackagesFile? {
        var found: [(String, String)] = []
        for file in ["packages.yml", "dependencies.yml"] {
            let path = (projectDir as NSString).appendingPathComponent(file)
            if let text = try ProjectText.read(path: path, file: file) { found.append((file, text)) }
        }
        var lists: [(String, String, Yams.Node)] = []
        for (file, text) in found {
            guard let root = try YAMLSupport.parse(text, file: file), let list = YAMLSupport.lookup(root, "packages") else { continue }
            lists.append((file, text, list))
        }
        if lists.count > 1 {
            throw TransformError(file: "dependencies.yml", "both packages.yml and dependencies.yml list `packages:`; keep the list in one of them, as dbt requires")
        }
        guard let (file, text, list) = lists.first else { return nil }
        guard case .sequence = list else {
            if case .scalar(let s) = list, s.string.isEmpty || s.string == "null" { return PackagesFile(file: file, text: text, specs: []) }
            throw TransformError(file: file, line: YAMLSupport.line(list), column: list.mark?.column ?? 0,
                                 "`packages:` must be a list, e.g. `packages:\\n  - package: dbt-labs/dbt_utils\\n    version: 1.3.0`")
        }
        let specs = try YAMLSupport.items(list).map { try spec($0, file: file, render: render) }
        return PackagesFile(file: file, text: text, specs: specs)
    }

    static let allowedKeys: [String: Set<String>] = [
        "local": ["local"],
        "git": ["git", "revision", "subdirectory", "warn-unpinned", "name"],
        "package": ["package", "version", "install-prerelease"],
        "tarball": ["tarball", "name"],
    ]

    static func spec(_ item: Yams.Node, file: String, render: (String) throws -> String) throws -> PackageSpec {
        let line = YAMLSupport.line(item), column = item.mark?.column ?? 0
        func fail(_ node: Yams.Node?, _ message: String) -> TransformError {
            TransformError(file: file, line: node.map(YAMLSupport.line) ?? line, column: node?.mark?.column ?? column, message)
        }
        let entries = YAMLSupport.entries(item)
        guard let kind = entries.map(\.0).first(where: { allowedKeys[$0] != nil }) else {
            throw fail(item, "this package entry says neither `package:`, `git:`, `local:` nor `tarball:`; give one, e.g. `- package: dbt-labs/dbt_utils` with `version:`")
        }
        let allowed = allowedKeys[kind]!
        for (key, node) in entries where !allowed.contains(key) {
            let other = allowedKeys[key] != nil
            throw fail(node, other ? "a package entry takes one of `package:`, `git:`, `local:`, `tarball:`, not both `\(kind):` and `\(key):`; split it into two entries"
                : "unknown key '\(key)' in a `\(kind):` package entry — allowed: \(allowed.sorted().joined(separator: ", "))")
        }
        func text(_ key: String) throws -> String? {
            guard let node = YAMLSupport.lookup(item, key) else { return nil }
            guard let raw = YAMLSupport.value(node).stringValue ?? { if case .scalar(let s) = node { return s.string }; return nil }() else {
                throw fail(node, "`\(key):` must be a single value")
            }
            do { return try render(raw) } catch let error as TransformError {
                throw fail(node, error.message)
            }
        }
        let source: PackageSpec.Source
        switch kind {
        case "local":
            guard let path = try text("local"), !path.isEmpty else { throw fail(item, "`local:` needs the package's folder, e.g. `local: ../shared_macros`") }
            source = .local(path: path)
        case "git":
            guard let url = try text("git"), !url.isEmpty else { throw fail(item, "`git:` needs a repository URL or path") }
            source = .git(url: url, revision: try text("revision"), subdirectory: try text("subdirectory"))
        case "package":
            guard let name = try text("package"), name.contains("/") else {
                throw fail(YAMLSupport.lookup(item, "package"), "`package:` names a hub package as owner/name, e.g. `package: dbt-labs/dbt_utils`")
            }
            guard let versionNode = YAMLSupport.lookup(item, "version") else {
                throw fail(item, "hub package '\(name)' has no `version:`; pin one or a range, e.g. `version: [\">=1.3.0\", \"<2.0.0\"]`")
            }
            let versions = YAMLSupport.value(versionNode).asList.map { $0.stringValue ?? $0.pythonString }
            for v in versions where VersionBound(v) == nil {
                throw fail(versionNode, "'\(v)' is not a version or range; write it like '1.3.0' or '>=1.3.0'")
            }
            source = .hub(package: name, versions: versions)
        default:
            guard let url = try text("tarball"), !url.isEmpty else { throw fail(item, "`tarball:` needs the archive's URL") }
            source = .tarball(url: url, name: try text("name"))
        }
        return PackageSpec(source: source, line: line, column: column, written: YAMLSupport.value(item))
    }
}

extension PackageSpec {
    /// The entry as dbt's `to_dict()` gives it: what package-lock.yml's `sha1_hash` is made of.
    var dbtDictionary: ConfigValue {
        let entry = written
        func asWritten(_ key: String) -> ConfigValue { entry.dictValue?.first(where: { $0.0 == key })?.1 ?? .null }
        switch source {
        case .local(let path):
            return .dict([("local", .string(path)), ("unrendered", written)])
        case .git(let url, let revision, let subdirectory):
            return .dict([("git", .string(url)), ("revision", revision.map(ConfigValue.string) ?? .null),
                          ("subdirectory", subdirectory.map(ConfigValue.string) ?? .null), ("unrendered", written),
                          ("warn-unpinned", asWritten("warn-unpinned"))])
        case .hub(let package, _):
            let prerelease = asWritten("install-prerelease")
            return .dict([("install_prerelease", prerelease.isNull ? .bool(false) : prerelease), ("package", .string(package)),
                          ("unrendered", written), ("version", asWritten("version"))])
        case .tarball(let url, let name):
            return .dict([("name", name.map(ConfigValue.string) ?? .null), ("tarball", .string(url)), ("unrendered", written)])
        }
    }
}

extension PackagesFile {
    /// What package-lock.yml's `sha1_hash` is the SHA-1 of: the entries' JSON (keys sorted), one
    /// per line, lines sorted — as dbt computes it, so a lock written by dbt and ours agree.
    package var lockHashInput: String {
        specs.map { pythonJSON($0.dbtDictionary.templateValue, sortKeys: true) }.sorted().joined(separator: "\n")
    }
}
