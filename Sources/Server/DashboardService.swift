import Dashboards
import Foundation
import SemanticLayer
import WarehouseKit

/// Answers dashboard pages and tile exports: plans every tile's queries for the reader's state,
/// runs each distinct query once (through the cache), and renders the page.
final class DashboardService: Sendable {
    let served: ServedProject
    let warehouse: any Warehouse
    let cache: QueryCache
    /// Rendered pages by URL, until the data changes: a warm page is a dictionary look-up, not
    /// a re-render of every chart from cached rows.
    let pages: VersionedCache<String>
    let planner: TilePlanner

    let metrics: ServerMetrics

    init(served: ServedProject, warehouse: any Warehouse, cache: QueryCache? = nil, metrics: ServerMetrics = ServerMetrics()) {
        self.served = served
        self.warehouse = warehouse
        self.metrics = metrics
        self.cache = cache ?? QueryCache(metrics: metrics)
        pages = VersionedCache(capacity: 500, metrics: metrics, kind: .page)
        planner = TilePlanner(semantics: served.semantics, dialect: warehouse.dialect, models: served.models)
    }

    /// A read of the server's own SQL (planned from the project's definitions, never a caller's
    /// text) through the cache, keyed by the SQL and the data version.
    func run(_ sql: String, kind: String = "dashboard") async throws -> ResultSet {
        let warehouse = self.warehouse
        let metrics = self.metrics
        return try await cache.result(for: sql, version: served.dataVersion) {
            let started = ContinuousClock.now
            defer { metrics.queryFinished(kind: kind, duration: ContinuousClock.now - started) }
            return try await warehouse.read { try await $0.query(SQL(unsafeRaw: sql)) }
        }
    }

    /// The reader's state with the dashboard's default range filled in: the last N days up to
    /// the latest day with data (so a store whose data stops last week still opens on data).
    func effectiveState(_ state: DashboardState, for dashboard: Dashboard, queryItems: [(name: String, value: String)]) async throws -> DashboardState {
        var state = state
        let rangeGiven = queryItems.contains { $0.name == "start" || $0.name == "end" }
        guard !rangeGiven, let days = dashboard.rangeDays, let sql = planner.latestDayQuery(for: dashboard),
              let latest = try await run(sql).scalar, let day = Self.civilDate(latest) else { return state }
        state.end = day.description
        state.start = day.adding(days: -(days - 1)).description
        return state
    }

    static func civilDate(_ value: WarehouseValue) -> CivilDate? {
        switch value {
        case .date(let days): return CivilDate(daysSinceEpoch: Int(days))
        case .timestamp(let micros), .timestampTZ(let micros):
            return CivilDate(daysSinceEpoch: Int((Double(micros) / 86_400_000_000).rounded(.down)))
        default: return value.string.flatMap { CivilDate(iso: $0.prefix(10)) }
        }
    }

    /// The dashboard's page for the reader's query string, rendered once per URL and data version.
    func page(_ dashboard: Dashboard, queryItems: [(name: String, value: String)]) async throws -> String {
        return try await pages.result(for: Self.pageKey(dashboard, queryItems: queryItems), version: served.dataVersion) {
            try await self.render(dashboard, queryItems: queryItems)
        }
    }

    static func pageKey(_ dashboard: Dashboard, queryItems: [(name: String, value: String)]) -> String {
        var key = CacheKey(dashboard.name)
        for item in queryItems { key.add(item.name); key.add(item.value) }
        return key.text
    }

    private func render(_ dashboard: Dashboard, queryItems: [(name: String, value: String)]) async throws -> String {
        let state = try await effectiveState(try DashboardState(query: queryItems), for: dashboard, queryItems: queryItems)
        let filterSQL = filterValueQueries(for: dashboard)
        let (tiles, answers) = try await results(for: dashboard.tiles, in: dashboard, state: state, alsoRunning: Array(filterSQL.values))
        var filterValues: [String: [String]] = [:]
        for (dimension, sql) in filterSQL {
            guard case .success(let result)? = answers[sql], let column = result.column(dimension) else { continue }
            filterValues[dimension] = column.compactMap(\.string)
        }
        return DashboardPage(dashboard: dashboard, dashboards: served.dashboards, state: state,
                             filterValues: filterValues, tiles: tiles).render()
    }

    /// Each global filter's dimension → the query listing its values.
    func filterValueQueries(for dashboard: Dashboard) -> [String: String] {
        var queries: [String: String] = [:]
        for filter in dashboard.filters {
            if let sql = planner.filterValuesQuery(for: filter, in: dashboard) { queries[filter.dimension] = sql }
        }
        return queries
    }

    /// Every distinct query a view of the dashboard in `state` runs (after its date range is
    /// known), in a stable order: what "run its queries directly" means when a page is compared
    /// with the warehouse, and what a reader sees as the SQL behind it.
    /// `findingRange`: the view had no date range given, so it first looks up the latest day.
    func distinctQueries(for dashboard: Dashboard, state: DashboardState, findingRange: Bool) -> [String] {
        let rangeSQL = findingRange && dashboard.rangeDays != nil ? planner.latestDayQuery(for: dashboard).map { [$0] } ?? [] : []
        let tileSQL = dashboard.tiles.flatMap { tile in
            ((try? planner.plan(tile, in: dashboard, state: state).queries) ?? [:]).sorted { $0.key < $1.key }.map(\.value.sql)
        }
        var seen = Set<String>()
        return (rangeSQL + tileSQL + filterValueQueries(for: dashboard).sorted { $0.key < $1.key }.map(\.value)).filter { seen.insert($0).inserted }
    }

    /// Every tile's results; a tile whose query fails shows its error, the others still render.
    /// Every distinct query — the tiles' and `alsoRunning` — runs once, all at once.
    func results(for tiles: [Tile], in dashboard: Dashboard, state: DashboardState,
                 alsoRunning extra: [String] = []) async throws -> ([TileResult], [String: Result<ResultSet, Error>]) {
        var planned: [(Tile, Result<TilePlanner.PlannedTile, Error>)] = []
        for tile in tiles { planned.append((tile, Result { try planner.plan(tile, in: dashboard, state: state) })) }
        let distinct = Set(planned.flatMap { (try? $0.1.get().queries.values.map(\.sql)) ?? [] } + extra)
        var answers: [String: Result<ResultSet, Error>] = [:]
        await withTaskGroup(of: (String, Result<ResultSet, Error>).self) { group in
            for sql in distinct {
                group.addTask { (sql, await Result(catching: { try await self.run(sql) })) }
            }
            for await (sql, result) in group { answers[sql] = result }
        }
        let tileResults = planned.map { tile, plan in
            switch plan {
            case .failure(let error):
                return TileResult(tile: tile, queries: [:], results: [:], unappliedFilters: [], error: "\(error)")
            case .success(let plan):
                var results: [String: ResultSet] = [:]
                var failure: String?
                for (role, query) in plan.queries {
                    switch answers[query.sql] {
                    case .success(let result)?: results[role] = result
                    case .failure(let error)?: failure = "\(error)"
                    case nil: break
                    }
                }
                return TileResult(tile: tile, queries: plan.queries, results: results, unappliedFilters: plan.unappliedFilters, error: failure)
            }
        }
        return (tileResults, answers)
    }

    /// One tile's main query as CSV, with the reader's state.
    func csv(_ dashboard: Dashboard, tile: Tile, queryItems: [(name: String, value: String)]) async throws -> String {
        let state = try await effectiveState(try DashboardState(query: queryItems), for: dashboard, queryItems: queryItems)
        var exported = tile
        if exported.kind == .kpi { exported.kind = .table }
        let plan = try planner.plan(exported, in: dashboard, state: state)
        guard let main = plan.queries["main"] else { return "" }
        return try await run(main.sql).csvText
    }
}

extension Result where Failure == Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
