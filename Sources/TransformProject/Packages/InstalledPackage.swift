import Foundation

/// A dbt package placed in the project's `packages-install-path` (`dbt_packages/` by default),
/// by `storehouse deps` or `dbt deps`: its folder and its own dbt_project.yml.
struct InstalledPackage {
    /// Absolute folder of the package.
    var directory: String
    /// The folder relative to the root project, as errors name its files (`dbt_packages/dbt_utils`).
    var relativeDirectory: String
    var settings: ProjectSettings

    var name: String { settings.name }

    /// Every folder under the install path holding a dbt_project.yml, sorted by folder name.
    /// A package whose `require-dbt-version` excludes this engine's dbt version is an error, as in
    /// dbt; so is a project that lists packages none of which is installed.
    static func discover(root: String, settings: ProjectSettings) throws -> [InstalledPackage] {
        let installPath = settings.packagesInstallPath
        let folder = installPath.hasPrefix("/") ? installPath : (root as NSString).appendingPathComponent(installPath)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        var found: [InstalledPackage] = []
        var byName: [String: String] = [:]
        for entry in names {
            let directory = (folder as NSString).appendingPathComponent(entry)
            let relative = (installPath as NSString).appendingPathComponent(entry)
            guard FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("dbt_project.yml")) else { continue }
            let packageSettings = try ProjectSettings.read(projectDir: directory, label: "\(relative)/dbt_project.yml")
            if let other = byName[packageSettings.name] {
                throw TransformError(file: "\(relative)/dbt_project.yml", "package '\(packageSettings.name)' is installed twice, in \(other) and \(relative); remove one and run `storehouse deps`")
            }
            if packageSettings.name == settings.name {
                throw TransformError(file: "\(relative)/dbt_project.yml", "package '\(packageSettings.name)' has the project's own name; a package cannot be the project itself — remove \(relative) or rename the project")
            }
            byName[packageSettings.name] = relative
            try checkVersion(packageSettings)
            found.append(InstalledPackage(directory: directory, relativeDirectory: relative, settings: packageSettings))
        }
        return found
    }

    /// dbt refuses to load a package that requires another dbt version; so do we, naming the bounds.
    static func checkVersion(_ settings: ProjectSettings) throws {
        guard let required = settings.requiredDbtVersions else { return }
        let unmet: [String]
        do { unmet = try DbtCompatibility.unmet(required.ranges) } catch let error as TransformError {
            throw TransformError(file: settings.fileLabel, line: required.line, column: required.column, "require-dbt-version: \(error.message)")
        }
        guard !unmet.isEmpty else { return }
        throw TransformError(file: settings.fileLabel, line: required.line, column: required.column,
                             "package '\(settings.name)' requires dbt \(required.ranges.joined(separator: ", ")), and this engine is dbt \(DbtCompatibility.version)-compatible (\(unmet.joined(separator: ", ")) not met); install a version of the package that supports dbt \(DbtCompatibility.version)")
    }
}
