import WarehouseKit

/// The tables the generator writes into the `raw` schema.
public enum StoreTable: String, Sendable, CaseIterable, Hashable {
    case users, orders, order_items, products, inventory_items, events, distribution_centers
    case experiment_assignments, shipments, support_tickets, user_segments

    /// The seven tables of TheLook itself (the rest are business overlays).
    public static let theLook: [StoreTable] = [
        .users, .orders, .order_items, .products, .inventory_items, .events, .distribution_centers,
    ]
    public static let overlays: [StoreTable] = [.experiment_assignments, .shipments, .support_tickets, .user_segments]

    /// The table's columns, in order.
    public var columns: [ColumnDefinition] { TableSchemas.columns(of: self) }
}

/// Every generated table's columns: the contract the analytics project's staging models read.
///
/// TheLook column names and order follow the public BigQuery dataset exactly; ids are BIGINT,
/// money and coordinates DOUBLE, timestamps TIMESTAMP (UTC), everything else VARCHAR.
public enum TableSchemas {
    public static func columns(of table: StoreTable) -> [ColumnDefinition] {
        switch table {
        case .users:
            return [
                .init("id", .bigint), .init("first_name", .text), .init("last_name", .text), .init("email", .text),
                .init("age", .bigint), .init("gender", .text), .init("state", .text), .init("street_address", .text),
                .init("postal_code", .text), .init("city", .text), .init("country", .text),
                .init("latitude", .double), .init("longitude", .double), .init("traffic_source", .text),
                .init("created_at", .timestamp),
            ]
        case .orders:
            return [
                .init("order_id", .bigint), .init("user_id", .bigint), .init("status", .text), .init("gender", .text),
                .init("created_at", .timestamp), .init("returned_at", .timestamp), .init("shipped_at", .timestamp),
                .init("delivered_at", .timestamp), .init("num_of_item", .bigint),
            ]
        case .order_items:
            return [
                .init("id", .bigint), .init("order_id", .bigint), .init("user_id", .bigint), .init("product_id", .bigint),
                .init("inventory_item_id", .bigint), .init("status", .text), .init("created_at", .timestamp),
                .init("shipped_at", .timestamp), .init("delivered_at", .timestamp), .init("returned_at", .timestamp),
                .init("sale_price", .double),
            ]
        case .products:
            return [
                .init("id", .bigint), .init("cost", .double), .init("category", .text), .init("name", .text),
                .init("brand", .text), .init("retail_price", .double), .init("department", .text), .init("sku", .text),
                .init("distribution_center_id", .bigint),
            ]
        case .inventory_items:
            return [
                .init("id", .bigint), .init("product_id", .bigint), .init("created_at", .timestamp),
                .init("sold_at", .timestamp), .init("cost", .double), .init("product_category", .text),
                .init("product_name", .text), .init("product_brand", .text), .init("product_retail_price", .double),
                .init("product_department", .text), .init("product_sku", .text),
                .init("product_distribution_center_id", .bigint),
            ]
        case .events:
            return [
                .init("id", .bigint), .init("user_id", .bigint), .init("sequence_number", .bigint),
                .init("session_id", .text), .init("created_at", .timestamp), .init("ip_address", .text),
                .init("city", .text), .init("state", .text), .init("postal_code", .text), .init("browser", .text),
                .init("traffic_source", .text), .init("uri", .text), .init("event_type", .text),
            ]
        case .distribution_centers:
            return [.init("id", .bigint), .init("name", .text), .init("latitude", .double), .init("longitude", .double)]
        case .experiment_assignments:
            return [
                .init("user_id", .bigint), .init("experiment_name", .text), .init("variant", .text),
                .init("assigned_at", .timestamp),
            ]
        case .shipments:
            return [
                .init("order_id", .bigint), .init("distribution_center_id", .bigint), .init("carrier", .text),
                .init("shipping_cost", .double), .init("shipped_at", .timestamp), .init("delivered_at", .timestamp),
                .init("promised_days", .bigint), .init("actual_days", .bigint), .init("tracking_status", .text),
            ]
        case .support_tickets:
            return [
                .init("ticket_id", .bigint), .init("user_id", .bigint), .init("order_id", .bigint),
                .init("opened_at", .timestamp), .init("closed_at", .timestamp), .init("channel", .text),
                .init("category", .text), .init("priority", .text), .init("satisfaction", .bigint),
            ]
        case .user_segments:
            return [
                .init("user_id", .bigint), .init("segment", .text), .init("campaign", .text),
                .init("valid_from", .timestamp),
            ]
        }
    }

    /// The generator's bookkeeping table (`raw._generator_state`): one row per generate/append run.
    public static let generatorState: [ColumnDefinition] = [
        .init("run_number", .bigint), .init("seed", .bigint), .init("as_of", .date),
        .init("window_start", .timestamp), .init("window_end", .timestamp),
        .init("first_user_id", .bigint), .init("last_user_id", .bigint),
        .init("next_order_id", .bigint), .init("next_order_item_id", .bigint),
        .init("next_inventory_item_id", .bigint), .init("next_event_id", .bigint),
        .init("next_ticket_id", .bigint), .init("generator_version", .text),
        .init("profile", .text), .init("growth_per_year", .double),
    ]

    /// REES46 clickstream columns (Kaggle "eCommerce behavior data from multi category store"),
    /// as `raw.clickstream_events` holds them: `event_time` is a UTC TIMESTAMP there (the CSV
    /// spells it `2019-11-01 00:00:00 UTC`); empty category_code, brand and user_session are NULL.
    public static let clickstream: [ColumnDefinition] = [
        .init("event_time", .timestamp), .init("event_type", .text), .init("product_id", .bigint),
        .init("category_id", .bigint), .init("category_code", .text), .init("brand", .text),
        .init("price", .double), .init("user_id", .bigint), .init("user_session", .text),
    ]
}
