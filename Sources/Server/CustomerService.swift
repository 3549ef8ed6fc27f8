import Foundation
import WarehouseKit

/// Answers the customer pages (and, later, the customers API): one customer's 360 and a paged
/// search by name or email. Reads the marts through the warehouse's reading connections and the
/// shared query cache, with every reader-supplied value bound as a parameter.
final class CustomerService: Sendable {
    let served: ServedProject
    let warehouse: any Warehouse
    let cache: QueryCache
    /// nil when the project has no dim_customers / fact_orders: the pages then say so.
    let queries: CustomerQueries?
    let scores: ModelScoreTables

    static let recentOrderCount = 10
    static let maxPageSize = 100

    init(served: ServedProject, warehouse: any Warehouse, cache: QueryCache = QueryCache()) {
        self.served = served
        self.warehouse = warehouse
        self.cache = cache
        queries = CustomerQueries(models: served.models)
        scores = ModelScoreTables(file: served.machineLearning, models: served.models)
    }

    /// The project cannot show customers (it has no dim_customers or fact_orders model).
    struct Unavailable: Error, CustomStringConvertible {
        var description: String {
            "this project has no dim_customers and fact_orders models, which the customer pages read; build a project that has them"
        }
    }

    /// A read through the cache, keyed by the statement, its parameters and the data version.
    func run(_ sql: SQL) async throws -> ResultSet {
        let warehouse = self.warehouse
        let key = sql.text + "\u{1F}" + sql.parameters.map { String(reflecting: $0) }.joined(separator: "\u{1F}")
        return try await cache.result(for: key, version: served.dataVersion) {
            try await warehouse.read { try await $0.query(sql) }
        }
    }

    /// The customer's 360, or nil when no customer has this id.
    func record(id: Int64) async throws -> CustomerRecord? {
        guard let queries else { throw Unavailable() }
        let profile = try await run(queries.profile(id: id))
        guard !profile.rows.isEmpty else { return nil }
        let row = profile.row(0)
        async let ordersQuery = run(queries.recentOrders(id: id, limit: Self.recentOrderCount))
        async let monthsQuery = run(queries.monthlyRevenue(id: id))
        async let predictionsQuery = predictions(id: id)
        let (orders, months, predictions) = try await (ordersQuery, monthsQuery, predictionsQuery)
        let first = row["first_name"]?.string, last = row["last_name"]?.string
        let name = [first, last].compactMap { $0 }.joined(separator: " ")
        let rfm = row["rfm_segment"].flatMap(\.string).map { segment in
            CustomerRFM(recencyScore: Self.int(row["recency_score"]), frequencyScore: Self.int(row["frequency_score"]),
                        monetaryScore: Self.int(row["monetary_score"]), cell: row["rfm_cell"]?.string, segment: segment,
                        recencyDays: Self.int(row["recency_days"]))
        }
        return CustomerRecord(
            id: id, firstName: first, lastName: last, name: name.isEmpty ? "Customer \(id)" : name,
            email: row["email"]?.string, city: row["city"]?.string, state: row["state"]?.string, country: row["country"]?.string,
            signedUpAt: Self.text(row["signed_up_at"]), acquisitionSource: row["acquisition_source"]?.string,
            segment: row["customer_segment"]?.string, lifecycle: row["customer_lifecycle"]?.string,
            marketingSegment: row["marketing_segment"]?.string,
            lifetimeValue: row["lifetime_value"]?.double ?? 0, grossRevenue: row["gross_revenue"]?.double ?? 0,
            averageOrderValue: row["average_order_value"]?.double, ordersCount: Self.int(row["lifetime_orders"]) ?? 0,
            netOrders: Self.int(row["net_orders"]) ?? 0, firstOrderAt: Self.text(row["first_order_at"]),
            lastOrderAt: Self.text(row["last_order_at"]), daysSinceLastOrder: Self.int(row["days_since_last_order"]), rfm: rfm,
            recentOrders: orders.rows.indices.map { index in
                let order = orders.row(index)
                return CustomerOrder(id: order["order_id"]?.int64 ?? 0, date: Self.text(order["order_date"]),
                                     status: order["order_status"]?.string, items: Self.int(order["items"]),
                                     revenue: order["gross_revenue"]?.double ?? 0, netRevenue: order["net_revenue"]?.double ?? 0)
            },
            monthlyRevenue: months.rows.map { month in
                CustomerMonth(month: month[0].description, netRevenue: month[1].double ?? 0, orders: Int(month[2].int64 ?? 0))
            },
            predictions: predictions)
    }

    /// One page of the customers whose email or name starts with `prefix` (any case), most
    /// valuable first; an empty prefix lists everyone.
    func search(prefix: String, page: Int, pageSize: Int) async throws -> CustomerSearchResult {
        guard let queries else { throw Unavailable() }
        // Any whole number arrives from the query string; a page past Int.max / pageSize
        // would overflow the offset (and the page's arithmetic) and trap the server.
        let pageSize = min(max(1, pageSize), Self.maxPageSize), page = min(max(1, page), Int.max / pageSize)
        async let total = run(queries.searchCount(prefix: prefix))
        let found = try await run(queries.search(prefix: prefix, limit: pageSize, offset: (page - 1) * pageSize))
        let customers = found.rows.indices.map { index -> CustomerSummary in
            let row = found.row(index)
            let id = row["customer_id"]?.int64 ?? 0
            let name = [row["first_name"]?.string, row["last_name"]?.string].compactMap { $0 }.joined(separator: " ")
            return CustomerSummary(id: id, name: name.isEmpty ? "Customer \(id)" : name, email: row["email"]?.string,
                                   city: row["city"]?.string, country: row["country"]?.string,
                                   segment: row["customer_segment"]?.string, lifecycle: row["customer_lifecycle"]?.string,
                                   ordersCount: Self.int(row["lifetime_orders"]) ?? 0, lifetimeValue: row["lifetime_value"]?.double ?? 0,
                                   lastOrderAt: Self.text(row["last_order_at"]))
        }
        return CustomerSearchResult(query: prefix, page: page, pageSize: pageSize,
                                    total: Int(try await total.scalar?.int64 ?? 0), customers: customers)
    }

    static func int(_ value: WarehouseValue?) -> Int? { value?.int64.map { Int($0) } }

    static func text(_ value: WarehouseValue?) -> String? {
        guard let value, !value.isNull else { return nil }
        return value.description
    }
}
