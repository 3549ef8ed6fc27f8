import ArgumentParser
import Foundation
import TransformProject
import TransformRuntime

/// `storehouse docs generate`: dbt's command group for the project's documentation.
struct DocsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "The project's documentation artifacts.",
        subcommands: [DocsGenerateCommand.self])
}

struct DocsGenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Compile the project and describe what the warehouse holds for it: writes target/manifest.json and target/catalog.json (dbt's shapes).")

    @OptionGroup var project: ProjectOptions

    @Flag(name: .customLong("no-compile"), help: "Write only catalog.json, leaving manifest.json and target/compiled as they are.")
    var noCompile = false

    func run() async throws {
        let started = Date()
        let loaded: LoadedProject
        do { loaded = try project.load() } catch { throw ProjectCommandFailure.report(error) }
        let manifest = loaded.manifest
        if let server = ServerHandOff.runningServer(for: loaded) {
            throw ProjectCommandFailure.report(CLIError(
                "storehouse serve (pid \(server.pid), \(server.url)) owns the warehouse, so its catalog cannot be read from here",
                hint: "the served docs read the warehouse themselves; stop the server to write target/catalog.json"))
        }
        do {
            if !noCompile {
                let ids = manifest.nodes.values.filter { [.model, .test, .snapshot, .analysis].contains($0.resourceType) }.map(\.uniqueId)
                let compiler = Compiler(project: loaded, host: OfflineHost(dialect: loaded.dialect))
                let compiled = try compiler.compileAll(ids)
                try compiler.write(compiled.filter { manifest.nodes[$0.uniqueId]?.resourceType != .snapshot })
                try ManifestWriter.write(manifest, compiled: compiled)
            }
            let location = try WarehouseLocation(target: manifest.target)
            let warehouse = try await location.open(forUntrustedReads: true)
            let relations: [CatalogRelation]
            do { relations = try await WarehouseCatalog.relations(in: CatalogArtifact.schemas(of: manifest), of: warehouse) } catch {
                await warehouse.close()
                throw error
            }
            await warehouse.close()
            let document = CatalogArtifact.jsonObject(manifest, relations: relations, invocationStartedAt: started)
            let target = (manifest.projectRoot as NSString).appendingPathComponent(manifest.targetPath)
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            let path = (target as NSString).appendingPathComponent("catalog.json")
            try Data(JSONText.encode(document)).write(to: URL(fileURLWithPath: path), options: .atomic)
            let nodes = (document["nodes"] as? [String: Any])?.count ?? 0, sources = (document["sources"] as? [String: Any])?.count ?? 0
            let expected = manifest.nodes.values.filter { CatalogArtifact.describedTypes.contains($0.resourceType) && $0.config.materialized != "ephemeral" }.count
            print("Catalog written to \(manifest.targetPath)/catalog.json: \(nodes) of \(expected) nodes and \(sources) of \(manifest.sources.count) sources found in the warehouse")
            if nodes < expected {
                print("Nodes not in the warehouse are left out (not built yet?); `storehouse build` builds them.")
            }
        } catch {
            throw ProjectCommandFailure.report(error)
        }
    }
}
