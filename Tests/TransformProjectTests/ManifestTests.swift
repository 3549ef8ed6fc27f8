import Foundation
import XCTest
@testable import TransformProject

final class ManifestTests: XCTestCase {
    func testManifestJSONShape() throws {
        let project = try ProjectLoader.load(Fixtures.options())
        let compiled = try Compiler(project: project, host: OfflineHost(dialect: project.dialect)).compileAll()
        let path = NSTemporaryDirectory() + "storehouse-manifest-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ManifestWriter.write(project.manifest, compiled: compiled, to: path)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        for key in ["metadata", "nodes", "sources", "macros", "docs", "exposures", "parent_map", "child_map"] { XCTAssertNotNil(json[key], key) }
        XCTAssertEqual((json["metadata"] as! [String: Any])["dbt_schema_version"] as? String, "https://schemas.getdbt.com/dbt/manifest/v12.json")
        let parentMap = json["parent_map"] as! [String: [String]]
        XCTAssertEqual(parentMap["model.jaffle_shop.orders"], ["model.jaffle_shop.stg_orders", "model.jaffle_shop.stg_payments"])
        let childMap = json["child_map"] as! [String: [String]]
        XCTAssertEqual(childMap["model.jaffle_shop.stg_orders"], ["model.jaffle_shop.customers", "model.jaffle_shop.orders", "snapshot.jaffle_shop.orders_snapshot", "test.jaffle_shop.accepted_values_stg_orders_status__placed__shipped__completed__return_pending__returned.080fb20aad", "test.jaffle_shop.not_null_stg_orders_order_id.81cfe2fe64", "test.jaffle_shop.unique_stg_orders_order_id.e3b841c71a"])
        let orders = (json["nodes"] as! [String: Any])["model.jaffle_shop.orders"] as! [String: Any]
        XCTAssertEqual(orders["relation_name"] as? String, #""jaffle_shop"."main_marts"."orders""#)
        XCTAssertEqual((orders["config"] as! [String: Any])["materialized"] as? String, "table")
        XCTAssertEqual((orders["depends_on"] as! [String: Any])["macros"] as? [String], [])
        XCTAssertEqual(orders["compiled_path"] as? String, "target/compiled/jaffle_shop/models/marts/orders.sql")
        let test = (json["nodes"] as! [String: Any])["test.jaffle_shop.unique_stg_customers_customer_id.c7614daada"] as! [String: Any]
        XCTAssertEqual((test["test_metadata"] as! [String: Any])["name"] as? String, "unique")
        XCTAssertEqual(test["attached_node"] as? String, "model.jaffle_shop.stg_customers")
        // dbt's reader requires macro_sql (each block as written) and a source's loader.
        let macros = json["macros"] as! [String: [String: Any]]
        XCTAssertEqual(macros["macro.jaffle_shop.cents_to_dollars"]?["macro_sql"] as? String,
                       "{% macro cents_to_dollars(column_name, scale=2) -%}\n    round({{ column_name }} / 100.0, {{ scale }})\n{%- endmacro %}")
        XCTAssertTrue((macros["macro.jaffle_shop.test_is_positive"]?["macro_sql"] as? String ?? "").hasPrefix("{% test is_positive(model, column_name) %}"))
        XCTAssertTrue((macros["macro.jaffle_shop.test_is_positive"]?["macro_sql"] as? String ?? "").hasSuffix("{% endtest %}"))
        XCTAssertEqual(macros.values.filter { ($0["macro_sql"] as? String ?? "").isEmpty }.map { $0["unique_id"] as? String ?? "" }, [],
                       "every macro, built-in ones too, has its text")
        for source in (json["sources"] as! [String: [String: Any]]).values { XCTAssertEqual(source["loader"] as? String, "", "no loader: in the YAML") }
    }
}
