import ArgumentParser
import Foundation
import Orchestrator
import TransformProject

/// Where a project's jobs and runs are: `jobs.yml` in the project folder, and the run store
/// beside the warehouse (`storehouse.duckdb` → `storehouse.runs.sqlite`), or in the project's
/// `target/` folder for a PostgreSQL warehouse. `--runs-db` or `$STOREHOUSE_RUNS_DB` names
/// another file.
struct RunStoreOptions: ParsableArguments {
    @Option(name: .customLong("runs-db"), help: "The run store, a SQLite file (default: $STOREHOUSE_RUNS_DB, else beside the DuckDB warehouse).")
    var runsDatabase: String?

    /// The run store's path for a loaded project.
    func path(for loaded: LoadedProject) throws -> String {
        if let runsDatabase { return runsDatabase }
        return try Self.defaultPath(for: loaded)
    }

    /// The run store's path without `--runs-db`: `$STOREHOUSE_RUNS_DB`, else beside the warehouse.
    static func defaultPath(for loaded: LoadedProject) throws -> String {
        if let named = ProcessInfo.processInfo.environment["STOREHOUSE_RUNS_DB"], !named.isEmpty { return named }
        if case .duckdb(let path, _) = try WarehouseLocation(target: loaded.manifest.target), path != ":memory:" {
            return RunStoreOptions.besideWarehouse(path)
        }
        return (loaded.manifest.projectRoot as NSString).appendingPathComponent("target/runs.sqlite")
    }

    /// `shop/storehouse.duckdb` → `shop/storehouse.runs.sqlite`.
    static func besideWarehouse(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let stem = url.pathExtension.isEmpty ? url.lastPathComponent : url.deletingPathExtension().lastPathComponent
        return url.deletingLastPathComponent().appendingPathComponent(stem + ".runs.sqlite").path
    }

    /// The run store when one exists: reading the history must not leave an empty store behind
    /// (a wrong path would then look like a project with no runs forever).
    func openExisting(for loaded: LoadedProject) throws -> (RunStore?, path: String) {
        let path = try path(for: loaded)
        guard FileManager.default.fileExists(atPath: path) else { return (nil, path) }
        do { return (try RunStore(path: path), path) } catch { throw CLIError("\(error)") }
    }

    func open(for loaded: LoadedProject) throws -> RunStore {
        let path = try path(for: loaded)
        do { return try RunStore(path: path) } catch { throw CLIError("\(error)") }
    }
}

enum JobsProject {
    static let fileName = "jobs.yml"

    /// The project's job file; a project without one has no jobs (not an error for `jobs list`).
    static func jobFile(of loaded: LoadedProject, required: Bool) throws -> JobFile {
        let path = (loaded.manifest.projectRoot as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else {
            if !required { return JobFile(path: fileName, jobs: []) }
            throw CLIError("the project at \(loaded.manifest.projectRoot) has no \(fileName)",
                           hint: "declare jobs in \(fileName) (see the bundled analytics/\(fileName))")
        }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw CLIError("cannot read \(path): \(error.localizedDescription)")
        }
        do { return try JobFile(parsing: text, path: fileName) } catch { throw CLIError("\(error)") }
    }

    /// The job of that name in the project's job file, or an error listing the jobs there are.
    static func job(named name: String, of loaded: LoadedProject) throws -> JobDefinition {
        let file = try jobFile(of: loaded, required: true)
        guard let job = file[name] else {
            throw CLIError("no job named '\(name)' in \(fileName)",
                           hint: file.jobs.isEmpty ? "declare it under `jobs:`" : "jobs: \(file.jobs.map(\.name).joined(separator: ", "))")
        }
        return job
    }

    /// Prints a CLI error and gives exit code 2, as the other commands do.
    static func fail(_ error: Error) -> ExitCode {
        let text = (error as? ProjectCommandFailure)?.description ?? "\(error)"
        FileHandle.standardError.write(Data("error: \(text)\n".utf8))
        return ExitCode(2)
    }
}
