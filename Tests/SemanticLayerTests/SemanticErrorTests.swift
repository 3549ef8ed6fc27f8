import SemanticLayer
import XCTest

/// Bad definitions stop loading with file:line; bad queries say what is wrong and the closest names.
final class SemanticErrorTests: XCTestCase {
    let file = "models/semantic.yml"

    func fixture(replacing old: String, with new: String) throws -> String {
        let text = try String(contentsOfFile: ShopFixture.root + "/" + file, encoding: .utf8)
        XCTAssertTrue(text.contains(old), "the fixture holds the text to replace")
        return text.replacingOccurrences(of: old, with: new)
    }

    func line(of needle: String, in text: String) -> Int {
        let before = text[..<text.range(of: needle)!.lowerBound]
        return before.filter { $0 == "\n" }.count + 1
    }

    func testUnknownModelInASemanticModelNamesFileLineAndTheClosestModel() throws {
        let text = try fixture(replacing: "model: ref('customers')", with: "model: ref('customer')")
        let error = try XCTUnwrap(try ShopFixture.loadError([file: text]))
        XCTAssertEqual(error.code, .unknownModel)
        XCTAssertEqual(error.location?.file, file)
        XCTAssertEqual(error.location?.line, line(of: "model: ref('customer')", in: text))
        XCTAssertTrue(error.message.contains("did you mean 'customers'?"), error.message)
    }

    func testAMetricNamingAnUnknownMeasureIsRefusedAtLoad() throws {
        let text = try fixture(replacing: "type_params: {measure: order_count}", with: "type_params: {measure: order_cnt}")
        let error = try XCTUnwrap(try ShopFixture.loadError([file: text]))
        XCTAssertEqual(error.code, .unknownMetric)
        XCTAssertEqual(error.location?.line, line(of: "{name: orders, type: simple", in: text))
        XCTAssertTrue(error.message.contains("'order_cnt'") && error.message.contains("did you mean 'order_count'?"), error.message)
    }

    func testAFilterOnAnUnknownDimensionIsRefusedAtLoad() throws {
        let text = try fixture(replacing: "{{ Dimension('customer__segment') }} = 'VIP'\"\n  - name: completed_revenue",
                               with: "{{ Dimension('customer__segmnt') }} = 'VIP'\"\n  - name: completed_revenue")
        let error = try XCTUnwrap(try ShopFixture.loadError([file: text]))
        XCTAssertEqual(error.code, .unknownDimension)
        XCTAssertEqual(error.location?.line, line(of: "- name: vip_revenue", in: text))
        XCTAssertTrue(error.message.contains("did you mean 'customer__segment'?"), error.message)
    }

    func testAFilterThatWouldFanOutIsRefusedAtLoad() throws {
        // Orders reach order_items only one-to-many: filtering order revenue by a SKU would count an order once per item.
        let text = try fixture(replacing: "{{ Dimension('order__status') }} = 'complete'", with: "{{ Dimension('order__sku') }} = 'A'")
        let error = try XCTUnwrap(try ShopFixture.loadError([file: text]))
        XCTAssertEqual(error.code, .fanOut)
        XCTAssertTrue(error.message.contains("order_items") && error.message.contains("foreign"), error.message)
    }

    func testDuplicateMeasureAndBadTimeDimensionAreRefused() throws {
        let duplicate = try fixture(replacing: "{name: customer_count, agg: count, expr: customer_id}", with: "{name: revenue, agg: count, expr: customer_id}")
        let error = try XCTUnwrap(try ShopFixture.loadError([file: duplicate]))
        XCTAssertTrue(error.message.contains("measure 'revenue' is defined twice"), error.message)
        let badTime = try fixture(replacing: "agg_time_dimension: ordered_at", with: "agg_time_dimension: status")
        let timeError = try XCTUnwrap(try ShopFixture.loadError([file: badTime]))
        XCTAssertTrue(timeError.message.contains("categorical"), timeError.message)
    }

    func testQueryErrorsNameTheClosestMetricOrDimension() throws {
        let semantics = try ShopFixture.load()
        let planner = MetricQueryPlanner(semantics, dialect: .duckdb)
        XCTAssertThrowsError(try planner.plan(MetricQuery(metrics: ["revnue"]))) { error in
            let e = error as! SemanticError
            XCTAssertEqual(e.code, .unknownMetric)
            XCTAssertTrue(e.message.contains("did you mean 'revenue'?"), e.message)
        }
        XCTAssertThrowsError(try planner.plan(MetricQuery(metrics: ["revenue"], groupBy: ["customer__segmnt"]))) { error in
            let e = error as! SemanticError
            XCTAssertEqual(e.code, .unknownDimension)
            XCTAssertTrue(e.message.contains("did you mean 'customer__segment'?"), e.message)
        }
        XCTAssertThrowsError(try planner.plan(MetricQuery(metrics: ["revenue"], groupBy: ["order__sku"]))) { error in
            XCTAssertEqual((error as! SemanticError).code, .fanOut)
        }
        XCTAssertThrowsError(try planner.plan(MetricQuery(metrics: ["revenue"], orderBy: ["-profit"]))) { error in
            XCTAssertEqual((error as! SemanticError).code, .invalidQuery)
        }
        XCTAssertThrowsError(try planner.plan(MetricQuery(metrics: ["revenue"], groupBy: ["metric_time__month"], startTime: "last week"))) { error in
            XCTAssertTrue((error as! SemanticError).message.contains("not a date"))
        }
    }

    func testDimensionsListedForMetricsAreTheOnesEveryMeasureReaches() throws {
        let semantics = try ShopFixture.load()
        let names = try MetricCatalogue(semantics).dimensions(of: ["revenue"]).map(\.name)
        XCTAssertEqual(names.first, "metric_time")
        XCTAssertTrue(names.contains("customer__segment") && names.contains("order__status"))
        XCTAssertFalse(names.contains("order__sku"), "a fan-out dimension is not offered")
        // units live on order_items: both measures reach order__status only through their own joins.
        let shared = try MetricCatalogue(semantics).dimensions(of: ["revenue", "units"]).map(\.name)
        XCTAssertTrue(shared.contains("order__status"))
        XCTAssertFalse(shared.contains("customer__segment"), "units would need two hops to reach customers")
    }
}
