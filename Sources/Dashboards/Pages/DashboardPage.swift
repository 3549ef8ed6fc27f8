import SemanticLayer

/// A whole dashboard as one HTML page: the navigation, the filter bar (a plain GET form, so the
/// state is the URL), active cross-filters, and every tile drawn server-side. Readable before
/// any script runs; the page's script only adds clicks, tooltips and instant date zoom.
public struct DashboardPage {
    public var dashboard: Dashboard
    public var dashboards: [Dashboard]
    /// The state the page shows, with defaults filled in.
    public var state: DashboardState
    public var filterValues: [String: [String]]
    public var tiles: [TileResult]

    public init(dashboard: Dashboard, dashboards: [Dashboard], state: DashboardState, filterValues: [String: [String]], tiles: [TileResult]) {
        self.dashboard = dashboard
        self.dashboards = dashboards
        self.state = state
        self.filterValues = filterValues
        self.tiles = tiles
    }

    public func render() -> String {
        let grain = state.grain ?? dashboard.grain
        var html = PageChrome.head(title: dashboard.title)
        html += PageChrome.header(dashboards: dashboards, current: dashboard.name)
        html += "<main>\n<h1>\(Markup.escape(dashboard.title))</h1>\n"
        if !dashboard.description.isEmpty { html += "<p class=\"description\">\(Markup.escape(dashboard.description))</p>\n" }
        if !dashboard.links.isEmpty {
            html += "<p class=\"dashboard-links\">See also " + dashboard.links.map { "<a href=\"\(Markup.escape($0.href))\">\(Markup.escape($0.title))</a>" }
                .joined(separator: " · ") + "</p>\n"
        }
        html += filterForm(grain: grain)
        html += activeFilters()
        html += "<section class=\"tiles\">\n"
        for result in tiles { html += tile(result, grain: grain) }
        html += "</section>\n</main>\n</body>\n</html>\n"
        return html
    }

    var path: String { "/dashboards/\(DashboardState.encode(dashboard.name))" }

    func filterForm(grain: TimeGranularity) -> String {
        var html = "<form class=\"filters\" method=\"get\" action=\"\(path)\">\n"
        html += "<label>From <input type=\"date\" name=\"start\" value=\"\(Markup.escape(state.start ?? ""))\"></label>\n"
        html += "<label>To <input type=\"date\" name=\"end\" value=\"\(Markup.escape(state.end ?? ""))\"></label>\n"
        html += "<label>Grain <select name=\"grain\" data-autosubmit>"
        for option in TimeGranularity.allCases where option >= .day {
            html += "<option value=\"\(option.rawValue)\"\(option == grain ? " selected" : "")>\(option.rawValue.capitalized)</option>"
        }
        html += "</select></label>\n"
        for filter in dashboard.filters {
            let chosen = state.filters[filter.dimension]?.first ?? ""
            html += "<label>\(Markup.escape(filter.label)) <select name=\"f.\(Markup.escape(filter.dimension))\" data-autosubmit><option value=\"\">All</option>"
            var values = filterValues[filter.dimension] ?? []
            if !chosen.isEmpty, !values.contains(chosen) { values.insert(chosen, at: 0) }
            for value in values {
                html += "<option value=\"\(Markup.escape(value))\"\(value == chosen ? " selected" : "")>\(Markup.escape(value))</option>"
            }
            html += "</select></label>\n"
        }
        // Cross-filters on dimensions without a filter-bar control ride along as hidden fields.
        for (dimension, values) in state.filters.sorted(by: { $0.key < $1.key }) where !dashboard.filters.contains(where: { $0.dimension == dimension }) {
            for value in values { html += "<input type=\"hidden\" name=\"f.\(Markup.escape(dimension))\" value=\"\(Markup.escape(value))\">\n" }
        }
        html += "<button type=\"submit\">Apply</button> <a class=\"reset\" href=\"\(path)\">Reset</a>\n</form>\n"
        return html
    }

    func activeFilters() -> String {
        let active = state.filters.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
        guard !active.isEmpty else { return "" }
        var html = "<p class=\"active-filters\">Filtered by "
        for (dimension, values) in active {
            var without = state
            without.filters[dimension] = nil
            let label = dashboard.filters.first { $0.dimension == dimension }?.label ?? DashboardLoader.humanised(dimension)
            html += "<a class=\"chip\" href=\"\(path)\(Markup.escape(without.queryString))\" title=\"Remove this filter\">"
                + "\(Markup.escape(label)): \(Markup.escape(values.joined(separator: ", "))) ×</a> "
        }
        return html + "</p>\n"
    }

    func tile(_ result: TileResult, grain: TimeGranularity) -> String {
        let tile = result.tile
        let id = Markup.escape(tile.name)
        var html = "<article class=\"tile w\(tile.columnsPerRow) kind-\(tile.kind.rawValue)\" id=\"tile-\(id)\" data-tile=\"\(id)\">\n<header><h2>\(Markup.escape(tile.title))</h2>"
        let csv = "\(path)/tiles/\(DashboardState.encode(tile.name)).csv\(state.queryString)"
        html += "<span class=\"tile-links\">"
        if !tile.metricNames.isEmpty {
            // The rows behind the tile, for the same state: a cross-filter click reloads the page,
            // so this link then carries the clicked value too.
            let rows = RowsPage.link(RowsPage.path(dashboard: dashboard.name, tile: tile.name), state: state)
            html += "<a class=\"rows\" href=\"\(Markup.escape(rows))\" title=\"The rows behind this tile\">Rows</a> "
        }
        html += "<a class=\"export\" href=\"\(Markup.escape(csv))\" download>CSV</a></span></header>\n"
        if !tile.description.isEmpty { html += "<p class=\"tile-description\">\(Markup.escape(tile.description))</p>\n" }
        if !result.unappliedFilters.isEmpty {
            html += "<p class=\"note\">Not filtered by \(Markup.escape(result.unappliedFilters.map(DashboardLoader.humanised).joined(separator: ", "))): this tile's metrics do not have that dimension.</p>\n"
        }
        html += "<div class=\"chart\">"
        if let error = result.error {
            html += "<p class=\"tile-error\">This tile could not be drawn: \(Markup.escape(error))</p>"
        } else {
            do { html += try TileView.render(result, grain: grain) } catch {
                html += "<p class=\"tile-error\">This tile could not be drawn: \(Markup.escape("\(error)"))</p>"
            }
        }
        return html + "</div>\n</article>\n"
    }
}

/// The parts every page shares: head, navigation.
public enum PageChrome {
    /// The document's head. `standalone`: the stylesheet inline and no script, for the pages a
    /// caller without a token gets (the sign-in form), who may not fetch /assets.
    public static func head(title: String, standalone: Bool = false) -> String {
        let assets = standalone ? "<style>\n\(PageAssets.stylesheet)\n</style>"
            : "<link rel=\"stylesheet\" href=\"/assets/storehouse.css\">\n<script src=\"/assets/storehouse.js\" defer></script>"
        // `href="data:,"`: no icon, and no request for /favicon.ico on every page.
        return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Markup.escape(title)) · Storehouse</title>
        <link rel="icon" href="data:,">
        \(assets)
        </head>
        <body>

        """
    }

    public static func header(dashboards: [Dashboard], current: String?) -> String {
        var html = "<header class=\"site\"><a class=\"brand\" href=\"/\">Storehouse</a><nav>"
        for dashboard in dashboards {
            let here = dashboard.name == current
            html += "<a href=\"/dashboards/\(DashboardState.encode(dashboard.name))\"\(here ? " aria-current=\"page\"" : "")>\(Markup.escape(dashboard.title))</a>"
        }
        html += "<a class=\"tool\" href=\"/customers\"\(current == customersPath ? " aria-current=\"page\"" : "")>Find a customer</a>"
        html += "<a class=\"tool\" href=\"/explorer\"\(current == "explorer" ? " aria-current=\"page\"" : "")>SQL explorer</a>"
        html += "<a class=\"tool\" href=\"\(runsPath)\"\(current == runsPath ? " aria-current=\"page\"" : "")>Runs</a>"
        html += "<a href=\"\(modelGraphPath)\"\(current == modelGraphPath ? " aria-current=\"page\"" : "")>Model graph</a>"
        html += "<a class=\"tool\" href=\"\(docsPath)\"\(current == docsPath ? " aria-current=\"page\"" : "")>Docs</a>"
        html += "<a href=\"\(modelsPath)\"\(current == modelsPath ? " aria-current=\"page\"" : "")>ML models</a>"
        return html + "</nav></header>\n"
    }

    /// `current` for the customer pages.
    public static let customersPath = "/customers"
    /// `current` for the machine-learning model pages.
    public static let modelsPath = "/ml"
    /// `current` for the run pages.
    public static let runsPath = "/runs"
    /// `current` for the model graph.
    public static let modelGraphPath = "/models/graph"
    /// `current` for the docs pages.
    public static let docsPath = "/docs"

    /// The home page: every dashboard with its description.
    public static func index(dashboards: [Dashboard]) -> String {
        var html = head(title: "Dashboards") + header(dashboards: dashboards, current: nil) + "<main>\n<h1>Dashboards</h1>\n<ul class=\"dashboard-list\">\n"
        for dashboard in dashboards {
            html += "<li><a href=\"/dashboards/\(DashboardState.encode(dashboard.name))\">\(Markup.escape(dashboard.title))</a>"
            if !dashboard.description.isEmpty { html += "<p>\(Markup.escape(dashboard.description))</p>" }
            html += "</li>\n"
        }
        html += "</ul>\n<h2>Customers</h2>\n<p class=\"description\"><a href=\"/customers\">Find a customer</a> by name or email and open "
            + "their 360: lifetime value, orders, segment, lifecycle and RFM scores.</p>\n"
        html += "<h2>Pipeline</h2>\n<p class=\"description\"><a href=\"\(runsPath)\">Runs</a> of the project's jobs — steps, attempts and logs — "
            + "and the <a href=\"\(modelGraphPath)\">model graph</a>, each model coloured by its latest build.</p>\n"
        html += "<h2>Docs</h2>\n<p class=\"description\"><a href=\"\(docsPath)\">Search the docs</a>: every model, source and metric "
            + "with its columns, tests and last results, column-level lineage, and the interactive <a href=\"\(docsPath)/graph\">lineage graph</a>.</p>\n"
        return html + "</main>\n</body>\n</html>\n"
    }
}
