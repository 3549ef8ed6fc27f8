import Foundation
import TransformProject
import WarehouseKit

/// The statements the customer pages read, over the marts: dim_customers (identity, value,
/// segment, lifecycle), customer_rfm (scores) and fact_orders (orders, monthly revenue). Pure:
/// it builds `SQL` values; every value from a reader (an id, a search prefix) is a bound
/// parameter, never SQL text.
struct CustomerQueries: Sendable {
    let customers: QualifiedRelation
    let orders: QualifiedRelation
    /// Optional: a project without customer_rfm still gets its customer pages, without scores.
    let rfm: QualifiedRelation?

    /// The relations from the project's models; nil when it has no dim_customers or fact_orders.
    init?(models: [String: QualifiedRelation]) {
        guard let customers = models["dim_customers"], let orders = models["fact_orders"] else { return nil }
        self.customers = customers
        self.orders = orders
        rfm = models["customer_rfm"]
    }

    /// A customer id as a reader typed it: digits only (an optional sign aside), fitting 64 bits.
    static func customerID(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 20 else { return nil }
        return Int64(trimmed)
    }

    /// One row: identity, value, segment and lifecycle, and the RFM scores when there are any.
    func profile(id: Int64) -> SQL {
        let scores: SQL = rfm.map { _ -> SQL in "r.recency_score, r.frequency_score, r.monetary_score, r.rfm_cell, r.rfm_segment, r.recency_days" }
            ?? "null as recency_score, null as frequency_score, null as monetary_score, null as rfm_cell, null as rfm_segment, null as recency_days"
        let join: SQL = rfm.map { relation -> SQL in "\nleft join \(unsafeRaw: relation.description) r on r.customer_id = c.customer_id" } ?? ""
        return """
            select c.customer_id, c.first_name, c.last_name, c.email, c.city, c.state, c.country, c.acquisition_source,
                c.signed_up_at, c.customer_segment, c.customer_lifecycle, c.marketing_segment, c.lifetime_orders, c.net_orders,
                c.gross_revenue, c.lifetime_value, c.average_order_value, c.first_order_at, c.last_order_at,
                c.days_since_last_order, \(scores)
            from \(unsafeRaw: customers.description) c\(join)
            where c.customer_id = \(id)
            """
    }

    /// The customer's latest orders, newest first.
    func recentOrders(id: Int64, limit: Int) -> SQL {
        """
        select order_id, order_date, ordered_at, order_status, items, gross_revenue, net_revenue
        from \(unsafeRaw: orders.description)
        where customer_id = \(id)
        order by ordered_at desc, order_id desc
        limit \(unsafeRaw: String(max(0, limit)))
        """
    }

    /// Net revenue and orders per calendar month with an order.
    func monthlyRevenue(id: Int64) -> SQL {
        """
        select cast(date_trunc('month', order_date) as date) as month, sum(net_revenue) as net_revenue, count(*) as orders
        from \(unsafeRaw: orders.description)
        where customer_id = \(id)
        group by 1
        order by 1
        """
    }

    /// Customers whose email, first name, last name or full name starts with `prefix`, ignoring
    /// case; everyone for an empty prefix.
    func matching(_ prefix: String) -> SQL {
        let folded = prefix.trimmingCharacters(in: .whitespaces).lowercased()
        guard !folded.isEmpty else { return "true" }
        // starts_with rather than LIKE: a % or _ in the prefix is a character, not a wildcard.
        return """
            (starts_with(lower(c.email), \(folded)) or starts_with(lower(c.first_name), \(folded))
                or starts_with(lower(c.last_name), \(folded)) or starts_with(lower(c.first_name || ' ' || c.last_name), \(folded)))
            """
    }

    func searchCount(prefix: String) -> SQL {
        "select count(*) as total from \(unsafeRaw: customers.description) c where \(matching(prefix))"
    }

    /// One page of matches, most valuable first (ties by id, so pages never overlap).
    func search(prefix: String, limit: Int, offset: Int) -> SQL {
        """
        select c.customer_id, c.first_name, c.last_name, c.email, c.city, c.country, c.customer_segment, c.customer_lifecycle,
            c.lifetime_orders, c.lifetime_value, c.last_order_at
        from \(unsafeRaw: customers.description) c
        where \(matching(prefix))
        order by c.lifetime_value desc, c.customer_id
        limit \(unsafeRaw: String(max(0, limit))) offset \(unsafeRaw: String(max(0, offset)))
        """
    }
}
