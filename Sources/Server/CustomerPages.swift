import Dashboards
import Foundation
import WarehouseKit

/// The customer pages, drawn whole on the server with the dashboards' chrome, stylesheet and
/// chart library. Every value from the warehouse goes through `Markup.escape`.
enum CustomerPages {
    static let money = ValueFormat.currency()

    /// `/customers?q=…&page=N`: the search form and one page of matches, each linking to its 360.
    static func search(_ result: CustomerSearchResult, dashboards: [Dashboard]) -> String {
        var html = PageChrome.head(title: "Customers") + PageChrome.header(dashboards: dashboards, current: PageChrome.customersPath)
        html += "<main>\n<h1>Customers</h1>\n<p class=\"description\">Find a customer by the start of their email, first name, last name "
            + "or full name (any case); the most valuable come first.</p>\n"
        html += "<form class=\"filters\" method=\"get\" action=\"/customers\" role=\"search\">"
            + "<label>Name or email starts with <input type=\"search\" name=\"q\" value=\"\(Markup.escape(result.query))\" autofocus></label>"
            + "<button type=\"submit\">Search</button> <a class=\"reset\" href=\"/customers\">Clear</a></form>\n"
        let matching = result.query.isEmpty ? "customers" : "customers match “\(Markup.escape(result.query))”"
        html += "<p class=\"row-count\" data-total=\"\(result.total)\">\(ValueFormat.integer.full(Double(result.total))) \(matching)</p>\n"
        html += pager(result)
        html += "<div class=\"tile results\"><div class=\"table-wrap\"><table class=\"list\">\n<thead><tr><th>Customer</th><th>Email</th>"
            + "<th>Location</th><th>Segment</th><th>Lifecycle</th><th class=\"num\">Orders</th><th class=\"num\">Lifetime value</th>"
            + "<th>Last order</th></tr></thead>\n<tbody>\n"
        if result.customers.isEmpty { html += "<tr><td colspan=\"8\" class=\"empty\">No customer matches.</td></tr>\n" }
        for customer in result.customers {
            html += "<tr data-customer=\"\(customer.id)\"><td><a href=\"/customers/\(customer.id)\">\(Markup.escape(customer.name))</a></td>"
                + "<td>\(text(customer.email))</td><td>\(text(place(customer.city, nil, customer.country)))</td>"
                + "<td>\(text(customer.segment))</td><td>\(text(customer.lifecycle))</td>"
                + "<td class=\"num\">\(ValueFormat.integer.full(Double(customer.ordersCount)))</td>"
                + "<td class=\"num\">\(money.full(customer.lifetimeValue))</td><td>\(text(customer.lastOrderAt.map(day)))</td></tr>\n"
        }
        html += "</tbody></table></div></div>\n" + pager(result)
        return html + "</main>\n</body>\n</html>\n"
    }

    static func pager(_ result: CustomerSearchResult) -> String {
        guard result.pageCount > 1 else { return "" }
        func link(_ page: Int) -> String {
            var items = [String]()
            if !result.query.isEmpty { items.append("q=" + percent(result.query)) }
            if page > 1 { items.append("page=\(page)") }
            return "/customers" + (items.isEmpty ? "" : "?" + items.joined(separator: "&"))
        }
        var html = "<nav class=\"pager\">"
        if result.page > 1 { html += "<a rel=\"prev\" href=\"\(Markup.escape(link(result.page - 1)))\">← Previous</a> " }
        html += "<span>Page \(result.page) of \(result.pageCount)</span>"
        if result.page < result.pageCount { html += " <a rel=\"next\" href=\"\(Markup.escape(link(result.page + 1)))\">Next →</a>" }
        return html + "</nav>\n"
    }

    /// `/customers/:id`: identity, the KPI strip, revenue by month and the latest orders.
    static func customer(_ record: CustomerRecord, recommendations: CustomerRecommendations? = nil, dashboards: [Dashboard]) -> String {
        var html = PageChrome.head(title: record.name) + PageChrome.header(dashboards: dashboards, current: PageChrome.customersPath)
        html += "<main class=\"customer\" data-customer=\"\(record.id)\">\n<p class=\"crumbs\"><a href=\"/customers\">← Customers</a>"
        if let dashboard = dashboards.first(where: { $0.name == "customers" }) {
            html += " · <a href=\"/dashboards/customers\">\(Markup.escape(dashboard.title)) dashboard</a>"
        }
        html += "</p>\n"
        html += "<h1>\(Markup.escape(record.name))</h1>\n<p class=\"identity\">"
        var identity = ["Customer #\(record.id)"]
        if let email = record.email { identity.append(email) }
        if let place = place(record.city, record.state, record.country) { identity.append(place) }
        if let signedUp = record.signedUpAt { identity.append("Signed up \(day(signedUp))") }
        if let source = record.acquisitionSource { identity.append("Came from \(source)") }
        if let marketing = record.marketingSegment { identity.append("Marketing segment \(marketing)") }
        html += identity.map { "<span>\(Markup.escape($0))</span>" }.joined() + "</p>\n<section class=\"kpis\">\n"
        html += kpi("lifetime_value", "Lifetime value", money.full(record.lifetimeValue), raw: record.lifetimeValue,
                    detail: "\(money.full(record.grossRevenue)) ordered in all")
        html += kpi("orders", "Orders", ValueFormat.integer.full(Double(record.ordersCount)), raw: Double(record.ordersCount),
                    detail: "\(ValueFormat.integer.full(Double(record.netOrders))) neither cancelled nor returned")
        html += kpi("average_order_value", "Average order value", record.averageOrderValue.map(money.full) ?? "—",
                    raw: record.averageOrderValue, detail: "net, per net order")
        html += kpi("last_order", "Last order", record.lastOrderAt.map(day) ?? "never", raw: nil,
                    detail: record.daysSinceLastOrder.map { "\(ValueFormat.integer.full(Double($0))) days before the as-of date" }
                        ?? "first order \(record.firstOrderAt.map(day) ?? "—")")
        html += kpi("segment", "Value segment", record.segment ?? "—", raw: nil, detail: "lifecycle: \(record.lifecycle ?? "—")")
        if let rfm = record.rfm {
            html += kpi("rfm", "RFM", rfm.segment ?? "—", raw: nil,
                        detail: "R \(rfm.recencyScore.map(String.init) ?? "—") · F \(rfm.frequencyScore.map(String.init) ?? "—") · M \(rfm.monetaryScore.map(String.init) ?? "—")")
        } else {
            html += kpi("rfm", "RFM", "not scored", raw: nil, detail: "only customers with an order are scored")
        }
        if let predictions = record.predictions {
            if let churn = predictions.churnProbability {
                html += kpi("churn_probability", "Churn risk", probability(churn), raw: churn,
                            detail: "no order in the next 90 days (churn model v\(predictions.churnModelVersion.map(String.init) ?? "?"), see /ml/churn)")
            } else if predictions.predictedRevenue90d != nil {
                // The ltv model scored them, the churn model did not: no order in the past year.
                html += kpi("churn_probability", "Churn risk", "not scored", raw: nil,
                            detail: "the churn model scores customers with an order in the past year (see /ml/churn)")
            }
            if let revenue = predictions.predictedRevenue90d {
                html += kpi("predicted_revenue_90d", "Predicted 90-day revenue", money.full(revenue), raw: revenue,
                            detail: "net, expected (ltv model v\(predictions.ltvModelVersion.map(String.init) ?? "?"))")
            }
        }
        html += "</section>\n<section class=\"panels\">\n"
        html += "<article class=\"tile\" id=\"monthly-revenue\"><h2>Net revenue by month</h2><div class=\"chart\">"
            + monthlyChart(record) + "</div></article>\n"
        html += "<article class=\"tile\" id=\"recent-orders\"><h2>Latest orders</h2>" + ordersTable(record.recentOrders) + "</article>\n"
        if let recommendations, !recommendations.recommendations.isEmpty {
            html += "<article class=\"tile\" id=\"recommendations\"><h2>Cross-sell: categories to offer</h2>"
                + recommendationsTable(recommendations) + "</article>\n"
        }
        return html + "</section>\n</main>\n</body>\n</html>\n"
    }

    static func kpi(_ name: String, _ label: String, _ value: String, raw: Double?, detail: String) -> String {
        "<div class=\"kpi\" data-kpi=\"\(name)\"\(raw.map { " data-value=\"\(WarehouseValue.format(double: $0))\"" } ?? "")>"
            + "<span class=\"label\">\(Markup.escape(label))</span><span class=\"value\">\(Markup.escape(value))</span>"
            + "<span class=\"detail\">\(Markup.escape(detail))</span></div>\n"
    }

    /// Every month from the first order's to the last's, months without an order at zero.
    static func monthlyChart(_ record: CustomerRecord) -> String {
        let known = Dictionary(record.monthlyRevenue.compactMap { month in CivilDate(iso: month.month.prefix(10)).map { ($0, month.netRevenue) } },
                               uniquingKeysWith: { first, _ in first })
        guard var month = known.keys.min(), let last = known.keys.max() else {
            return "<p class=\"note\">No orders yet.</p>"
        }
        var x: [ChartX] = [], values: [Double?] = []
        while month <= last {
            x.append(.date(month))
            values.append(known[month] ?? 0)
            month = month.month == 12 ? CivilDate(year: month.year + 1, month: 1, day: 1) : CivilDate(year: month.year, month: month.month + 1, day: 1)
        }
        let data = ChartData(x: x, series: [ChartSeries(name: "Net revenue", values: values)], format: money, timeGrain: .month)
        // Past a year of months the value labels crowd the bars; the tooltips still say them.
        return BarChart(data, showValueLabels: x.count <= 12, title: "Net revenue by month").render()
    }

    /// A probability as a percentage with two significant digits below 1% (cross-sell chances are
    /// tenths of a percent; "0%" would hide their order).
    static func probability(_ value: Double) -> String {
        guard value.isFinite, value > 0, value < 0.01 else { return ValueFormat.percent.full(value) }
        return String(format: "%.2g%%", value * 100)
    }

    /// The cross-sell model's best categories for the customer, with their best sellers.
    static func recommendationsTable(_ result: CustomerRecommendations) -> String {
        var html = "<div class=\"table-wrap\"><table class=\"list\"><thead><tr><th>Category</th><th class=\"num\">Chance to buy in 90 days</th>"
            + "<th>Best sellers</th></tr></thead>\n<tbody>\n"
        for entry in result.recommendations {
            let products = entry.products.map { product in
                Markup.escape(product.name ?? "Product \(product.id)") + (product.retailPrice.map { " (\(money.full($0)))" } ?? "")
            }.joined(separator: "; ")
            html += "<tr data-category=\"\(Markup.escape(entry.category))\"><td>\(Markup.escape([entry.department, entry.category].compactMap { $0 }.joined(separator: " · ")))</td>"
                + "<td class=\"num\" data-value=\"\(WarehouseValue.format(double: entry.purchaseProbability))\">\(probability(entry.purchaseProbability))</td>"
                + "<td>\(products.isEmpty ? "—" : products)</td></tr>\n"
        }
        return html + "</tbody></table></div><p class=\"note\">cross_sell model v\(result.modelVersion.map(String.init) ?? "?"): categories the customer viewed and has not bought.</p>"
    }

    static func ordersTable(_ orders: [CustomerOrder]) -> String {
        guard !orders.isEmpty else { return "<p class=\"note\">No orders yet.</p>" }
        var html = "<div class=\"table-wrap\"><table class=\"list\"><thead><tr><th>Order</th><th>Date</th><th>Status</th>"
            + "<th class=\"num\">Items</th><th class=\"num\">Revenue</th><th class=\"num\">Net</th></tr></thead>\n<tbody>\n"
        for order in orders {
            html += "<tr data-order=\"\(order.id)\"><td>\(order.id)</td><td>\(text(order.date.map(day)))</td><td>\(text(order.status))</td>"
                + "<td class=\"num\">\(order.items.map { ValueFormat.integer.full(Double($0)) } ?? "—")</td>"
                + "<td class=\"num\">\(money.full(order.revenue))</td><td class=\"num\">\(money.full(order.netRevenue))</td></tr>\n"
        }
        return html + "</tbody></table></div>"
    }

    /// A page that says what went wrong (an unknown customer, a malformed id).
    static func problem(title: String, message: String, dashboards: [Dashboard]) -> String {
        PageChrome.head(title: title) + PageChrome.header(dashboards: dashboards, current: PageChrome.customersPath)
            + "<main>\n<h1>\(Markup.escape(title))</h1>\n<p class=\"description\">\(Markup.escape(message))</p>\n"
            + "<p><a href=\"/customers\">Search customers</a></p>\n</main>\n</body>\n</html>\n"
    }

    static func text(_ value: String?) -> String { value.map(Markup.escape) ?? "—" }
    static func day(_ time: String) -> String { String(time.prefix(10)) }

    static func place(_ city: String?, _ state: String?, _ country: String?) -> String? {
        var parts: [String] = []
        // Some cities share their state's name (Shanghai, Shanghai): say it once.
        for part in [city, state, country].compactMap({ $0 }) where !part.isEmpty && parts.last != part { parts.append(part) }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    static func percent(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
