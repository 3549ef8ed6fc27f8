import Foundation

/// Finds the body of `{% snapshot name %}…{% endsnapshot %}` in a file's text.
enum SnapshotBlocks {
    static func body(of name: String, in text: String) -> (String, Int)? {
        let pattern = #"\{%-?\s*snapshot\s+"# + NSRegularExpression.escapedPattern(for: name) + #"\s*-?%\}"#
        guard let open = text.range(of: pattern, options: .regularExpression) else { return nil }
        guard let close = text.range(of: #"\{%-?\s*endsnapshot\s*-?%\}"#, options: .regularExpression, range: open.upperBound..<text.endIndex) else { return nil }
        let line = text[text.startIndex..<open.upperBound].filter { $0 == "\n" }.count + 1
        return (String(text[open.upperBound..<close.lowerBound]), line)
    }
}

/// dbt's names for generic tests: `unique_orders_order_id`, or a truncated name plus an MD5 when
/// the full name would be 64 characters or longer.
enum TestNaming {
    static func synthesize(testType: String, targetName: String, args: [(String, ConfigValue)]) -> (short: String, full: String) {
        var flat: [String] = []
        for (key, value) in args.sorted(by: { $0.0 < $1.0 }) where key != "model" {
            switch value {
            case .dict(let d): flat += d.map(\.1.pythonString)
            case .list(let l): flat += l.map(\.pythonString)
            default: flat.append(value.pythonString)
            }
        }
        // re.sub("[^0-9a-zA-Z_]+", "_", arg): each run of other characters becomes one underscore.
        let cleaned = flat.map { arg -> String in
            var out = ""
            var inRun = false
            for scalar in arg.unicodeScalars {
                let v = scalar.value
                if (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122) || v == 95 {
                    out.unicodeScalars.append(scalar); inRun = false
                } else if !inRun { out.append("_"); inRun = true }
            }
            return out
        }
        let identifier = "\(testType)_\(targetName)"
        let full = "\(identifier)_\(cleaned.joined(separator: "__"))"
        if full.count >= 64 {
            return (String(identifier.prefix(30)) + "_" + Digest.md5(full), full)
        }
        return (full, full)
    }

    /// Python's `repr()` of dbt's "hashable" test metadata: dict keys sorted, scalars as `str()`.
    static func hashableRepr(_ value: ConfigValue) -> String {
        switch value {
        case .dict(let d):
            return "{" + d.sorted(by: { $0.0 < $1.0 }).map { ConfigValue.string($0.0).pythonRepr + ": " + hashableRepr($0.1) }.joined(separator: ", ") + "}"
        case .list(let l):
            return "[" + l.map(hashableRepr).joined(separator: ", ") + "]"
        default:
            return ConfigValue.string(value.pythonString).pythonRepr
        }
    }
}

/// Finds `ref('x')` and `source('a', 'b')` in text (YAML test arguments, exposure depends_on) and
/// locates calls in a file for error messages.
enum RefScanner {
    static let refPattern = try! NSRegularExpression(pattern: #"\bref\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]+)['"]\s*)?(?:,[^)]*)?\)"#)
    static let sourcePattern = try! NSRegularExpression(pattern: #"\bsource\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)"#)

    static func scan(_ text: String) -> ([NodeRef], [[String]]) {
        let ns = text as NSString
        var refs: [NodeRef] = []
        for m in refPattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let first = ns.substring(with: m.range(at: 1))
            if m.range(at: 2).location != NSNotFound { refs.append(NodeRef(package: first, name: ns.substring(with: m.range(at: 2)))) }
            else { refs.append(NodeRef(name: first)) }
        }
        let sources = sourcePattern.matches(in: text, range: NSRange(location: 0, length: ns.length)).map {
            [ns.substring(with: $0.range(at: 1)), ns.substring(with: $0.range(at: 2))]
        }
        return (refs, sources)
    }

    /// 1-based line and column of the first `function('name'` in `text`.
    static func location(of function: String, name: String, in text: String) -> (line: Int, column: Int)? {
        for quote in ["'", "\""] {
            for spacing in ["", " "] {
                if let r = text.range(of: "\(function)(\(spacing)\(quote)\(name)\(quote)") {
                    let before = text[text.startIndex..<r.lowerBound]
                    let line = before.filter { $0 == "\n" }.count + 1
                    let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
                    return (line, text.distance(from: lineStart, to: r.lowerBound) + 1)
                }
            }
        }
        return nil
    }

    static func line(of function: String, name: String, in text: String) -> Int? { location(of: function, name: name, in: text)?.line }
}

/// "did you mean …?" by edit distance.
package enum Suggest {
    package static func closest(to word: String, among candidates: [String]) -> String? {
        var best: (String, Int)?
        for c in candidates {
            let d = distance(word, c)
            if d <= max(2, word.count / 3), best == nil || d < best!.1 || (d == best!.1 && c < best!.0) { best = (c, d) }
        }
        return best?.0
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

/// `map` over all cores, results in input order. For loading and compiling, whose per-item work
/// (parsing, rendering) only reads shared state.
enum ParallelMap {
    /// Below this many items the hand-off costs more than it saves.
    static let minimumCount = 32

    static func map<Input, Output>(_ items: [Input], _ transform: (Input) -> Output) -> [Output] {
        let workers = ProcessInfo.processInfo.activeProcessorCount
        guard items.count >= minimumCount, workers > 1 else { return items.map(transform) }
        return withoutActuallyEscaping(transform) { transform in
            let results = UnsafeMutableBufferPointer<Output?>.allocate(capacity: items.count)
            results.initialize(repeating: nil)
            defer { results.deinitialize(); results.deallocate() }
            let box = UncheckedBox((items, transform, results))
            // Contiguous chunks, a few per worker: even load without a hand-off per item.
            let chunks = min(items.count, workers * 4)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let (items, transform, results) = box.value
                let lower = items.count * chunk / chunks, upper = items.count * (chunk + 1) / chunks
                for i in lower..<upper { results[i] = transform(items[i]) }
            }
            return results.map { $0! }
        }
    }
}

/// Carries values into `concurrentPerform`; each worker writes only its own slots of the buffer.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
