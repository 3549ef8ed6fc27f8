import Foundation
import WarehouseDuckDB
import WarehouseKit

/// The floor under a build: the statements a `storehouse build` ran, read back from its
/// `target/run_results.json` and `target/manifest.json`, sent straight to DuckDB on one
/// connection, one after another, each committing on its own — `create table … as` for tables and
/// incremental models, `create view … as` for views, `read_csv` for seeds, `select count(*)` over
/// each test, then the close that checkpoints the file. No relation lookups, temporary relations,
/// renames, hooks or artifacts: what the warehouse itself needs. Parents run before children (the manifest's parent_map), otherwise in
/// run_results.json's order.
///
///     StorehouseBench floor PROJECT_DIR DATABASE     (DATABASE: the warehouse before the build, a copy)
func floorBench(projectDir: String, database: String) async throws {
    let target = (projectDir as NSString).appendingPathComponent("target")
    func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: (target as NSString).appendingPathComponent(name)))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw WarehouseError(.query, "\(name) is not a JSON object")
        }
        return object
    }
    let manifest = try json("manifest.json")
    let results = try json("run_results.json")["results"] as? [[String: Any]] ?? []
    let nodes = manifest["nodes"] as? [String: [String: Any]] ?? [:]
    var statements: [(kind: String, sql: String)] = []
    var schemas: [String] = []
    for result in inDependencyOrder(results, parents: manifest["parent_map"] as? [String: [String]] ?? [:]) {
        guard let id = result["unique_id"] as? String, let node = nodes[id], result["status"] as? String != "error" else { continue }
        let type = node["resource_type"] as? String ?? ""
        let relation = node["relation_name"] as? String ?? ""
        if let schema = node["schema"] as? String, type != "test", !schemas.contains(schema) { schemas.append(schema) }
        let code = result["compiled_code"] as? String ?? ""
        switch type {
        case "seed":
            let path = (projectDir as NSString).appendingPathComponent(node["original_file_path"] as? String ?? "")
            statements.append(("seed", "create table \(relation) as select * from read_csv('\(path.replacingOccurrences(of: "'", with: "''"))', header = true)"))
        case "model", "snapshot":
            let materialized = (node["config"] as? [String: Any])?["materialized"] as? String ?? "view"
            if materialized == "view" {
                statements.append(("view", "create view \(relation) as (\n\(code)\n)"))
            } else {
                statements.append((type == "snapshot" ? "snapshot" : "table", "create table \(relation) as (\n\(code)\n)"))
            }
        case "test":
            statements.append(("test", "select count(*) from (\n\(code)\n) dbt_internal_test"))
        default:
            continue
        }
    }
    let warehouse = try DuckDBWarehouse(path: database)
    let neededSchemas = schemas
    var perKind: [String: (count: Int, seconds: Double)] = [:]
    let total = try await seconds {
        try await warehouse.write { db in
            for schema in neededSchemas { _ = try await db.execute(SQL(unsafeRaw: "create schema if not exists \"\(schema)\"")) }
        }
        for statement in statements {
            let took = try await seconds {
                try await warehouse.write { db in
                    if statement.kind == "test" { _ = try await db.query(SQL(unsafeRaw: statement.sql)) } else { _ = try await db.execute(SQL(unsafeRaw: statement.sql)) }
                }
            }
            perKind[statement.kind, default: (0, 0)].count += 1
            perKind[statement.kind, default: (0, 0)].seconds += took
        }
        // Closing checkpoints the file, as a build's end does.
        await warehouse.close()
    }
    for (kind, figures) in perKind.sorted(by: { $0.key < $1.key }) {
        report("floor: \(figures.count) \(kind) statements", String(format: "%.3f s", figures.seconds))
    }
    report("floor: total (\(statements.count) statements, one connection)", String(format: "%.3f s", total))
    print(String(format: "FLOOR_SECONDS=%.3f", total))
}

/// `results` reordered so every node comes after its parents among them (Kahn's algorithm, ties
/// kept in their given order).
func inDependencyOrder(_ results: [[String: Any]], parents: [String: [String]]) -> [[String: Any]] {
    let ids = results.map { $0["unique_id"] as? String ?? "" }
    let position = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    var waiting = ids.map { id in (parents[id] ?? []).filter { position[$0] != nil }.count }
    var children: [Int: [Int]] = [:]
    for (index, id) in ids.enumerated() {
        for parent in parents[id] ?? [] { if let p = position[parent] { children[p, default: []].append(index) } }
    }
    var ready = waiting.indices.filter { waiting[$0] == 0 }
    var order: [Int] = []
    while !ready.isEmpty {
        ready.sort(by: >)
        let next = ready.removeLast()
        order.append(next)
        for child in children[next] ?? [] {
            waiting[child] -= 1
            if waiting[child] == 0 { ready.append(child) }
        }
    }
    return order.map { results[$0] }
}
