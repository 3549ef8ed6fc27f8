import Foundation
import XCTest
@testable import TransformProject
import WarehouseKit

/// Compiled SQL must equal, byte for byte, what dbt-core 1.11 + dbt-duckdb 1.11 compiled for the
/// same fixture (stored in Fixtures/expected_compiled; see the README there).
final class CompileTests: XCTestCase {
    func testEveryCompiledFileMatchesDbt() throws {
        let project = try ProjectLoader.load(Fixtures.options())
        let compiler = Compiler(project: project, host: OfflineHost(dialect: project.dialect))
        let compiled = try compiler.compileAll()
        let prefix = "target/compiled/jaffle_shop/"
        var byPath: [String: String] = [:]
        for c in compiled { byPath[String(c.compiledPath.dropFirst(prefix.count))] = c.sql }
        let expectedFiles = FileManager.default.enumerator(atPath: Fixtures.expectedCompiled)!.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".sql") && !$0.hasSuffix(".yml") }.sorted()
        XCTAssertEqual(expectedFiles.count, 26)
        for file in expectedFiles {
            let expected = try String(contentsOfFile: Fixtures.expectedCompiled + "/" + file, encoding: .utf8)
            guard let actual = byPath[file] else { XCTFail("not compiled: \(file); have \(byPath.keys.sorted())"); continue }
            XCTAssertEqual(actual, expected, "compiled SQL differs for \(file)")
        }
        // Snapshots compile too (dbt does not write them to target/compiled).
        XCTAssertEqual(try compiler.compile("snapshot.jaffle_shop.orders_snapshot").sql,
                       "\n\n\n\nselect * from \"jaffle_shop\".\"main\".\"stg_orders\"\n")
    }

    func testIsIncrementalFollowsTheHost() throws {
        final class ExistingHost: CompilationHost {
            let dialect = SQLDialect.duckdb
            var fullRefresh: Bool { false }
            func relationExists(_ relation: QualifiedRelation) -> Bool { relation.identifier == "order_events" }
            func runQuery(_ sql: String) throws -> ResultSet { ResultSet(columns: [], rows: []) }
        }
        let project = try ProjectLoader.load(Fixtures.options())
        let sql = try Compiler(project: project, host: ExistingHost()).compile("model.jaffle_shop.order_events").sql
        XCTAssertTrue(sql.hasSuffix("\nwhere order_date > (select max(order_date) from \"jaffle_shop\".\"main_marts\".\"order_events\")\n"), sql)
    }

    func testGetRelationAndLoadRelationAskTheWarehouseOnlyWhenExecuting() throws {
        final class WarehouseWithFeed: CompilationHost {
            let dialect = SQLDialect.duckdb
            var fullRefresh: Bool { false }
            func relationExists(_ relation: QualifiedRelation) -> Bool {
                relation.schema == "raw" && relation.identifier == "feed" || relation.identifier == "stg_orders"
            }
            func runQuery(_ sql: String) throws -> ResultSet { ResultSet(columns: [], rows: []) }
        }
        let dir = try Fixtures.copy(["models/optional_feed.sql": """
            {% set feed = adapter.get_relation(database=none, schema='raw', identifier='feed') %}
            {% set other = adapter.get_relation(none, 'raw', 'missing') %}
            {% set orders = load_relation(ref('stg_orders')) %}
            {% set customers = load_relation(ref('stg_customers')) %}
            select '{{ feed }}' as feed, '{{ other }}' as other, '{{ orders }}' as orders, '{{ customers }}' as customers
            """])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let project = try ProjectLoader.load(Fixtures.options(dir))
        XCTAssertEqual(project.manifest.nodes["model.jaffle_shop.optional_feed"]?.dependsOnNodes.sorted(),
                       ["model.jaffle_shop.stg_customers", "model.jaffle_shop.stg_orders"], "refs inside load_relation still count")
        let live = try Compiler(project: project, host: WarehouseWithFeed()).compile("model.jaffle_shop.optional_feed").sql
        XCTAssertTrue(live.hasSuffix("""
            select '"raw"."feed"' as feed, 'None' as other, '"jaffle_shop"."main"."stg_orders"' as orders, 'None' as customers
            """), live)
        let offline = try Compiler(project: project, host: OfflineHost(dialect: .duckdb)).compile("model.jaffle_shop.optional_feed").sql
        XCTAssertTrue(offline.hasSuffix("select 'None' as feed, 'None' as other, 'None' as orders, 'None' as customers"), offline)
    }

    func testCTEInjectionWithoutWith() {
        XCTAssertEqual(CTEInjector.inject([" __dbt__cte__a as (\nselect 1\n)"], into: "\n\nselect * from __dbt__cte__a"),
                       "\n\nwith __dbt__cte__a as (\nselect 1\n) select * from __dbt__cte__a")
        XCTAssertEqual(CTEInjector.inject([" __dbt__cte__a as (\nx\n)", " __dbt__cte__b as (\ny\n)"], into: "WITH RECURSIVE t as (select 1) select 2"),
                       "WITH RECURSIVE  __dbt__cte__a as (\nx\n),  __dbt__cte__b as (\ny\n), t as (select 1) select 2")
    }
}
