import ColumnLineage
import Foundation
import WarehouseDuckDB
import WarehouseKit
import XCTest

/// Column lineage on SQL shapes a dbt project is made of, each with its lineage written by hand.
/// DuckDB's own parser gives the tree; the catalog knows three raw tables.
final class LineageShapesTests: XCTestCase {
    static let tables: [String: [String]] = [
        "raw.orders": ["id", "customer_id", "status", "amount", "created_at"],
        "raw.customers": ["id", "name", "email", "country"],
        "raw.items": ["order_id", "product_id", "quantity", "price"],
    ]

    nonisolated(unsafe) static var warehouse: DuckDBWarehouse?
    nonisolated(unsafe) static var aggregates: Set<String> = []

    override class func setUp() {
        warehouse = try? DuckDBWarehouse(path: ":memory:")
    }

    /// `json_serialize_sql(sql)` and the engine's aggregate function names.
    func parse(_ sql: String) async throws -> Data {
        let warehouse = try XCTUnwrap(Self.warehouse)
        if Self.aggregates.isEmpty { Self.aggregates = try await warehouse.aggregateFunctionNames() }
        return try await warehouse.parseTree(of: sql)
    }

    func lineage(_ sql: String) async throws -> QueryLineage {
        let tree = try await parse(sql) // first: it reads the aggregate names once
        let analyzer = LineageAnalyzer(aggregates: Self.aggregates) { path in
            let name = path.suffix(2).joined(separator: ".")
            return Self.tables[name].map { KnownRelation(name: name, columns: $0) }
        }
        return try analyzer.analyze(json: tree)
    }

    /// `name: derivation <- a.b, c.d` per column (`(constant)` without sources, `!reason` when
    /// untraceable), then `join:`, `filter:`, `group:` lines when not empty.
    func describe(_ lineage: QueryLineage) -> [String] {
        var lines = lineage.columns.map { column -> String in
            if let problem = column.untraceable { return "\(column.name): !\(problem)" }
            let sources = column.sources.sorted().map(\.description).joined(separator: ", ")
            return "\(column.name): \(column.derivation) <- \(sources.isEmpty ? "(constant)" : sources)"
        }
        for (label, set) in [("join", lineage.joinKeys), ("filter", lineage.filters), ("group", lineage.groupKeys)] where !set.isEmpty {
            lines.append("\(label): " + set.sorted().map(\.description).joined(separator: ", "))
        }
        return lines
    }

    func check(_ sql: String, _ expected: [String], file: StaticString = #filePath, line: UInt = #line) async throws {
        let found = describe(try await lineage(sql))
        XCTAssertEqual(found, expected, sql, file: file, line: line)
    }

    func testCopiesRenamesAndComputations() async throws {
        try await check("select id, customer_id as customer, amount * 1.2 as gross, upper(status) as status from raw.orders", [
            "id: identity <- raw.orders.id", "customer: identity <- raw.orders.customer_id",
            "gross: transformation <- raw.orders.amount", "status: transformation <- raw.orders.status",
        ])
        try await check("select o.id, cast(o.created_at as date) as day, 'paid' as label, 42 as answer from raw.orders o", [
            "id: identity <- raw.orders.id", "day: transformation <- raw.orders.created_at",
            "label: transformation <- (constant)", "answer: transformation <- (constant)",
        ])
        try await check("select case when amount > 100 then 'big' when status = 'x' then 'odd' else 'small' end as size from raw.orders", [
            "size: transformation <- raw.orders.amount, raw.orders.status",
        ])
        try await check("select coalesce(c.email, c.name) as contact, c.name || ' (' || c.country || ')' as label from raw.customers as c", [
            "contact: transformation <- raw.customers.email, raw.customers.name",
            "label: transformation <- raw.customers.country, raw.customers.name",
        ])
    }

    func testJoinsAliasesAndUsing() async throws {
        try await check("""
            select o.id, c.name, i.quantity * i.price as revenue
            from raw.orders o
            join raw.customers c on c.id = o.customer_id
            left join raw.items i on i.order_id = o.id
            where o.status <> 'cancelled'
            """, [
            "id: identity <- raw.orders.id", "name: identity <- raw.customers.name",
            "revenue: transformation <- raw.items.price, raw.items.quantity",
            "join: raw.customers.id, raw.items.order_id, raw.orders.customer_id, raw.orders.id",
            "filter: raw.orders.status",
        ])
        try await check("select * from (select id as order_id, amount from raw.orders) o join raw.items using (order_id)", [
            "order_id: identity <- raw.orders.id", "amount: identity <- raw.orders.amount",
            "product_id: identity <- raw.items.product_id", "quantity: identity <- raw.items.quantity", "price: identity <- raw.items.price",
            "join: raw.items.order_id, raw.orders.id",
        ])
        try await check("select main_orders.id from raw.orders as main_orders, raw.customers where main_orders.customer_id = customers.id", [
            "id: identity <- raw.orders.id", "filter: raw.customers.id, raw.orders.customer_id",
        ])
        try await check("select orders.id, raw.customers.name from raw.orders join raw.customers on orders.customer_id = customers.id", [
            "id: identity <- raw.orders.id", "name: identity <- raw.customers.name",
            "join: raw.customers.id, raw.orders.customer_id",
        ])
    }

    func testCTEsSubqueriesAndStars() async throws {
        try await check("""
            with paid as (select id, customer_id, amount from raw.orders where status = 'paid'),
                 per_customer as (select customer_id, sum(amount) as total, count(*) as orders from paid group by customer_id)
            select c.name, p.total, p.orders from per_customer p join raw.customers c on c.id = p.customer_id
            """, [
            "name: identity <- raw.customers.name", "total: aggregation <- raw.orders.amount", "orders: aggregation <- (constant)",
            "join: raw.customers.id, raw.orders.customer_id", "filter: raw.orders.status", "group: raw.orders.customer_id",
        ])
        try await check("with o as (select * from raw.orders) select * exclude (created_at, status) from o", [
            "id: identity <- raw.orders.id", "customer_id: identity <- raw.orders.customer_id", "amount: identity <- raw.orders.amount",
        ])
        try await check("select * replace (amount * 100 as amount) from raw.orders where false", [
            "id: identity <- raw.orders.id", "customer_id: identity <- raw.orders.customer_id", "status: identity <- raw.orders.status",
            "amount: transformation <- raw.orders.amount", "created_at: identity <- raw.orders.created_at",
        ])
        try await check("select c.*, (select count(*) from raw.orders o where o.customer_id = c.id) as orders from raw.customers c", [
            "id: identity <- raw.customers.id", "name: identity <- raw.customers.name", "email: identity <- raw.customers.email",
            "country: identity <- raw.customers.country", "orders: aggregation <- (constant)",
            "filter: raw.customers.id, raw.orders.customer_id",
        ])
        try await check("with t(a, b) as (select id, amount from raw.orders) select b as money, a from t", [
            "money: identity <- raw.orders.amount", "a: identity <- raw.orders.id",
        ])
        try await check("select x.total from (select sum(amount) as total from raw.orders) as x", ["total: aggregation <- raw.orders.amount"])
        try await check("select id from raw.customers where id in (select customer_id from raw.orders where amount > 10)", [
            "id: identity <- raw.customers.id", "filter: raw.customers.id, raw.orders.amount, raw.orders.customer_id",
        ])
        try await check("select name from raw.customers c where exists (select 1 from raw.orders o where o.customer_id = c.id)", [
            "name: identity <- raw.customers.name", "filter: raw.customers.id, raw.orders.customer_id",
        ])
    }

    func testAggregatesGroupsAndWindows() async throws {
        try await check("select status, count(distinct customer_id) as buyers, avg(amount) as mean from raw.orders group by 1", [
            "status: identity <- raw.orders.status", "buyers: aggregation <- raw.orders.customer_id", "mean: aggregation <- raw.orders.amount",
            "group: raw.orders.status",
        ])
        try await check("select date_trunc('month', created_at) as month, sum(amount) filter (where status = 'paid') as paid from raw.orders group by all", [
            "month: transformation <- raw.orders.created_at", "paid: aggregation <- raw.orders.amount, raw.orders.status",
            "group: raw.orders.created_at",
        ])
        try await check("select customer_id, sum(amount) as total from raw.orders group by customer_id having count(*) > 2", [
            "customer_id: identity <- raw.orders.customer_id", "total: aggregation <- raw.orders.amount", "group: raw.orders.customer_id",
        ])
        try await check("""
            select id, row_number() over (partition by customer_id order by created_at) as nth,
                   sum(amount) over (partition by customer_id) as customer_total,
                   lag(amount) over (order by created_at) as previous
            from raw.orders qualify nth = 1
            """, [
            "id: identity <- raw.orders.id",
            "nth: window <- raw.orders.created_at, raw.orders.customer_id",
            "customer_total: window <- raw.orders.amount, raw.orders.customer_id",
            "previous: window <- raw.orders.amount, raw.orders.created_at",
            "filter: raw.orders.created_at, raw.orders.customer_id",
        ])
        try await check("select string_agg(name, ', ' order by name) as names, median(amount) as middle from raw.customers, raw.orders", [
            "names: aggregation <- raw.customers.name", "middle: aggregation <- raw.orders.amount",
        ])
        try await check("select percentile_cont(0.5) within group (order by amount) as p50 from raw.orders", ["p50: aggregation <- raw.orders.amount"])
    }

    func testUnionsAndRecursion() async throws {
        try await check("select id, 'order' as kind from raw.orders union all select id, 'customer' from raw.customers", [
            "id: identity <- raw.customers.id, raw.orders.id", "kind: transformation <- (constant)",
        ])
        try await check("select name as who from raw.customers union select status from raw.orders except select 'x'", [
            "who: identity <- raw.customers.name, raw.orders.status",
        ])
        try await check("""
            with recursive days(d) as (select min(created_at) from raw.orders union all select d + interval 1 day from days where d < current_date)
            select d from days
            """, ["d: aggregation <- raw.orders.created_at", "filter: raw.orders.created_at"])
        try await check("select id, amount from raw.orders union all by name select 0 as amount, id from raw.customers", [
            "id: identity <- raw.customers.id, raw.orders.id", "amount: identity <- raw.orders.amount",
        ])
    }

    func testValuesTableFunctionsLambdasAndStructs() async throws {
        try await check("select v.code, v.label from (values ('a', 'Apples'), ('b', 'Bananas')) as v(code, label)", [
            "code: transformation <- (constant)", "label: transformation <- (constant)",
        ])
        try await check("select r.n, o.amount from range(3) r(n), raw.orders o", [
            "n: transformation <- (constant)", "amount: identity <- raw.orders.amount",
        ])
        try await check("select list_transform([amount, amount * 2], x -> x + 1) as both, {'id': id, 'st': status} as packed from raw.orders", [
            "both: transformation <- raw.orders.amount", "packed: transformation <- raw.orders.id, raw.orders.status",
        ])
        try await check("with s as (select {'id': id, 'amount': amount} as rec from raw.orders) select rec.amount as amount from s", [
            "amount: transformation <- raw.orders.amount, raw.orders.id",
        ])
        try await check("select amount::decimal(10, 2) as amount, current_date as today from raw.orders", [
            "amount: transformation <- raw.orders.amount", "today: transformation <- (constant)",
        ])
    }

    func testWhatCannotBeTracedSaysWhy() async throws {
        try await check("select nosuch from raw.orders", [
            "nosuch: !no relation in scope has a column nosuch (in scope: orders)",
        ])
        try await check("select * from analytics.unknown_model", [
            "*: !`*` over analytics.unknown_model, whose columns are not known; build it first or name the columns",
        ])
        try await check("select u.id, u.country from analytics.unknown_model u", [
            "id: identity <- analytics.unknown_model.id", "country: identity <- analytics.unknown_model.country",
        ])
        try await check("select id from raw.orders, raw.customers", [
            "id: !column id is in more than one relation (orders, customers); qualify it",
        ])
        do {
            _ = try await lineage("create table x as select 1")
            XCTFail("a statement that is not a query is refused")
        } catch let error as LineageError {
            XCTAssertTrue(error.message.contains("Only SELECT"), error.message)
        }
    }
}
