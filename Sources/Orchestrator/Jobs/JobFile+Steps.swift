import Foundation
import Yams

extension JobFile {
    /// Keys every step may have beside its kind.
    static let commonStepKeys = ["name", "retries", "timeout"]

    static var allowedKinds: String { StepKind.allCases.map(\.rawValue).joined(separator: ", ") }

    /// A step is written `- build: {select: …}` with optional `name:`, `retries:` and
    /// `timeout:` beside the kind, or as a bare kind, `- seed`.
    static func steps(_ node: Node, job: String, _ reader: JobFileReader) throws(OrchestratorError) -> [JobStep] {
        var steps: [JobStep] = []
        var names: Set<String> = []
        for item in try reader.sequence(node, "steps of job '\(job)'") {
            var step = try self.step(item, reader)
            if step.name.isEmpty {
                // Default names follow the kind, numbered from the second of a kind on.
                let kind = step.action.kind.rawValue
                var candidate = kind
                var n = 2
                while names.contains(candidate) {
                    candidate = "\(kind)-\(n)"
                    n += 1
                }
                step.name = candidate
            } else if names.contains(step.name) {
                throw reader.error(at: item, "job '\(job)' has two steps named '\(step.name)'",
                                   hint: "give each step its own name")
            }
            names.insert(step.name)
            steps.append(step)
        }
        return steps
    }

    private static func unknownKind(_ kind: String, at node: Node, _ reader: JobFileReader) -> OrchestratorError {
        reader.error(at: node, "unknown step kind '\(kind)' — allowed: \(allowedKinds)", hint: "a job file cannot run commands")
    }

    private static func step(_ node: Node, _ reader: JobFileReader) throws(OrchestratorError) -> JobStep {
        if case .scalar = node, !reader.isNull(node) {
            let text = try reader.string(node, "step")
            guard let kind = StepKind(rawValue: text) else { throw unknownKind(text, at: node, reader) }
            return JobStep(name: "", action: try action(kind, options: nil, at: node, reader), location: reader.location(of: node))
        }
        let entries = try reader.mapping(node, "a step")
        var kindEntry: JobFileReader.Entry?
        var step = JobStep(name: "", action: .seed(NodeSelection()), location: reader.location(of: node))
        for entry in entries {
            switch entry.key {
            case "name": step.name = try reader.string(entry.value, "step name")
            case "retries": step.retries = try retries(entry.value, reader)
            case "timeout": step.timeout = try reader.duration(entry.value, "timeout")
            default:
                guard StepKind(rawValue: entry.key) != nil else { throw unknownKind(entry.key, at: entry.keyNode, reader) }
                if let first = kindEntry {
                    throw reader.error(at: entry.keyNode, "a step has two kinds, '\(first.key)' and '\(entry.key)'",
                                       hint: "write them as two steps")
                }
                kindEntry = entry
            }
        }
        guard let kindEntry, let kind = StepKind(rawValue: kindEntry.key) else {
            throw reader.error(at: node, "a step has no kind — allowed: \(allowedKinds)")
        }
        step.location = reader.location(of: kindEntry.keyNode)
        step.action = try action(kind, options: kindEntry.value, at: kindEntry.keyNode, reader)
        return step
    }

    private static func action(_ kind: StepKind, options: Node?, at kindNode: Node,
                               _ reader: JobFileReader) throws(OrchestratorError) -> StepAction {
        let what = "\(kind.rawValue) step"
        func entries(_ allowed: [String]) throws(OrchestratorError) -> [JobFileReader.Entry] {
            guard let options else { return [] }
            return try reader.mapping(options, what, allowed: allowed)
        }
        func selection(_ allowed: [String]) throws(OrchestratorError) -> NodeSelection {
            var result = NodeSelection()
            for entry in try entries(allowed) {
                switch entry.key {
                case "select": result.select = try reader.strings(entry.value, "select").joined(separator: " ")
                case "exclude": result.exclude = try reader.strings(entry.value, "exclude").joined(separator: " ")
                case "vars": result.vars = try reader.vars(entry.value, "vars")
                case "full_refresh": result.fullRefresh = try reader.bool(entry.value, "full_refresh")
                default: break
                }
            }
            return result
        }
        switch kind {
        case .generate:
            var days = 1
            var seed: Int?
            for entry in try entries(["days", "seed"]) {
                if entry.key == "days" { days = try reader.int(entry.value, "days", in: 1...36_500) }
                if entry.key == "seed" { seed = try reader.int(entry.value, "seed", in: 0...Int.max) }
            }
            return .generate(days: days, seed: seed)
        case .ingest:
            // `- ingest: orders_api` or `- ingest: {connector: orders_api}`.
            if let options, case .scalar = options, !reader.isNull(options) {
                return .ingest(connector: try reader.string(options, "connector"))
            }
            guard let connector = try entries(["connector"]).first else {
                throw reader.error(at: kindNode, "ingest step names no connector", hint: "write `- ingest: {connector: NAME}`")
            }
            return .ingest(connector: try reader.string(connector.value, "connector"))
        case .seed: return .seed(try selection(["select", "exclude", "full_refresh"]))
        case .build: return .build(try selection(["select", "exclude", "vars", "full_refresh"]))
        case .run: return .run(try selection(["select", "exclude", "vars", "full_refresh"]))
        case .test: return .test(try selection(["select", "exclude", "vars"]))
        case .snapshot: return .snapshot(try selection(["select", "exclude", "vars"]))
        case .freshness:
            let select = try entries(["select"]).first
            return .freshness(select: try select.map { (e) throws(OrchestratorError) in try reader.strings(e.value, "select").joined(separator: " ") })
        case .docs:
            _ = try entries([])
            return .docs
        case .mlTrain, .mlScore:
            // `- ml_train:` (every model) or `- ml_score: {models: [churn, ltv]}`.
            var models: [String] = []
            for entry in try entries(["models"]) { models = try reader.strings(entry.value, "models") }
            return kind == .mlTrain ? .mlTrain(models: models) : .mlScore(models: models)
        case .export:
            var to: String?
            var format = ExportFormat.parquet
            var select: String?
            var partitionBy: String?
            for entry in try entries(["to", "format", "select", "partition_by"]) {
                switch entry.key {
                case "to": to = try reader.string(entry.value, "to")
                case "format":
                    let text = try reader.string(entry.value, "format")
                    guard let f = ExportFormat(rawValue: text) else {
                        throw reader.error(at: entry.value, "unknown export format '\(text)' — allowed: \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    format = f
                case "select": select = try reader.strings(entry.value, "select").joined(separator: " ")
                case "partition_by": partitionBy = try reader.string(entry.value, "partition_by")
                default: break
                }
            }
            guard let to, !to.isEmpty else {
                throw reader.error(at: kindNode, "export step has no destination", hint: "write `- export: {to: lake/}`")
            }
            return .export(to: to, format: format, select: select, partitionBy: partitionBy)
        }
    }
}
