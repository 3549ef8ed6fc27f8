import Dashboards
import Foundation
import WarehouseKit

/// The SQL explorer page: the schema tree (every relation's columns, with the descriptions the
/// project's YAML gives them), an editor, and the last query's result with its elapsed time and
/// a CSV link. The whole page is rendered here, so it works before (and without) any script; the
/// query lives in the URL, so a link to a result is a permalink.
struct ExplorerPage {
    struct Column {
        var name: String
        var type: String
        var description: String
    }

    struct Relation {
        var schema: String
        var name: String
        /// The project's model, seed or source behind it, if any.
        var resource: String?
        var description: String
        var columns: [Column]
    }

    enum Outcome {
        case none
        case answer(ReadOnlyQueryResult)
        case failure(APIError)
    }

    var relations: [Relation]
    var sql: String
    var limit: Int
    var outcome: Outcome
    var dashboards: [Dashboard]

    static let limits = [100, 1_000, 10_000]

    func render() -> String {
        var html = PageChrome.head(title: "SQL explorer").replacingOccurrences(
            of: "<link rel=\"stylesheet\" href=\"/assets/storehouse.css\">",
            with: "<link rel=\"stylesheet\" href=\"/assets/storehouse.css\">\n<link rel=\"stylesheet\" href=\"/assets/explorer.css\">\n<script src=\"/assets/explorer.js\" defer></script>")
        html += PageChrome.header(dashboards: dashboards, current: "explorer")
        html += "<main class=\"explorer\">\n<h1>SQL explorer</h1>\n"
        html += "<p class=\"description\">One read-only query at a time: nothing it runs can change the warehouse or reach files, the network or extensions.</p>\n"
        html += "<div class=\"explorer-grid\">\n" + schemaTree() + "<section class=\"workbench\">\n" + editor() + result() + "</section>\n</div>\n"
        return html + "</main>\n</body>\n</html>\n"
    }

    func schemaTree() -> String {
        var html = "<nav class=\"schema-tree\" aria-label=\"Schema\">\n<h2>Schema</h2>\n"
        let bySchema = Dictionary(grouping: relations, by: \.schema)
        for schema in bySchema.keys.sorted() {
            let members = bySchema[schema]!.sorted { $0.name < $1.name }
            html += "<details class=\"schema\"\(schema == "marts" ? " open" : "")><summary>\(Markup.escape(schema)) <span class=\"count\">\(members.count)</span></summary>\n<ul>\n"
            for relation in members {
                let title = relation.description.isEmpty ? "" : " title=\"\(Markup.escape(relation.description))\""
                html += "<li><details class=\"relation\" data-relation=\"\(Markup.escape(schema)).\(Markup.escape(relation.name))\"><summary\(title)>\(Markup.escape(relation.name))</summary>\n"
                if !relation.description.isEmpty { html += "<p class=\"relation-description\">\(Markup.escape(relation.description))</p>\n" }
                html += "<ul class=\"columns\">\n"
                for column in relation.columns {
                    html += "<li><span class=\"column-name\">\(Markup.escape(column.name))</span> <span class=\"column-type\">\(Markup.escape(column.type.lowercased()))</span>"
                    if !column.description.isEmpty { html += "<div class=\"column-description\">\(Markup.escape(column.description))</div>" }
                    html += "</li>\n"
                }
                html += "</ul></details></li>\n"
            }
            html += "</ul>\n</details>\n"
        }
        return html + "</nav>\n"
    }

    func editor() -> String {
        var html = "<form class=\"editor\" method=\"get\" action=\"/explorer\">\n"
        html += "<label for=\"sql\" class=\"visually-hidden\">SQL</label>\n"
        html += "<textarea id=\"sql\" name=\"sql\" rows=\"9\" spellcheck=\"false\" autocapitalize=\"off\" placeholder=\"select * from marts.daily_revenue order by order_date desc limit 30\">\(Markup.escape(sql))</textarea>\n"
        html += "<div class=\"editor-bar\"><button type=\"submit\">Run</button> <span class=\"hint\">Ctrl+Enter runs</span>"
        html += "<label>Rows <select name=\"limit\">"
        for option in Self.limits {
            html += "<option value=\"\(option)\"\(option == limit ? " selected" : "")>\(option.formatted())</option>"
        }
        return html + "</select></label></div>\n</form>\n"
    }

    func result() -> String {
        switch outcome {
        case .none:
            return "<p class=\"empty\">Write a query and run it. Click a relation on the left to see its columns.</p>\n"
        case .failure(let error):
            var html = "<div class=\"query-error\" role=\"alert\" data-code=\"\(Markup.escape(error.code))\"><strong>\(Markup.escape(error.message))</strong>"
            if let hint = error.hint { html += "<p>\(Markup.escape(hint))</p>" }
            return html + "</div>\n"
        case .answer(let answer):
            let result = answer.resultSet
            let milliseconds = Double(answer.elapsed.components.seconds) * 1000 + Double(answer.elapsed.components.attoseconds) / 1e15
            var query = URLComponents()
            query.queryItems = [URLQueryItem(name: "sql", value: sql), URLQueryItem(name: "limit", value: String(limit)), URLQueryItem(name: "format", value: "csv")]
            var html = "<div class=\"result-bar\"><span class=\"row-count\" data-rows=\"\(result.rows.count)\">\(result.rows.count.formatted()) row\(result.rows.count == 1 ? "" : "s")"
            if answer.truncated { html += " <span class=\"truncated\">(first \(limit.formatted()); more not fetched)</span>" }
            html += "</span> <span class=\"elapsed\" data-ms=\"\(String(format: "%.1f", milliseconds))\">\(String(format: "%.1f", milliseconds)) ms</span>"
            html += " <a class=\"export\" href=\"/api/v1/sql\(Markup.escape(query.percentEncodedQuery.map { "?" + $0 } ?? ""))\" download>CSV</a></div>\n"
            html += "<div class=\"result-table\"><table>\n<thead><tr>"
            for column in result.columns {
                html += "<th title=\"\(Markup.escape(column.type))\">\(Markup.escape(column.name))</th>"
            }
            html += "</tr></thead>\n<tbody>\n"
            for row in result.rows {
                html += "<tr>"
                for value in row {
                    switch value {
                    case .null: html += "<td class=\"null\">NULL</td>"
                    case .int, .double, .decimal: html += "<td class=\"number\">\(Markup.escape(value.description))</td>"
                    default: html += "<td>\(Markup.escape(value.description))</td>"
                    }
                }
                html += "</tr>\n"
            }
            return html + "</tbody>\n</table></div>\n"
        }
    }

    static let stylesheet = """
        .explorer { max-width: none; }
        .explorer-grid { display: grid; grid-template-columns: minmax(220px, 300px) minmax(0, 1fr); gap: 16px; align-items: start; }
        .schema-tree { background: var(--paper); border: 1px solid var(--line); border-radius: 10px; padding: 8px 10px; max-height: 80vh; overflow: auto; font-size: 13px; }
        .schema-tree h2 { font-size: 14px; margin: 2px 0 6px; }
        .schema-tree ul { list-style: none; margin: 0; padding-left: 12px; }
        .schema-tree summary { cursor: pointer; padding: 1px 0; }
        .schema-tree .count { color: var(--muted); font-size: 11px; }
        .schema-tree .column-type { color: var(--muted); font-size: 11px; }
        .schema-tree .column-description, .schema-tree .relation-description { color: var(--muted); font-size: 12px; margin: 0 0 2px; }
        .editor textarea { width: 100%; font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; padding: 8px; border: 1px solid #cbd2d9; border-radius: 8px; background: #fff; color: var(--ink); resize: vertical; }
        .editor-bar { display: flex; gap: 12px; align-items: center; margin: 6px 0 10px; font-size: 13px; color: var(--muted); }
        .editor-bar button { font: inherit; background: var(--accent); color: #fff; border: 1px solid var(--accent); border-radius: 6px; padding: 5px 16px; cursor: pointer; }
        .editor-bar select { font: inherit; }
        .result-bar { display: flex; gap: 14px; align-items: baseline; font-size: 13px; color: var(--muted); margin-bottom: 6px; }
        .result-bar .export { color: var(--accent); text-decoration: none; border: 1px solid var(--line); border-radius: 6px; padding: 1px 8px; }
        .truncated { color: #9a6700; }
        .result-table { overflow: auto; max-height: 65vh; background: var(--paper); border: 1px solid var(--line); border-radius: 8px; }
        .result-table table { border-collapse: collapse; font-size: 13px; width: max-content; min-width: 100%; }
        .result-table th, .result-table td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; max-width: 420px; overflow: hidden; text-overflow: ellipsis; }
        .result-table th { position: sticky; top: 0; background: #f0f3f7; }
        .result-table td.number { text-align: right; font-variant-numeric: tabular-nums; }
        .result-table td.null { color: #9aa5b1; font-style: italic; }
        .query-error { background: #fef3f2; border: 1px solid #fecdca; color: #b42318; border-radius: 8px; padding: 8px 12px; white-space: pre-wrap; }
        .query-error p { color: var(--ink); margin: 4px 0 0; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        @media (max-width: 800px) { .explorer-grid { grid-template-columns: 1fr; } .schema-tree { max-height: 40vh; } }
        """

    /// Ctrl/Cmd+Enter in the editor submits it.
    static let script = """
        document.addEventListener("keydown", function (event) {
          if ((event.ctrlKey || event.metaKey) && event.key === "Enter" && event.target && event.target.id === "sql") {
            event.preventDefault();
            event.target.form.submit();
          }
        });
        """
}
