import Foundation
import Hummingbird
import WarehouseKit

/// `/explorer`: the SQL explorer page and its assets. The query runs through the same door as
/// `/api/v1/sql` (read-only, row and time limits, the per-client rate limit).
enum ExplorerRoutes {
    static func add(to router: Router<StorehouseRequestContext>, api: APIService, sqlLimiter: RateLimiter) {
        router.get("assets/explorer.css") { _, _ in Asset(text: ExplorerPage.stylesheet, contentType: "text/css; charset=utf-8") }
        router.get("assets/explorer.js") { _, _ in Asset(text: ExplorerPage.script, contentType: "text/javascript; charset=utf-8") }
        router.get("explorer") { request, context in
            let query = FormFields(query: request)
            let sql = query.get("sql") ?? ""
            let requested = query.get("limit").flatMap { Int($0) } ?? 1_000
            let limit = ExplorerPage.limits.contains(requested) ? requested : 1_000
            var page = ExplorerPage(relations: try await relations(api), sql: sql, limit: min(limit, api.limits.sqlRowLimit), outcome: .none,
                                    dashboards: api.served.dashboards)
            if !sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                do {
                    try await APIRoutes.admit(request, context, sqlLimiter)
                    page.outcome = .answer(try await api.sql(sql, rowLimit: page.limit))
                } catch {
                    let answer = APIError.from(error)
                    guard answer.status.code < 500 || answer.status == .gatewayTimeout || answer.status == .serviceUnavailable else { throw error }
                    // The page itself rendered fine: it answers 200 and shows the refusal; the
                    // API (/api/v1/sql) answers with the refusal's own status.
                    page.outcome = .failure(answer)
                }
            }
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: page.render())))
        }
    }

    /// Every relation the warehouse holds with its columns, described from the project's YAML
    /// where a model, seed, snapshot or source defines it. Cached until the next build.
    static func relations(_ api: APIService) async throws -> [ExplorerPage.Relation] {
        let columns = try await api.dashboards.run("""
            select table_schema, table_name, column_name, data_type
            from information_schema.columns
            where table_schema not in ('information_schema', 'pg_catalog')
            order by table_schema, table_name, ordinal_position
            """, kind: "explorer")
        let manifest = api.served.project.manifest
        var described: [String: (resource: String, description: String, columns: [String: String])] = [:]
        for node in Array(manifest.nodes.values) + Array(manifest.sources.values) {
            guard let relation = node.relation, [.model, .seed, .snapshot, .source].contains(node.resourceType) else { continue }
            let key = relation.lowercasedName
            described[key] = (node.uniqueId, node.description, Dictionary(node.columns.map { ($0.name.lowercased(), $0.description) }, uniquingKeysWith: { a, _ in a }))
        }
        var relations: [String: ExplorerPage.Relation] = [:]
        var order: [String] = []
        for row in columns.rows {
            guard let schema = row[0].string, let table = row[1].string, let column = row[2].string else { continue }
            let key = "\(schema).\(table)".lowercased()
            if relations[key] == nil {
                order.append(key)
                relations[key] = ExplorerPage.Relation(schema: schema, name: table, resource: described[key]?.resource,
                                                       description: described[key]?.description ?? "", columns: [])
            }
            relations[key]!.columns.append(ExplorerPage.Column(name: column, type: row[3].string ?? "",
                                                               description: described[key]?.columns[column.lowercased()] ?? ""))
        }
        return order.map { relations[$0]! }
    }
}
