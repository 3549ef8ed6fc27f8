import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import WarehouseKit
import XCTest

/// Model scores in the customer 360 and the recommendations API: the scores tables `storehouse
/// ml score` writes (schema ml, named in the project's ml.yml), filled here with known values.
final class CustomerModelRouteTests: XCTestCase {
    static let scored: Int64 = 17
    /// Scored by the ltv model only: the churn model scores customers with an order in the past year.
    static let lapsed: Int64 = 25

    override func setUp() async throws {
        let (warehouse, _) = try await AnalyticsStore.shared.get()
        try await warehouse.write { connection in
            try await connection.executeScript("""
                create schema if not exists ml;
                create or replace table ml.churn_scores as
                    select \(Self.scored)::bigint as customer_id, 0.8125::double as churn_probability, 'churn' as model_name, 3::bigint as model_version, now()::timestamp as scored_at;
                create or replace table ml.ltv_predictions as
                    select \(Self.scored)::bigint as customer_id, 123.5::double as predicted_revenue_90d, 'ltv' as model_name, 2::bigint as model_version, now()::timestamp as scored_at
                    union all
                    select \(Self.lapsed), 0.75, 'ltv', 2, now()::timestamp;
                create or replace table ml.cross_sell_scores as
                    select * from (values (\(Self.scored)::bigint, 'Jeans', 0.25::double), (\(Self.scored), 'Socks', 0.5), (\(Self.scored), 'Shorts', 0.125))
                        as t(customer_id, category, purchase_probability),
                    (select 'cross_sell' as model_name, 4::bigint as model_version, now()::timestamp as scored_at);
                """)
        }
    }

    func get(_ uri: String) async throws -> (status: HTTPResponse.Status, body: String) {
        let (warehouse, served) = try await AnalyticsStore.shared.get()
        return try await Application(router: StorehouseServer.router(served: served, warehouse: warehouse)).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { ($0.status, String(buffer: $0.body)) }
        }
    }

    func json(_ body: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    }

    func testTheCustomerRecordCarriesChurnRiskAndPredictedRevenue() async throws {
        let (status, body) = try await get("/api/v1/customers/\(Self.scored)")
        XCTAssertEqual(status, .ok, body)
        let predictions = try XCTUnwrap(try json(body)["predictions"] as? [String: Any], body)
        XCTAssertEqual(predictions["churn_probability"] as? Double, 0.8125)
        XCTAssertEqual(predictions["churn_model_version"] as? Int, 3)
        XCTAssertEqual(predictions["predicted_revenue_90d"] as? Double, 123.5)
        XCTAssertEqual(predictions["ltv_model_version"] as? Int, 2)
        // A customer the models did not score has no predictions at all.
        let other = try await get("/api/v1/customers/\(Self.scored + 1)")
        XCTAssertEqual(other.status, .ok)
        XCTAssertNil(try json(other.body)["predictions"])
    }

    func testRecommendationsAreTheBestCategoriesWithTheirBestSellers() async throws {
        let (status, body) = try await get("/api/v1/customers/\(Self.scored)/recommendations?limit=2")
        XCTAssertEqual(status, .ok, body)
        let answer = try json(body)
        XCTAssertEqual(answer["customer_id"] as? Int, Int(Self.scored))
        XCTAssertEqual(answer["model_version"] as? Int, 4)
        let entries = try XCTUnwrap(answer["recommendations"] as? [[String: Any]])
        XCTAssertEqual(entries.map { $0["category"] as? String }, ["Socks", "Jeans"], "best first, at most the limit")
        XCTAssertEqual(entries.map { $0["purchase_probability"] as? Double }, [0.5, 0.25])
        // The products are the category's three best sellers by net units.
        let (warehouse, _) = try await AnalyticsStore.shared.get()
        let expected = try await warehouse.read {
            try await $0.query("select product_id from marts.product_performance where category = 'Socks' order by units_sold_net desc, product_id limit 3")
        }.rows.map { $0[0].int64 }
        let products = try XCTUnwrap(entries[0]["products"] as? [[String: Any]])
        XCTAssertEqual(products.map { ($0["id"] as? Int).map(Int64.init) }, expected)
        XCTAssertEqual(products.count, 3)
    }

    func testRecommendationMistakes() async throws {
        let unscored = try await get("/api/v1/customers/\(Self.scored + 1)/recommendations")
        XCTAssertEqual(unscored.status, .ok)
        XCTAssertEqual((try json(unscored.body)["recommendations"] as? [Any])?.count, 0, "not scored: an empty list")
        let unknown = try await get("/api/v1/customers/99999999/recommendations")
        XCTAssertEqual(unknown.status, .notFound)
        let notAnID = try await get("/api/v1/customers/abc/recommendations")
        XCTAssertEqual(notAnID.status, .badRequest)
        let tooMany = try await get("/api/v1/customers/\(Self.scored)/recommendations?limit=50")
        XCTAssertEqual(tooMany.status, .badRequest)
        XCTAssertTrue(tooMany.body.contains("limit must be between 1 and 20"), tooMany.body)
    }

    func testThePageShowsTheScores() async throws {
        let (status, body) = try await get("/customers/\(Self.scored)")
        XCTAssertEqual(status, .ok)
        XCTAssertTrue(body.contains("data-kpi=\"churn_probability\" data-value=\"0.8125\""), body)
        XCTAssertTrue(body.contains("81.25%"), body)
        XCTAssertTrue(body.contains("data-kpi=\"predicted_revenue_90d\" data-value=\"123.5\""), body)
        XCTAssertTrue(body.contains("id=\"recommendations\""), body)
        XCTAssertTrue(body.contains("<tr data-category=\"Socks\">"), body)
    }

    func testACustomerTheChurnModelDoesNotScoreSaysWhy() async throws {
        let (status, body) = try await get("/customers/\(Self.lapsed)")
        XCTAssertEqual(status, .ok)
        XCTAssertTrue(body.contains("data-kpi=\"churn_probability\""), body)
        XCTAssertTrue(body.contains("not scored"), body)
        XCTAssertTrue(body.contains("customers with an order in the past year"), body)
        XCTAssertTrue(body.contains("data-kpi=\"predicted_revenue_90d\" data-value=\"0.75\""), body)
    }
}
