import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SemanticLayer
@testable import Server
import WarehouseDuckDB
import WarehouseKit
import XCTest

/// The JSON API driven in-process over the shop fixture (revenue 330.00 over 7 orders; 2023:
/// 40.00 from one order, 2024: 290.00 from six), every route's status and body shape.
final class ServerAPITests: XCTestCase {
    var warehouse: DuckDBWarehouse!

    override func setUp() async throws {
        // Sandboxed, as `serve` opens it: the SQL endpoint refuses to run on anything else.
        warehouse = try DuckDBWarehouse(path: ":memory:", sandboxed: true)
        try await warehouse.write { try await $0.executeScript(ServerRouteTests.rows) }
    }

    override func tearDown() async throws { await warehouse.close() }

    struct Answer {
        var status: HTTPResponse.Status
        var body: String
        var headers: HTTPFields
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    }

    func send(_ uri: String) async throws -> Answer { try await send(.get, uri) }

    func send(_ method: HTTPRequest.Method, _ uri: String, body: String? = nil, headers: HTTPFields = [:],
              options: ServerOptions = ServerOptions()) async throws -> Answer {
        let router = StorehouseServer.router(served: try ServerRouteTests.served(), warehouse: warehouse, options: options)
        return try await Application(router: router).test(.router) { client in
            try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
                Answer(status: response.status, body: String(buffer: response.body), headers: response.headers)
            }
        }
    }

    func testMetricsListAndOneMetricWithItsDimensions() async throws {
        let list = try await send("/api/v1/metrics")
        XCTAssertEqual(list.status, .ok)
        XCTAssertEqual(list.headers[.contentType], "application/json; charset=utf-8")
        let metrics = try XCTUnwrap(list.json["metrics"] as? [[String: Any]])
        let served = try ServerRouteTests.served()
        XCTAssertEqual(metrics.count, served.semantics.metrics.count)
        XCTAssertEqual(metrics.first { $0["name"] as? String == "revenue" }?["label"] as? String, "Revenue")
        let revenue = try await send("/api/v1/metrics/revenue")
        let dimensions = try XCTUnwrap(revenue.json["dimensions"] as? [[String: Any]])
        XCTAssertEqual(dimensions.first?["name"] as? String, "metric_time")
        XCTAssertTrue(dimensions.contains { $0["name"] as? String == "customer__segment" })
        let unknown = try await send("/api/v1/metrics/revenu")
        XCTAssertEqual(unknown.status, .notFound)
        XCTAssertEqual(unknown.errorCode, "not_found")
        XCTAssertTrue(unknown.body.contains("did you mean 'revenue'"), unknown.body)
        let common = try await send("/api/v1/dimensions?metrics=revenue,orders")
        XCTAssertEqual(common.status, .ok)
        XCTAssertNotNil(common.json["dimensions"] as? [[String: Any]])
        let noMetrics = try await send("/api/v1/dimensions")
        XCTAssertEqual(noMetrics.status, .badRequest)
    }

    func testMetricsQueryAnswersWhatTheSQLOverTheFixtureSays() async throws {
        let byYear = try await send("/api/v1/metrics/query?metrics=revenue,orders&group_by=metric_time__year&order_by=metric_time__year")
        XCTAssertEqual(byYear.status, .ok, byYear.body)
        let rows = try XCTUnwrap(byYear.json["rows"] as? [[Any]])
        XCTAssertEqual(rows.map { $0[0] as? String }, ["2023-01-01", "2024-01-01"])
        XCTAssertEqual(rows.map { ($0[1] as? NSNumber)?.doubleValue }, [40, 290])
        XCTAssertEqual(rows.map { ($0[2] as? NSNumber)?.intValue }, [1, 6])
        let columns = try XCTUnwrap(byYear.json["columns"] as? [[String: Any]])
        XCTAssertEqual(columns.map { $0["role"] as? String }, ["group_by", "metric", "metric"])
        XCTAssertEqual(byYear.json["truncated"] as? Bool, false)

        // The same request as a JSON body, with a where filter (a space written as +), and as CSV.
        let posted = try await send(.post, "/api/v1/metrics/query", body: #"""
            {"metrics": ["revenue"], "where": "{{ Dimension('customer__segment') }} = 'VIP'"}
            """#)
        XCTAssertEqual(posted.status, .ok, posted.body)
        XCTAssertEqual(((posted.json["rows"] as? [[Any]])?.first?.first as? NSNumber)?.doubleValue, 190)
        let csv = try await send("/api/v1/metrics/query?metrics=orders&group_by=customer__segment&order_by=customer__segment&format=csv")
        XCTAssertEqual(csv.headers[.contentType], "text/csv; charset=utf-8")
        XCTAssertEqual(csv.body, "customer__segment,orders\n<script>alert(1)</script>,2\nRegular,2\nVIP,3\n")
        let spaced = try await send("/api/v1/metrics/query?metrics=revenue&where=%7B%7B+Dimension%28%27customer__segment%27%29+%7D%7D+%3D+%27Regular%27")
        XCTAssertEqual(((spaced.json["rows"] as? [[Any]])?.first?.first as? NSNumber)?.doubleValue, 110, spaced.body)
    }

    func testQueryStringsDecodeAsBrowsersWriteThem() {
        let fields = FormFields("sql=select+1%2B2&where=%7B%7B+x+%7D%7D&euro=%E2%82%AC&pct=100%&bad=%FF+x&empty=&=skipped&flag")
        XCTAssertEqual(fields["sql"], "select 1+2")
        XCTAssertEqual(fields["where"], "{{ x }}")
        XCTAssertEqual(fields["euro"], "€")
        XCTAssertEqual(fields["pct"], "100%", "a stray % stays as it came")
        XCTAssertEqual(fields["bad"], "%FF x", "bytes that are not UTF-8 stay encoded")
        XCTAssertEqual(fields["empty"], "")
        XCTAssertEqual(fields["flag"], "")
        XCTAssertEqual(fields.names, ["sql", "where", "euro", "pct", "bad", "empty", "flag"])
        XCTAssertEqual(APIRoutes.list([" a, b ,,c", "d"]), ["a", "b", "c", "d"])
    }

    func testCachedAnswersAreKeyedSoNoRequestCanTakeAnothersKey() {
        func key(_ query: MetricQuery, saved: String? = nil, csv: Bool = false) -> String {
            APIService.MetricsRequest(query: query, savedQuery: saved, csv: csv).cacheKey
        }
        // Requests that differ only in where one field ends and the next begins.
        let keys = [
            key(MetricQuery(metrics: ["a", "b"])), key(MetricQuery(metrics: ["a,b"])), key(MetricQuery(metrics: ["a"], groupBy: ["b"])),
            key(MetricQuery(metrics: ["a"], filters: ["x|1:y"])), key(MetricQuery(metrics: ["a"], filters: ["x", "y"])),
            key(MetricQuery(metrics: ["a"], startTime: "2024-01-01")), key(MetricQuery(metrics: ["a"], endTime: "2024-01-01")),
            key(MetricQuery(metrics: ["a"], limit: 1)), key(MetricQuery(metrics: ["a"]), saved: "1"), key(MetricQuery(metrics: ["a"]), csv: true),
            key(MetricQuery(metrics: ["a"], dimensionValues: ["d": ["1", "2"]])), key(MetricQuery(metrics: ["a"], dimensionValues: ["d": ["1"], "2": []])),
        ]
        XCTAssertEqual(Set(keys).count, keys.count, keys.joined(separator: "\n"))
        XCTAssertEqual(key(MetricQuery(metrics: ["a"], filters: ["x"])), key(MetricQuery(metrics: ["a"], filters: ["x"])))
    }

    func testMetricsQueryMistakesAreFourHundredsWithStableCodes() async throws {
        let cases: [(String, String, HTTPResponse.Status)] = [
            ("/api/v1/metrics/query?metrics=revenu", "unknown_metric", .badRequest),
            ("/api/v1/metrics/query?metrics=revenue&group_by=customer__segmnt", "unknown_dimension", .badRequest),
            ("/api/v1/metrics/query?metrics=revenue&limit=-1", "bad_request", .badRequest),
            ("/api/v1/metrics/query?metrics=revenue&limt=3", "unknown_field", .badRequest),
            ("/api/v1/metrics/query", "missing_field", .badRequest),
            ("/api/v1/metrics/query?metrics=revenue&format=xml", "bad_request", .badRequest),
            ("/api/v1/metrics/query?saved_query=nope", "not_found", .notFound),
        ]
        for (uri, code, status) in cases {
            let answer = try await send(uri)
            XCTAssertEqual(answer.status, status, uri)
            XCTAssertEqual(answer.errorCode, code, "\(uri): \(answer.body)")
            XCTAssertFalse(((answer.json["error"] as? [String: Any])?["message"] as? String ?? "").isEmpty)
        }
        // A where filter is the caller's SQL: it runs through the read-only door.
        let sneaky = try await send(.post, "/api/v1/metrics/query", body: #"{"metrics": "revenue", "where": "1 = (select count(*) from read_csv('/etc/passwd'))"}"#)
        XCTAssertEqual(sneaky.status, .forbidden, sneaky.body)
        XCTAssertEqual(sneaky.errorCode, "forbidden_access")
        for body in ["", "[1]", "{\"metrics\": 3}", "{\"metrics\": \"revenue\", \"limit\": \"ten\"}", "{\"metrics\": \"revenue\", \"limit\": true}", "{nope"] {
            let answer = try await send(.post, "/api/v1/metrics/query", body: body)
            XCTAssertEqual(answer.status, .badRequest, "\(body): \(answer.body)")
        }
    }

    func testDashboardsListAndOneWithItsData() async throws {
        let list = try await send("/api/v1/dashboards")
        XCTAssertEqual((list.json["dashboards"] as? [[String: Any]])?.map { $0["name"] as? String }, ["overview"])
        let overview = try await send("/api/v1/dashboards/overview?start=2024-01-01&end=2024-12-31")
        XCTAssertEqual(overview.status, .ok, overview.body)
        let tiles = try XCTUnwrap(overview.json["tiles"] as? [[String: Any]])
        XCTAssertEqual(tiles.count, try ServerRouteTests.served().dashboard(named: "overview")?.tiles.count)
        let kpi = try XCTUnwrap(tiles.first { $0["kind"] as? String == "kpi" })
        let main = try XCTUnwrap((kpi["data"] as? [String: Any])?["main"] as? [String: Any])
        XCTAssertNotNil(main["rows"] as? [[Any]])
        XCTAssertEqual((overview.json["state"] as? [String: Any])?["start"] as? String, "2024-01-01")
        // The SQL behind the answer: each tile's, and every distinct query of the view, each once.
        let queries = try XCTUnwrap(overview.json["queries"] as? [String])
        XCTAssertEqual(Set(queries).count, queries.count)
        let tileSQL = tiles.flatMap { (($0["sql"] as? [String: String]) ?? [:]).values }
        XCTAssertFalse(tileSQL.isEmpty)
        XCTAssertTrue(Set(tileSQL).isSubset(of: Set(queries)))
        for sql in queries { _ = try await warehouse.read { try await $0.query(SQL(unsafeRaw: sql)) } }
        let missing = try await send("/api/v1/dashboards/nope")
        XCTAssertEqual(missing.status, .notFound)
        let badGrain = try await send("/api/v1/dashboards/overview?grain=fortnight")
        XCTAssertEqual(badGrain.status, .badRequest)
        XCTAssertEqual(badGrain.errorCode, "invalid_query")
    }

    func testModelsCarryDescriptionsColumnsAndRowCountsAndRunsTheLastBuild() async throws {
        let answer = try await send("/api/v1/models")
        XCTAssertEqual(answer.status, .ok, answer.body)
        let models = try XCTUnwrap(answer.json["models"] as? [[String: Any]])
        let orders = try XCTUnwrap(models.first { $0["name"] as? String == "orders" })
        XCTAssertEqual(orders["row_count"] as? Int, 7)
        XCTAssertEqual(orders["relation"] as? String, "main.orders")
        XCTAssertTrue(orders["last_build"] is NSNull, "the fixture has never been built")
        // Without a run store there are no runs to list (RunsRouteTests covers a server with one).
        let runs = try await send("/api/v1/runs")
        XCTAssertEqual(runs.status, .notFound)
        XCTAssertEqual(runs.errorCode, "no_run_store")
    }

    func testSQLReturnsRowsTypesElapsedAndTheTruncatedFlag() async throws {
        let answer = try await send(.post, "/api/v1/sql", body: #"{"sql": "select status, count(*) as n from main.orders group by 1 order by 1", "limit": 1}"#)
        XCTAssertEqual(answer.status, .ok, answer.body)
        XCTAssertEqual(answer.json["rows"] as? [[AnyHashable]], [["cancelled", 1]])
        XCTAssertEqual((answer.json["columns"] as? [[String: String]])?.map { $0["type"] }, ["VARCHAR", "BIGINT"])
        XCTAssertEqual(answer.json["truncated"] as? Bool, true)
        XCTAssertNotNil(answer.json["elapsed_ms"] as? Double)
        let csv = try await send("/api/v1/sql?sql=select+order_id+from+main.orders+order+by+1&limit=2&format=csv")
        XCTAssertEqual(csv.body, "order_id\n1\n2\n")
        let write = try await send(.post, "/api/v1/sql", body: #"{"sql": "delete from main.orders"}"#)
        XCTAssertEqual(write.status, .forbidden)
        XCTAssertEqual(write.errorCode, "not_read_only")
        let two = try await send(.post, "/api/v1/sql", body: #"{"sql": "select 1; select 2"}"#)
        XCTAssertEqual(two.errorCode, "multiple_statements")
        let misspelt = try await send(.post, "/api/v1/sql", body: #"{"query": "select 1"}"#)
        XCTAssertEqual(misspelt.errorCode, "unknown_field")
        let empty = try await send("/api/v1/sql")
        XCTAssertEqual(empty.errorCode, "missing_field")
    }

    func testLimitsAnswerWith413And429And504() async throws {
        let huge = "{\"sql\": \"select '" + String(repeating: "x", count: 1_100_000) + "'\"}"
        let tooLarge = try await send(.post, "/api/v1/sql", body: huge)
        XCTAssertEqual(tooLarge.status, .contentTooLarge, String(tooLarge.body.prefix(300)))
        XCTAssertEqual(tooLarge.errorCode, "too_large")

        var options = ServerOptions()
        options.limits.sqlBurst = 3
        options.limits.sqlPerSecond = 0.01
        options.limits.queryTimeout = .milliseconds(200)
        let router = StorehouseServer.router(served: try ServerRouteTests.served(), warehouse: warehouse, options: options)
        try await Application(router: router).test(.router) { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<5 {
                try await client.execute(uri: "/api/v1/sql?sql=select+1", method: .get) { statuses.append($0.status) }
            }
            XCTAssertEqual(statuses, [.ok, .ok, .ok, .tooManyRequests, .tooManyRequests])
            try await client.execute(uri: "/api/v1/sql?sql=select+1", method: .get) { response in
                XCTAssertNotNil(response.headers[.retryAfter])
                XCTAssertTrue(String(buffer: response.body).contains("rate_limited"))
            }
        }
        let slowRouter = StorehouseServer.router(served: try ServerRouteTests.served(), warehouse: warehouse, options: {
            var slow = ServerOptions()
            slow.limits.queryTimeout = .milliseconds(200)
            return slow
        }())
        try await Application(router: slowRouter).test(.router) { client in
            let endless = "select+sum(a.range+*+b.range)+from+range(1000000000)+a,+range(100000)+b"
            try await client.execute(uri: "/api/v1/sql?sql=\(endless)", method: .get) { response in
                XCTAssertEqual(response.status, .gatewayTimeout)
                XCTAssertTrue(String(buffer: response.body).contains("\"timeout\""))
            }
        }
    }

    func testErrorsAreJSONUnderTheAPIAndPagesElsewhereBothWithSecurityHeaders() async throws {
        let api = try await send("/api/v1/nothing-here")
        XCTAssertEqual(api.status, .notFound)
        XCTAssertEqual(api.errorCode, "not_found")
        let page = try await send("/nothing-here")
        XCTAssertEqual(page.status, .notFound)
        XCTAssertTrue(page.headers[.contentType]?.hasPrefix("text/html") == true)
        for answer in [api, page] {
            XCTAssertEqual(answer.headers[.xContentTypeOptions], "nosniff")
            XCTAssertTrue(answer.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
        }
    }

    func testHealthReadinessAndPrometheusMetrics() async throws {
        let router = StorehouseServer.router(served: try ServerRouteTests.served(), warehouse: warehouse)
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { XCTAssertEqual(String(buffer: $0.body), "ok\n") }
            try await client.execute(uri: "/readyz", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertTrue(String(buffer: response.body).contains("\"status\":\"ready\""))
            }
            for _ in 0..<2 { try await client.execute(uri: "/dashboards/overview", method: .get) { XCTAssertEqual($0.status, .ok) } }
            try await client.execute(uri: "/api/v1/metrics/nope", method: .get) { XCTAssertEqual($0.status, .notFound) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                XCTAssertTrue(text.contains(#"storehouse_http_requests_total{route="/dashboards/{name}",method="GET",status="200"} 2"#), text)
                XCTAssertTrue(text.contains(#"storehouse_http_requests_total{route="/api/v1/metrics/{name}",method="GET",status="404"} 1"#), text)
                XCTAssertTrue(text.contains(#"storehouse_http_request_duration_seconds_bucket{route="/dashboards/{name}",le="#), text)
                let hits = text.split(separator: "\n").first { $0.hasPrefix("storehouse_page_cache_hits_total ") }
                XCTAssertEqual(hits.flatMap { Int($0.split(separator: " ").last ?? "") }, 1, "the second page came from the page cache: \(text)")
                XCTAssertTrue(text.contains("storehouse_query_cache_misses_total "), text)
                XCTAssertTrue(text.contains("storehouse_warehouse_query_duration_seconds_count{kind=\"dashboard\"}"), text)
                XCTAssertTrue(text.contains("storehouse_build_last_success -1"), "no build on record")
            }
        }
    }

    func testTheOpenAPIDocumentIsValidJSONAndDescribesEveryRoute() async throws {
        let answer = try await send("/api/v1/openapi.json")
        XCTAssertEqual(answer.status, .ok)
        XCTAssertEqual(answer.json["openapi"] as? String, "3.1.0")
        let paths = try XCTUnwrap(answer.json["paths"] as? [String: [String: Any]])
        let router = StorehouseServer.router(served: try ServerRouteTests.served(), warehouse: warehouse)
        let pages: Set<String> = ["/", "/login", "/favicon.ico", "/explorer", "/assets/storehouse.css", "/assets/storehouse.js", "/assets/explorer.css",
                                  "/assets/explorer.js", "/dashboards/{name}", "/dashboards/{name}/tiles/{file}", "/dashboards/{name}/tiles/{file}/rows",
                                  "/dashboards/{name}/tiles/{file}/rows.csv", "/customers", "/customers/{id}", "/api/v1/openapi.json",
                                  "/runs", "/runs/{id}", "/models/graph", "/assets/runs.css", "/docs", "/docs/graph", "/docs/tests",
                                  "/docs/nodes/{id}", "/docs/columns/{column}", "/docs/metrics/{name}", "/assets/docs.css", "/assets/docs.js",
                                  "/assets/docs-graph.js", "/ml", "/ml/{model}"]
        for route in router.routes {
            let path = "/" + route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            let normalized = path == "//" ? "/" : path
            if pages.contains(normalized) { continue }
            XCTAssertNotNil(paths[normalized]?[route.method.rawValue.lowercased()], "\(route.method) \(normalized) is not in the OpenAPI document")
        }
        for (path, operations) in paths {
            for method in operations.keys {
                let uri = path.replacingOccurrences(of: "{name}", with: path.contains("dashboards") ? "overview" : "revenue")
                    .replacingOccurrences(of: "{id}", with: "1")
                let answer = try await send(HTTPRequest.Method(method.uppercased())!, uri)
                XCTAssertFalse(answer.body.contains("no such route"), "\(method) \(path) is documented but not routed")
                XCTAssertLessThan(answer.status.code, 500, "\(method) \(path)")
            }
        }
    }
}
