import Foundation
import Yams

/// Reads typed values out of a job file's YAML nodes, with errors placed at the node at fault.
///
/// Scalars are composed with Yams's basic resolver (everything a string) and typed here, so a
/// wrong type gets our message with file:line:col rather than a decoding error without one.
struct JobFileReader {
    let file: String

    /// One `key: value` of a mapping, with the key's node for positions.
    struct Entry {
        var key: String
        var keyNode: Node
        var value: Node
    }

    func error(at node: Node?, _ message: String, hint: String = "") -> OrchestratorError {
        OrchestratorError(file: file, line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0, message, hint: hint)
    }

    func location(of node: Node) -> JobFileLocation {
        JobFileLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    /// Runs `body`, placing an error it throws without a position at `node`.
    func at<T>(_ node: Node, _ body: () throws(OrchestratorError) -> T) throws(OrchestratorError) -> T {
        do {
            return try body()
        } catch {
            guard error.file.isEmpty else { throw error }
            throw error.located(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
        }
    }

    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let s) = node, s.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    /// The entries of a mapping (a null counts as an empty one), refusing keys not in `allowed`.
    func mapping(_ node: Node, _ what: String, allowed: [String]? = nil) throws(OrchestratorError) -> [Entry] {
        if isNull(node) { return [] }
        guard case .mapping(let map) = node else {
            throw error(at: node, "\(what) must be a mapping of keys to values")
        }
        var entries: [Entry] = []
        for (key, value) in map {
            guard case .scalar(let k) = key else { throw error(at: key, "keys of \(what) must be plain names") }
            if let allowed, !allowed.contains(k.string) {
                throw error(at: key, "unknown key '\(k.string)' in \(what) — allowed: \(allowed.joined(separator: ", "))")
            }
            entries.append(Entry(key: k.string, keyNode: key, value: value))
        }
        return entries
    }

    func sequence(_ node: Node, _ what: String) throws(OrchestratorError) -> [Node] {
        if isNull(node) { return [] }
        guard case .sequence(let seq) = node else { throw error(at: node, "\(what) must be a list") }
        return Array(seq)
    }

    func string(_ node: Node, _ what: String) throws(OrchestratorError) -> String {
        guard case .scalar(let s) = node, !isNull(node) else { throw error(at: node, "\(what) must be a text value") }
        return s.string
    }

    func int(_ node: Node, _ what: String, in range: ClosedRange<Int>) throws(OrchestratorError) -> Int {
        guard case .scalar(let s) = node, let n = Int(s.string) else {
            throw error(at: node, "\(what) must be a whole number")
        }
        guard range.contains(n) else {
            let upper = range.upperBound == .max ? "" : "\(range.upperBound)"
            throw error(at: node, "\(what) \(n) is out of range \(range.lowerBound)-\(upper)")
        }
        return n
    }

    func double(_ node: Node, _ what: String, in range: ClosedRange<Double>) throws(OrchestratorError) -> Double {
        guard case .scalar(let s) = node, let n = Double(s.string) else {
            throw error(at: node, "\(what) must be a number")
        }
        guard range.contains(n) else {
            throw error(at: node, "\(what) \(s.string) is out of range \(range.lowerBound.formatted())-\(range.upperBound.formatted())")
        }
        return n
    }

    func bool(_ node: Node, _ what: String) throws(OrchestratorError) -> Bool {
        if case .scalar(let s) = node {
            switch s.string {
            case "true", "True", "TRUE", "yes", "Yes", "on", "On": return true
            case "false", "False", "FALSE", "no", "No", "off", "Off": return false
            default: break
            }
        }
        throw error(at: node, "\(what) must be true or false")
    }

    /// A duration such as `30s` or `1h30m`; `positive` refuses zero.
    func duration(_ node: Node, _ what: String, positive: Bool = true) throws(OrchestratorError) -> TimeInterval {
        let text = try string(node, what)
        let seconds = try at(node) { () throws(OrchestratorError) in try JobDuration.parse(text) }
        if positive && seconds <= 0 { throw error(at: node, "\(what) must be longer than 0s") }
        return seconds
    }

    /// A list of texts; a single text counts as a list of one.
    func strings(_ node: Node, _ what: String) throws(OrchestratorError) -> [String] {
        if case .scalar = node, !isNull(node) { return [try string(node, what)] }
        var result: [String] = []
        for item in try sequence(node, what) { result.append(try string(item, "each entry of \(what)")) }
        return result
    }

    /// A value typed as YAML 1.1 types it.
    func value(_ node: Node) -> JobValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain { return .string(scalar.string) }
            if isNull(node) { return .null }
            let s = scalar.string
            switch s {
            case "true", "True", "TRUE", "yes", "Yes", "on", "On": return .bool(true)
            case "false", "False", "FALSE", "no", "No", "off", "Off": return .bool(false)
            default: break
            }
            if let i = Int(s) { return .int(i) }
            if s.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true, let d = Double(s) {
                return .double(d)
            }
            return .string(s)
        case .sequence(let seq):
            return .list(seq.map(value))
        case .mapping(let map):
            var dict: [String: JobValue] = [:]
            for (k, v) in map { dict[k.string ?? "\(k)"] = value(v) }
            return .dict(dict)
        default:
            return .null
        }
    }

    func vars(_ node: Node, _ what: String) throws(OrchestratorError) -> [String: JobValue] {
        var result: [String: JobValue] = [:]
        for entry in try mapping(node, what) { result[entry.key] = value(entry.value) }
        return result
    }
}
