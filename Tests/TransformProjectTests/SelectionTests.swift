import Foundation
import XCTest
@testable import TransformProject

final class SelectionTests: XCTestCase {
    var selector: Selector!

    override func setUpWithError() throws {
        selector = try Selector(manifest: ProjectLoader.load(Fixtures.options()).manifest)
    }

    func names(_ select: [String], exclude: [String] = [], types: Set<ResourceType>? = [.model]) throws -> [String] {
        try selector.select(select, exclude: exclude, resourceTypes: types).map { $0.split(separator: ".").dropFirst(2).joined(separator: ".") }
    }

    func testNamesWildcardsAndGraphOperators() throws {
        XCTAssertEqual(try names(["stg_*"]), ["stg_customers", "stg_orders", "stg_payments"])
        XCTAssertEqual(try names(["+orders"]), ["orders", "stg_orders", "stg_payments"])
        XCTAssertEqual(try names(["stg_orders+"]), ["customers", "order_events", "orders", "stg_orders"])
        XCTAssertEqual(try names(["stg_orders+1"]), ["customers", "orders", "stg_orders"])
        // As dbt ls says: the relationships test below orders brings in customers and its parents.
        XCTAssertEqual(try names(["@orders"]), ["customers", "order_events", "orders", "stg_customers", "stg_orders", "stg_payments"])
        XCTAssertEqual(try names(["1+customers"]), ["customers", "stg_customers", "stg_orders", "stg_payments"])
    }

    /// As dbt-core 1.11's `dbt ls` selects them on the bundled project (checked by hand): a bare
    /// folder name, a qualified folder with or without the package, a wildcard part.
    func testQualifiedNamesSelectFoldersWithOrWithoutThePackage() throws {
        XCTAssertEqual(try names(["marts"]), ["customers", "order_events", "orders"])
        XCTAssertEqual(try names(["jaffle_shop.marts"]), ["customers", "order_events", "orders"])
        XCTAssertEqual(try names(["fqn:staging"]), ["stg_customers", "stg_orders", "stg_payments"])
        XCTAssertEqual(try names(["jaffle_shop.*.stg_c*"]), ["stg_customers"])
        XCTAssertEqual(try names(["marts.orders"]), ["orders"])
        XCTAssertEqual(try names(["mart"]), [], "a part matches whole, not as a prefix")
    }

    func testMethodsUnionAndIntersection() throws {
        XCTAssertEqual(try names(["tag:staging"]), ["stg_customers", "stg_orders", "stg_payments"])
        XCTAssertEqual(try names(["path:models/marts"]), ["customers", "order_events", "orders"])
        XCTAssertEqual(try names(["config.materialized:incremental"]), ["order_events"])
        XCTAssertEqual(try names(["tag:pii stg_orders"]), ["customers", "stg_orders"])
        XCTAssertEqual(try names(["tag:marts,config.materialized:table"]), ["customers", "orders"])
        XCTAssertEqual(try names(["tag:marts"], exclude: ["orders"]), ["customers", "order_events"])
        XCTAssertEqual(try selector.select(["source:jaffle+"], resourceTypes: [.model, .snapshot]),
                       ["model.jaffle_shop.customers", "model.jaffle_shop.order_events", "model.jaffle_shop.orders", "model.jaffle_shop.stg_orders", "snapshot.jaffle_shop.orders_snapshot"])
        XCTAssertEqual(try selector.select(["resource_type:seed"]), ["seed.jaffle_shop.raw_customers", "seed.jaffle_shop.raw_orders", "seed.jaffle_shop.raw_payments"])
        XCTAssertEqual(try selector.select(["stg_customers"], resourceTypes: [.test]).count, 2)
    }

    func testStateAndResult() throws {
        let manifest = selector.manifest
        var previous: [String: (checksum: String, config: String)] = [:]
        for n in manifest.allResources { previous[n.uniqueId] = (n.checksum, ManifestWriter.canonicalJSON(ManifestWriter.configJSON(n))) }
        previous["model.jaffle_shop.orders"]!.checksum = "changed"
        previous["model.jaffle_shop.customers"]!.config = "{}"
        previous["model.jaffle_shop.stg_orders"] = nil
        let stateful = try Selector(manifest: manifest, state: SelectionState(previousNodes: previous, previousResults: ["model.jaffle_shop.orders": "error", "model.jaffle_shop.customers": "success"]))
        XCTAssertEqual(try stateful.select(["state:modified"], resourceTypes: [.model]), ["model.jaffle_shop.customers", "model.jaffle_shop.orders", "model.jaffle_shop.stg_orders"])
        XCTAssertEqual(try stateful.select(["state:modified.body"], resourceTypes: [.model]), ["model.jaffle_shop.orders", "model.jaffle_shop.stg_orders"])
        XCTAssertEqual(try stateful.select(["state:new"], resourceTypes: [.model]), ["model.jaffle_shop.stg_orders"])
        XCTAssertEqual(try stateful.select(["result:error+"], resourceTypes: [.model]), ["model.jaffle_shop.order_events", "model.jaffle_shop.orders"])
        XCTAssertThrowsError(try selector.select(["result:error"]))
    }
}
