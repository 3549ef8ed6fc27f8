import Dashboards
import Foundation
import TransformProject

/// What every docs page shares: the head with both stylesheets, the site header, and the docs
/// bar (search box, graph link).
enum DocsChrome {
    static func top(title: String, dashboards: [Dashboard], query: String = "", scripts: String = "") -> String {
        PageChrome.head(title: title) + RunsAssets.link + DocsAssets.link + scripts
            + PageChrome.header(dashboards: dashboards, current: PageChrome.docsPath)
            + "<main class=\"docs\">\n"
            + "<form class=\"docs-bar\" method=\"get\" action=\"\(DocsPaths.root)\" role=\"search\">"
            + "<input type=\"search\" name=\"q\" id=\"docs-q\" value=\"\(Markup.escape(query))\" autocomplete=\"off\" "
            + "placeholder=\"Search models, columns and metrics — e.g. revenue per user\" aria-label=\"Search the docs\">"
            + "<button type=\"submit\">Search</button><a class=\"graph-link\" href=\"\(DocsPaths.graph)\">Lineage graph</a>"
            + "<div class=\"suggest\" id=\"docs-suggest\" role=\"listbox\" hidden></div></form>\n"
    }

    /// `Revenue › Daily revenue, Finance › Revenue by day`, each a link to its dashboard.
    static func tileLinks(_ tiles: [(dashboard: Dashboard, tile: Tile)]) -> String {
        tiles.map { "<a href=\"/dashboards/\(DocsPaths.escape($0.dashboard.name))\">\(Markup.escape($0.dashboard.title)) › \(Markup.escape($0.tile.title))</a>" }
            .joined(separator: ", ")
    }
}

extension DocsText {
    /// A description as HTML: paragraphs at blank lines, `- ` lines as a list, `code` spans.
    static func html(_ text: String) -> String {
        var html = ""
        for block in text.components(separatedBy: "\n\n") {
            let lines = block.split(separator: "\n", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !lines.isEmpty else { continue }
            if lines.allSatisfy({ $0.hasPrefix("- ") || $0.hasPrefix("* ") }) {
                html += "<ul>" + lines.map { "<li>\(inline(String($0.dropFirst(2))))</li>" }.joined() + "</ul>"
            } else {
                html += "<p>\(inline(lines.joined(separator: " ")))</p>"
            }
        }
        return html
    }

    /// One line of a description, escaped, with `code` spans.
    static func inline(_ text: String) -> String {
        let parts = text.components(separatedBy: "`")
        guard parts.count >= 3 else { return Markup.escape(text) }
        return parts.enumerated().map { index, part in
            // An odd number of backticks leaves the last one as written.
            index % 2 == 1 && index < parts.count - 1 ? "<code>\(Markup.escape(part))</code>" : Markup.escape((index == parts.count - 1 && index % 2 == 1 ? "`" : "") + part)
        }.joined()
    }

    /// A config value as a reader would write it: `table`, `[a, b]`, `{owner: ops}`.
    static func value(_ value: ConfigValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .string(let text): return text
        case .list(let items): return "[" + items.map(Self.value).joined(separator: ", ") + "]"
        case .dict(let pairs): return "{" + pairs.map { "\($0.0): \(Self.value($0.1))" }.joined(separator: ", ") + "}"
        }
    }
}
