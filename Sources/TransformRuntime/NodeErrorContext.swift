import Foundation
import TransformProject
import WarehouseKit

/// What a user needs beside the engine's message when a node fails: the line of the model file
/// the engine's `LINE n` (a line of the compiled statement) comes from, and for a test, the
/// parent that was never built, since "table d does not exist" really means "model d failed".
enum NodeErrorContext {
    /// The 1-based line of `source` holding the statement line the engine names, when exactly
    /// that text appears in the file (Jinja can change a line; then there is no honest mapping).
    static func sourceLine(for error: WarehouseError, source: String) -> (statementLine: Int, sourceLine: Int)? {
        guard let sql = error.sql, let range = error.message.range(of: #"LINE \d+:"#, options: .regularExpression),
              let number = Int(error.message[range].dropFirst(5).dropLast()) else { return nil }
        let statement = sql.split(separator: "\n", omittingEmptySubsequences: false)
        guard statement.indices.contains(number - 1) else { return nil }
        let wanted = statement[number - 1].trimmingCharacters(in: .whitespaces)
        guard !wanted.isEmpty else { return nil }
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let matches = lines.indices.filter { lines[$0].trimmingCharacters(in: .whitespaces) == wanted }
        guard let first = matches.first else { return nil }
        return (number, first + 1)
    }

    /// A test's parents (models, seeds, snapshots) whose relations are not in the warehouse.
    static func unbuiltParents(of node: Node, in manifest: Manifest, exists: (QualifiedRelation) -> Bool) -> [Node] {
        node.dependsOnNodes.compactMap { manifest.nodes[$0] }.filter { parent in
            guard let relation = parent.relation, !parent.isEphemeral else { return false }
            return !exists(relation)
        }
    }

    /// The message of a node that failed with `error`.
    static func message(for error: any Error, node: Node, manifest: Manifest, exists: (QualifiedRelation) -> Bool) -> String {
        var lead: [String] = []
        if let warehouseError = error as? WarehouseError {
            if warehouseError.message.contains("No space left on device") || warehouseError.message.contains("File too large") {
                lead.append("the warehouse's disk is full (or a file size limit was reached): free space and build again; what was built before is unchanged, since each node replaces its relation only when it succeeds")
            }
            if node.resourceType == .test {
                for parent in unbuiltParents(of: node, in: manifest, exists: exists) {
                    lead.append("the \(parent.resourceType.rawValue) \(parent.name) this test checks is not in the warehouse (never built, or its build failed); fix and build it first: storehouse build --select \(parent.name)")
                }
            }
            if node.resourceType != .test || node.testMetadata == nil {
                let path = (manifest.projectRoot as NSString).appendingPathComponent(node.originalFilePath)
                if let source = try? ProjectText.read(path: path, file: node.originalFilePath),
                   let (statementLine, sourceLine) = sourceLine(for: warehouseError, source: source) {
                    lead.append("\(node.originalFilePath):\(sourceLine): the statement's LINE \(statementLine) comes from this line of the \(node.resourceType.rawValue)'s file")
                }
            }
        }
        return (lead + ["\(error)"]).joined(separator: "\n")
    }
}
