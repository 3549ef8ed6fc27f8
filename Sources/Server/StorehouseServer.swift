import Dashboards
import Foundation
import HTTPTypes
import Hummingbird
import SemanticLayer
import ServiceLifecycle
import WarehouseKit

/// Where `serve` listens.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}

/// The web app: dashboards over the semantic layer, each tile's CSV, the page assets and a
/// health check. Pages read through the warehouse's reading connections and the query cache.
public enum StorehouseServer {
    /// The router with every route, for `serve` and for in-process tests.
    public static func router(served: ServedProject, warehouse: any Warehouse) -> Router<BasicRequestContext> {
        let service = DashboardService(served: served, warehouse: warehouse)
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.get("healthz") { _, _ in "ok\n" }
        router.get("/") { _, _ in
            HTML(PageChrome.index(dashboards: served.dashboards))
        }
        router.get("assets/storehouse.css") { _, _ in
            Asset(text: PageAssets.stylesheet, contentType: "text/css; charset=utf-8")
        }
        router.get("assets/storehouse.js") { _, _ in
            Asset(text: PageAssets.script, contentType: "text/javascript; charset=utf-8")
        }
        router.get("dashboards/:name") { request, context in
            let dashboard = try Self.dashboard(context, served)
            return HTML(try await Self.answering { try await service.page(dashboard, queryItems: Self.queryItems(request)) })
        }
        router.get("dashboards/:name/tiles/:file") { request, context in
            let dashboard = try Self.dashboard(context, served)
            let file = context.parameters.get("file") ?? ""
            guard file.hasSuffix(".csv"), let tile = dashboard.tile(named: String(file.dropLast(4))) else {
                throw HTTPError(.notFound, message: "dashboard '\(dashboard.name)' has no tile '\(file)'; tiles: \(dashboard.tiles.map(\.name).joined(separator: ", "))")
            }
            let csv = try await Self.answering { try await service.csv(dashboard, tile: tile, queryItems: Self.queryItems(request)) }
            var headers = HTTPFields()
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"\(dashboard.name)-\(tile.name).csv\""
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: csv)))
        }
        return router
    }

    /// Serves until SIGINT or SIGTERM, then stops taking requests and lets running ones finish.
    public static func run(served: ServedProject, warehouse: any Warehouse, configuration: ServerConfiguration,
                           onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = Application(
            router: router(served: served, warehouse: warehouse),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "storehouse"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) })
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: app.logger))
        try await group.run()
    }

    static func dashboard(_ context: BasicRequestContext, _ served: ServedProject) throws -> Dashboard {
        let name = context.parameters.get("name") ?? ""
        guard let dashboard = served.dashboard(named: name) else {
            throw HTTPError(.notFound, message: "no dashboard named '\(name)'; dashboards: \(served.dashboards.map(\.name).joined(separator: ", "))")
        }
        return dashboard
    }

    static func queryItems(_ request: Request) -> [(name: String, value: String)] {
        request.uri.queryParameters.map { (String($0.key), String($0.value)) }
    }

    /// A bad state in the URL is the reader's mistake (400); anything else is ours (500, said plainly).
    static func answering<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as SemanticError {
            throw HTTPError(error.code == .invalidQuery ? .badRequest : .internalServerError, message: error.message)
        }
    }
}

/// An HTML page response.
struct HTML: ResponseGenerator {
    let text: String
    init(_ text: String) { self.text = text }
    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// A static asset, cacheable for a day.
struct Asset: ResponseGenerator {
    let text: String
    let contentType: String
    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .ok, headers: [.contentType: contentType, .cacheControl: "public, max-age=86400"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Headers every response carries: no script but our own file, no framing, no type sniffing.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var policy: String {
        // Inline style attributes are allowed (tables and charts set a few); scripts are not.
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    static var referrerPolicy: HTTPField.Name { HTTPField.Name("Referrer-Policy")! }
    static var frameOptions: HTTPField.Name { HTTPField.Name("X-Frame-Options")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.policy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.referrerPolicy] = "no-referrer"
        response.headers[Self.frameOptions] = "DENY"
        return response
    }
}
