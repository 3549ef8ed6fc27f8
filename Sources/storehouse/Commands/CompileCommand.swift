import ArgumentParser
import Foundation
import TransformProject
import TransformRuntime
import WarehouseDuckDB
import WarehouseKit

/// `storehouse compile`: renders the selected nodes' SQL into target/compiled and writes target/manifest.json.
///
/// As dbt's compile, it reads the warehouse when there is one (`execute` is true, `run_query` and
/// `statement` blocks return rows, `is_incremental()` sees existing tables) and never writes to
/// it: a DuckDB file is opened read-only. Without a warehouse (no file yet, a server out of
/// reach) it compiles offline and says so.
struct CompileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile the project's SQL into target/compiled; reads the warehouse when there is one, never writes to it.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var selection: SelectionOptions

    func run() async throws {
        do {
            let loaded = try project.load(command: "compile")
            let ids = try selection.selected(in: loaded.manifest, resourceTypes: [.model, .test, .snapshot, .analysis])
            let (host, warehouse) = await Self.host(for: loaded)
            let compiler = Compiler(project: loaded, host: host)
            let compiled: [CompiledNode]
            do {
                // Off the cooperative pool: a live host's run_query waits on the warehouse.
                let handOver = CompilerHandOver(compiler)
                compiled = try await withCheckedThrowingContinuation { continuation in
                    DispatchQueue.global().async { continuation.resume(with: Result { try handOver.compiler.compileAll(ids) }) }
                }
            } catch let e as TransformError {
                await warehouse?.close()
                throw ProjectCommandFailure(e)
            }
            await warehouse?.close()
            // dbt writes no compiled files for snapshots; their SQL still goes into the manifest.
            try compiler.write(compiled.filter { loaded.manifest.nodes[$0.uniqueId]?.resourceType != .snapshot })
            try ManifestWriter.write(loaded.manifest, compiled: compiled)
            print("Compiled \(compiled.count) node\(compiled.count == 1 ? "" : "s") into \(loaded.manifest.targetPath)/compiled/\(loaded.manifest.projectName)")
        } catch {
            throw ProjectCommandFailure.report(error)
        }
    }

    /// The warehouse the profile names, read-only, when it can be reached; otherwise an offline
    /// host (with a warning when a warehouse was expected but could not be opened).
    static func host(for loaded: LoadedProject) async -> (any CompilationHost, (any Warehouse)?) {
        let offline = OfflineHost(dialect: loaded.dialect)
        guard let location = try? WarehouseLocation(target: loaded.manifest.target) else { return (offline, nil) }
        let warehouse: any Warehouse
        do {
            switch location {
            case .duckdb(let path, let settings):
                // No file yet: nothing to read, and a compile must not create one.
                guard path != ":memory:", FileManager.default.fileExists(atPath: path) else {
                    if path != ":memory:" {
                        FileHandle.standardError.write(Data("note: no warehouse at \(path) yet, so this compile reads none (run_query returns no rows); build once to compile against it\n".utf8))
                    }
                    return (offline, nil)
                }
                warehouse = try DuckDBWarehouse(path: path, readOnly: true, settings: settings)
            case .postgres, .spark:
                warehouse = try await location.open()
            }
            let host = LiveHost(warehouse: warehouse, command: "compile")
            try await host.refreshExistingRelations()
            return (host, warehouse)
        } catch {
            FileHandle.standardError.write(Data("warning: compiling without the warehouse (\(location)): \(error); run_query returns no rows and is_incremental() is false\n".utf8))
            return (offline, nil)
        }
    }
}

/// The compiler handed to the one thread that compiles while this task waits for it.
private final class CompilerHandOver: @unchecked Sendable {
    let compiler: Compiler
    init(_ compiler: Compiler) { self.compiler = compiler }
}
