import Foundation
import HTTPTypes
import Hummingbird
import SemanticLayer
import WarehouseKit

/// `/api/v1/...`: the routes, request parsing and response shapes. What each answers is
/// APIService's; the document describing them all is `OpenAPIDocument`.
enum APIRoutes {
    static func add(to router: Router<StorehouseRequestContext>, api: APIService, customers: CustomerService, scoring: ModelScoringService,
                    sqlLimiter: RateLimiter) {
        let v1 = router.group("api/v1")
        v1.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-cache"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.text)))
        }
        v1.get("metrics") { _, _ in JSONResponse(api.metricList()) }
        v1.get("metrics/query") { request, _ in
            try await metricsAnswer(api, try metricsRequest(fromQuery: FormFields(query: request)))
        }
        v1.post("metrics/query") { request, context in
            var parsed = try metricsRequest(fromBody: try await body(request, context))
            if FormFields(query: request).get("format") == "csv" { parsed.csv = true }
            return try await metricsAnswer(api, parsed)
        }
        v1.get("metrics/:name") { _, context in
            JSONResponse(try api.metric(named: context.parameters.get("name") ?? ""))
        }
        v1.get("dimensions") { request, _ in
            JSONResponse(.object([("dimensions", try api.dimensions(of: list(FormFields(query: request).getAll("metrics"))))]))
        }
        v1.get("dashboards") { _, _ in JSONResponse(api.dashboardList()) }
        v1.get("dashboards/:name") { request, context in
            JSONResponse(try await api.dashboard(named: context.parameters.get("name") ?? "", queryItems: FormFields(query: request).items))
        }
        v1.get("customers") { request, _ in
            let query = FormFields(query: request)
            let page = try int(query.get("page"), "page") ?? 1
            let size = try int(query.get("page_size"), "page_size") ?? 25
            guard page >= 1 else { throw APIError.badRequest("page counts from 1, not \(page)") }
            guard (1...200).contains(size) else { throw APIError.badRequest("page_size must be between 1 and 200, not \(size)") }
            return try encoded(try await customers.search(prefix: query.get("q") ?? "", page: page, pageSize: size))
        }
        v1.get("customers/:id") { _, context in
            let text = context.parameters.get("id") ?? ""
            guard let id = CustomerQueries.customerID(text) else {
                throw APIError.badRequest("'\(text)' is not a customer id; ids are whole numbers", code: "invalid_id")
            }
            guard let record = try await customers.record(id: id) else {
                throw APIError.notFound("there is no customer \(id)", hint: "search by name or email prefix: /api/v1/customers?q=…")
            }
            return try encoded(record)
        }
        v1.get("customers/:id/recommendations") { request, context in
            let text = context.parameters.get("id") ?? ""
            guard let id = CustomerQueries.customerID(text) else {
                throw APIError.badRequest("'\(text)' is not a customer id; ids are whole numbers", code: "invalid_id")
            }
            let limit = try int(FormFields(query: request).get("limit"), "limit") ?? 5
            guard (1...20).contains(limit) else { throw APIError.badRequest("limit must be between 1 and 20, not \(limit)") }
            guard try await customers.record(id: id) != nil else {
                throw APIError.notFound("there is no customer \(id)", hint: "search by name or email prefix: /api/v1/customers?q=…")
            }
            return try encoded(try await customers.recommendations(id: id, limit: limit))
        }
        v1.post("ml/:model/score") { request, context in
            let name = context.parameters.get("model") ?? ""
            let data = try await body(request, context)
            return try encoded(try await scoring.score(model: name, body: Data(data.readableBytesView)))
        }
        v1.get("models") { _, _ in JSONResponse(try await api.models()) }
        v1.get("sql") { request, context in
            try await admit(request, context, sqlLimiter)
            let query = FormFields(query: request)
            guard let text = query.get("sql") else { throw APIError.badRequest("the query is missing: ?sql=select …", code: "missing_field") }
            return try await sqlAnswer(api, text: text, limit: try int(query.get("limit"), "limit"), csv: query.get("format") == "csv")
        }
        v1.post("sql") { request, context in
            try await admit(request, context, sqlLimiter)
            let data = try await body(request, context)
            let fields = try object(data, allowed: ["sql", "limit", "format"])
            guard fields["sql"] != nil else {
                throw APIError.badRequest("field 'sql' is missing", code: "missing_field", hint: "send {\"sql\": \"select …\", \"limit\": 100}")
            }
            let parsed = try JSONDecoder().decode(SQLBody.self, from: Data(data.readableBytesView))
            if let limit = parsed.limit, limit < 0 { throw APIError.badRequest("field 'limit' must be 0 or more, not \(limit)") }
            guard parsed.format == nil || parsed.format == "json" || parsed.format == "csv" else {
                throw APIError.badRequest("format must be json or csv, not '\(parsed.format!)'")
            }
            return try await sqlAnswer(api, text: parsed.sql, limit: parsed.limit, csv: parsed.format == "csv")
        }
        v1.delete("cache") { _, context in
            try context.require(.admin)
            // Query results, and everything rendered from them: pages and API answers.
            let dropped = await api.dashboards.cache.clear()
            let pages = await api.dashboards.pages.clear()
            let answers = await api.answers.clear()
            return JSONResponse(.object([("dropped", .int(dropped)), ("pages", .int(pages)), ("answers", .int(answers))]))
        }
    }

    // MARK: answers

    static func metricsAnswer(_ api: APIService, _ request: APIService.MetricsRequest) async throws -> Response {
        let key = request.cacheKey
        let text = try await api.answers.result(for: key, version: api.served.dataVersion) {
            let (plan, result, truncated) = try await api.runMetrics(request)
            return request.csv ? result.csvText : metricsJSON(plan: plan, result: result, truncated: truncated).text
        }
        if request.csv { return csvResponse(text, filename: "metrics.csv") }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func metricsJSON(plan: MetricQueryPlan, result: ResultSet, truncated: Bool) -> JSONValue {
        let roles = Dictionary(plan.columns.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let columns = result.columns.map { column -> JSONValue in
            var fields: [(String, JSONValue)] = [("name", .string(column.name)), ("type", .string(column.type))]
            if let planned = roles[column.name] {
                fields.append(("role", .string(planned.role.rawValue)))
                fields.append(("label", .string(planned.label)))
                if let grain = planned.grain { fields.append(("grain", .string(grain.rawValue))) }
            }
            return .object(fields)
        }
        return .object([
            ("columns", .array(columns)), ("rows", .array(result.rows.map { .array($0.map(JSONValue.init)) })),
            ("row_count", .int(result.rows.count)), ("truncated", .bool(truncated)), ("sql", .string(plan.sql)),
        ])
    }

    static func sqlAnswer(_ api: APIService, text: String, limit: Int?, csv: Bool) async throws -> Response {
        let answer = try await api.sql(text, rowLimit: limit)
        if csv { return csvResponse(answer.resultSet.csvText, filename: "query.csv") }
        let milliseconds = Double(answer.elapsed.components.seconds) * 1000 + Double(answer.elapsed.components.attoseconds) / 1e15
        var fields = JSONValue.resultSet(answer.resultSet)
        fields.append(("truncated", .bool(answer.truncated)))
        fields.append(("elapsed_ms", .double((milliseconds * 100).rounded() / 100)))
        return JSONResponse(.object(fields)).response
    }

    /// A Codable answer (its keys are its own CodingKeys: snake_case and stable).
    static func encoded(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    static func csvResponse(_ text: String, filename: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// 429 with Retry-After once a client has spent its burst.
    static func admit(_ request: Request, _ context: StorehouseRequestContext, _ limiter: RateLimiter) async throws {
        let client = AccessMiddleware.token(in: request).map { "token:" + $0 } ?? "address:" + (context.remoteAddress ?? "local")
        guard let wait = await limiter.admit(client) else { return }
        var error = APIError(.tooManyRequests, code: "rate_limited",
                             "too many queries from this client: at most \(Int(limiter.burst)) at once and \(WarehouseValue.format(double: limiter.perSecond)) a second",
                             hint: "wait \(Int(wait.rounded(.up))) s and send it again")
        error.headers[.retryAfter] = String(Int(wait.rounded(.up)))
        throw error
    }

    // MARK: request parsing

    static func body(_ request: Request, _ context: StorehouseRequestContext) async throws -> ByteBuffer {
        try await request.body.collect(upTo: context.maxUploadSize)
    }

    /// A JSON object body; names outside `allowed` are refused so a misspelt field is not ignored.
    static func object(_ body: ByteBuffer, allowed: Set<String>) throws -> [String: Any] {
        guard body.readableBytes > 0 else { throw APIError.badRequest("the request has no body; send a JSON object", code: "invalid_json") }
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) } catch {
            throw APIError.badRequest("the request body is not valid JSON", code: "invalid_json", hint: "send a JSON object, e.g. {\"sql\": \"select 1\"}")
        }
        guard let fields = parsed as? [String: Any] else { throw APIError.badRequest("the request body must be a JSON object", code: "invalid_json") }
        if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw APIError.badRequest("unknown field '\(unknown)'", code: "unknown_field", hint: "the fields are: " + allowed.sorted().joined(separator: ", "))
        }
        return fields
    }

    static let metricsFields: Set<String> = ["metrics", "group_by", "where", "order_by", "limit", "start_time", "end_time", "saved_query", "format"]

    static func metricsRequest(fromQuery query: FormFields) throws -> APIService.MetricsRequest {
        if let unknown = query.names.sorted().first(where: { !metricsFields.contains($0) }) {
            throw APIError.badRequest("unknown parameter '\(unknown)'", code: "unknown_field", hint: "the parameters are: " + metricsFields.sorted().joined(separator: ", "))
        }
        let format = query.get("format")
        guard format == nil || format == "json" || format == "csv" else { throw APIError.badRequest("format must be json or csv, not '\(format!)'") }
        let metricQuery = MetricQuery(metrics: list(query.getAll("metrics")), groupBy: list(query.getAll("group_by")),
                                      filters: query.getAll("where"), orderBy: list(query.getAll("order_by")),
                                      limit: try int(query.get("limit"), "limit"), startTime: query.get("start_time"), endTime: query.get("end_time"))
        return APIService.MetricsRequest(query: metricQuery, savedQuery: query.get("saved_query"), csv: format == "csv")
    }

    /// A string or a list of strings: `"a,b"` and `["a", "b"]` both name two.
    struct NameList: Decodable {
        var names: [String]
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { names = [text] } else { names = try container.decode([String].self) }
        }
    }

    struct MetricsBody: Decodable {
        var metrics, group_by, `where`, order_by: NameList?
        var limit: Int?
        var start_time, end_time, saved_query, format: String?
    }

    static func metricsRequest(fromBody body: ByteBuffer) throws -> APIService.MetricsRequest {
        _ = try object(body, allowed: metricsFields)
        let fields = try JSONDecoder().decode(MetricsBody.self, from: Data(body.readableBytesView))
        guard fields.format == nil || fields.format == "json" || fields.format == "csv" else {
            throw APIError.badRequest("format must be json or csv, not '\(fields.format!)'")
        }
        if let limit = fields.limit, limit < 0 { throw APIError.badRequest("field 'limit' must be 0 or more, not \(limit)") }
        let query = MetricQuery(metrics: list(fields.metrics?.names ?? []), groupBy: list(fields.group_by?.names ?? []),
                                filters: fields.where?.names ?? [], orderBy: list(fields.order_by?.names ?? []), limit: fields.limit,
                                startTime: fields.start_time, endTime: fields.end_time)
        return APIService.MetricsRequest(query: query, savedQuery: fields.saved_query, csv: fields.format == "csv")
    }

    struct SQLBody: Decodable {
        var sql: String
        var limit: Int?
        var format: String?
    }

    /// Comma-separated names, from one or several parameters.
    static func list(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.compactMap { item in
            guard let first = item.firstIndex(where: { !$0.isWhitespace }), let last = item.lastIndex(where: { !$0.isWhitespace }) else { return nil }
            return String(item[first...last])
        }
    }

    static func int(_ text: String?, _ name: String) throws -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Int(text), value >= 0 else { throw APIError.badRequest("\(name) must be a whole number, 0 or more, not '\(text)'") }
        return value
    }
}
