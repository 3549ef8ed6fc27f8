import ArgumentParser
import Foundation
import TransformProject

/// Where the dbt-layout project is and which profile target to use; shared by every project command.
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: "The project folder (holds dbt_project.yml).")
    var projectDir: String = "."

    @Option(name: .long, help: "Folder with profiles.yml (default: the project folder, then ~/.dbt).")
    var profilesDir: String?

    @Option(name: .long, help: "Profile target to use (default: the profile's `target:`).")
    var target: String?

    @Option(name: .long, help: "YAML or JSON mapping overriding project vars, e.g. '{start_date: 2024-01-01}'.")
    var vars: String?

    var loadOptions: LoadOptions {
        LoadOptions(projectDir: projectDir, profilesDir: profilesDir, target: target, vars: vars)
    }

    /// Loads the project, turning a load error into exit code 2 with one message on stderr.
    /// `command` is the verb templates see as `flags.WHICH`.
    func load(command: String = "compile") throws -> LoadedProject {
        let project: LoadedProject
        var options = loadOptions
        options.command = command
        do { project = try ProjectLoader.load(options) } catch let e as TransformError { throw ProjectCommandFailure(e) }
        for warning in project.warnings { FileHandle.standardError.write(Data((warning.description + "\n").utf8)) }
        if let problem = Self.unwritableTarget(project.manifest) { throw ProjectCommandFailure(problem) }
        return project
    }

    /// Artifacts (manifest.json, run_results.json, compiled SQL) go to the target folder: a
    /// target that cannot be written is said before anything runs, not after the models ran.
    static func unwritableTarget(_ manifest: Manifest) -> TransformError? {
        let folder = (manifest.targetPath as NSString).isAbsolutePath ? manifest.targetPath
            : (manifest.projectRoot as NSString).appendingPathComponent(manifest.targetPath)
        var isFolder: ObjCBool = false
        let fix = "move it away or set another `target-path:` in dbt_project.yml"
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) {
            if !isFolder.boolValue { return TransformError(file: "dbt_project.yml", "the target path \(folder) is a file, not a folder, so no artifact could be written; \(fix)") }
            if access(folder, W_OK) != 0 { return TransformError(file: "dbt_project.yml", "the target folder \(folder) is not writable; make it writable or \(fix)") }
            return nil
        }
        let parent = (folder as NSString).deletingLastPathComponent
        if access(parent.isEmpty ? "." : parent, W_OK) != 0 {
            return TransformError(file: "dbt_project.yml", "the target folder \(folder) cannot be created: \(parent) is not writable; make it writable or set another `target-path:` in dbt_project.yml")
        }
        return nil
    }
}

/// Which nodes a command acts on, in dbt's selection syntax.
struct SelectionOptions: ParsableArguments {
    @Option(name: [.short, .long], parsing: .upToNextOption, help: "Nodes to include: names, +/@ graph operators, tag:, path:, config.<key>:, state:, result:.")
    var select: [String] = []

    @Option(name: .long, parsing: .upToNextOption, help: "Nodes to leave out, in the same syntax as --select.")
    var exclude: [String] = []

    @Option(name: .long, help: "Folder with a previous run's manifest.json/run_results.json, for state: and result: selectors.")
    var state: String?

    /// The selected unique ids.
    func selected(in manifest: Manifest, resourceTypes: Set<ResourceType>? = nil,
                  columnImpact: ((String, Bool) throws -> Set<String>)? = nil) throws -> [String] {
        do {
            let previous = try state.map { try SelectionState.read(directory: $0) } ?? SelectionState()
            var selector = try Selector(manifest: manifest, state: previous)
            selector.columnImpact = columnImpact
            return try selector.select(select, exclude: exclude, resourceTypes: resourceTypes)
        } catch let e as TransformError { throw ProjectCommandFailure(e) }
    }

    /// Whether a criterion selects by column lineage (`column:…`).
    var usesColumns: Bool { (select + exclude).contains { $0.contains("column:") } }
}

/// A project error reported as one clear message on stderr with exit code 2.
struct ProjectCommandFailure: Error, CustomStringConvertible {
    let error: TransformError
    init(_ error: TransformError) { self.error = error }
    var description: String { error.description }

    /// Prints the message and gives the exit code to throw.
    static func report(_ error: Error) -> ExitCode {
        var text = (error as? ProjectCommandFailure)?.description ?? (error as? TransformError)?.description ?? "\(error)"
        if !text.hasPrefix("error:"), !(text.split(separator: "\n").first ?? "").contains(": error:") { text = "error: " + text }
        FileHandle.standardError.write(Data((text + "\n").utf8))
        return ExitCode(2)
    }
}
