import Foundation
import Yams

/// Typed reads of composed YAML nodes for the project's own files (`ml.yml`, `connectors.yml`),
/// each error placed at the node at fault (`file:line:col: …`) and made by the module that reads
/// the file, so its callers see their own error type.
package struct YAMLNodeReader<Failure: Error>: Sendable {
    package let file: String
    private let makeError: @Sendable (_ line: Int, _ column: Int, _ message: String) -> Failure

    /// Errors made from `file:line:col: message`.
    package init(file: String, makeError: @escaping @Sendable (String) -> Failure) {
        self.file = file
        self.makeError = { line, column, message in
            makeError(line == 0 ? "\(file): \(message)" : "\(file):\(line):\(column): \(message)")
        }
    }

    /// Errors made from the place and the message apart (a `TransformError` keeps them so).
    package init(file: String, makeLocatedError: @escaping @Sendable (_ line: Int, _ column: Int, _ message: String) -> Failure) {
        self.file = file
        self.makeError = makeLocatedError
    }

    /// Parses `text`; nil for an empty document, an error naming the line (and both lines of a
    /// key written twice) for invalid YAML.
    package func compose(_ text: String) throws -> Yams.Node? {
        do {
            return try YAMLSupport.parse(text, file: file)
        } catch let error as TransformError {
            throw makeError(error.line, error.column, error.message)
        }
    }

    package func position(of node: Yams.Node?) -> String {
        guard let mark = node?.mark else { return file }
        return "\(file):\(mark.line):\(mark.column)"
    }

    package func error(at node: Yams.Node?, _ message: String) -> Failure {
        guard let mark = node?.mark else { return makeError(0, 0, message) }
        return makeError(mark.line, mark.column, message)
    }

    package func mapping(_ node: Yams.Node, _ what: String, allowed: [String]) throws -> [(key: String, value: Yams.Node)] {
        guard case .mapping(let map) = node else { throw error(at: node, "\(what) must be a mapping of keys to values") }
        var seen: Set<String> = []
        return try map.map { key, value in
            guard case .scalar(let scalar) = key else { throw error(at: key, "keys of \(what) must be plain names") }
            guard allowed.contains(scalar.string) else {
                throw error(at: key, "unknown key '\(scalar.string)' in \(what) — allowed: \(allowed.joined(separator: ", "))")
            }
            guard seen.insert(scalar.string).inserted else {
                throw error(at: key, "the key '\(scalar.string)' appears twice in \(what); keep one")
            }
            return (scalar.string, value)
        }
    }

    package func sequence(_ node: Yams.Node, _ what: String) throws -> [Yams.Node] {
        guard case .sequence(let items) = node else { throw error(at: node, "\(what) must be a list") }
        return Array(items)
    }

    package func string(_ node: Yams.Node, _ what: String) throws -> String {
        guard case .scalar(let scalar) = node else { throw error(at: node, "\(what) must be a single value") }
        return scalar.string
    }

    /// A single value or a list of them, as a list.
    package func strings(_ node: Yams.Node, _ what: String) throws -> [String] {
        if case .sequence = node { return try sequence(node, what).map { try string($0, what) } }
        return [try string(node, what)]
    }

    package func bool(_ node: Yams.Node, _ what: String) throws -> Bool {
        switch try string(node, what) {
        case "true", "True", "TRUE", "yes", "on": return true
        case "false", "False", "FALSE", "no", "off": return false
        case let text: throw error(at: node, "\(what) '\(text)' is not true or false")
        }
    }

    /// A column, model or connector name: letters, digits and underscores, not starting with a digit.
    package func identifier(_ node: Yams.Node, _ what: String) throws -> String {
        let text = try string(node, what)
        let valid = !text.isEmpty && text.first.map { !$0.isNumber } == true
            && text.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "_" }
        guard valid else { throw error(at: node, "\(what) '\(text)' is not a plain name (letters, digits, _)") }
        return text
    }

    package func number(_ node: Yams.Node, _ what: String, minimum: Double, maximum: Double = .infinity) throws -> Double {
        let text = try string(node, what)
        guard let value = Double(text), value.isFinite else { throw error(at: node, "\(what) '\(text)' is not a number") }
        guard value >= minimum, value <= maximum else {
            throw error(at: node, "\(what) is \(text); it must lie between \(minimum) and \(maximum)")
        }
        return value
    }
}
