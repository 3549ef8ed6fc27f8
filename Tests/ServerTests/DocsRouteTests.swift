import ColumnLineage
import Dashboards
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import TransformProject
import TransformRuntime
import WarehouseDuckDB
import WarehouseKit
import XCTest

/// The docs pages over the bundled project built on a small generated store: what a page says
/// is checked against the warehouse (row counts, column types), the manifest (tests, parents)
/// and the last test run (each test's status and failing rows).
final class DocsRouteTests: XCTestCase {
    /// dim_customers' tests, run once: the store's extra customer (a markup name, no sign-up
    /// date) makes some of them fail, so the page has failures to show.
    static let testRun = TestRun()

    actor TestRun {
        private var results: [String: (status: String, failures: Int?)]?
        func get(_ served: ServedProject, _ warehouse: any Warehouse) async throws -> [String: (status: String, failures: Int?)] {
            if let results { return results }
            let summary = try await TransformRunner(project: served.project, warehouse: warehouse,
                                                    options: RunOptions(command: .test, select: ["dim_customers"], threads: 2),
                                                    reporter: AnalyticsStore.Silent()).run()
            var out: [String: (String, Int?)] = [:]
            for result in summary.results { out[result.uniqueId] = (result.status.rawValue, result.failures) }
            results = out
            return out
        }
    }

    static let parser = ParserBox()

    /// One in-memory DuckDB parsing for every test, as serve keeps one.
    actor ParserBox {
        private var trees: SQLParseTrees?
        func get() async throws -> SQLParseTrees {
            if let trees { return trees }
            let duckdb = try DuckDBWarehouse(path: ":memory:")
            let made = SQLParseTrees(aggregates: try await duckdb.aggregateFunctionNames(), parse: { try await duckdb.parseTree(of: $0) })
            trees = made
            return made
        }
    }

    func get(_ uri: String, parser: Bool = true, headers: HTTPFields = [:]) async throws -> (status: HTTPResponse.Status, body: String) {
        let (warehouse, served) = try await AnalyticsStore.shared.get()
        var options = ServerOptions()
        if parser { options.sqlParser = try await Self.parser.get() }
        return try await Application(router: StorehouseServer.router(served: served, warehouse: warehouse, options: options)).test(.router) { client in
            try await client.execute(uri: uri, method: .get, headers: headers) { ($0.status, String(buffer: $0.body)) }
        }
    }

    func json(_ uri: String) async throws -> (status: HTTPResponse.Status, object: [String: Any]) {
        let (status, body) = try await get(uri, headers: [.accept: "application/json"])
        return (status, try XCTUnwrap(JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], body))
    }

    /// The text of the element with `id`, up to its closing tag (the pages nest no same-name tags inside these).
    func element(_ id: String, in html: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\"") else { return nil }
        let before = html[..<start.lowerBound]
        guard let open = before.range(of: "<", options: .backwards) else { return nil }
        let tag = html[open.upperBound...].prefix { $0.isLetter || $0.isNumber }
        guard let close = html.range(of: "</\(tag)>", range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[open.lowerBound..<close.upperBound])
    }

    func testTheModelPageShowsTheWarehousesFiguresAndTheLastTestResults() async throws {
        let (warehouse, served) = try await AnalyticsStore.shared.get()
        let results = try await Self.testRun.get(served, warehouse)
        let (status, html) = try await get("/docs/nodes/model.storehouse_analytics.dim_customers")
        XCTAssertEqual(status, .ok)
        let rows = try await warehouse.read { try await $0.query("select count(*) as n from marts.dim_customers") }.row(0)["n"]?.int64
        XCTAssertTrue(html.contains("<span id=\"row-count\">\(ValueFormat.integer.full(Double(try XCTUnwrap(rows))))</span>"), "row count as the warehouse has it")
        // Every column in the warehouse's order, with its type.
        let columns = try await warehouse.read {
            try await $0.query("select column_name, data_type from information_schema.columns where table_schema = 'marts' and table_name = 'dim_customers' order by ordinal_position")
        }.rows
        let table = try XCTUnwrap(element("columns", in: html))
        var last = table.startIndex
        for column in columns {
            let name = try XCTUnwrap(column[0].string), type = try XCTUnwrap(column[1].string)
            let row = try XCTUnwrap(table.range(of: "<tr data-column=\"\(name)\">", range: last..<table.endIndex), "\(name) in order")
            XCTAssertTrue(table[row.upperBound...].prefix(400).contains("<code>\(type)</code>"), "\(name) is \(type)")
            last = row.upperBound
        }
        XCTAssertTrue(table.contains("href=\"/docs/columns/marts.dim_customers.lifetime_value\""))
        // The model's description, its parents, and metrics defined on it.
        let node = try XCTUnwrap(served.project.manifest.nodes["model.storehouse_analytics.dim_customers"])
        XCTAssertTrue(html.contains(Markup.escape(DocsText.firstSentence(node.description)).dropLast(1)), "description shown")
        let parents = try XCTUnwrap(element("parents", in: html))
        for parent in node.dependsOnNodes { XCTAssertTrue(parents.contains(DocsPaths.node(parent)), parent) }
        // Every test on the model with the result of the run above; failing rows where it failed.
        // The tests table holds sample tables of its own: look its rows up in the page.
        let tests = html[try XCTUnwrap(html.range(of: "id=\"tests\"")).lowerBound...]
        let attached = served.project.manifest.nodes.values.filter { $0.resourceType == .test && $0.attachedNode == node.uniqueId }
        XCTAssertFalse(attached.isEmpty)
        var failing = 0
        for test in attached {
            let result = try XCTUnwrap(results[test.uniqueId], test.uniqueId)
            let row = try XCTUnwrap(tests.range(of: "<tr data-test=\"\(test.uniqueId)\""), test.uniqueId)
            let cells = tests[row.upperBound...].prefix { $0 != "\n" }
            XCTAssertTrue(cells.contains("status-\(result.status)"), "\(test.name): \(result.status) in \(cells)")
            if result.status == "fail" {
                failing += 1
                XCTAssertTrue(cells.contains("<td class=\"num\">\(ValueFormat.integer.full(Double(result.failures ?? -1)))</td>"), "\(test.name) failing rows")
            }
        }
        XCTAssertGreaterThan(failing, 0, "the extra customer without a sign-up date fails a test")
        // A failing test shows its first failing rows: the extra customer is among them.
        XCTAssertNotNil(tests.range(of: "<details class=\"sample\""), "a failing test's rows")
        // not_null returns the column: the extra customer's missing sign-up date.
        XCTAssertTrue(tests.contains("<summary>First 1 of 1 failing rows</summary><div class=\"table-wrap\"><table class=\"list\"><thead><tr><th>signed_up_at</th></tr></thead>"
            + "<tbody><tr><td><span class=\"muted\">null</span></td></tr>"), "the failing row, its NULL shown as null")
        XCTAssertTrue(html.contains("\(failing) failing"))
        // Compiled SQL reads the staged relations, not Jinja.
        let compiled = try XCTUnwrap(element("compiled-sql", in: html))
        XCTAssertFalse(compiled.contains("{{"))
        XCTAssertTrue(compiled.contains("stg_users&quot;") && compiled.contains("int_customer_order_metrics&quot;"), "refs as relations")
    }

    func testASourcePageAndUnknownNodes() async throws {
        let (_, served) = try await AnalyticsStore.shared.get()
        let source = try XCTUnwrap(served.project.manifest.sources.values.first { $0.name == "users" })
        let (status, html) = try await get("/docs/nodes/\(source.uniqueId)")
        XCTAssertEqual(status, .ok)
        XCTAssertTrue(html.contains("kind-source"))
        XCTAssertTrue(try XCTUnwrap(element("children", in: html)).contains("stg_users"))
        let (missing, body) = try await get("/docs/nodes/model.storehouse_analytics.dim_customer")
        XCTAssertEqual(missing, .notFound)
        XCTAssertTrue(body.contains("did you mean model.storehouse_analytics.dim_customers?"), body)
        // A test is not a docs page of its own.
        let test = try XCTUnwrap(served.project.manifest.nodes.values.first { $0.resourceType == .test })
        let (notDocumented, _) = try await get("/docs/nodes/\(test.uniqueId)")
        XCTAssertEqual(notDocumented, .notFound)
    }

    func testAColumnPageTracesItToRawAndToTheMetricsItMoves() async throws {
        let (status, html) = try await get("/docs/columns/marts.dim_customers.lifetime_value")
        XCTAssertEqual(status, .ok)
        let origins = try XCTUnwrap(element("origins", in: html))
        XCTAssertTrue(origins.contains("raw.order_items.sale_price"), origins)
        XCTAssertTrue(try XCTUnwrap(element("upstream", in: html)).contains("d-aggregation"), "lifetime value sums sales")

        // A raw column: an input, with everything built from it downstream, and the metrics a
        // change moves: the semantic layer's measures over the affected columns.
        let (_, raw) = try await get("/docs/columns/raw.order_items.sale_price")
        XCTAssertTrue(try XCTUnwrap(element("origins", in: raw)).contains("input"))
        XCTAssertTrue(raw.contains("marts.dim_customers.lifetime_value"), "lifetime_value is downstream")
        let (warehouse, served) = try await AnalyticsStore.shared.get()
        let trees = try await Self.parser.get()
        let lineage = try await ProjectLineage.compute(project: served.project, warehouse: warehouse, aggregates: trees.aggregates, parse: trees.parse)
        let expected = served.semantics.metrics(reading: lineage.affectedColumns(by: ColumnSource("raw.order_items", "sale_price")))
        XCTAssertGreaterThan(expected.count, 10, "sales move the revenue metrics")
        let metrics = try XCTUnwrap(element("impact-metrics", in: raw))
        for metric in expected { XCTAssertTrue(metrics.contains(">\(metric)</a>"), metric) }
        XCTAssertEqual(metrics.components(separatedBy: "<li>").count - 1, expected.count)
        XCTAssertTrue(try XCTUnwrap(element("impact-tiles", in: raw)).contains("/dashboards/"), "sales reach dashboard tiles")

        let (unknown, body) = try await get("/docs/columns/marts.dim_customers.lifetime_valu")
        XCTAssertEqual(unknown, .notFound)
        XCTAssertTrue(body.contains("did you mean lifetime_value?"), body)
        let (short, _) = try await get("/docs/columns/lifetime_value")
        XCTAssertEqual(short, .badRequest)
        // Without a parser the page still describes the column and says why lineage is missing.
        let (plain, text) = try await get("/docs/columns/marts.dim_customers.lifetime_value", parser: false)
        XCTAssertEqual(plain, .ok)
        XCTAssertNotNil(element("lineage-unavailable", in: text))
    }

    func testSearchAnswersTheQuestionWithTheMetricAndTheColumn() async throws {
        let (status, object) = try await json("/docs/search.json?q=where%20is%20revenue%20per%20user%3F&limit=5")
        XCTAssertEqual(status, .ok)
        let results = try XCTUnwrap(object["results"] as? [[String: Any]])
        let titles = results.prefix(3).compactMap { $0["title"] as? String }
        XCTAssertTrue(titles.contains("experiment_revenue_per_user"), "\(titles)")
        XCTAssertTrue(titles.contains("experiment_results.revenue_per_user"), "\(titles)")
        XCTAssertLessThanOrEqual(results.count, 5)
        let (page, html) = try await get("/docs?q=lifetime%20value")
        XCTAssertEqual(page, .ok)
        XCTAssertTrue(try XCTUnwrap(element("results", in: html)).contains("/docs/columns/marts.dim_customers.lifetime_value"))
        let (bad, error) = try await json("/docs/search.json?q=x&limit=0")
        XCTAssertEqual(bad, .badRequest)
        XCTAssertEqual((error["error"] as? [String: Any])?["code"] as? String, "invalid_limit")
        let (unknown, _) = try await json("/docs/search.json?query=x")
        XCTAssertEqual(unknown, .badRequest, "a misspelt parameter is refused, not ignored")
    }

    func testTheGraphDataAndSelectionsAreTheManifestsAndTheSelectors() async throws {
        let (_, served) = try await AnalyticsStore.shared.get()
        let manifest = served.project.manifest
        let (status, graph) = try await json("/docs/graph.json")
        XCTAssertEqual(status, .ok)
        let nodes = try XCTUnwrap(graph["nodes"] as? [[String: Any]])
        let expected = (Array(manifest.nodes.values) + Array(manifest.sources.values)).filter { DocsGraph.kinds.contains($0.resourceType) }
        XCTAssertEqual(nodes.count, expected.count)
        let ids = nodes.map { $0["id"] as? String ?? "" }
        for (index, node) in nodes.enumerated() {
            let parents = Set((node["parents"] as? [Int] ?? []).map { ids[$0] })
            let resource = try XCTUnwrap(manifest.resource(ids[index]))
            XCTAssertEqual(parents, Set(resource.dependsOnNodes).intersection(ids), ids[index])
        }
        let (_, selected) = try await json("/docs/select.json?select=%2Bdim_customers&exclude=resource_type%3Asource")
        let chosen = try XCTUnwrap(selected["ids"] as? [String])
        let reference = try Selector(manifest: manifest).select(["+dim_customers"], exclude: ["resource_type:source"])
        XCTAssertEqual(Set(chosen), Set(reference.filter { manifest.nodes[$0].map { DocsGraph.kinds.contains($0.resourceType) } ?? false }))
        XCTAssertTrue(chosen.contains("model.storehouse_analytics.stg_users"))
        XCTAssertFalse(chosen.contains { $0.hasPrefix("source.") || $0.hasPrefix("test.") })
        let (bad, error) = try await json("/docs/select.json?select=colour%3Ared")
        XCTAssertEqual(bad, .badRequest)
        XCTAssertEqual((error["error"] as? [String: Any])?["code"] as? String, "invalid_selection")
        let (page, html) = try await get("/docs/graph?select=%2Bdim_customers")
        XCTAssertEqual(page, .ok)
        XCTAssertTrue(html.contains("value=\"+dim_customers\""))
        XCTAssertTrue(html.contains(DocsGraphScript.path))
    }

    func testTheTestsPageListsEveryTestAndNarrowsByStatus() async throws {
        let (warehouse, served) = try await AnalyticsStore.shared.get()
        let results = try await Self.testRun.get(served, warehouse)
        let (status, html) = try await get("/docs/tests?status=fail")
        XCTAssertEqual(status, .ok)
        let failed = Set(results.filter { $0.value.status == "fail" }.map(\.key))
        let table = try XCTUnwrap(element("tests", in: html))
        let listed = Set(table.components(separatedBy: "<tr data-test=\"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) })
        XCTAssertEqual(listed, failed)
        XCTAssertTrue(table.contains("/docs/nodes/model.storehouse_analytics.dim_customers"), "each test names what it checks")
        let (all, every) = try await get("/docs/tests")
        XCTAssertEqual(all, .ok)
        let tests = served.project.manifest.nodes.values.filter { $0.resourceType == .test }.count
        XCTAssertTrue(try XCTUnwrap(element("test-tally", in: every)).contains("\(tests) tests"))
        let (bad, _) = try await get("/docs/tests?status=broken")
        XCTAssertEqual(bad, .badRequest)
    }

    func testTheOverviewAndAMetricPage() async throws {
        let (_, served) = try await AnalyticsStore.shared.get()
        let (status, html) = try await get("/docs")
        XCTAssertEqual(status, .ok)
        let models = served.project.manifest.nodes.values.filter { $0.resourceType == .model }.count
        XCTAssertTrue(try XCTUnwrap(element("docs-counts", in: html)).contains("\(models) models"))
        XCTAssertTrue(html.contains("href=\"/docs\" aria-current=\"page\""), "Docs in the site header")
        let metric = try XCTUnwrap(served.semantics.metric(named: "experiment_revenue_per_user"))
        let (ok, page) = try await get("/docs/metrics/\(metric.name)")
        XCTAssertEqual(ok, .ok)
        XCTAssertTrue(try XCTUnwrap(element("measures", in: page)).contains("/docs/nodes/model.storehouse_analytics."))
        let (missing, body) = try await get("/docs/metrics/net_revenu")
        XCTAssertEqual(missing, .notFound)
        XCTAssertTrue(body.contains("did you mean net_revenue?"), body)
    }
}
