import Dashboards
import Foundation
import SemanticLayer
import TransformProject
import WarehouseKit

/// The JSON API's answers, apart from HTTP: the semantic layer's metrics and dimensions, metrics
/// queries, dashboards with their data, the project's models, the last build and one read-only
/// SQL query. Routes (APIRoutes) parse requests into these calls and send what they return.
final class APIService: Sendable {
    let served: ServedProject
    let warehouse: any Warehouse
    let dashboards: DashboardService
    let limits: ServerOptions.Limits
    let metrics: ServerMetrics
    /// Rendered metrics answers (JSON or CSV text) by request, until the next build: a warm
    /// query is a dictionary lookup, not a re-serialisation of its rows.
    let answers: VersionedCache<String>

    init(served: ServedProject, warehouse: any Warehouse, dashboards: DashboardService, limits: ServerOptions.Limits, metrics: ServerMetrics) {
        answers = VersionedCache(capacity: 500, metrics: nil)
        self.served = served
        self.warehouse = warehouse
        self.dashboards = dashboards
        self.limits = limits
        self.metrics = metrics
    }

    var catalogue: MetricCatalogue { MetricCatalogue(served.semantics) }

    // MARK: metrics

    func metricList() -> JSONValue {
        let metrics = served.semantics.metrics.sorted { $0.name < $1.name }.map { metric in
            JSONValue.object([("name", .string(metric.name)), ("type", .string(metric.typeName)), ("label", .optional(metric.label)),
                              ("description", .string(metric.description))])
        }
        let saved = served.semantics.savedQueries.sorted { $0.name < $1.name }.map { query in
            JSONValue.object([("name", .string(query.name)), ("metrics", .array(query.metrics.map(JSONValue.string))),
                              ("group_by", .array(query.groupBy.map(JSONValue.string)))])
        }
        return .object([("metrics", .array(metrics)), ("saved_queries", .array(saved))])
    }

    func metric(named name: String) throws -> JSONValue {
        guard let metric = served.semantics.metrics.first(where: { $0.name == name }) else {
            let names = served.semantics.metrics.map(\.name)
            let close = Suggest.closest(to: name, among: names)
            throw APIError.notFound("no metric named '\(name)'" + (close.map { "; did you mean '\($0)'?" } ?? ""),
                                    hint: "the metrics are listed at /api/v1/metrics")
        }
        return .object([("name", .string(metric.name)), ("type", .string(metric.typeName)), ("label", .optional(metric.label)),
                        ("description", .string(metric.description)), ("dimensions", try dimensions(of: [name]))])
    }

    func dimensions(of names: [String]) throws -> JSONValue {
        guard !names.isEmpty else { throw APIError.badRequest("name at least one metric: ?metrics=a,b", code: "missing_field") }
        return .array(try catalogue.dimensions(of: names).map { dimension in
            .object([("name", .string(dimension.name)), ("type", .string(dimension.isTime ? "time" : "categorical")),
                     ("grains", .array(dimension.grains.map { .string($0.rawValue) })), ("description", .string(dimension.description))])
        })
    }

    /// The request of `storehouse metrics query`, from query parameters or a JSON body.
    struct MetricsRequest: Sendable {
        var query: MetricQuery
        var savedQuery: String?
        var csv = false

        /// Built by hand (see `CacheKey`): interpolating the struct (`"\(query)"`) reflects over
        /// it, milliseconds a warm answer.
        var cacheKey: String {
            var key = CacheKey(csv ? "csv" : "json")
            let q = query
            key.add(savedQuery); key.add(q.metrics); key.add(q.groupBy); key.add(q.filters); key.add(q.orderBy)
            key.add(q.limit.map(String.init)); key.add(q.startTime); key.add(q.endTime)
            key.add(String(q.dimensionValues.count))
            for (dimension, values) in q.dimensionValues.sorted(by: { $0.key < $1.key }) { key.add(dimension); key.add(values) }
            return key.text
        }
    }

    /// Runs a metrics query. Its `where` filters are the caller's SQL, so it goes through the
    /// warehouse's read-only door (one SELECT, nothing written or reached outside), with the
    /// server's row and time limits; results are cached like the dashboards' until the next build.
    func runMetrics(_ request: MetricsRequest) async throws -> (plan: MetricQueryPlan, result: ResultSet, truncated: Bool) {
        var query = request.query
        if let name = request.savedQuery {
            guard let saved = served.semantics.savedQuery(named: name) else {
                throw APIError.notFound("no saved query named '\(name)'",
                                        hint: "the saved queries: " + served.semantics.savedQueries.map(\.name).joined(separator: ", "))
            }
            query.metrics = saved.metrics + query.metrics
            query.groupBy = saved.groupBy + query.groupBy
            query.filters = saved.filters + query.filters
        }
        guard !query.metrics.isEmpty else { throw APIError.badRequest("name the metrics: metrics=a,b (or a saved_query)", code: "missing_field") }
        if let limit = query.limit, limit < 0 { throw APIError.badRequest("limit must be 0 or more, not \(limit)") }
        let plan = try MetricQueryPlanner(served.semantics, dialect: warehouse.dialect).plan(query)
        let (result, truncated) = try await readOnly(plan.sql, kind: "metrics", rowLimit: limits.metricsRowLimit)
        return (plan, result, truncated)
    }

    /// An untrusted query through `runReadOnly` and the cache: at most `rowLimit` rows, and
    /// whether there were more.
    func readOnly(_ sql: String, kind: String, rowLimit: Int) async throws -> (ResultSet, Bool) {
        let warehouse = self.warehouse
        let timeout = limits.queryTimeout
        let metrics = self.metrics
        let key = "readonly:\(rowLimit):" + sql
        var result = try await dashboards.cache.result(for: key, version: served.dataVersion) {
            let started = ContinuousClock.now
            let answer = try await warehouse.runReadOnly(ReadOnlyQuery(sql, rowLimit: rowLimit + 1, timeout: timeout))
            metrics.queryFinished(kind: kind, duration: ContinuousClock.now - started)
            return answer.resultSet
        }
        let truncated = result.rows.count > rowLimit
        if truncated { result.rows.removeLast(result.rows.count - rowLimit) }
        return (result, truncated)
    }

    // MARK: dashboards

    func dashboardList() -> JSONValue {
        .object([("dashboards", .array(served.dashboards.map { dashboard in
            .object([("name", .string(dashboard.name)), ("title", .string(dashboard.title)), ("description", .string(dashboard.description)),
                     ("grain", .string(dashboard.grain.rawValue)), ("tiles", .int(dashboard.tiles.count)),
                     ("filters", .array(dashboard.filters.map { .object([("dimension", .string($0.dimension)), ("label", .string($0.label))]) })),
                     ("url", .string("/dashboards/" + (dashboard.name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? dashboard.name)))])
        }))])
    }

    func dashboard(named name: String, queryItems: [(name: String, value: String)]) async throws -> JSONValue {
        guard let dashboard = served.dashboard(named: name) else {
            throw APIError.notFound("no dashboard named '\(name)'", hint: "dashboards: " + served.dashboards.map(\.name).joined(separator: ", "))
        }
        let state = try await dashboards.effectiveState(try DashboardState(query: queryItems), for: dashboard, queryItems: queryItems)
        let (tiles, _) = try await dashboards.results(for: dashboard.tiles, in: dashboard, state: state)
        var stateFields: [(String, JSONValue)] = [("start", .optional(state.start)), ("end", .optional(state.end)),
                                                  ("grain", .string((state.grain ?? dashboard.grain).rawValue))]
        stateFields.append(("filters", .object(state.filters.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.map(JSONValue.string))) })))
        return .object([
            ("name", .string(dashboard.name)), ("title", .string(dashboard.title)), ("state", .object(stateFields)),
            // What a view of the page in this state runs, each query once (the tiles' and the filters' values).
            ("queries", .array(dashboards.distinctQueries(for: dashboard, state: state,
                                                                   findingRange: !queryItems.contains { $0.name == "start" || $0.name == "end" }).map(JSONValue.string))),
            ("tiles", .array(tiles.map { tile in
                var fields: [(String, JSONValue)] = [("name", .string(tile.tile.name)), ("title", .string(tile.tile.title)),
                                                     ("kind", .string(tile.tile.kind.rawValue))]
                fields.append(("data", .object(tile.results.sorted { $0.key < $1.key }.map { role, result in (role, .object(JSONValue.resultSet(result))) })))
                fields.append(("sql", .object(tile.queries.sorted { $0.key < $1.key }.map { role, query in (role, .string(query.sql)) })))
                fields.append(("unapplied_filters", .array(tile.unappliedFilters.map(JSONValue.string))))
                fields.append(("error", .optional(tile.error)))
                return .object(fields)
            })),
        ])
    }

    // MARK: models and builds

    func lastBuild() -> BuildRecord? { BuildRecord.read(path: served.runResultsPath) }

    /// Row counts of the models' relations that exist, in one query (cached until the next build).
    func rowCounts() async throws -> [String: Int] {
        let models = served.project.manifest.nodes.values.filter { $0.resourceType == .model && !$0.isEphemeral && $0.relation != nil }
        let existing = try await dashboards.run("select table_schema, table_name from information_schema.tables", kind: "models")
        let present = Set(existing.rows.compactMap { row -> String? in
            guard let schema = row[0].string, let name = row[1].string else { return nil }
            return "\(schema).\(name)".lowercased()
        })
        let built = models.filter { present.contains($0.relation!.lowercasedName) }.sorted { $0.name < $1.name }
        guard !built.isEmpty else { return [:] }
        let sql = built.map { node in
            "select \(SQL.quoteLiteral(node.name)) as model, count(*) as row_count from \(SQL.quoteIdentifier(node.relation!.schema)).\(SQL.quoteIdentifier(node.relation!.identifier))"
        }.joined(separator: "\nunion all\n")
        let result = try await dashboards.run(sql, kind: "models")
        return Dictionary(result.rows.compactMap { row in row[0].string.flatMap { name in row[1].int64.map { (name, Int($0)) } } },
                          uniquingKeysWith: { first, _ in first })
    }

    func models() async throws -> JSONValue {
        let build = lastBuild()
        let counts = try await rowCounts()
        let models = served.project.manifest.nodes.values.filter { $0.resourceType == .model }.sorted { $0.name < $1.name }
        return .object([("models", .array(models.map { node in
            let result = build?.result(for: node.uniqueId)
            return .object([
                ("name", .string(node.name)), ("unique_id", .string(node.uniqueId)),
                ("relation", .optional(node.relation.map { "\($0.schema).\($0.identifier)" })),
                ("materialized", .string(node.config.materialized)), ("description", .string(node.description)),
                ("path", .string(node.originalFilePath)),
                ("columns", .array(node.columns.map { column in
                    .object([("name", .string(column.name)), ("description", .string(column.description)), ("data_type", .optional(column.dataType))])
                })),
                ("last_build", result.map { result in
                    .object([("status", .string(result.status)), ("built_at", .optional(BuildRecord.iso(result.completedAt ?? build?.generatedAt))),
                             ("execution_seconds", .double(result.executionTime)), ("message", .optional(result.message))])
                } ?? .null),
                ("row_count", counts[node.name].map(JSONValue.int) ?? .null),
            ])
        }))])
    }

    // MARK: SQL

    /// One query from the explorer or a client, through the warehouse's read-only door. Never
    /// cached: the elapsed time shown is the query's own.
    func sql(_ text: String, rowLimit requested: Int?) async throws -> ReadOnlyQueryResult {
        guard text.utf8.count <= limits.sqlTextBytes else {
            throw APIError(.contentTooLarge, code: "too_large", "the query is \(text.utf8.count) bytes; the server takes at most \(limits.sqlTextBytes)",
                           hint: "send a shorter query")
        }
        let rowLimit = min(max(requested ?? limits.sqlRowLimit, 0), limits.sqlRowLimit)
        let started = ContinuousClock.now
        defer { metrics.queryFinished(kind: "sql", duration: ContinuousClock.now - started) }
        return try await warehouse.runReadOnly(ReadOnlyQuery(text, rowLimit: rowLimit, timeout: limits.queryTimeout))
    }
}
