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

    /// Whether only this machine can connect.
    public var isLoopbackOnly: Bool { ["127.0.0.1", "localhost", "::1"].contains(host) }
}

/// Who may call the server and how much it answers.
public struct ServerOptions: Sendable {
    public struct Limits: Sendable {
        /// Rows a SQL query returns at most (a request may ask for fewer).
        public var sqlRowLimit = 10_000
        /// Rows a metrics query returns at most.
        public var metricsRowLimit = 100_000
        /// The longest SQL text taken.
        public var sqlTextBytes = 100_000
        /// How long a caller's query (SQL or metrics) may run before it is interrupted.
        public var queryTimeout: Duration = .seconds(30)
        /// Per client on the SQL endpoint: queries a second, and at once.
        public var sqlPerSecond = 5.0
        public var sqlBurst = 20
        public init() {}
    }

    public var access: AccessPolicy
    public var limits: Limits
    public var metrics: ServerMetrics
    /// The jobs and run store the runs pages show; nil hides them.
    public var runs: RunsContext?
    /// DuckDB's parser, for the docs' column lineage; nil shows the docs without it.
    public var sqlParser: SQLParseTrees?

    public init(access: AccessPolicy = .open, limits: Limits = Limits(), metrics: ServerMetrics = ServerMetrics()) {
        self.access = access
        self.limits = limits
        self.metrics = metrics
    }
}

/// The web app: dashboards over the semantic layer, each tile's CSV, the SQL explorer, the JSON
/// API under /api/v1, health, readiness and Prometheus metrics. Pages read through the
/// warehouse's reading connections and the query cache; callers' SQL goes through its
/// read-only door.
public enum StorehouseServer {
    /// The router with every route, for `serve` and for in-process tests.
    public static func router(served: ServedProject, warehouse: any Warehouse, options: ServerOptions = ServerOptions()) -> Router<StorehouseRequestContext> {
        let service = DashboardService(served: served, warehouse: warehouse, metrics: options.metrics)
        let api = APIService(served: served, warehouse: warehouse, dashboards: service, limits: options.limits, metrics: options.metrics)
        let customers = CustomerService(served: served, warehouse: warehouse, cache: service.cache)
        let sqlLimiter = RateLimiter(perSecond: options.limits.sqlPerSecond, burst: options.limits.sqlBurst)
        let router = Router(context: StorehouseRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: options.metrics))
        router.add(middleware: ResponseMiddleware())
        router.add(middleware: AccessMiddleware(policy: options.access))
        router.get("healthz") { _, _ in "ok\n" }
        // Browsers ask for it on every page; there is none, and saying so with 404 fills their console.
        router.get("favicon.ico") { _, _ in Response(status: .noContent) }
        router.get("readyz") { _, _ in
            // Ready when the warehouse answers and the marts a page reads exist.
            do {
                _ = try await warehouse.read { try await $0.query("select 1") }
            } catch {
                throw APIError(.serviceUnavailable, code: "warehouse_unavailable", "the warehouse does not answer: \(error)",
                               hint: "check that the database exists and is reachable")
            }
            let build = api.lastBuild()
            return JSONResponse(.object([("status", .string("ready")), ("warehouse", .string(warehouse.dialect.name)),
                                         ("last_build", .optional(build?.status)),
                                         ("last_build_at", .optional(BuildRecord.iso(build?.generatedAt)))]))
        }
        router.get("metrics") { _, context in
            try context.require(.viewer)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: options.metrics.exposition(build: api.lastBuild()))))
        }
        LoginPage.add(to: router, policy: options.access)
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
            return HTML(try await service.page(dashboard, queryItems: Self.queryItems(request)))
        }
        router.get("dashboards/:name/tiles/:file") { request, context in
            let dashboard = try Self.dashboard(context, served)
            let file = context.parameters.get("file") ?? ""
            guard file.hasSuffix(".csv"), let tile = dashboard.tile(named: String(file.dropLast(4))) else {
                throw APIError.notFound("dashboard '\(dashboard.name)' has no tile '\(file)'", hint: "tiles: \(dashboard.tiles.map(\.name).joined(separator: ", "))")
            }
            let csv = try await service.csv(dashboard, tile: tile, queryItems: Self.queryItems(request))
            return APIRoutes.csvResponse(csv, filename: "\(dashboard.name)-\(tile.name).csv")
        }
        DrillThroughRoutes.add(to: router, service: service)
        CustomerRoutes.add(to: router, customers: customers)
        ExplorerRoutes.add(to: router, api: api, sqlLimiter: sqlLimiter)
        let scoring = ModelScoringService(served: served, warehouse: warehouse)
        APIRoutes.add(to: router, api: api, customers: customers, scoring: scoring, sqlLimiter: sqlLimiter)
        ModelRoutes.add(to: router, scoring: scoring)
        let runs = RunsService(served: served, context: options.runs)
        RunsRoutes.add(to: router, runs: runs)
        DocsRoutes.add(to: router, docs: DocsService(served: served, warehouse: warehouse, parser: options.sqlParser, runs: runs))
        RunSubmitRoutes.add(to: router, runs: options.runs)
        return router
    }

    /// Serves until SIGINT or SIGTERM, then stops taking requests and lets running ones finish.
    ///
    /// `background` runs beside the web app in the same service group (the job scheduler): it
    /// is cancelled when the server shuts down, and the server stops when it ends with an error.
    public static func run(served: ServedProject, warehouse: any Warehouse, configuration: ServerConfiguration, options: ServerOptions = ServerOptions(),
                           background: [@Sendable () async -> Void] = [],
                           onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        guard options.access.requiresToken || configuration.isLoopbackOnly else {
            throw AccessError("serve is bound to \(configuration.host), beyond this machine, and has no access token",
                              hint: "give it one with --token-file FILE (lines `viewer <token>` / `admin <token>`) or STOREHOUSE_TOKEN, or bind to 127.0.0.1")
        }
        let app = Application(
            router: router(served: served, warehouse: warehouse, options: options),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "storehouse"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) })
        let services: [any Service] = [app] + background.map(BackgroundService.init)
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: app.logger))
        try await group.run()
    }

    static func dashboard(_ context: StorehouseRequestContext, _ served: ServedProject) throws -> Dashboard {
        let name = context.parameters.get("name") ?? ""
        guard let dashboard = served.dashboard(named: name) else {
            throw APIError.notFound("no dashboard named '\(name)'", hint: "dashboards: \(served.dashboards.map(\.name).joined(separator: ", "))")
        }
        return dashboard
    }

    static func queryItems(_ request: Request) -> [(name: String, value: String)] {
        FormFields(query: request).items
    }
}

/// Work that runs until the server shuts down (then its task is cancelled).
struct BackgroundService: Service {
    let body: @Sendable () async -> Void
    func run() async throws {
        await cancelWhenGracefulShutdown { await body() }
    }
}

/// An HTML page response; a page with a status of its own (a 404 or 400) is still a readable page.
struct HTML: ResponseGenerator {
    let status: HTTPResponse.Status
    let text: String
    init(_ text: String) { self.init(.ok, text) }
    init(_ status: HTTPResponse.Status, _ text: String) {
        self.status = status
        self.text = text
    }
    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
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
