import Foundation

/// One customer's 360, as the customer page shows it and an API can return it. Keys are
/// snake_case and stable (explicit coding keys, whatever the encoder's strategy). Money is in
/// the store's currency; times are as the warehouse writes them (`2026-03-01 14:05:00`).
public struct CustomerRecord: Codable, Sendable, Hashable {
    public var id: Int64
    public var firstName: String?
    public var lastName: String?
    /// First and last name, or `Customer <id>` when both are missing.
    public var name: String
    public var email: String?
    public var city: String?
    public var state: String?
    public var country: String?
    public var signedUpAt: String?
    public var acquisitionSource: String?
    /// Value segment: VIP, Regular, Occasional, One-Time or Prospect.
    public var segment: String?
    /// Lifecycle stage: Active, At Risk, Dormant, Lost or Prospect.
    public var lifecycle: String?
    public var marketingSegment: String?
    /// Net lifetime value (orders neither cancelled nor returned).
    public var lifetimeValue: Double
    /// Everything ever ordered, any status.
    public var grossRevenue: Double
    public var averageOrderValue: Double?
    public var ordersCount: Int
    public var netOrders: Int
    public var firstOrderAt: String?
    public var lastOrderAt: String?
    public var daysSinceLastOrder: Int?
    /// nil for a customer without orders (customer_rfm scores customers who ordered).
    public var rfm: CustomerRFM?
    /// The latest orders, newest first (at most 10).
    public var recentOrders: [CustomerOrder]
    /// Net revenue per month with an order, oldest first.
    public var monthlyRevenue: [CustomerMonth]
    /// Churn risk and predicted 90-day revenue, when the project's models have scored the customer.
    public var predictions: CustomerPredictions?

    enum CodingKeys: String, CodingKey {
        case id, name, email, city, state, country, segment, lifecycle, rfm, predictions
        case firstName = "first_name", lastName = "last_name", signedUpAt = "signed_up_at"
        case acquisitionSource = "acquisition_source", marketingSegment = "marketing_segment"
        case lifetimeValue = "lifetime_value", grossRevenue = "gross_revenue", averageOrderValue = "average_order_value"
        case ordersCount = "orders_count", netOrders = "net_orders", firstOrderAt = "first_order_at", lastOrderAt = "last_order_at"
        case daysSinceLastOrder = "days_since_last_order", recentOrders = "recent_orders", monthlyRevenue = "monthly_revenue"
    }
}

/// RFM quintile scores (5 = best) and the segment their rules give (customer_rfm).
public struct CustomerRFM: Codable, Sendable, Hashable {
    public var recencyScore: Int?
    public var frequencyScore: Int?
    public var monetaryScore: Int?
    /// The three scores as text, e.g. `545`.
    public var cell: String?
    public var segment: String?
    public var recencyDays: Int?

    enum CodingKeys: String, CodingKey {
        case cell, segment
        case recencyScore = "recency_score", frequencyScore = "frequency_score", monetaryScore = "monetary_score"
        case recencyDays = "recency_days"
    }
}

public struct CustomerOrder: Codable, Sendable, Hashable {
    public var id: Int64
    public var date: String?
    public var status: String?
    public var items: Int?
    /// Sale prices of the order's lines, any status.
    public var revenue: Double
    /// Revenue counting toward net revenue (0 for cancelled and returned orders).
    public var netRevenue: Double

    enum CodingKeys: String, CodingKey {
        case id, date, status, items, revenue
        case netRevenue = "net_revenue"
    }
}

public struct CustomerMonth: Codable, Sendable, Hashable {
    /// The month's first day, `2026-03-01`.
    public var month: String
    public var netRevenue: Double
    public var orders: Int

    enum CodingKeys: String, CodingKey {
        case month, orders
        case netRevenue = "net_revenue"
    }
}

/// A customer in search results.
public struct CustomerSummary: Codable, Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var email: String?
    public var city: String?
    public var country: String?
    public var segment: String?
    public var lifecycle: String?
    public var ordersCount: Int
    public var lifetimeValue: Double
    public var lastOrderAt: String?

    enum CodingKeys: String, CodingKey {
        case id, name, email, city, country, segment, lifecycle
        case ordersCount = "orders_count", lifetimeValue = "lifetime_value", lastOrderAt = "last_order_at"
    }
}

/// One page of a customer search, with how many match in all.
public struct CustomerSearchResult: Codable, Sendable, Hashable {
    public var query: String
    /// 1-based.
    public var page: Int
    public var pageSize: Int
    public var total: Int
    public var customers: [CustomerSummary]

    public var pageCount: Int { max(1, (total + pageSize - 1) / max(1, pageSize)) }

    enum CodingKeys: String, CodingKey {
        case query, page, total, customers
        case pageSize = "page_size"
    }
}
