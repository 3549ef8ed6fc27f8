import Foundation
import TransformProject

/// Parse/compile speed: loads a dbt project and compiles every node, several times in one process,
/// and reports the median and best of loading, compiling and both. `bench/parse_vs_dbt.sh` runs it
/// beside `dbt parse` and `dbt compile` on the same project for the ratio.
///
/// `StorehouseBench parse <project-dir> [runs]`; the project comes from `bench/make_project.py`.
func parseBench(projectDir: String) async throws {
    let runs = max(1, Int(ProcessInfo.processInfo.environment["STOREHOUSE_PARSE_RUNS"] ?? "") ?? 5)
    var loadSeconds: [Double] = []
    var compileSeconds: [Double] = []
    var totalSeconds: [Double] = []
    var nodeCount = 0
    var compiledCount = 0
    for _ in 0..<runs {
        // Each run starts from the files: nothing from an earlier run is reused.
        var project: LoadedProject?
        let load = try await seconds { project = try ProjectLoader.load(LoadOptions(projectDir: projectDir)) }
        guard let project else { return }
        var compiled: [CompiledNode] = []
        let compile = try await seconds {
            compiled = try Compiler(project: project, host: OfflineHost(dialect: project.dialect)).compileAll()
        }
        nodeCount = project.manifest.nodes.count
        compiledCount = compiled.count
        loadSeconds.append(load)
        compileSeconds.append(compile)
        totalSeconds.append(load + compile)
    }
    func summary(_ values: [Double]) -> String {
        let sorted = values.sorted()
        return String(format: "median %.3f s  min %.3f s", sorted[sorted.count / 2], sorted[0])
    }
    report("parse: project", "\(projectDir) (\(nodeCount) nodes, \(compiledCount) compiled)")
    report("parse: runs", "\(runs)")
    report("parse: load (read, parse, manifest)", summary(loadSeconds))
    report("parse: compile every node", summary(compileSeconds))
    report("parse: load + compile", summary(totalSeconds))
}
