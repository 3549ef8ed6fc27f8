import WarehouseKit
import XCTest
@testable import SyntheticData

final class TheLookRulesTests: XCTestCase {
    func testRowCountsHaveTheLookProportions() async throws {
        let t = try await Fixture.shared.get()
        XCTAssertEqual(t.count(.users), 2_000)
        XCTAssertEqual(t.count(.products), 29_120)
        XCTAssertEqual(t.count(.distribution_centers), 10)
        let ordersPerUser = Double(t.count(.orders)) / 2_000
        XCTAssertEqual(ordersPerUser, 1.25, accuracy: 0.08)
        let itemsPerOrder = Double(t.count(.order_items)) / Double(t.count(.orders))
        XCTAssertEqual(itemsPerOrder, 1.45, accuracy: 0.06)
        let inventoryPerItem = Double(t.count(.inventory_items)) / Double(t.count(.order_items))
        XCTAssertEqual(inventoryPerItem, 2.7, accuracy: 0.08)
        let eventsPerUser = Double(t.count(.events)) / 2_000
        XCTAssertEqual(eventsPerUser, 24.3, accuracy: 1.5)
    }

    func testReferentialIntegrity() async throws {
        let t = try await Fixture.shared.get()
        let userIds = Set(t.ints(.users, "id").compactMap { $0 })
        let orderIds = t.ints(.orders, "order_id").compactMap { $0 }
        XCTAssertEqual(Set(orderIds).count, orderIds.count, "order ids are unique")
        XCTAssertTrue(orderIds == Array(1...Int64(orderIds.count)), "order ids are 1…n in order, first \(orderIds.prefix(3))")
        for (table, column) in [(StoreTable.order_items, "id"), (.inventory_items, "id"), (.events, "id"), (.support_tickets, "ticket_id")] {
            let ids = t.ints(table, column).map { $0! }
            XCTAssertTrue(ids == Array(1...Int64(ids.count)), "\(table.rawValue).\(column) is 1…n, first \(ids.prefix(3))")
        }
        let productIds = Set(t.ints(.products, "id").compactMap { $0 })
        let inventoryIds = Set(t.ints(.inventory_items, "id").compactMap { $0 })
        let orderSet = Set(orderIds)
        for userId in t.ints(.orders, "user_id") { XCTAssertTrue(userIds.contains(userId!)) }
        let itemOrder = t.ints(.order_items, "order_id"), itemProduct = t.ints(.order_items, "product_id")
        let itemInventory = t.ints(.order_items, "inventory_item_id")
        for i in itemOrder.indices {
            XCTAssertTrue(orderSet.contains(itemOrder[i]!), "item \(i) has its order")
            XCTAssertTrue(productIds.contains(itemProduct[i]!), "item \(i) has its product")
            XCTAssertTrue(inventoryIds.contains(itemInventory[i]!), "item \(i) has its inventory row")
        }
        // The sold inventory row is the item's product, sold when the item was created.
        let inventoryProduct = Dictionary(uniqueKeysWithValues: zip(t.ints(.inventory_items, "id").map { $0! }, t.ints(.inventory_items, "product_id")))
        let inventorySold = Dictionary(uniqueKeysWithValues: zip(t.ints(.inventory_items, "id").map { $0! }, t.times(.inventory_items, "sold_at")))
        let itemCreated = t.times(.order_items, "created_at")
        for i in itemOrder.indices {
            XCTAssertEqual(inventoryProduct[itemInventory[i]!]!, itemProduct[i])
            XCTAssertEqual(inventorySold[itemInventory[i]!]!, itemCreated[i])
        }
        XCTAssertEqual(inventorySold.values.filter { $0 != nil }.count, itemOrder.count, "exactly one sold row per item")
        // num_of_item matches the items.
        var itemsPerOrder: [Int64: Int64] = [:]
        for id in itemOrder { itemsPerOrder[id!, default: 0] += 1 }
        for (id, n) in zip(orderIds, t.ints(.orders, "num_of_item")) { XCTAssertEqual(itemsPerOrder[id], n) }
        for id in t.ints(.shipments, "order_id") { XCTAssertTrue(orderSet.contains(id!)) }
        for id in t.ints(.support_tickets, "order_id") where id != nil { XCTAssertTrue(orderSet.contains(id!)) }
        for id in t.ints(.events, "user_id") where id != nil { XCTAssertTrue(userIds.contains(id!)) }
        for id in t.ints(.experiment_assignments, "user_id") { XCTAssertTrue(userIds.contains(id!)) }
    }

    func testTimestampsFollowTheStatus() async throws {
        let t = try await Fixture.shared.get()
        let status = t.texts(.orders, "status"), created = t.times(.orders, "created_at")
        let shipped = t.times(.orders, "shipped_at"), delivered = t.times(.orders, "delivered_at")
        let returned = t.times(.orders, "returned_at")
        let day = Micros.day
        for i in status.indices {
            switch status[i]! {
            case "Processing", "Cancelled":
                XCTAssertNil(shipped[i]); XCTAssertNil(delivered[i]); XCTAssertNil(returned[i])
            case "Shipped":
                XCTAssertNotNil(shipped[i]); XCTAssertNil(delivered[i]); XCTAssertNil(returned[i])
            case "Complete":
                XCTAssertNotNil(shipped[i]); XCTAssertNotNil(delivered[i]); XCTAssertNil(returned[i])
            case "Returned":
                XCTAssertNotNil(shipped[i]); XCTAssertNotNil(delivered[i]); XCTAssertNotNil(returned[i])
            default: XCTFail("unknown status \(status[i]!)")
            }
            if let s = shipped[i] { XCTAssertTrue((0..<3 * day).contains(s - created[i]!)) }
            if let d = delivered[i] { XCTAssertTrue((0..<5 * day).contains(d - shipped[i]!)) }
            if let r = returned[i] { XCTAssertTrue((0..<3 * day).contains(r - delivered[i]!)) }
        }
        // Items carry the order's status and are created 0–4 h before it.
        let orderIndex = Dictionary(uniqueKeysWithValues: t.ints(.orders, "order_id").enumerated().map { ($1!, $0) })
        let itemOrder = t.ints(.order_items, "order_id"), itemStatus = t.texts(.order_items, "status")
        let itemCreated = t.times(.order_items, "created_at")
        for i in itemOrder.indices {
            let o = orderIndex[itemOrder[i]!]!
            XCTAssertEqual(itemStatus[i], status[o])
            XCTAssertTrue((0..<4 * Micros.hour).contains(created[o]! - itemCreated[i]!))
        }
        // Users sign up from 2019-01-01 until the end of the as-of day; orders follow sign-up.
        let start = Micros.startOf(GeneratorOptions.dataStart), end = Micros.startOf(Fixture.asOf.adding(days: 1))
        let signup = Dictionary(uniqueKeysWithValues: zip(t.ints(.users, "id").map { $0! }, t.times(.users, "created_at").map { $0! }))
        for s in signup.values { XCTAssertTrue((start..<end).contains(s)) }
        for (user, time) in zip(t.ints(.orders, "user_id"), created) {
            XCTAssertGreaterThanOrEqual(time!, signup[user!]!)
            XCTAssertLessThan(time!, end)
        }
    }

    /// The faithful profile keeps TheLook's sign-up rule (2.5% of users in the last 7 days, the
    /// rest uniform since 2019-01-01) and with it the jump of the last 30 days that the growing
    /// default avoids.
    func testTheLookProfileKeepsItsRecentSignUpRule() async throws {
        let options = try GeneratorOptions(seed: 7, asOf: Fixture.asOf, users: 10_000, workers: 2, profile: .thelook)
        let history = try await History.generate(options)
        let end = Fixture.asOf.daysSinceEpoch, start = GeneratorOptions.dataStart.daysSinceEpoch
        let days = Double(end - start + 1)
        let lastWeek = Double(history.signUps(days: (end - 6)...end)) / 10_000
        XCTAssertEqual(lastWeek, 0.025 + 0.975 * 7 / days, accuracy: 0.005)
        let firstHalf = Double(history.signUps(days: start...(start + Int(days / 2) - 1))) / 10_000
        XCTAssertEqual(firstHalf, 0.975 / 2, accuracy: 0.015, "the other 97.5% sign up uniformly over the history")
        let change = history.revenue(days: (end - 29)...end) / history.revenue(days: (end - 59)...(end - 30)) - 1
        XCTAssertGreaterThan(change, 0.4, "TheLook's last 30 days jump")
    }

    func testValueDistributions() async throws {
        let t = try await Fixture.shared.get()
        let status = t.shares(.orders, "status")
        for (name, share) in [("Shipped", 0.30), ("Complete", 0.25), ("Processing", 0.20), ("Cancelled", 0.15), ("Returned", 0.10)] {
            XCTAssertEqual(status[name] ?? 0, share, accuracy: 0.035, name)
        }
        let sources = t.shares(.users, "traffic_source")
        XCTAssertEqual(sources["Search"] ?? 0, 0.70, accuracy: 0.03)
        XCTAssertEqual(sources["Organic"] ?? 0, 0.15, accuracy: 0.025)
        XCTAssertEqual(Set(sources.keys), ["Search", "Organic", "Facebook", "Email", "Display"])
        let eventSources = t.shares(.events, "traffic_source")
        XCTAssertEqual(eventSources["Email"] ?? 0, 0.45, accuracy: 0.03)
        XCTAssertEqual(eventSources["Adwords"] ?? 0, 0.30, accuracy: 0.03)
        let browsers = t.shares(.events, "browser")
        XCTAssertEqual(browsers["Chrome"] ?? 0, 0.5, accuracy: 0.03)
        XCTAssertEqual(browsers["Safari"] ?? 0, 0.2, accuracy: 0.03)
        let gender = t.shares(.users, "gender")
        XCTAssertEqual(gender["M"] ?? 0, 0.5, accuracy: 0.04)
        let countries = t.shares(.users, "country")
        XCTAssertEqual(countries["China"] ?? 0, 0.339, accuracy: 0.035)
        XCTAssertEqual(countries["United States"] ?? 0, 0.225, accuracy: 0.03)
        XCTAssertEqual(countries["Brasil"] ?? 0, 0.146, accuracy: 0.025)
        XCTAssertNil(countries["Brazil"])
        XCTAssertEqual(t.shares(.users, "city")["null"] ?? 0, 0.01, accuracy: 0.007)
        let items = t.ints(.orders, "num_of_item")
        XCTAssertEqual(Double(items.filter { $0 == 1 }.count) / Double(items.count), 0.70, accuracy: 0.035)
        let ages = t.ints(.users, "age").map { $0! }
        XCTAssertEqual(ages.min(), 12); XCTAssertEqual(ages.max(), 70)
        for (first, last, email) in zip(zip(t.texts(.users, "first_name"), t.texts(.users, "last_name")), t.texts(.users, "email")).map({ ($0.0!, $0.1!, $1!) }) {
            let local = (first + last).lowercased().filter { $0 != "-" }
            XCTAssertTrue(["com", "net", "org"].contains { email == "\(local)@example.\($0)" }, email)
        }
    }

    func testProductsAndDepartments() async throws {
        let t = try await Fixture.shared.get()
        let categories = t.texts(.products, "category"), departments = t.texts(.products, "department")
        XCTAssertEqual(Set(categories.map { $0! }).count, 26)
        XCTAssertEqual(t.texts(.products, "brand").filter { $0 == nil }.count, 24)
        XCTAssertEqual(t.texts(.products, "name").filter { $0 == nil }.count, 2)
        var byDepartment: [String: Set<String>] = [:]
        for (c, d) in zip(categories, departments) { byDepartment[d!, default: []].insert(c!) }
        for menOnly in ["Pants", "Socks", "Suits & Sport Coats", "Underwear"] {
            XCTAssertTrue(byDepartment["Men"]!.contains(menOnly)); XCTAssertFalse(byDepartment["Women"]!.contains(menOnly))
        }
        for womenOnly in ["Blazers & Jackets", "Dresses", "Leggings", "Maternity", "Plus", "Suits"] {
            XCTAssertTrue(byDepartment["Women"]!.contains(womenOnly)); XCTAssertFalse(byDepartment["Men"]!.contains(womenOnly))
        }
        let retail = t.values(.products, "retail_price").map { $0.double! }, cost = t.values(.products, "cost").map { $0.double! }
        for (r, c) in zip(retail, cost) { XCTAssertTrue((0.37...0.63).contains(c / r), "cost \(c) of retail \(r)") }
        // Orders copy the user's gender; items come from the matching department.
        let genderOfUser = Dictionary(uniqueKeysWithValues: zip(t.ints(.users, "id").map { $0! }, t.texts(.users, "gender").map { $0! }))
        for (user, gender) in zip(t.ints(.orders, "user_id"), t.texts(.orders, "gender")) { XCTAssertEqual(genderOfUser[user!], gender) }
        let departmentOfProduct = Dictionary(uniqueKeysWithValues: zip(t.ints(.products, "id").map { $0! }, departments.map { $0! }))
        let priceOfProduct = Dictionary(uniqueKeysWithValues: zip(t.ints(.products, "id").map { $0! }, retail))
        for (user, (product, price)) in zip(t.ints(.order_items, "user_id"), zip(t.ints(.order_items, "product_id"), t.values(.order_items, "sale_price"))) {
            XCTAssertEqual(departmentOfProduct[product!], genderOfUser[user!] == "M" ? "Men" : "Women")
            XCTAssertEqual(priceOfProduct[product!], price.double)
        }
        XCTAssertEqual(t.texts(.distribution_centers, "name").first!, "Memphis TN")
        XCTAssertEqual(t.values(.distribution_centers, "longitude").last!.double, -81.1167)
    }

    func testEventSessions() async throws {
        let t = try await Fixture.shared.get()
        let users = t.ints(.events, "user_id"), types = t.texts(.events, "event_type"), uris = t.texts(.events, "uri")
        let sessions = t.texts(.events, "session_id")
        var shapes: [String: [String]] = [:]
        var sessionUser: [String: Int64?] = [:]
        for i in types.indices {
            shapes[sessions[i]!, default: []].append(types[i]!)
            sessionUser[sessions[i]!] = users[i]
            if types[i] == "cancel" { XCTAssertNil(users[i], "cancel only in ghost sessions") }
            if types[i] == "department" {
                XCTAssertTrue(uris[i]!.hasPrefix("/department/men/category/") || uris[i]!.hasPrefix("/department/women/category/"))
                XCTAssertFalse(uris[i]!.contains(" "))
            }
        }
        let ghostShapes: Set<[String]> = [["product", "cart", "cancel"], ["department", "product", "cart"], ["product"], ["department", "product"]]
        for (session, shape) in shapes {
            if sessionUser[session]! == nil {
                XCTAssertTrue(ghostShapes.contains(shape), "\(shape)")
            } else {
                XCTAssertEqual(shape, ["home", "department", "product", "cart", "purchase"])
            }
        }
        // One purchase session per order item.
        XCTAssertEqual(types.filter { $0 == "purchase" }.count, t.count(.order_items))
        XCTAssertTrue(sessions.first!!.range(of: "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", options: .regularExpression) != nil)
    }
}

import Foundation
