import WarehouseKit
import XCTest
@testable import SyntheticData

final class SchemaTests: XCTestCase {
    /// Column lists copied from datasets.md §1 (the public dataset's schema).
    func testTheLookColumnsMatchThePublicDataset() {
        let expected: [StoreTable: String] = [
            .users: "id, first_name, last_name, email, age, gender, state, street_address, postal_code, city, country, latitude, longitude, traffic_source, created_at",
            .orders: "order_id, user_id, status, gender, created_at, returned_at, shipped_at, delivered_at, num_of_item",
            .order_items: "id, order_id, user_id, product_id, inventory_item_id, status, created_at, shipped_at, delivered_at, returned_at, sale_price",
            .products: "id, cost, category, name, brand, retail_price, department, sku, distribution_center_id",
            .inventory_items: "id, product_id, created_at, sold_at, cost, product_category, product_name, product_brand, product_retail_price, product_department, product_sku, product_distribution_center_id",
            .events: "id, user_id, sequence_number, session_id, created_at, ip_address, city, state, postal_code, browser, traffic_source, uri, event_type",
            .distribution_centers: "id, name, latitude, longitude",
        ]
        for table in StoreTable.theLook {
            XCTAssertEqual(table.columns.map(\.name).joined(separator: ", "), expected[table], table.rawValue)
        }
    }

    func testOverlayColumns() {
        XCTAssertEqual(StoreTable.experiment_assignments.columns.map(\.name), ["user_id", "experiment_name", "variant", "assigned_at"])
        XCTAssertEqual(StoreTable.shipments.columns.map(\.name), [
            "order_id", "distribution_center_id", "carrier", "shipping_cost", "shipped_at", "delivered_at",
            "promised_days", "actual_days", "tracking_status",
        ])
        XCTAssertEqual(StoreTable.support_tickets.columns.map(\.name), [
            "ticket_id", "user_id", "order_id", "opened_at", "closed_at", "channel", "category", "priority", "satisfaction",
        ])
        XCTAssertEqual(StoreTable.user_segments.columns.map(\.name), ["user_id", "segment", "campaign", "valid_from"])
    }

    func testTypesFollowTheConvention() {
        for table in StoreTable.allCases {
            for column in table.columns {
                let name = column.name
                if name == "id" || name.hasSuffix("_id") && name != "session_id" {
                    XCTAssertEqual(column.type, .bigint, "\(table).\(name)")
                } else if name.hasSuffix("_at") {
                    XCTAssertEqual(column.type, .timestamp, "\(table).\(name)")
                } else if ["cost", "retail_price", "sale_price", "latitude", "longitude", "shipping_cost", "product_retail_price"].contains(name) {
                    XCTAssertEqual(column.type, .double, "\(table).\(name)")
                }
            }
        }
        XCTAssertEqual(StoreTable.users.columns.first { $0.name == "postal_code" }?.type, .text)
    }

    func testEveryBatchMatchesItsSchemaTypes() async throws {
        let tables = try await Fixture.shared.get()
        for (table, batches) in tables.batches {
            for batch in batches {
                XCTAssertEqual(batch.columns.count, table.columns.count, table.rawValue)
                for (column, definition) in zip(batch.columns, table.columns) {
                    switch (column.values, definition.type) {
                    case (.int64, .bigint), (.double, .double), (.text, .text), (.timestamp, .timestamp): break
                    default: XCTFail("\(table.rawValue).\(definition.name) is stored in the wrong Swift type for \(definition.type)")
                    }
                }
            }
        }
    }
}
