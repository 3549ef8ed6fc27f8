import Foundation
import WarehouseKit

/// The short report a store manager reads after the main job: sales, customers, funnel,
/// experiments and top categories, straight from the marts.
struct StoreReport {
    let martsSchema: String

    func render(from warehouse: any Warehouse) async throws -> String {
        let marts = martsSchema
        let sections: [String] = try await warehouse.read { db in
            var out: [String] = []
            out.append(try await sales(db, marts))
            out.append(try await customers(db, marts))
            out.append(try await funnel(db, marts))
            out.append(try await experiments(db, marts))
            out.append(try await categories(db, marts))
            if let marketplace = try await marketplace(db, marts) { out.append(marketplace) }
            return out
        }
        return sections.joined(separator: "\n\n")
    }

    private func sales(_ db: any WarehouseConnection, _ marts: String) async throws -> String {
        let row = try await db.query(SQL(unsafeRaw: """
            with bounds as (select max(revenue_date) as as_of from \(q(marts)).daily_revenue)
            select as_of,
              sum(case when revenue_date > as_of - 30 then net_revenue else 0 end),
              sum(case when revenue_date <= as_of - 30 and revenue_date > as_of - 60 then net_revenue else 0 end),
              sum(case when revenue_date > as_of - 30 then net_orders else 0 end),
              sum(case when revenue_date <= as_of - 30 and revenue_date > as_of - 60 then net_orders else 0 end),
              sum(case when revenue_date > as_of - 30 then new_customers else 0 end)
            from \(q(marts)).daily_revenue, bounds group by as_of
            """)).rows.first ?? []
        guard row.count == 6 else { return "Sales: no orders yet." }
        let revenue = row[1].double ?? 0, previousRevenue = row[2].double ?? 0
        let orders = row[3].double ?? 0, previousOrders = row[4].double ?? 0
        let aov = orders > 0 ? revenue / orders : 0, previousAOV = previousOrders > 0 ? previousRevenue / previousOrders : 0
        return """
            SALES — last 30 days to \(row[0]) (net of cancellations and returns), vs the 30 days before
              revenue          \(money(revenue).leftPadded(to: 14, with: " "))   \(change(revenue, previousRevenue))
              orders           \(count(orders).leftPadded(to: 14, with: " "))   \(change(orders, previousOrders))
              average order    \(money(aov).leftPadded(to: 14, with: " "))   \(change(aov, previousAOV))
              new customers    \(count(row[5].double ?? 0).leftPadded(to: 14, with: " "))
            """
    }

    private func customers(_ db: any WarehouseConnection, _ marts: String) async throws -> String {
        let segments = try await db.query(SQL(unsafeRaw: """
            select customer_segment, count(*), sum(lifetime_value) from \(q(marts)).dim_customers group by 1 order by 3 desc nulls last
            """)).rows
        let lifecycle = try await db.query(SQL(unsafeRaw: """
            select customer_lifecycle, count(*) from \(q(marts)).dim_customers group by 1 order by 2 desc
            """)).rows
        var text = "CUSTOMERS by segment (lifetime value)\n"
        for row in segments {
            text += "  \((row[0].string ?? "—").padding(toLength: 14, withPad: " ", startingAt: 0)) \(count(row[1].double ?? 0).leftPadded(to: 10, with: " "))   \(money(row[2].double ?? 0).leftPadded(to: 14, with: " "))\n"
        }
        text += "CUSTOMERS by lifecycle\n"
        text += lifecycle.map { "  \(($0[0].string ?? "—").padding(toLength: 14, withPad: " ", startingAt: 0)) \(count($0[1].double ?? 0).leftPadded(to: 10, with: " "))" }
            .joined(separator: "\n")
        return text
    }

    private func funnel(_ db: any WarehouseConnection, _ marts: String) async throws -> String {
        let row = try await db.query(SQL(unsafeRaw: """
            select sum(sessions), sum(sessions_reached_product), sum(sessions_reached_cart), sum(sessions_reached_purchase)
            from \(q(marts)).conversion_funnel
            """)).rows.first ?? []
        let values = row.map { $0.double ?? 0 }
        guard values.count == 4, values[0] > 0 else { return "FUNNEL: no sessions." }
        return """
            FUNNEL (all sessions)
              sessions        \(count(values[0]).leftPadded(to: 12, with: " "))
              viewed product  \(count(values[1]).leftPadded(to: 12, with: " "))  \(percent(values[1] / values[0]))
              added to cart   \(count(values[2]).leftPadded(to: 12, with: " "))  \(percent(values[2] / values[0]))
              purchased       \(count(values[3]).leftPadded(to: 12, with: " "))  \(percent(values[3] / values[0]))  (cart → purchase \(percent(values[2] > 0 ? values[3] / values[2] : 0)))
            """
    }

    private func experiments(_ db: any WarehouseConnection, _ marts: String) async throws -> String {
        let rows = try await db.query(SQL(unsafeRaw: """
            select experiment_name, variant, exposed_users, conversion_rate, control_conversion_rate, absolute_lift,
                   ci_95_low, ci_95_high, p_value, srm_detected
            from \(q(marts)).experiment_results where not is_control order by experiment_name, variant
            """)).rows
        var text = "EXPERIMENTS (conversion within 30 days of assignment; lift vs control, 95% interval)"
        for r in rows {
            let name = "\(r[0].string ?? "?") / \(r[1].string ?? "?")"
            let lift = r[5].double ?? 0, low = r[6].double ?? 0, high = r[7].double ?? 0, p = r[8].double ?? 1
            text += "\n  \(name.padding(toLength: 38, withPad: " ", startingAt: 0)) \(percent(r[4].double ?? 0)) → \(percent(r[3].double ?? 0))"
            text += "  lift \(signedPoints(lift)) [\(signedPoints(low)), \(signedPoints(high))]  p=\(String(format: "%.4f", p))"
            text += p < 0.05 ? "  significant" : ""
            if r[9].bool == true { text += "  ⚠ sample ratio mismatch" }
        }
        return rows.isEmpty ? text + "\n  none" : text
    }

    private func categories(_ db: any WarehouseConnection, _ marts: String) async throws -> String {
        let rows = try await db.query(SQL(unsafeRaw: """
            select category, sum(net_revenue) as revenue, count(*) as items
            from \(q(marts)).fact_order_items where is_net_revenue group by 1 order by 2 desc limit 5
            """)).rows
        return "TOP CATEGORIES (net revenue, all time)\n" + rows.map {
            "  \(($0[0].string ?? "—").padding(toLength: 30, withPad: " ", startingAt: 0)) \(money($0[1].double ?? 0).leftPadded(to: 14, with: " "))  \(count($0[2].double ?? 0).leftPadded(to: 9, with: " ")) items"
        }.joined(separator: "\n")
    }

    /// The REES46 marketplace clickstream, when one was loaded (the mart is empty otherwise).
    private func marketplace(_ db: any WarehouseConnection, _ marts: String) async throws -> String? {
        let total = try await db.query(SQL(unsafeRaw: """
            select sum(events), sum(views), sum(carts), sum(purchases), sum(purchase_revenue), min(event_date), max(event_date)
            from \(q(marts)).marketplace_category_funnel
            """)).rows.first ?? []
        guard total.count == 7, let events = total[0].double, events > 0 else { return nil }
        let views = total[1].double ?? 0, carts = total[2].double ?? 0, purchases = total[3].double ?? 0
        let top = try await db.query(SQL(unsafeRaw: """
            select top_category, sum(purchase_revenue), sum(purchases) from \(q(marts)).marketplace_category_funnel
            group by 1 order by 2 desc, 1 limit 3
            """)).rows
        var text = """
            MARKETPLACE clickstream (REES46 format, \(total[5]) to \(total[6]); exact duplicate rows removed)
              events          \(count(events).leftPadded(to: 12, with: " "))
              views           \(count(views).leftPadded(to: 12, with: " "))
              carts           \(count(carts).leftPadded(to: 12, with: " "))
              purchases       \(count(purchases).leftPadded(to: 12, with: " "))  (\(percent(views > 0 ? purchases / views : 0)) of views)
              revenue         \(money(total[4].double ?? 0).leftPadded(to: 12, with: " "))
            """
        for row in top {
            text += "\n  \((row[0].string ?? "—").padding(toLength: 14, withPad: " ", startingAt: 0)) \(money(row[1].double ?? 0).leftPadded(to: 14, with: " "))  \(count(row[2].double ?? 0).leftPadded(to: 9, with: " ")) purchases"
        }
        return text
    }

    private func q(_ name: String) -> String { SQL.quoteIdentifier(name) }

    func money(_ value: Double) -> String { "$" + grouped(Int(value.rounded())) }
    func count(_ value: Double) -> String { grouped(Int(value.rounded())) }
    func percent(_ value: Double) -> String { String(format: "%5.1f%%", value * 100) }
    func signedPoints(_ value: Double) -> String { String(format: "%+.2f pp", value * 100) }

    func change(_ now: Double, _ before: Double) -> String {
        guard before != 0 else { return "" }
        return String(format: "%+.1f%%", (now - before) / before * 100)
    }

    func grouped(_ n: Int) -> String { TerminalRunReporter.grouped(n) }
}
