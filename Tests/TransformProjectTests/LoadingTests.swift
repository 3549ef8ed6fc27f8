import Foundation
import XCTest
@testable import TransformProject

final class LoadingTests: XCTestCase {
    /// Unique ids dbt-core 1.11 put in its manifest.json for the fixture (nodes, sources, exposures).
    static let dbtIds = ["analysis.jaffle_shop.order_counts", "exposure.jaffle_shop.weekly_revenue", "model.jaffle_shop.customers", "model.jaffle_shop.order_events", "model.jaffle_shop.orders", "model.jaffle_shop.stg_customers", "model.jaffle_shop.stg_orders", "model.jaffle_shop.stg_payments", "seed.jaffle_shop.raw_customers", "seed.jaffle_shop.raw_orders", "seed.jaffle_shop.raw_payments", "snapshot.jaffle_shop.orders_snapshot", "source.jaffle_shop.jaffle.raw_orders", "test.jaffle_shop.accepted_values_orders_status__placed__shipped__completed__return_pending__returned.be6b5b5ec3", "test.jaffle_shop.accepted_values_stg_orders_status__placed__shipped__completed__return_pending__returned.080fb20aad", "test.jaffle_shop.accepted_values_stg_payments_payment_method__credit_card__coupon__bank_transfer__gift_card.3c3820f278", "test.jaffle_shop.assert_total_payment_amount_is_positive", "test.jaffle_shop.is_positive_orders_amount.be4089b5e0", "test.jaffle_shop.not_null_customers_customer_id.5c9bf9911d", "test.jaffle_shop.not_null_orders_amount.106140f9fd", "test.jaffle_shop.not_null_orders_customer_id.c5f02694af", "test.jaffle_shop.not_null_orders_order_id.cf6c17daed", "test.jaffle_shop.not_null_stg_customers_customer_id.e2cfb1f9aa", "test.jaffle_shop.not_null_stg_orders_order_id.81cfe2fe64", "test.jaffle_shop.not_null_stg_payments_payment_id.c19cc50075", "test.jaffle_shop.relationships_orders_customer_id__customer_id__ref_customers_.c6ec7f58f2", "test.jaffle_shop.source_unique_jaffle_raw_orders_id.e27c03b423", "test.jaffle_shop.unique_customers_customer_id.c5af1ff4b1", "test.jaffle_shop.unique_orders_order_id.fed79b3a6e", "test.jaffle_shop.unique_stg_customers_customer_id.c7614daada", "test.jaffle_shop.unique_stg_orders_order_id.e3b841c71a", "test.jaffle_shop.unique_stg_payments_payment_id.3744510712"]

    func testSameResourcesAndIdsAsDbt() throws {
        let manifest = try ProjectLoader.load(Fixtures.options()).manifest
        XCTAssertEqual(manifest.allResources.map(\.uniqueId), LoadingTests.dbtIds)
        XCTAssertEqual(manifest.nodes.values.filter { $0.resourceType == .model }.count, 6)
        XCTAssertEqual(manifest.nodes.values.filter { $0.resourceType == .test }.count, 19)
        XCTAssertEqual(manifest.docs.keys.sorted(), ["doc.jaffle_shop.customers", "doc.jaffle_shop.orders_status"])
    }

    func testDependenciesAndConfigInheritance() throws {
        let manifest = try ProjectLoader.load(Fixtures.options()).manifest
        let orders = manifest.nodes["model.jaffle_shop.orders"]!
        XCTAssertEqual(orders.dependsOnNodes, ["model.jaffle_shop.stg_orders", "model.jaffle_shop.stg_payments"])
        XCTAssertEqual(orders.config.materialized, "table")            // models: jaffle_shop: +materialized
        XCTAssertEqual(orders.config.tags, ["marts"])                    // plain `tags:` key under marts
        XCTAssertEqual(orders.relation?.description, #""jaffle_shop"."main_marts"."orders""#)
        XCTAssertEqual(orders.fqn, ["jaffle_shop", "marts", "orders"])
        XCTAssertEqual(orders.checksum, "a50bd6c741891ce880bedf3cb223049c739bba476940521d6c0c2cf33bc16136")
        let customers = manifest.nodes["model.jaffle_shop.customers"]!
        XCTAssertEqual(customers.config.tags, ["marts", "pii"])          // YAML config adds to folder tags
        XCTAssertTrue(customers.description.hasPrefix("This table has basic information about a customer"))
        let stg = manifest.nodes["model.jaffle_shop.stg_orders"]!
        XCTAssertEqual(stg.config.materialized, "view")
        XCTAssertEqual(stg.dependsOnNodes, ["source.jaffle_shop.jaffle.raw_orders"])
        XCTAssertEqual(manifest.nodes["model.jaffle_shop.stg_payments"]!.config.materialized, "ephemeral")   // config() wins
        let events = manifest.nodes["model.jaffle_shop.order_events"]!
        XCTAssertEqual(events.config.uniqueKey, ["order_id"])
        XCTAssertEqual(events.config.incrementalStrategy, "delete+insert")
        XCTAssertEqual(events.config.onSchemaChange, "append_new_columns")
        XCTAssertEqual(manifest.nodes["seed.jaffle_shop.raw_orders"]!.config.columnTypes.map { "\($0.0)=\($0.1)" }, ["order_date=date"])
        let snapshot = manifest.nodes["snapshot.jaffle_shop.orders_snapshot"]!
        XCTAssertEqual(snapshot.config.strategy, "timestamp")
        XCTAssertEqual(snapshot.config.updatedAt, "order_date")
        XCTAssertEqual(snapshot.relation?.description, #""jaffle_shop"."snapshots"."orders_snapshot""#)
        XCTAssertEqual(snapshot.fqn, ["jaffle_shop", "orders_snapshot", "orders_snapshot"])
        let source = manifest.sources["source.jaffle_shop.jaffle.raw_orders"]!
        XCTAssertEqual(source.extra("loaded_at_field"), .string("order_date"))
        XCTAssertEqual(source.fqn, ["jaffle_shop", "staging", "jaffle", "raw_orders"])
        XCTAssertEqual(manifest.exposures["exposure.jaffle_shop.weekly_revenue"]!.dependsOnNodes, ["model.jaffle_shop.orders", "model.jaffle_shop.customers"])
        XCTAssertEqual(manifest.target.database, "jaffle_shop")
        XCTAssertEqual(manifest.target.path, "/tmp/jaffle_shop.duckdb")   // env_var rendered in profiles.yml
    }

    func testGenericTestNodes() throws {
        let manifest = try ProjectLoader.load(Fixtures.options()).manifest
        let unique = manifest.nodes["test.jaffle_shop.unique_stg_customers_customer_id.c7614daada"]!
        XCTAssertEqual(unique.testMetadata?.name, "unique")
        XCTAssertEqual(unique.columnName, "customer_id")
        XCTAssertEqual(unique.attachedNode, "model.jaffle_shop.stg_customers")
        XCTAssertEqual(unique.dependsOnNodes, ["model.jaffle_shop.stg_customers"])
        let rel = manifest.nodes["test.jaffle_shop.relationships_orders_customer_id__customer_id__ref_customers_.c6ec7f58f2"]!
        XCTAssertEqual(rel.dependsOnNodes, ["model.jaffle_shop.orders", "model.jaffle_shop.customers"])
        let warn = manifest.nodes["test.jaffle_shop.accepted_values_orders_status__placed__shipped__completed__return_pending__returned.be6b5b5ec3"]!
        XCTAssertEqual(warn.config.severity, "warn")
        XCTAssertEqual(warn.config.alias, "accepted_values_orders_1ce6ab157c285f7cd2ac656013faf758")
        XCTAssertEqual(manifest.nodes["test.jaffle_shop.not_null_orders_amount.106140f9fd"]!.config.whereClause, "status != 'returned'")
    }

    func testVarsOverrideChangesCompiledSQL() throws {
        let project = try ProjectLoader.load(Fixtures.options(vars: "{min_order_amount: 5}"))
        let sql = try Compiler(project: project, host: OfflineHost(dialect: project.dialect)).compile("model.jaffle_shop.orders").sql
        XCTAssertTrue(sql.hasSuffix("where amount >= 5"), sql)
    }

    func testRefInsideALoopIsFound() throws {
        let dir = try Fixtures.copy(["models/marts/looped.sql": "{% for m in ['stg_orders', 'customers'] %}select * from {{ ref(m) }}{% if not loop.last %} union all {% endif %}{% endfor %}"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let node = try ProjectLoader.load(Fixtures.options(dir)).manifest.nodes["model.jaffle_shop.looped"]!
        XCTAssertEqual(node.dependsOnNodes, ["model.jaffle_shop.stg_orders", "model.jaffle_shop.customers"])
    }
}
