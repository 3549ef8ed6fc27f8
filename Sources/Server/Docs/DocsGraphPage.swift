import Dashboards
import Foundation

/// `/docs/graph`: the interactive lineage graph. The page is a form and an empty canvas; the
/// script draws the graph (see `DocsGraphScript`). Without scripts the form still works as the
/// server-drawn model graph's does: it names the selection and links to the list.
struct DocsGraphPage {
    var selection: String
    var exclude: String
    var nodeCount: Int
    var dashboards: [Dashboard]

    func render() -> String {
        var html = DocsChrome.top(title: "Lineage graph", dashboards: dashboards, scripts: "<script src=\"\(DocsGraphScript.path)\" defer></script>\n")
        html = html.replacingOccurrences(of: "<main class=\"docs\">", with: "<main class=\"docs wide graph-docs\">")
        html += "<h1>Lineage graph</h1>\n"
        html += "<form class=\"filters\" id=\"graph-form\" method=\"get\" action=\"\(DocsPaths.graph)\" role=\"search\">"
            + "<label>Select <input type=\"search\" name=\"select\" value=\"\(Markup.escape(selection))\" placeholder=\"+dim_customers   tag:daily   path:models/marts\" "
            + "title=\"dbt's selection syntax, as storehouse build --select takes it\"></label>"
            + "<label>Exclude <input type=\"search\" name=\"exclude\" value=\"\(Markup.escape(exclude))\" placeholder=\"resource_type:seed\"></label>"
            + "<button type=\"submit\">Show</button> <a class=\"reset\" href=\"\(DocsPaths.graph)\">Everything</a>"
            + "<label class=\"muted\">Zoom <input type=\"range\" id=\"graph-zoom\" min=\"20\" max=\"150\" value=\"100\"></label>"
            + "<span class=\"muted\"><code>+name</code> adds its parents, <code>name+</code> its children, <code>2+name</code> two levels; "
            + "<code>tag:</code>, <code>path:</code>, <code>source:</code>, <code>resource_type:</code>, <code>@name</code>; a space is “or”, a comma “and”.</span></form>\n"
        html += "<p class=\"muted\" id=\"graph-status\" aria-live=\"polite\">Loading \(nodeCount) nodes…</p>\n"
        html += "<div class=\"graph-area\"><div class=\"tile\" id=\"graph-canvas\"></div><aside id=\"graph-panel\" hidden></aside></div>\n"
        html += "<noscript><p class=\"empty-state\">The interactive graph needs JavaScript; the <a href=\"\(PageChrome.modelGraphPath)\">model graph</a> is drawn by the server.</p></noscript>\n"
        return html + "</main>\n</body>\n</html>\n"
    }
}
