import Dashboards
import Foundation
import HTTPTypes
import Hummingbird

/// `/dashboards/:name/tiles/:tile/rows` (a page of the rows behind a tile, for the same state
/// query as the dashboard) and `…/rows.csv` (all of them). Generic over the request context.
enum DrillThroughRoutes {
    static func add<Context: RequestContext>(to router: Router<Context>, service: DashboardService) {
        // `:file` as the tile's CSV route names the same path segment, so the two share it.
        router.get("dashboards/:name/tiles/:file/rows") { request, context -> HTML in
            let (dashboard, tile) = try target(context, service)
            let pageText = FormFields(query: request).get("page") ?? "1"
            guard let page = Int(pageText), page >= 1 else {
                throw APIError.badRequest("page=\(pageText) is not a page number; pages count from 1")
            }
            return HTML(try await service.rowsPage(dashboard, tile: tile, queryItems: StorehouseServer.queryItems(request), page: page))
        }
        router.get("dashboards/:name/tiles/:file/rows.csv") { request, context -> Response in
            let (dashboard, tile) = try target(context, service)
            let csv = try await service.rowsCSV(dashboard, tile: tile, queryItems: StorehouseServer.queryItems(request))
            return APIRoutes.csvResponse(csv, filename: "\(dashboard.name)-\(tile.name)-rows.csv")
        }
    }

    static func target<Context: RequestContext>(_ context: Context, _ service: DashboardService) throws -> (Dashboard, Tile) {
        let name = context.parameters.get("name") ?? ""
        guard let dashboard = service.served.dashboard(named: name) else {
            throw APIError.notFound("no dashboard named '\(name)'", hint: "dashboards: \(service.served.dashboards.map(\.name).joined(separator: ", "))")
        }
        let tileName = context.parameters.get("file") ?? ""
        guard let tile = dashboard.tile(named: tileName), !tile.metricNames.isEmpty else {
            let metricTiles = dashboard.tiles.filter { !$0.metricNames.isEmpty }.map(\.name)
            throw APIError.notFound("dashboard '\(dashboard.name)' has no metric tile '\(tileName)' whose rows could be shown",
                                    hint: "metric tiles: \(metricTiles.joined(separator: ", "))")
        }
        return (dashboard, tile)
    }
}
