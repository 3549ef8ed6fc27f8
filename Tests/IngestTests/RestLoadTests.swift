import Foundation
import RestTestSupport
import WarehouseKit
import XCTest

@testable import Ingest

/// REST connectors against fake DummyJSON, FakeStore and Stripe servers on loopback, with the
/// faults real APIs show: every record arrives exactly once and the report says what happened.
final class RestLoadTests: IngestTestCase {
    /// Counts requests per URL (path and query), so a fault can hit the first attempt only.
    final class Attempts: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [String: Int] = [:]
        func next(_ request: FakeRestServer.Request) -> Int {
            let key = request.path + "?" + request.query.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
            return lock.withLock {
                counts[key, default: 0] += 1
                return counts[key]!
            }
        }
    }

    func restLoader() -> RestLoader {
        var loader = RestLoader(warehouse: warehouse, environment: ["STRIPE_API_KEY": "sk_test_fake"])
        loader.backoff = 0.05
        return loader
    }

    /// An offset paginator whose first page tells the total: the other pages are asked for side
    /// by side, never more than `concurrency` at once, and kept in order.
    func testKnownPagesAreFetchedSideBySideUpToTheConcurrency() async throws {
        final class InFlight: @unchecked Sendable {
            private let lock = NSLock()
            private var now = 0
            private(set) var most = 0
            func enter() { lock.withLock { now += 1; most = max(most, now) } }
            func leave() { lock.withLock { now -= 1 } }
            func reset() { lock.withLock { most = 0 } }
        }
        let inFlight = InFlight()
        let server = try FakeRestServer { request in
            let skip = Int(request.query["skip"] ?? "0") ?? 0, limit = Int(request.query["limit"] ?? "30") ?? 30
            inFlight.enter()
            Thread.sleep(forTimeInterval: 0.1)
            inFlight.leave()
            let records = (skip..<min(2_000, skip + limit)).map { ["id": $0 + 1, "title": "product \($0 + 1)"] as [String: Any] }
            return .json(["products": records, "total": 2_000, "skip": skip, "limit": limit])
        }
        defer { server.stop() }
        var connector = RestPreset.dummyjson.connector(resource: "products", baseURL: server.baseURL)
        connector.concurrency = 3
        let report = try await restLoader().load(connector)
        XCTAssertEqual(report.files.first?.message, "20 pages, 2000 records")
        XCTAssertEqual(inFlight.most, 3, "requests in flight at once")
        let loaded = try await rows("select count(*), count(distinct id), min(id), max(id) from raw.dummyjson_products")
        XCTAssertEqual(loaded, [["2000", "2000", "1", "2000"]])
        // One at a time when told so.
        connector.concurrency = 1
        inFlight.reset()
        _ = try await restLoader().load(connector)
        XCTAssertEqual(inFlight.most, 1)
    }

    func testDummyJSONPagesArriveExactlyOnceThroughEveryFault() async throws {
        nonisolated(unsafe) let products = (1...250).map { ["id": $0, "title": "product \($0)", "price": Double($0) * 1.5, "dimensions": ["width": $0]] as [String: Any] }
        let attempts = Attempts()
        let server = try FakeRestServer { request in
            let skip = Int(request.query["skip"] ?? "0") ?? 0
            let limit = Int(request.query["limit"] ?? "30") ?? 30
            let page: FakeRestServer.Answer = .json(["products": Array(products[min(skip, 250)..<min(skip + limit, 250)]), "total": 250, "skip": skip, "limit": limit])
            switch (skip, attempts.next(request)) {
            case (0, 1): return .raw("{\"products\": [{\"id\": 1,", status: 200)
            case (100, 1): return .json(["message": "slow down"], status: 429, headers: ["Retry-After": "1"])
            case (100, 2): return .drop
            case (200, 1): return .slow(seconds: 2.5, page)
            case (200, 2): return .json(["message": "busy"], status: 503)
            default: return page
            }
        }
        defer { server.stop() }
        var connector = RestPreset.dummyjson.connector(resource: "products", baseURL: server.baseURL)
        connector.requestTimeout = 1
        let started = Date()
        let report = try await restLoader().load(connector)
        XCTAssertEqual(report.status, .succeeded)
        XCTAssertEqual(report.files.first?.rows, 250)
        let summary = report.files.first?.message ?? ""
        XCTAssertTrue(summary.hasPrefix("3 pages, 250 records; retried "), summary)
        XCTAssertEqual(summary, "3 pages, 250 records; retried 429 ×1, 503 ×1, dropped connection ×1, malformed JSON ×1, timeout ×1")
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 1, "Retry-After: 1 was honoured")
        let loaded = try await rows("select count(*), count(distinct id), sum(id), max((dimensions->>'$.width')::int) from raw.dummyjson_products")
        XCTAssertEqual(loaded, [["250", "250", "31375", "250"]])
        let types = try await types("raw.dummyjson_products")
        XCTAssertEqual(types["dimensions"], "JSON")
        XCTAssertEqual(types["price"], "DOUBLE")
        XCTAssertEqual(server.requests.filter { $0.query["skip"] == "0" }.first?.query["limit"], "100")
    }

    func testStripeCursorPagesRepeatedPageAndIncrementalLoads() async throws {
        final class Customers: @unchecked Sendable {
            let lock = NSLock()
            var list: [[String: Any]] = (1...10).map { ["id": String(format: "cus_%02d", $0), "created": 1_700_000_000 + $0 * 60, "email": "c\($0)@shop.test"] }
            var repeated = false
        }
        let customers = Customers()
        let server = try FakeRestServer { request in
            guard request.headers["authorization"] == "Bearer sk_test_fake" else { return .json(["error": ["message": "Invalid API Key"]], status: 401) }
            return customers.lock.withLock {
                let limit = Int(request.query["limit"] ?? "10") ?? 10
                var pool = customers.list
                if let since = request.query["created[gte]"].flatMap(Int.init) { pool = pool.filter { ($0["created"] as! Int) >= since } }
                var start = 0
                if let after = request.query["starting_after"], let index = pool.firstIndex(where: { $0["id"] as? String == after }) {
                    start = index + 1
                    // Once, the API serves the previous page again.
                    if after == "cus_06", !customers.repeated { customers.repeated = true; start = 3 }
                }
                let page = Array(pool[min(start, pool.count)..<min(start + limit, pool.count)])
                return .json(["object": "list", "data": page, "has_more": start + limit < pool.count])
            }
        }
        defer { server.stop() }
        var connector = RestPreset.stripe.connector(resource: "customers", baseURL: server.baseURL)
        connector.paginator = .cursor(cursorParameter: "starting_after", sizeParameter: "limit", pageSize: 3, hasMorePath: ["has_more"])
        let first = try await restLoader().load(connector)
        XCTAssertEqual(first.files.first?.message?.hasPrefix("5 pages, 13 records"), true, first.files.first?.message ?? "")
        let loaded = try await rows("select count(*), count(distinct id), min(id), max(id) from raw.stripe_customers")
        XCTAssertEqual(loaded, [["10", "10", "cus_01", "cus_10"]], "the repeated page's records land once")
        let cursor = try await rows("select value from ingest.cursors where connector = 'stripe_customers'")
        XCTAssertEqual(cursor, [["1700000600"]])

        customers.lock.withLock {
            customers.list.append(["id": "cus_11", "created": 1_700_000_660, "email": "c11@shop.test"])
            customers.list[9]["email"] = "changed@shop.test"
        }
        let second = try await restLoader().load(connector)
        XCTAssertEqual(server.requests.last?.query["created[gte]"], "1700000600", "the incremental load asks from the saved cursor")
        XCTAssertEqual(second.files.first?.rows, 2)
        let after = try await rows("select count(*), max(id), max(email) filter (where id = 'cus_10') from raw.stripe_customers")
        XCTAssertEqual(after, [["11", "cus_11", "changed@shop.test"]])

        let keyless = RestLoader(warehouse: warehouse, environment: [:])
        await XCTAssertThrowsErrorAsync(try await keyless.load(connector)) {
            XCTAssertTrue("\($0)".contains("needs an API key in $STRIPE_API_KEY, which is not set"), "\($0)")
        }
        let wrongKey = RestLoader(warehouse: warehouse, environment: ["STRIPE_API_KEY": "sk_wrong"])
        await XCTAssertThrowsErrorAsync(try await wrongKey.load(connector)) {
            XCTAssertTrue("\($0)".contains("answered 401"), "\($0)")
            XCTAssertTrue("\($0)".contains("check the key in $STRIPE_API_KEY"), "\($0)")
        }
    }

    func testALoadThatFailsWritesNothingAndTheRerunLoadsEverything() async throws {
        final class Switch: @unchecked Sendable { var broken = true }
        let state = Switch()
        nonisolated(unsafe) let items = (1...7).map { ["id": $0, "name": "item \($0)"] as [String: Any] }
        let server = try FakeRestServer { request in
            let page = Int(request.query["page"] ?? "1") ?? 1
            if page == 2, state.broken { return .json(["error": "down"], status: 500) }
            return .json(["items": Array(items[min((page - 1) * 3, 7)..<min(page * 3, 7)])])
        }
        defer { server.stop() }
        var connector = RestConnector(name: "catalogue", baseURL: server.baseURL, resource: "items", into: RelationName(schema: "raw", name: "items"),
                                      paginator: .pageNumber(pageParameter: "page", sizeParameter: "per_page", pageSize: 3, firstPage: 1),
                                      recordPath: ["items"])
        connector.maxAttempts = 3
        await XCTAssertThrowsErrorAsync(try await restLoader().load(connector)) {
            XCTAssertTrue("\($0)".contains("/items?page=2&per_page=3 failed 3 times (last: 500); nothing of this load was written"), "\($0)")
        }
        let exists = try await rows("select count(*) from information_schema.tables where table_name = 'items'")
        XCTAssertEqual(exists, [["0"]])
        state.broken = false
        let report = try await restLoader().load(connector)
        XCTAssertEqual(report.files.first?.rows, 7)
        let loaded = try await rows("select count(*), sum(id) from raw.items")
        XCTAssertEqual(loaded, [["7", "28"]])
    }

    func testFakeStorePlainArraysAndConnectorsFile() async throws {
        let server = try FakeRestServer { request in
            .json([["id": 1, "title": "Backpack", "price": 109.95, "rating": ["rate": 3.9, "count": 120]],
                   ["id": 2, "title": "T-shirt", "price": 22.3, "rating": ["rate": 4.1, "count": 259]]])
        }
        defer { server.stop() }
        let file = try ConnectorsFile.parse("""
            connectors:
              - name: store_products
                kind: rest
                preset: fakestore
                resource: products
                base_url: \(server.baseURL)
            """, path: "connectors.yml")
        guard case .rest(let connector)? = file.connectors.first else { return XCTFail("\(file.connectors)") }
        XCTAssertEqual(connector.into.description, "raw.fakestore_products")
        let report = try await restLoader().load(connector)
        XCTAssertEqual(report.files.first?.rows, 2)
        let loaded = try await rows("select title, rating->>'$.count' from raw.fakestore_products order by id")
        XCTAssertEqual(loaded, [["Backpack", "120"], ["T-shirt", "259"]])
        XCTAssertEqual(server.requests.map(\.path), ["/products"])

        // replace: a second load leaves this load's records, not both loads'.
        var replacing = connector
        replacing.disposition = .replace
        replacing.primaryKey = []
        _ = try await restLoader().load(replacing)
        _ = try await restLoader().load(replacing)
        let replaced = try await rows("select count(*) from raw.fakestore_products")
        XCTAssertEqual(replaced, [["2"]])
    }

    func testNextLinkPagesFollowRelativeLinksUntilThereIsNone() async throws {
        let server = try FakeRestServer { request in
            let page = Int(request.query["page"] ?? "1") ?? 1
            var body: [String: Any] = ["results": [["id": page * 10 + 1], ["id": page * 10 + 2]]]
            if page < 3 { body["links"] = ["next": "/orders?page=\(page + 1)"] }
            return .json(body)
        }
        defer { server.stop() }
        let connector = RestConnector(name: "orders_api", baseURL: server.baseURL, resource: "orders", into: RelationName(schema: "raw", name: "orders"),
                                      paginator: .nextLink(path: ["links", "next"]), recordPath: ["results"])
        let report = try await restLoader().load(connector)
        XCTAssertEqual(report.files.first?.message, "3 pages, 6 records")
        XCTAssertEqual(server.requests.map { $0.query["page"] ?? "-" }, ["-", "2", "3"])
        let loaded = try await rows("select string_agg(id::varchar, ',' order by id) from raw.orders")
        XCTAssertEqual(loaded, [["11,12,21,22,31,32"]])
    }
}

/// `nested: tables`: DummyJSON's carts hold a list of products each; those become
/// `raw.dummyjson_carts__products`, one row per cart line, tied to the cart by its id.
final class RestChildTableTests: IngestTestCase {
    private func cartsServer(_ carts: @escaping @Sendable () -> [[String: Any]]) throws -> FakeRestServer {
        try FakeRestServer { request in
            let all = carts()
            let skip = Int(request.query["skip"] ?? "0") ?? 0, limit = Int(request.query["limit"] ?? "30") ?? 30
            return .json(["carts": Array(all.dropFirst(skip).prefix(limit)), "total": all.count, "skip": skip, "limit": limit])
        }
    }

    private static func cart(_ id: Int, lines: [(Int, Int)], tags: [String] = []) -> [String: Any] {
        ["id": id, "userId": id * 10, "total": Double(lines.map { $0.1 }.reduce(0, +)) * 2.5 + 0.25,
         "products": lines.map { ["id": $0.0, "title": "product \($0.0)", "quantity": $0.1, "price": 2.5, "dimensions": ["w": 1, "h": 2]] as [String: Any] },
         "tags": tags, "meta": ["source": "web"]]
    }

    func testListsBecomeChildTablesTiedToTheirParentAndFollowItsMerge() async throws {
        final class Carts: @unchecked Sendable { var value: [[String: Any]] = [] }
        let state = Carts()
        state.value = (1...45).map { Self.cart($0, lines: [(100 + $0, 1), (200 + $0, 2), (300 + $0, 3)], tags: $0 == 1 ? ["gift", "rush"] : []) }
        let server = try cartsServer { state.value }
        defer { server.stop() }
        var connector = RestPreset.dummyjson.connector(resource: "carts", baseURL: server.baseURL)
        connector.nested = .tables
        var loader = RestLoader(warehouse: warehouse)
        loader.backoff = 0.05
        let first = try await loader.load(connector)
        XCTAssertEqual(first.status, .succeeded)
        XCTAssertTrue(first.files.first?.message?.contains("135 rows into raw.dummyjson_carts__products") == true, "\(first.files)")

        let parentColumns = try await types("raw.dummyjson_carts")
        XCTAssertNil(parentColumns["products"], "the list left the parent's row")
        XCTAssertEqual(parentColumns["meta"], "JSON", "an object stays a JSON column")
        let childColumns = try await types("raw.dummyjson_carts__products")
        XCTAssertEqual(childColumns["_parent_id"], "BIGINT", "the parent's key")
        XCTAssertEqual(childColumns["id"], "BIGINT", "the element's own id (the product's), kept")
        XCTAssertEqual(childColumns["_position"], "BIGINT")
        XCTAssertEqual(childColumns["quantity"], "BIGINT")
        XCTAssertEqual(childColumns["price"], "DOUBLE")
        XCTAssertEqual(childColumns["dimensions"], "JSON", "an object inside an element stays JSON")
        let lines = try await rows("select count(*), count(distinct _parent_id), sum(quantity), min(_position), max(_position) from raw.dummyjson_carts__products")
        XCTAssertEqual(lines, [["135", "45", "270", "0", "2"]])
        // A list of plain values: one `value` per element.
        let tags = try await rows("select _parent_id, _position, value from raw.dummyjson_carts__tags order by _parent_id, _position")
        XCTAssertEqual(tags, [["1", "0", "gift"], ["1", "1", "rush"]])
        let cartOne = try await rows("select _position, id, title from raw.dummyjson_carts__products where _parent_id = 1 order by _position")
        XCTAssertEqual(cartOne, [["0", "101", "product 101"], ["1", "201", "product 201"], ["2", "301", "product 301"]])

        // Cart 2 drops a line: merge replaces its child rows, and no other cart's.
        state.value[1] = Self.cart(2, lines: [(102, 5)])
        let second = try await loader.load(connector)
        XCTAssertEqual(second.status, .succeeded, "\(second)")
        let after = try await rows("select count(*), sum(case when _parent_id = 2 then quantity end) from raw.dummyjson_carts__products")
        XCTAssertEqual(after, [["133", "5"]])
        let parents = try await rows("select count(*) from raw.dummyjson_carts")
        XCTAssertEqual(parents, [["45"]])

        // replace: the child tables are emptied with their parent and refilled; a table of the
        // user's that only shares the name's prefix is left alone.
        try await warehouse.write { try await $0.execute("create table raw.dummyjson_carts__notes as select 1 as note") }
        state.value = [Self.cart(7, lines: [(107, 4)])]
        connector.disposition = .replace
        _ = try await loader.load(connector)
        let replaced = try await rows("""
            select (select count(*) from raw.dummyjson_carts), (select count(*) from raw.dummyjson_carts__products),
                   (select count(*) from raw.dummyjson_carts__tags), (select count(*) from raw.dummyjson_carts__notes)
            """)
        XCTAssertEqual(replaced, [["1", "1", "0", "1"]])
    }

    func testNestedTablesWithoutAPrimaryKeyIsOneClearError() throws {
        let text = """
            connectors:
              - name: events
                kind: rest
                base_url: https://api.example.com
                resource: events
                primary_key: []
                write_disposition: append
                nested: tables
            """
        XCTAssertThrowsError(try ConnectorsFile.parse(text, path: "connectors.yml")) { error in
            XCTAssertTrue("\(error)".contains("nested: tables needs primary_key"), "\(error)")
            XCTAssertTrue("\(error)".contains("connectors.yml:8:13:"), "says where: \(error)")
        }
    }
}
