import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// Rendered markup parsed back as XML: a chart that is not well-formed fails here, and tests
/// assert on elements and attributes rather than on substrings of the text.
struct ParsedMarkup {
    let root: XMLElement

    init(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        do {
            let document = try XMLDocument(xmlString: text, options: [])
            root = try XCTUnwrap(document.rootElement(), file: file, line: line)
        } catch {
            XCTFail("not well-formed XML: \(error)\n\(text.prefix(2000))", file: file, line: line)
            throw error
        }
    }

    /// Every element below (and including) the root whose local name is `name`.
    func elements(_ name: String) -> [XMLElement] { descendants(of: root).filter { $0.localName == name } }

    /// The marks the page's script will bind to.
    var marks: [XMLElement] { descendants(of: root).filter { $0.attr("class") == "mark" } }

    /// Elements whose class is `className`.
    func elements(withClass className: String) -> [XMLElement] {
        descendants(of: root).filter { ($0.attr("class") ?? "").split(separator: " ").contains(Substring(className)) }
    }

    /// All text of elements of class `className`, in document order (their `<title>` excluded).
    func texts(withClass className: String) -> [String] { elements(withClass: className).map(\.ownText) }

    private func descendants(of element: XMLElement) -> [XMLElement] {
        [element] + (element.children ?? []).compactMap { $0 as? XMLElement }.flatMap { descendants(of: $0) }
    }
}

extension XMLElement {
    /// The attribute's value. Looked up by scanning, because swift-corelibs-foundation's
    /// `attribute(forName:)` finds nothing on an element in a default namespace (an `<svg xmlns=…>`).
    func attr(_ name: String) -> String? { attributes?.first { $0.name == name }?.stringValue }

    /// Text directly inside the element (not inside child elements such as a `<title>`).
    var ownText: String {
        (children ?? []).filter { $0.kind == .text }.compactMap(\.stringValue).joined()
    }

    var childElements: [XMLElement] { (children ?? []).compactMap { $0 as? XMLElement } }

    /// The text of the element's `<title>` child, the native tooltip.
    var tooltip: String? {
        (children ?? []).compactMap { $0 as? XMLElement }.first { $0.localName == "title" }?.stringValue
    }

    /// A numeric attribute (`x`, `height`, `data-value`, …).
    func double(_ name: String) -> Double? { attr(name).flatMap(Double.init) }
}

/// A small seeded generator (SplitMix64) so sample data is the same on every run.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<1.
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Approximately normal (sum of uniforms), mean 0, standard deviation 1.
    mutating func normal() -> Double { (0..<12).reduce(0.0) { acc, _ in acc + unit() } - 6 }
}
