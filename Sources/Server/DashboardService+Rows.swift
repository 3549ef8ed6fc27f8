import Dashboards
import Foundation
import SemanticLayer
import WarehouseKit

/// Drill-through: the rows behind a metrics tile, for the reader's state (see `RowsPage`).
extension DashboardService {
    static let rowsPageSize = 500
    /// A CSV of every row stops here; the page says how many rows there are in all.
    static let rowsCSVLimit = 100_000

    /// The tile's rows plan for a state, with the model's columns read from the warehouse.
    func rowsPlan(_ tile: Tile, state: DashboardState, limit: Int?, offset: Int) async throws -> MetricRowsPlan {
        guard let model = try planner.rowsModel(for: tile) else {
            throw SemanticError(.invalidQuery, "tile '\(tile.name)' is a SQL tile, not a metric; its CSV holds its rows")
        }
        let columns = try await run(TilePlanner.columnsQuery(for: model.relation)).columnNames
        guard let plan = try planner.rowsPlan(for: tile, state: state, columns: columns, limit: limit, offset: offset) else {
            throw SemanticError(.invalidQuery, "tile '\(tile.name)' has no metric whose rows could be shown")
        }
        return plan
    }

    /// One page (1-based) of a tile's rows as HTML.
    func rowsPage(_ dashboard: Dashboard, tile: Tile, queryItems: [(name: String, value: String)], page: Int) async throws -> String {
        let state = try await effectiveState(try DashboardState(query: queryItems), for: dashboard, queryItems: queryItems)
        let size = Self.rowsPageSize
        // Any whole number arrives from the query string; past Int.max / size the page's
        // arithmetic (its offset, its last row) would overflow and trap the server.
        let page = min(max(1, page), Int.max / size)
        let plan = try await rowsPlan(tile, state: state, limit: size, offset: (page - 1) * size)
        async let rows = run(plan.sql)
        let total = Int(try await run(plan.countSQL).scalar?.int64 ?? 0)
        let result = try await rows
        // Customer ids lead on to the customer's 360 where the project has the customer pages.
        let links = CustomerQueries(models: served.models) != nil && result.columnNames.contains("customer_id")
            ? ["customer_id": "/customers/{value}"] : [:]
        return RowsPage(dashboard: dashboard, dashboards: served.dashboards, tile: tile, state: state, plan: plan,
                        rows: result, total: total, page: page, pageSize: size, links: links).render()
    }

    /// Every row (up to `rowsCSVLimit`) of a tile for a state, as CSV.
    func rowsCSV(_ dashboard: Dashboard, tile: Tile, queryItems: [(name: String, value: String)]) async throws -> String {
        let state = try await effectiveState(try DashboardState(query: queryItems), for: dashboard, queryItems: queryItems)
        let plan = try await rowsPlan(tile, state: state, limit: Self.rowsCSVLimit, offset: 0)
        // Not through the cache: a large export is read once, and would crowd out dashboard results.
        let warehouse = self.warehouse
        return try await warehouse.read { try await $0.query(SQL(unsafeRaw: plan.sql)) }.csvText
    }
}
