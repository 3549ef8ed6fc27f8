import Foundation
import Ingest
import Orchestrator

/// The folders `serve`'s sandboxed DuckDB may still reach: the landing folders of the project's
/// file connectors (its ingest steps read them), the folder REST loads keep their pages in, and
/// the destinations of its jobs' export steps (they write Parquet there). Everything else stays closed to every connection, the SQL
/// explorer's included — which can therefore read those landing files too, as it can read the
/// raw tables they load into. Fixed when serve starts: a connector added later needs a restart.
enum ServeFileAccess {
    static func folders(projectRoot: String, jobs: JobFile) -> [String] {
        var folders: [String] = []
        // A connectors.yml with a mistake opens nothing; the ingest step reports the mistake.
        if let file = try? ConnectorsFile.load(projectRoot: projectRoot) {
            folders += file.files.map { LandingFiles.baseFolder(of: $0.path, relativeTo: projectRoot) }
            if file.connectors.contains(where: { if case .rest = $0 { true } else { false } }) {
                let scratch = RestConnector.scratchFolder(projectRoot: projectRoot)
                try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
                folders.append(scratch.path)
            }
        }
        for job in jobs.jobs {
            for step in job.steps {
                guard case .export(let destination, _, _, _) = step.action else { continue }
                let folder = (destination as NSString).isAbsolutePath ? destination : (projectRoot as NSString).appendingPathComponent(destination)
                try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                folders.append((folder as NSString).standardizingPath)
            }
        }
        return Array(Set(folders)).sorted().filter { $0 != "/" }
    }
}
