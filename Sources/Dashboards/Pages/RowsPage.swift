import SemanticLayer
import WarehouseKit

/// The rows behind a tile (its "rows" link): one page of the rows of the semantic model its
/// first metric aggregates, for the dashboard's state, saying which filters hold and which
/// could not be applied, with links to the other pages and to all rows as CSV.
public struct RowsPage {
    public var dashboard: Dashboard
    public var dashboards: [Dashboard]
    public var tile: Tile
    public var state: DashboardState
    public var plan: MetricRowsPlan
    public var rows: ResultSet
    public var total: Int
    /// 1-based.
    public var page: Int
    public var pageSize: Int
    /// Column → link for its cells (as `DataTable.links`), e.g. customer ids to their 360.
    public var links: [String: String]

    public init(dashboard: Dashboard, dashboards: [Dashboard], tile: Tile, state: DashboardState, plan: MetricRowsPlan,
                rows: ResultSet, total: Int, page: Int, pageSize: Int, links: [String: String] = [:]) {
        self.links = links
        self.dashboard = dashboard
        self.dashboards = dashboards
        self.tile = tile
        self.state = state
        self.plan = plan
        self.rows = rows
        self.total = total
        self.page = page
        self.pageSize = pageSize
    }

    /// `/dashboards/sales/tiles/revenue/rows` (no query string).
    public static func path(dashboard: String, tile: String) -> String {
        "/dashboards/\(DashboardState.encode(dashboard))/tiles/\(DashboardState.encode(tile))/rows"
    }

    /// The link for a state and page: the state's query string plus `page` past the first.
    public static func link(_ path: String, state: DashboardState, page: Int = 1) -> String {
        var items = state.queryItems
        if page > 1 { items.append(("page", String(page))) }
        guard !items.isEmpty else { return path }
        return path + "?" + items.map { "\(DashboardState.encode($0.name))=\(DashboardState.encode($0.value))" }.joined(separator: "&")
    }

    public func render() -> String {
        let path = Self.path(dashboard: dashboard.name, tile: tile.name)
        let back = "/dashboards/\(DashboardState.encode(dashboard.name))\(state.queryString)"
        var html = PageChrome.head(title: "Rows · \(tile.title)")
        html += PageChrome.header(dashboards: dashboards, current: dashboard.name)
        html += "<main class=\"rows-page\">\n<p class=\"crumbs\"><a href=\"\(Markup.escape(back))\">← \(Markup.escape(dashboard.title))</a></p>\n"
        html += "<h1>Rows behind “\(Markup.escape(tile.title))”</h1>\n"
        let metric = tile.metricNames.first ?? ""
        html += "<p class=\"description\">Rows of semantic model <code>\(Markup.escape(plan.model.name))</code> "
            + "(<code>\(Markup.escape(plan.model.relation.description))</code>), which metric <code>\(Markup.escape(metric))</code> aggregates.</p>\n"
        html += "<ul class=\"applied\">\n"
        if state.start != nil || state.end != nil, let time = plan.timeDimension, !plan.unapplied.contains(where: { $0.filter == "date range" }) {
            html += "<li>\(Markup.escape(DashboardLoader.humanised(time))) from \(Markup.escape(state.start ?? "the start")) to \(Markup.escape(state.end ?? "the end"))</li>\n"
        }
        for dimension in plan.appliedDimensions {
            let values = state.filters[dimension] ?? []
            html += "<li>\(Markup.escape(label(dimension))): \(Markup.escape(values.joined(separator: ", ")))</li>\n"
        }
        for filter in plan.appliedFilters {
            html += "<li>Where <code>\(Markup.escape(filter))</code> (the metric's or the tile's own filter)</li>\n"
        }
        html += "</ul>\n"
        if !plan.unapplied.isEmpty {
            html += "<div class=\"note unapplied\"><p>Not applied to these rows:</p><ul>\n"
            for item in plan.unapplied {
                // The planner's hint about the CLI helps at a terminal, not on this page.
                let reason = item.reason.components(separatedBy: "; `storehouse").first ?? item.reason
                html += "<li><strong>\(Markup.escape(label(item.filter)))</strong>: \(Markup.escape(reason))</li>\n"
            }
            html += "</ul></div>\n"
        }
        let first = total == 0 ? 0 : (page - 1) * pageSize + 1
        let last = min(total, page * pageSize)
        html += "<p class=\"row-count\" data-total=\"\(total)\">\(ValueFormat.integer.full(Double(total))) rows match"
        if total > 0 { html += "; showing \(ValueFormat.integer.full(Double(first)))–\(ValueFormat.integer.full(Double(last)))" }
        html += ". <a class=\"export\" href=\"\(Markup.escape(Self.link(path + ".csv", state: state)))\" download>CSV of all rows</a></p>\n"
        html += pager(path)
        html += "<div class=\"tile\">" + DataTable(rows, maxRows: pageSize, links: links).render() + "</div>\n"
        html += pager(path)
        return html + "</main>\n</body>\n</html>\n"
    }

    func label(_ dimension: String) -> String {
        dashboard.filters.first { $0.dimension == dimension }?.label ?? DashboardLoader.humanised(dimension)
    }

    func pager(_ path: String) -> String {
        let pages = max(1, (total + pageSize - 1) / pageSize)
        guard pages > 1 else { return "" }
        var html = "<nav class=\"pager\">"
        if page > 1 { html += "<a rel=\"prev\" href=\"\(Markup.escape(Self.link(path, state: state, page: page - 1)))\">← Previous</a> " }
        html += "<span>Page \(page) of \(pages)</span>"
        if page < pages { html += " <a rel=\"next\" href=\"\(Markup.escape(Self.link(path, state: state, page: page + 1)))\">Next →</a>" }
        return html + "</nav>\n"
    }
}
