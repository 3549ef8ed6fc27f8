import ArgumentParser
import Foundation
import TransformProject

/// `storehouse compile`: renders the selected nodes' SQL into target/compiled and writes target/manifest.json.
struct CompileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile the project's SQL into target/compiled without touching the warehouse.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var selection: SelectionOptions

    func run() async throws {
        do {
            let loaded = try project.load()
            let ids = try selection.selected(in: loaded.manifest, resourceTypes: [.model, .test, .snapshot, .analysis])
            let compiler = Compiler(project: loaded, host: OfflineHost(dialect: loaded.dialect))
            let compiled: [CompiledNode]
            do { compiled = try compiler.compileAll(ids) } catch let e as TransformError { throw ProjectCommandFailure(e) }
            // dbt writes no compiled files for snapshots; their SQL still goes into the manifest.
            try compiler.write(compiled.filter { loaded.manifest.nodes[$0.uniqueId]?.resourceType != .snapshot })
            try ManifestWriter.write(loaded.manifest, compiled: compiled)
            print("Compiled \(compiled.count) node\(compiled.count == 1 ? "" : "s") into \(loaded.manifest.targetPath)/compiled/\(loaded.manifest.projectName)")
        } catch {
            throw ProjectCommandFailure.report(error)
        }
    }
}
