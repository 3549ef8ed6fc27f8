import ColumnLineage
import Dashboards
import Foundation
import Hummingbird
import TransformProject
import TransformRuntime

/// The docs, for viewers: `/docs` (overview and search), `/docs/nodes/{unique_id}`,
/// `/docs/columns/{schema.relation.column}`, `/docs/metrics/{name}`, `/docs/graph`, and the JSON
/// the pages' scripts read (`/docs/search.json`, `/docs/graph.json`, `/docs/select.json`).
enum DocsRoutes {
    static func add(to router: Router<StorehouseRequestContext>, docs: DocsService) {
        let dashboards = docs.served.dashboards
        router.get("assets/docs.css") { _, _ in Asset(text: DocsAssets.stylesheet, contentType: "text/css; charset=utf-8") }
        router.get("assets/docs.js") { _, _ in Asset(text: DocsAssets.script, contentType: "text/javascript; charset=utf-8") }
        router.get("assets/docs-graph.js") { _, _ in Asset(text: DocsGraphScript.source, contentType: "text/javascript; charset=utf-8") }

        router.get("docs") { request, context in
            try context.require(.viewer)
            let fields = FormFields(query: request)
            try RunsRoutes.refuseUnknown(fields, allowed: ["q"])
            let query = (fields.get("q") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let hits = query.isEmpty ? [] : await docs.index().search(query, limit: 30)
            let page = DocsHomePage(projectName: docs.manifest.projectName, nodes: docs.documented, metrics: docs.served.semantics.metrics,
                                    query: query, hits: hits, dashboards: dashboards)
            return RunsRoutes.noStore(page.render())
        }
        router.get("docs/search.json") { request, context in
            try context.require(.viewer)
            let fields = FormFields(query: request)
            try RunsRoutes.refuseUnknown(fields, allowed: ["q", "limit"])
            let query = fields.get("q") ?? ""
            guard query.count <= 500 else { throw APIError.badRequest("the query is \(query.count) characters; 500 at most", code: "query_too_long") }
            let limitText = fields.get("limit") ?? "20"
            guard let limit = Int(limitText), (1...100).contains(limit) else {
                throw APIError.badRequest("limit=\(limitText) is not a number from 1 to 100", code: "invalid_limit")
            }
            let hits = await docs.index().search(query, limit: limit)
            return JSONResponse(.object([("query", .string(query)), ("results", .array(hits.map { hit in
                .object([("kind", .string(hit.document.kind.rawValue)), ("title", .string(hit.document.title)),
                         ("summary", .string(hit.document.summary)), ("link", .string(hit.document.link)), ("score", .double(hit.score))])
            }))]))
        }
        router.get("docs/graph") { request, context in
            try context.require(.viewer)
            let fields = FormFields(query: request)
            try RunsRoutes.refuseUnknown(fields, allowed: ["select", "exclude"])
            let page = DocsGraphPage(selection: fields.get("select") ?? "", exclude: fields.get("exclude") ?? "",
                                     nodeCount: docs.documented.count, dashboards: dashboards)
            return RunsRoutes.noStore(page.render())
        }
        router.get("docs/graph.json") { _, context in
            try context.require(.viewer)
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-cache"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: docs.graphJSON)))
        }
        router.get("docs/select.json") { request, context in
            try context.require(.viewer)
            let fields = FormFields(query: request)
            try RunsRoutes.refuseUnknown(fields, allowed: ["select", "exclude"])
            let select = fields.get("select") ?? "", exclude = fields.get("exclude") ?? ""
            guard select.count + exclude.count <= 4_000 else { throw APIError.badRequest("the selection is too long (4,000 characters at most)", code: "selection_too_long") }
            let ids: [String]
            do { ids = try docs.select(select, exclude: exclude) } catch {
                throw APIError.badRequest("\(error)", code: "invalid_selection",
                                          hint: "dbt's selection syntax: a name, +name, name+, tag:x, path:models/marts, source:x.y, resource_type:seed")
            }
            return JSONResponse(.object([("count", .int(ids.count)), ("ids", .array(ids.map(JSONValue.string)))]))
        }
        router.get("docs/nodes/:id") { _, context in
            try context.require(.viewer)
            let id = Self.parameter(context, "id")
            guard let node = docs.resource(id), DocsGraph.kinds.contains(node.resourceType) else {
                let names = docs.documented.map(\.uniqueId)
                throw APIError.notFound("no model, seed, snapshot or source '\(id)' in this project",
                                        hint: (Suggest.closest(to: id, among: names).map { "did you mean \($0)? " } ?? "") + "search the docs at /docs")
            }
            let catalog = (try? await docs.catalog()) ?? [:]
            let metrics = docs.metrics(on: node)
            let tests = docs.tests[node.uniqueId] ?? []
            let page = DocsNodePage(
                node: node, relation: catalog[node.uniqueId], results: docs.latestResults(),
                tests: tests.compactMap(docs.resource), history: docs.history(of: tests),
                parents: Array(Set(node.dependsOnNodes)).sorted().compactMap(docs.resource).filter { DocsGraph.kinds.contains($0.resourceType) },
                children: (docs.children[node.uniqueId] ?? []).compactMap(docs.resource),
                compiled: [.model, .snapshot].contains(node.resourceType) && !node.rawCode.isEmpty ? docs.compiledSQL(node.uniqueId) : nil,
                metrics: metrics, profile: docs.profile(of: node.uniqueId), tiles: docs.tiles(showing: Set(metrics.map(\.name)), readingModels: [node.name]),
                dashboards: dashboards, now: Date())
            return RunsRoutes.noStore(page.render())
        }
        router.get("docs/columns/:column") { _, context in
            try context.require(.viewer)
            let text = Self.parameter(context, "column").lowercased()
            let parts = text.split(separator: ".").map(String.init)
            guard parts.count >= 3 else {
                throw APIError.badRequest("'\(text)' is not schema.relation.column", code: "invalid_column",
                                          hint: "for example /docs/columns/marts.dim_customers.lifetime_value")
            }
            let relation = parts.dropLast().suffix(2).joined(separator: "."), column = parts.last!
            let node = docs.documented.first { $0.relation?.lowercasedName == relation }
            let catalog = (try? await docs.catalog()) ?? [:]
            let catalogColumn = node.flatMap { catalog[$0.uniqueId]?.columns.first { $0.name.lowercased() == column } }
            let doc = node?.columns.first { $0.name.lowercased() == column }
            var page = DocsColumnPage(relation: relation, column: column, node: node, type: catalogColumn?.type ?? doc?.dataType, doc: doc,
                                      lineage: nil, unavailable: nil, metrics: [], tiles: [], dashboards: dashboards)
            switch await docs.lineage() {
            case .unavailable(let why):
                guard node != nil, catalogColumn != nil || doc != nil else { throw Self.noColumn(text, relation: relation, node: node) }
                page.unavailable = why
            case .traced(let lineage):
                guard lineage.columns[relation]?.contains(column) ?? (catalogColumn != nil || doc != nil) else {
                    throw Self.noColumn(text, relation: relation, node: node, known: lineage.columns[relation])
                }
                page.lineage = lineage
                let affected = lineage.affectedColumns(by: ColumnSource(relation, column))
                page.metrics = docs.served.semantics.metrics(reading: affected)
                let models = Set(affected.keys.compactMap { lineage.nodes[$0] }.compactMap(docs.resource).filter { $0.resourceType == .model }.map(\.name))
                page.tiles = docs.tiles(showing: Set(page.metrics), readingModels: models)
            }
            return RunsRoutes.noStore(page.render())
        }
        router.get("docs/tests") { request, context in
            try context.require(.viewer)
            let fields = FormFields(query: request)
            try RunsRoutes.refuseUnknown(fields, allowed: ["status"])
            let status = fields.get("status").flatMap { $0.isEmpty ? nil : $0 }
            if let status, !DocsTestsPage.statuses.contains(status) {
                throw APIError.badRequest("status=\(status) is not a test status", code: "invalid_status",
                                          hint: "one of " + DocsTestsPage.statuses.joined(separator: ", "))
            }
            let all = docs.manifest.nodes.values.filter { $0.resourceType == .test || $0.resourceType == .unitTest }
            let results = docs.latestResults()
            let shown = status.map { wanted in all.filter { (results.latest($0.uniqueId)?.status ?? "never") == wanted } } ?? Array(all)
            let table = DocsTestsTable(tests: shown, results: results, history: docs.history(of: shown.map(\.uniqueId)), showTarget: true, now: Date())
            return RunsRoutes.noStore(DocsTestsPage(table: table, status: status, total: all.count, dashboards: dashboards).render())
        }
        router.get("docs/metrics/:name") { _, context in
            try context.require(.viewer)
            let name = Self.parameter(context, "name")
            let semantics = docs.served.semantics
            guard let metric = semantics.metric(named: name) else {
                throw APIError.notFound("no metric '\(name)' in this project",
                                        hint: Suggest.closest(to: name, among: semantics.metrics.map(\.name)).map { "did you mean \($0)?" } ?? "the docs list every metric at /docs")
            }
            var modelIDs: [String: String] = [:]
            for node in docs.documented { if let relation = node.relation?.lowercasedName { modelIDs[relation] = node.uniqueId } }
            let page = DocsMetricPage(metric: metric, semantics: semantics, modelIDs: modelIDs,
                                      tiles: docs.tiles(showing: [metric.name], readingModels: []), dashboards: dashboards)
            return RunsRoutes.noStore(page.render())
        }
    }

    static func parameter(_ context: StorehouseRequestContext, _ name: String) -> String {
        let raw = context.parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    static func noColumn(_ text: String, relation: String, node: Node?, known: [String]? = nil) -> APIError {
        guard let node else {
            return APIError.notFound("no relation '\(relation)' in this project", hint: "write the column as schema.relation.column; search at /docs")
        }
        let names = known ?? node.columns.map { $0.name.lowercased() }
        let column = String(text.split(separator: ".").last ?? "")
        return APIError.notFound("\(DocsPaths.title(node)) has no column '\(column)'",
                                 hint: Suggest.closest(to: column, among: names).map { "did you mean \($0)?" } ?? "its columns are on \(DocsPaths.node(node.uniqueId))")
    }
}
