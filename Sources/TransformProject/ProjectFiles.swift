import Foundation
import Yams

/// What `dbt_project.yml` says.
struct ProjectSettings {
    var name: String
    var profile: String
    var modelPaths: [String]
    var seedPaths: [String]
    var testPaths: [String]
    var macroPaths: [String]
    var snapshotPaths: [String]
    var analysisPaths: [String]
    var docsPaths: [String]?
    var targetPath: String
    var vars: [(String, ConfigValue)]
    /// Config trees per resource kind (`models`, `seeds`, `snapshots`, `tests`/`data_tests`).
    var configTrees: [String: Yams.Node]
    /// Where `deps` installs packages and the loader finds them (`packages-install-path`).
    var packagesInstallPath = "dbt_packages"
    /// `dispatch:`: per macro namespace, the packages searched in order.
    var dispatch: [DispatchRule] = []
    /// `require-dbt-version:` ranges, with the line they are on.
    var requiredDbtVersions: (ranges: [String], line: Int, column: Int)?
    /// How errors name this file: `dbt_project.yml`, or a package's `dbt_packages/x/dbt_project.yml`.
    var fileLabel = "dbt_project.yml"

    static func read(projectDir: String, label: String = "dbt_project.yml") throws -> ProjectSettings {
        let file = label
        let path = (projectDir as NSString).appendingPathComponent("dbt_project.yml")
        guard let text = try ProjectText.read(path: path, file: file) else {
            throw TransformError(file: path, "no dbt_project.yml here; pass --project-dir pointing at a dbt project folder")
        }
        guard let root = try YAMLSupport.parse(text, file: file) else {
            throw TransformError(file: file, "dbt_project.yml is empty; it needs at least `name:` and `profile:`")
        }
        guard let name = YAMLSupport.string(root, "name"), !name.isEmpty else {
            throw TransformError(file: file, line: 1, "dbt_project.yml has no `name:`; add the project's name")
        }
        if !isIdentifier(name), let node = YAMLSupport.lookup(root, "name") {
            throw TransformError(file: file, line: YAMLSupport.line(node), column: node.mark?.column ?? 0,
                                 "project name '\(name)' is not a valid name: node ids, macros and schemas are built from it, so it takes letters, digits and underscores and does not start with a digit (as in dbt); rename it, e.g. '\(suggestedName(name))'")
        }
        func paths(_ key: String, _ fallback: [String]) -> [String] {
            guard let node = YAMLSupport.lookup(root, key) else { return fallback }
            return YAMLSupport.value(node).asList.compactMap(\.stringValue)
        }
        var trees: [String: Yams.Node] = [:]
        for key in ["models", "seeds", "snapshots", "tests", "data_tests", "sources", "unit_tests"] {
            if let node = YAMLSupport.lookup(root, key) { trees[key == "data_tests" ? "tests" : key] = node }
        }
        let varsNode = YAMLSupport.lookup(root, "vars")
        let vars = try varsNode.map(YAMLSupport.value).map { value -> [(String, ConfigValue)] in
            if value.isNull { return [] }
            guard let pairs = value.dictValue else {
                throw TransformError(file: file, line: varsNode.map(YAMLSupport.line) ?? 0, column: varsNode?.mark?.column ?? 0,
                                     "`vars:` must be a mapping of names to values, like `vars: {start_date: '2024-01-01'}`")
            }
            return pairs
        } ?? []
        var settings = ProjectSettings(
            name: name, profile: YAMLSupport.string(root, "profile") ?? name,
            modelPaths: paths("model-paths", paths("source-paths", ["models"])), seedPaths: paths("seed-paths", paths("data-paths", ["seeds"])),
            testPaths: paths("test-paths", ["tests"]), macroPaths: paths("macro-paths", ["macros"]),
            snapshotPaths: paths("snapshot-paths", ["snapshots"]), analysisPaths: paths("analysis-paths", ["analyses"]),
            docsPaths: YAMLSupport.lookup(root, "docs-paths").map { YAMLSupport.value($0).asList.compactMap(\.stringValue) },
            targetPath: YAMLSupport.string(root, "target-path") ?? "target", vars: vars, configTrees: trees)
        settings.fileLabel = file
        if let path = YAMLSupport.string(root, "packages-install-path"), !path.isEmpty { settings.packagesInstallPath = path }
        settings.dispatch = try DispatchRule.read(YAMLSupport.lookup(root, "dispatch"), file: file)
        if let node = YAMLSupport.lookup(root, "require-dbt-version") {
            let value = YAMLSupport.value(node)
            let ranges = value.asList.compactMap(\.stringValue)
            settings.requiredDbtVersions = (ranges, YAMLSupport.line(node), node.mark?.column ?? 0)
        }
        return settings
    }

    /// dbt's rule for a project name: a Python identifier (`^[^\d\W]\w*$`).
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || CharacterSet.alphanumerics.contains($0) }
    }

    static func suggestedName(_ name: String) -> String {
        var out = String(name.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? Character($0) : "_" })
        if out.first?.isNumber == true { out = "_" + out }
        return out
    }

    /// Configs from the project tree for a node at `fqn` (project name first), folder by folder,
    /// deeper folders winning; both `+key` and plain keys count as configs where dbt accepts them.
    /// Returns the deepest level of the tree reached, nil when the walk left the tree before the
    /// end of `fqn`, so a caller can continue the walk below `fqn` later.
    @discardableResult
    func folderConfig<Path: Collection<String>>(kind: String, fqn: Path, into config: inout NodeConfig) throws -> Yams.Node? {
        guard let tree = configTrees[kind] else { return nil }
        var level: Yams.Node? = tree
        try apply(level, into: &config)
        for part in fqn {
            level = YAMLSupport.lookup(level, part)
            guard level != nil else { return nil }
            try apply(level, into: &config)
        }
        return level
    }

    /// Folder names are sub-trees (mappings) without a `+`; everything else is a config.
    func apply(_ node: Yams.Node?, into config: inout NodeConfig) throws {
        for (key, child) in YAMLSupport.entries(node) {
            let isPlus = key.hasPrefix("+")
            let name = isPlus ? String(key.dropFirst()) : key
            if !isPlus, case .mapping = child, !["meta", "column_types", "docs", "persist_docs", "grants", "quoting", "contract"].contains(name) {
                continue
            }
            let value = YAMLSupport.value(child)
            if let problem = NodeConfig.typeProblem(key: name, value: value) {
                throw TransformError(file: "dbt_project.yml", line: YAMLSupport.line(child), column: child.mark?.column ?? 0, problem)
            }
            config.apply(name, value)
        }
    }

    static let knownConfigKeys: Set<String> = [
        "materialized", "schema", "alias", "database", "tags", "enabled", "unique_key", "incremental_strategy",
        "on_schema_change", "pre-hook", "post-hook", "pre_hook", "post_hook", "full_refresh", "severity", "warn_if",
        "error_if", "where", "limit", "store_failures", "column_types", "strategy", "updated_at", "check_cols",
        "invalidate_hard_deletes", "target_schema", "target_database", "meta", "docs", "persist_docs", "quote_columns",
    ]
}

/// Reads `profiles.yml` and picks the target.
enum ProfileReader {
    static func read(profileName: String, options: LoadOptions, renderString: (String, String) throws -> String) throws -> TargetProfile {
        var candidates: [String] = []
        if let dir = options.profilesDir {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isFolder) else {
                throw TransformError("--profiles-dir \(dir) does not exist; pass the folder that holds profiles.yml")
            }
            guard isFolder.boolValue else {
                throw TransformError("--profiles-dir \(dir) is a file, not a folder; pass the folder that holds profiles.yml")
            }
            candidates.append(dir)
        }
        if let dir = options.environment["DBT_PROFILES_DIR"], options.profilesDir == nil { candidates.append(dir) }
        candidates.append(options.projectDir)
        candidates.append((options.homeDirectory as NSString).appendingPathComponent(".dbt"))
        var found: (String, String)?
        for dir in candidates {
            let path = (dir as NSString).appendingPathComponent("profiles.yml")
            if let text = try ProjectText.read(path: path, file: path) { found = (path, text); break }
        }
        guard let (path, text) = found else {
            throw TransformError("no profiles.yml found in \(candidates.joined(separator: ", ")); create one or pass --profiles-dir")
        }
        guard let root = try YAMLSupport.parse(text, file: path), let profile = YAMLSupport.lookup(root, profileName) else {
            throw TransformError(file: path, "profile '\(profileName)' (named in dbt_project.yml) is not in profiles.yml; add it or fix `profile:`")
        }
        let outputs = YAMLSupport.lookup(profile, "outputs")
        let targetName = try options.target ?? YAMLSupport.string(profile, "target").map { try renderString($0, path) } ?? "default"
        guard let output = YAMLSupport.lookup(outputs, targetName) else {
            let names = YAMLSupport.entries(outputs).map(\.0).joined(separator: ", ")
            throw TransformError(file: path, "target '\(targetName)' is not among the outputs of profile '\(profileName)' (\(names)); pass --target with one of them")
        }
        var settings: [(String, ConfigValue)] = []
        for (key, node) in YAMLSupport.entries(output) {
            var value = YAMLSupport.value(node)
            if case .string(let s) = value, s.contains("{") {
                let rendered = try renderString(s, path)
                value = YAMLSupport.value((try? Yams.compose(yaml: rendered)).flatMap { $0 } ?? .scalar(.init(rendered)))
                if case .string = YAMLSupport.value(.scalar(.init(rendered))) { value = .string(rendered) }
            }
            settings.append((key, value))
        }
        func setting(_ key: String) -> ConfigValue? { settings.first(where: { $0.0 == key })?.1 }
        guard let type = setting("type")?.stringValue else {
            throw TransformError(file: path, line: YAMLSupport.line(output), "output '\(targetName)' has no `type:`; set it to duckdb or postgres")
        }
        let database: String
        let schema: String
        if type == "duckdb" {
            let dbPath = setting("path")?.stringValue ?? ":memory:"
            if let db = setting("database")?.stringValue { database = db }
            else if dbPath == ":memory:" || dbPath.isEmpty { database = "memory" }
            else { database = ((dbPath as NSString).lastPathComponent as NSString).deletingPathExtension }
            schema = setting("schema")?.stringValue ?? "main"
        } else {
            database = setting("dbname")?.stringValue ?? setting("database")?.stringValue ?? ""
            schema = setting("schema")?.stringValue ?? "public"
        }
        let threads = try threadCount(setting("threads"), node: YAMLSupport.lookup(output, "threads"), file: path)
        return TargetProfile(name: targetName, type: type, database: database, schema: schema, threads: threads, settings: settings)
    }
}

extension ProfileReader {
    /// `threads:` must be a whole number of at least 1; dbt refuses anything else too.
    static func threadCount(_ value: ConfigValue?, node: Yams.Node?, file: String) throws -> Int {
        guard let value else { return 1 }
        if let count = value.intValue, count >= 1 { return count }
        if case .string(let text) = value, let count = Int(text.trimmingCharacters(in: .whitespaces)), count >= 1 { return count }
        throw TransformError(file: file, line: node.map(YAMLSupport.line) ?? 0, column: node?.mark?.column ?? 0,
                             "`threads: \(value.pythonString)` is not a number of threads; give a whole number of at least 1, e.g. `threads: 4`")
    }
}

/// Finds a project's files: a sorted list of project-relative paths per folder set.
///
/// Walks with `readdir` rather than `FileManager`'s enumerator, which costs tens of milliseconds
/// on a thousand-file project; a `FileScanner` instance walks each folder once however many
/// extensions are asked for. Like dbt (`os.walk(followlinks=True)`), symlinked folders are
/// followed; names starting with a dot are skipped, files and folders alike.
final class FileScanner {
    private let projectDir: String
    /// Files under each walked root, relative to that root.
    private var walked: [String: [String]] = [:]

    init(projectDir: String) { self.projectDir = projectDir }

    static func files(under roots: [String], projectDir: String, extensions: Set<String>) -> [String] {
        FileScanner(projectDir: projectDir).files(under: roots, extensions: extensions)
    }

    func files(under roots: [String], extensions: Set<String>) -> [String] {
        var result: [String] = []
        for root in roots {
            for rel in filesBelow(root) where extensions.contains(FileScanner.lowercasedExtension(rel)) {
                result.append(root == "." ? rel : "\(root)/\(rel)")
            }
        }
        return result.sorted()
    }

    private func filesBelow(_ root: String) -> [String] {
        if let done = walked[root] { return done }
        var found: [String] = []
        var openFolders: Set<String> = []
        FileScanner.walk(directory: (projectDir as NSString).appendingPathComponent(root), relative: "", into: &found, visited: &openFolders)
        walked[root] = found
        return found
    }

    private static func walk(directory: String, relative: String, into found: inout [String], visited: inout Set<String>) {
        // A symlink loop would otherwise recurse forever: a folder already open further up this
        // path (by real path) is not entered again. A folder reachable twice without a loop is
        // listed under both paths, as os.walk(followlinks=True) lists it for dbt.
        guard let real = realpath(directory, nil) else { return }
        let realPath = String(cString: real)
        free(real)
        guard visited.insert(realPath).inserted, let dir = opendir(directory) else { return }
        defer { closedir(dir); visited.remove(realPath) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name.utf8.first == UInt8(ascii: ".") { continue }
            let path = directory + "/" + name
            let rel = relative.isEmpty ? name : relative + "/" + name
            var isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
            if entry.pointee.d_type == UInt8(DT_LNK) || entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                var info = stat()
                guard stat(path, &info) == 0 else { continue }
                isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
            }
            if isDirectory { walk(directory: path, relative: rel, into: &found, visited: &visited) } else { found.append(rel) }
        }
    }

    /// `marts/orders.SQL` → `sql`; no extension → empty.
    static func lowercasedExtension(_ path: String) -> String {
        let utf8 = path.utf8
        guard let dot = utf8.lastIndex(of: UInt8(ascii: ".")) else { return "" }
        if let slash = utf8.lastIndex(of: UInt8(ascii: "/")), slash > dot { return "" }
        // A leading dot names a hidden file, not an extension (`.sql` has none), as NSString reads it.
        if dot == utf8.startIndex || utf8[utf8.index(before: dot)] == UInt8(ascii: "/") { return "" }
        return String(path[path.index(after: dot)...]).lowercased()
    }
}

/// dbt's lower-case hex checksums.
package enum Digest {
    static func sha256(_ text: String) -> String { hex(SHA256.hash(Array(text.utf8))) }
    static func md5(_ text: String) -> String { hex(MD5.hash(Array(text.utf8))) }
    package static func hex(_ bytes: [UInt8]) -> String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
            digits.withUTF8Buffer { digit in
                for (i, b) in bytes.enumerated() {
                    buffer[2 * i] = digit[Int(b >> 4)]
                    buffer[2 * i + 1] = digit[Int(b & 15)]
                }
            }
            return bytes.count * 2
        }
    }
}
