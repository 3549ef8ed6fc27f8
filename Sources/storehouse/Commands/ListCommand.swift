import ArgumentParser
import Foundation
import SemanticLayer
import Synchronization
import TransformProject
import TransformRuntime

/// `storehouse ls`: prints the selected resources, one per line, as dbt ls does.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List the project's resources that a selection picks.")

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case name, path, json, selector
    }

    @OptionGroup var project: ProjectOptions
    @OptionGroup var selection: SelectionOptions

    @Option(name: .long, help: "How to print each resource (name, path, json, selector).")
    var output: OutputFormat = .selector

    @Option(name: .long, parsing: .upToNextOption, help: "Only these resource types (model, seed, snapshot, test, source, exposure, analysis).")
    var resourceType: [String] = []

    func validate() throws {
        for type in resourceType where ResourceType(rawValue: type) == nil {
            throw ValidationError("unknown resource type '\(type)'; use one of \(ResourceType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        do {
            let loaded = try project.load()
            let types = resourceType.isEmpty ? nil : Set(resourceType.compactMap(ResourceType.init(rawValue:)))
            let lineage = selection.usesColumns ? try await LineageCommand.compute(loaded) : nil
            let affected = Mutex<[String: Set<String>]>([:])
            let ids = try selection.selected(in: loaded.manifest, resourceTypes: types, columnImpact: lineage.map { lineage in
                { text, downstream in
                    let columns = try ListCommand.impact(of: text, downstream: downstream, in: lineage)
                    affected.withLock { all in all.merge(columns) { $0.union($1) } }
                    return Set(columns.keys.compactMap { lineage.nodes[$0] })
                }
            })
            for id in ids {
                guard let node = loaded.manifest.resource(id) else { continue }
                print(line(for: node))
            }
            // The metrics that read an affected column, when the project defines any.
            let columns = affected.withLock { $0 }
            if !columns.isEmpty, resourceType.isEmpty, let semantic = try? SemanticManifest.load(from: loaded) {
                for metric in semantic.metrics(reading: columns) {
                    print(output == .selector ? "metric:\(loaded.manifest.projectName).\(metric)" : metric)
                }
            }
        } catch {
            throw ProjectCommandFailure.report(error)
        }
    }

    /// The nodes a column's change touches: the one that has it and, downstream, every one
    /// with a column built from it.
    /// The columns a change to `text` touches, by relation: the column itself and, downstream,
    /// every column built from it.
    static func impact(of text: String, downstream: Bool, in lineage: ProjectLineage) throws -> [String: Set<String>] {
        guard let column = lineage.column(named: text) else {
            throw TransformError("column:\(text) names no column of the project's models, seeds, snapshots and sources; write it as schema.relation.column (storehouse lineage lists what is traced)")
        }
        return downstream ? lineage.affectedColumns(by: column) : [column.relation: [column.column]]
    }

    func line(for node: Node) -> String {
        switch output {
        case .selector:
            if node.resourceType == .source { return "source:" + node.fqn.joined(separator: ".") }
            if node.resourceType == .exposure { return "exposure:" + node.fqn.joined(separator: ".") }
            return node.fqn.joined(separator: ".")
        case .name: return node.name
        case .path: return node.originalFilePath
        case .json:
            let object: [String: Any] = [
                "name": node.name, "resource_type": node.resourceType.rawValue, "package_name": node.packageName,
                "original_file_path": node.originalFilePath, "unique_id": node.uniqueId,
                "alias": node.relation?.identifier ?? node.name, "config": ConfigValue.dict(node.config.entries).jsonObject,
            ]
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }
}
