import Foundation
import Yams

extension JobFile {
    /// Every trigger must name a job of the file, and chains must not loop: a cycle of
    /// `on_success` triggers would run forever once any of its jobs succeeds.
    static func checkTriggers(jobs: [JobDefinition], triggerNodes: [String: [(String, Node)]],
                              _ reader: JobFileReader) throws(OrchestratorError) {
        let names = Set(jobs.map(\.name))
        for job in jobs {
            for (target, node) in triggerNodes[job.name] ?? [] where !names.contains(target) {
                throw reader.error(at: node, "job '\(job.name)' triggers unknown job '\(target)'",
                                   hint: "known jobs: \(jobs.map(\.name).joined(separator: ", "))")
            }
        }
        // Depth-first search in file order, so the same file always reports the same cycle.
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var path: [String] = []
        func visit(_ name: String) throws(OrchestratorError) {
            marks[name] = .visiting
            path.append(name)
            for (target, node) in triggerNodes[name] ?? [] {
                switch marks[target] {
                case .visiting?:
                    let cycle = path[path.lastIndex(of: target)!...] + [target]
                    throw reader.error(at: node, "job chain forms a cycle: \(cycle.joined(separator: " → "))",
                                       hint: "remove one of these triggers")
                case .done?: continue
                case nil: try visit(target)
                }
            }
            path.removeLast()
            marks[name] = .done
        }
        for job in jobs where marks[job.name] == nil { try visit(job.name) }
    }
}
