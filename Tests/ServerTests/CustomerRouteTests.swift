import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import WarehouseKit
import XCTest

/// The customer 360 and search over a generated store built by the bundled project: every
/// figure is checked against SQL over the marts.
final class CustomerRouteTests: XCTestCase {
    func store() async throws -> (warehouse: any Warehouse, service: CustomerService) {
        let (warehouse, served) = try await AnalyticsStore.shared.get()
        return (warehouse, CustomerService(served: served, warehouse: warehouse))
    }

    func get(_ uri: String) async throws -> (status: HTTPResponse.Status, body: String) {
        let (warehouse, served) = try await AnalyticsStore.shared.get()
        return try await Application(router: StorehouseServer.router(served: served, warehouse: warehouse)).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { ($0.status, String(buffer: $0.body)) }
        }
    }

    func sql(_ warehouse: any Warehouse, _ sql: SQL) async throws -> [String: WarehouseValue] {
        try await warehouse.read { try await $0.query(sql) }.row(0)
    }

    func testTheRecordIsTheMartsFiguresForARealCustomer() async throws {
        let (warehouse, service) = try await store()
        // A repeat customer with RFM scores, so every part of the record has something in it.
        let idRow = try await sql(warehouse, """
            select c.customer_id from marts.dim_customers c join marts.customer_rfm r using (customer_id)
            where c.lifetime_orders >= 2 and c.customer_id < \(AnalyticsStore.scriptCustomerID)
            order by c.lifetime_value desc, c.customer_id limit 1
            """)
        let id = try XCTUnwrap(idRow["customer_id"]?.int64)
        let found = try await service.record(id: id)
        let record = try XCTUnwrap(found)
        let expected = try await sql(warehouse, """
            select c.*, r.recency_score, r.frequency_score, r.monetary_score, r.rfm_cell, r.rfm_segment
            from marts.dim_customers c left join marts.customer_rfm r using (customer_id) where c.customer_id = \(id)
            """)
        XCTAssertEqual(record.id, id)
        XCTAssertEqual(record.name, "\(expected["first_name"]!.string!) \(expected["last_name"]!.string!)")
        XCTAssertEqual(record.email, expected["email"]?.string)
        XCTAssertEqual(record.country, expected["country"]?.string)
        XCTAssertEqual(record.city, expected["city"]?.string)
        XCTAssertEqual(record.acquisitionSource, expected["acquisition_source"]?.string)
        XCTAssertEqual(record.signedUpAt, expected["signed_up_at"]?.description)
        XCTAssertEqual(record.segment, expected["customer_segment"]?.string)
        XCTAssertEqual(record.lifecycle, expected["customer_lifecycle"]?.string)
        XCTAssertEqual(record.lifetimeValue, try XCTUnwrap(expected["lifetime_value"]?.double), accuracy: 0.005)
        XCTAssertEqual(record.grossRevenue, try XCTUnwrap(expected["gross_revenue"]?.double), accuracy: 0.005)
        XCTAssertEqual(record.ordersCount, Int(try XCTUnwrap(expected["lifetime_orders"]?.int64)))
        XCTAssertEqual(record.lastOrderAt, expected["last_order_at"]?.description)
        XCTAssertEqual(record.firstOrderAt, expected["first_order_at"]?.description)
        XCTAssertEqual(record.rfm?.segment, expected["rfm_segment"]?.string)
        XCTAssertEqual(record.rfm?.cell, expected["rfm_cell"]?.string)
        XCTAssertEqual(record.rfm?.recencyScore.map(Int64.init), expected["recency_score"]?.int64)
        XCTAssertEqual(record.rfm?.monetaryScore.map(Int64.init), expected["monetary_score"]?.int64)

        let orders = try await warehouse.read {
            try await $0.query("select order_id, order_status, items, gross_revenue from marts.fact_orders where customer_id = \(id) order by ordered_at desc, order_id desc")
        }
        XCTAssertEqual(record.recentOrders.map(\.id), orders.rows.prefix(10).map { $0[0].int64! })
        XCTAssertEqual(record.recentOrders.map(\.status), orders.rows.prefix(10).map { $0[1].string })
        XCTAssertEqual(record.recentOrders.first?.revenue ?? -1, orders.rows[0][3].double!, accuracy: 0.005)
        // The monthly chart adds up to the lifetime value (net revenue of every order).
        XCTAssertEqual(record.monthlyRevenue.map(\.netRevenue).reduce(0, +), record.lifetimeValue, accuracy: 0.01)
        XCTAssertEqual(record.monthlyRevenue.map(\.orders).reduce(0, +), record.ordersCount)

        // The page shows the same figures, and the JSON has the stable snake_case keys.
        let page = try await get("/customers/\(id)")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.contains("data-kpi=\"lifetime_value\" data-value=\"\(WarehouseValue.format(double: record.lifetimeValue))\""), page.body)
        XCTAssertTrue(page.body.contains("<svg"), "the monthly revenue chart is drawn")
        XCTAssertTrue(page.body.contains("data-order=\"\(record.recentOrders[0].id)\""))
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: JSONEncoder().encode(record)) as? [String: Any])
        for key in ["id", "name", "email", "lifetime_value", "orders_count", "first_order_at", "last_order_at", "segment", "lifecycle",
                    "rfm", "recent_orders", "acquisition_source", "signed_up_at"] {
            XCTAssertTrue(json.keys.contains(key), "key \(key) in \(json.keys.sorted())")
        }
    }

    func testSearchIsPagedCaseInsensitiveAndCountsEveryMatch() async throws {
        let (warehouse, service) = try await store()
        let prefixRow = try await sql(warehouse, """
            select lower(substr(first_name, 1, 1)) as letter from marts.dim_customers group by 1 order by count(*) desc limit 1
            """)
        let prefix = try XCTUnwrap(prefixRow["letter"]?.string)
        let first = try await service.search(prefix: prefix.uppercased(), page: 1, pageSize: 5)
        let second = try await service.search(prefix: prefix, page: 2, pageSize: 5)
        let expectedRow = try await sql(warehouse, """
            select count(*) as n from marts.dim_customers
            where lower(email) like \(prefix + "%") or lower(first_name) like \(prefix + "%") or lower(last_name) like \(prefix + "%")
            """)
        let expected = try XCTUnwrap(expectedRow["n"]?.int64)
        XCTAssertEqual(first.total, Int(expected))
        XCTAssertEqual(second.total, first.total)
        XCTAssertGreaterThan(first.total, 10)
        XCTAssertEqual(first.customers.count, 5)
        XCTAssertEqual(second.customers.count, 5)
        XCTAssertTrue(Set(first.customers.map(\.id)).isDisjoint(with: second.customers.map(\.id)), "page 2 holds other customers")
        XCTAssertGreaterThanOrEqual(first.customers.last!.lifetimeValue, second.customers.first!.lifetimeValue, "most valuable first")
        // Wildcards and quotes are characters, not SQL.
        for hostile in ["%", "_", "' or 1=1 --", "\\"] {
            let result = try await service.search(prefix: hostile, page: 1, pageSize: 5)
            XCTAssertEqual(result.total, 0, "prefix \(hostile)")
        }
        // The page: a form, a count and links to each customer's 360.
        let page = try await get("/customers?q=\(prefix)&page=2")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.contains("data-total=\"\(first.total)\""))
        let shown = try await service.search(prefix: prefix, page: 2, pageSize: CustomerRoutes.pageSize)
        XCTAssertGreaterThan(first.total, CustomerRoutes.pageSize, "enough matches for a second page")
        XCTAssertTrue(page.body.contains("href=\"/customers/\(shown.customers[0].id)\""))
        XCTAssertTrue(page.body.contains("Page 2 of \(shown.pageCount)"))
        // A page far past the end is an empty page, not an overflow that traps the server
        // (schemathesis found page=159797027037587200 with page_size=131).
        let far = try await service.search(prefix: "", page: 159_797_027_037_587_200, pageSize: 131)
        XCTAssertEqual(far.customers.count, 0)
        let everyone = try await sql(warehouse, "select count(*) as n from marts.dim_customers")
        XCTAssertEqual(far.total, Int(try XCTUnwrap(everyone["n"]?.int64)), "the count still counts every match")
        let farPage = try await get("/customers?page=\(Int.max)")
        XCTAssertEqual(farPage.status, .ok)
    }

    func testAnUnknownIdIsA404PageAndAMalformedOneA400() async throws {
        let missing = try await get("/customers/8999999")
        XCTAssertEqual(missing.status, .notFound)
        XCTAssertTrue(missing.body.contains("No customer 8999999"), missing.body)
        for bad in ["abc", "12x", "1.5", "99999999999999999999999"] {
            let response = try await get("/customers/\(bad)")
            XCTAssertEqual(response.status, .badRequest, bad)
            XCTAssertTrue(response.body.contains("not a customer id"), response.body)
        }
        let badPage = try await get("/customers?page=0")
        XCTAssertEqual(badPage.status, .badRequest)
    }

    func testACustomerNamedLikeMarkupRendersAsText() async throws {
        let page = try await get("/customers/\(AnalyticsStore.scriptCustomerID)")
        XCTAssertEqual(page.status, .ok)
        XCTAssertFalse(page.body.contains(AnalyticsStore.scriptName))
        XCTAssertFalse(page.body.contains("<b>Co</b>"))
        XCTAssertTrue(page.body.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt; O&#39;Brien &amp; &lt;b&gt;Co&lt;/b&gt;</h1>"), page.body)
        XCTAssertTrue(page.body.contains("No orders yet."))
        let search = try await get("/customers?q=%3Cscript")
        XCTAssertEqual(search.status, .ok)
        XCTAssertFalse(search.body.contains(AnalyticsStore.scriptName))
        XCTAssertTrue(search.body.contains("value=\"&lt;script\""), "the query is echoed escaped")
        XCTAssertTrue(search.body.contains("href=\"/customers/\(AnalyticsStore.scriptCustomerID)\""))
    }

    func testTheCustomersDashboardLinksItsTopCustomersToTheir360() async throws {
        let (warehouse, _) = try await store()
        let topRow = try await sql(warehouse, "select customer_id from marts.dim_customers order by lifetime_value desc, customer_id limit 1")
        let top = try XCTUnwrap(topRow["customer_id"]?.int64)
        let page = try await get("/dashboards/customers")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.contains("<a href=\"/customers/\(top)\">\(top)</a>"), "the top customer's id links to the 360")
        XCTAssertTrue(page.body.contains("href=\"/customers\""), "the header links to the search")
        XCTAssertFalse(page.body.contains("could not be drawn"))
    }
}
