import Foundation
import Yams

/// YAML parsing with errors that name the file and line.
package enum YAMLSupport {
    package static func parse(_ text: String, file: String) throws -> Yams.Node? {
        do {
            // The basic resolver tags every plain scalar `str` without running Yams's regular
            // expressions; `value(_:)` types scalars itself, so nothing reads the resolved tags but
            // Yams's duplicate-key check, which then compares keys by their text.
            return try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                 .composer(let context, let problem, let mark, _):
                let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
                throw TransformError(file: file, line: mark.line, column: mark.column,
                                     "invalid YAML: \(what); fix the indentation or quoting at this line")
            case .duplicatedKeysInMapping(let keys, let context):
                throw duplicateKey(keys.first ?? "", first: context.mark, in: text, file: file)
            default:
                throw TransformError(file: file, "invalid YAML: \(error); fix the file's syntax")
            }
        }
    }

    /// Yams names the first of two equal keys; the error points at the second (the one a reader
    /// added last) and names both lines.
    static func duplicateKey(_ key: String, first: Yams.Mark, in text: String, file: String) -> TransformError {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = first.column - 1
        var again: Int?
        for index in first.line..<lines.count {
            let line = lines[index].utf8
            guard let content = line.firstIndex(where: { $0 != 32 }), line[content] != UInt8(ascii: "#") else { continue }
            let depth = line.distance(from: line.startIndex, to: content)
            if depth < indent { break }
            guard depth == indent else { continue }
            let rest = Substring(lines[index].dropFirst(indent))
            for spelling in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(spelling) {
                if rest.dropFirst(spelling.count).drop(while: { $0 == " " }).hasPrefix(":") { again = index + 1 }
            }
            if again != nil { break }
        }
        let message = "the key '\(key)' appears twice in one mapping (first at line \(first.line), column \(first.column)); YAML keeps only one of them, so keep one and delete or rename the other"
        guard let again else { return TransformError(file: file, line: first.line, column: first.column, message) }
        return TransformError(file: file, line: again, column: first.column, message)
    }

    /// The value of a YAML node with YAML 1.1 core types (as PyYAML reads them for dbt).
    package static func value(_ node: Yams.Node) -> ConfigValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain { return .string(scalar.string) }
            let s = scalar.string
            switch s {
            case "", "~", "null", "Null", "NULL": return .null
            case "true", "True", "TRUE", "yes", "Yes", "on", "On": return .bool(true)
            case "false", "False", "FALSE", "no", "No", "off", "Off": return .bool(false)
            default: break
            }
            if let i = Int(s) { return .int(i) }
            if s.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true, let d = Double(s) { return .double(d) }
            return .string(s)
        case .sequence(let seq): return .list(seq.map(value))
        case .mapping(let map): return .dict(map.map { (key($0.key), value($0.value)) })
        case .alias: return .null
        }
    }

    package static func key(_ node: Yams.Node) -> String {
        if case .scalar(let s) = node { return s.string }
        return "\(node)"
    }

    package static func line(_ node: Yams.Node) -> Int { node.mark?.line ?? 0 }

    /// Entries of a mapping node in order.
    package static func entries(_ node: Yams.Node?) -> [(String, Yams.Node)] {
        guard case .mapping(let map)? = node else { return [] }
        return map.map { (key($0.key), $0.value) }
    }

    package static func lookup(_ node: Yams.Node?, _ name: String) -> Yams.Node? {
        guard case .mapping(let map)? = node else { return nil }
        for pair in map where key(pair.key) == name { return pair.value }
        return nil
    }

    package static func items(_ node: Yams.Node?) -> [Yams.Node] {
        guard case .sequence(let seq)? = node else { return [] }
        return Array(seq)
    }

    package static func string(_ node: Yams.Node?, _ name: String) -> String? {
        guard let n = lookup(node, name), case .scalar(let s) = n else { return nil }
        return s.string
    }
}

/// YAML text of a value, as dbt's `toyaml` (PyYAML's safe_dump) writes it: block style, keys in
/// their order unless sorted.
enum YAMLText {
    static func dump(_ value: ConfigValue, sortKeys: Bool) -> String {
        func node(_ v: ConfigValue) -> Yams.Node {
            switch v {
            case .null: return Yams.Node("null", .init(.null))
            case .bool(let b): return Yams.Node(b ? "true" : "false", .init(.bool))
            case .int(let i): return Yams.Node(String(i), .init(.int))
            case .double(let d): return Yams.Node(String(d), .init(.float))
            case .string(let s): return Yams.Node(s)
            case .list(let l): return Yams.Node(l.map(node))
            case .dict(let d):
                let pairs = sortKeys ? d.sorted { $0.0 < $1.0 } : d
                return Yams.Node(pairs.map { (Yams.Node($0.0), node($0.1)) })
            }
        }
        return (try? Yams.serialize(node: node(value))) ?? ""
    }
}
