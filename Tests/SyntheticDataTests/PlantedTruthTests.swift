import WarehouseKit
import XCTest
@testable import SyntheticData

final class PlantedTruthTests: XCTestCase {
    /// Conversion is planted exactly: an exposed user orders within 30 days of assignment if and
    /// only if the experiment draw says so, at the drawn time.
    func testExperimentConversionIsExactlyTheDraw() async throws {
        let t = try await Fixture.shared.get()
        let plan = RunPlan.initial(options: try Fixture.options())
        let generator = ChunkGenerator(plan: plan, catalog: ProductCatalog(seed: 7), tables: .init())
        var ordersByUser: [Int64: [Int64]] = [:]
        for (user, created) in zip(t.ints(.orders, "user_id"), t.times(.orders, "created_at")) {
            ordersByUser[user!, default: []].append(created!)
        }
        let assigned = Dictionary(uniqueKeysWithValues: zip(t.ints(.experiment_assignments, "user_id").map { $0! },
                                                           t.times(.experiment_assignments, "assigned_at").map { $0! }))
        var exposedCount = 0
        for id in Int64(1)...2_000 {
            let user = generator.core(of: id, created: plan.creationWindow(of: id))
            guard let exposure = generator.exposure(of: user), exposure.assignedAt < plan.windowEnd else {
                XCTAssertNil(assigned[id]); continue
            }
            exposedCount += 1
            XCTAssertEqual(assigned[id], exposure.assignedAt)
            let window = exposure.assignedAt..<(exposure.assignedAt + 30 * Micros.day)
            let inWindow = (ordersByUser[id] ?? []).filter { window.contains($0) }
            if let at = exposure.conversionAt, at < plan.windowEnd {
                XCTAssertEqual(inWindow, [at])
            } else {
                XCTAssertEqual(inWindow, [])
            }
        }
        XCTAssertEqual(exposedCount, t.count(.experiment_assignments))
        XCTAssertGreaterThan(exposedCount, 300)
    }

    func testTreatmentChangesTheConversionDrawAtScale() throws {
        // Many synthetic users, no row building: the drawn conversion rates match the truths.
        let plan = RunPlan.initial(options: try GeneratorOptions(seed: 3, asOf: Fixture.asOf, users: 120_000))
        let generator = ChunkGenerator(plan: plan, catalog: ProductCatalog(seed: 3), tables: .init())
        var exposed = Array(repeating: Array(repeating: 0, count: 3), count: 3)
        var converted = exposed
        for id in Int64(1)...120_000 {
            let user = generator.core(of: id, created: plan.creationWindow(of: id))
            guard let e = generator.exposure(of: user) else { continue }
            exposed[e.experiment][e.variant] += 1
            if e.conversionAt != nil { converted[e.experiment][e.variant] += 1 }
        }
        for (index, truth) in PlantedTruths.experiments.enumerated() {
            for variant in truth.variants.indices {
                let rate = Double(converted[index][variant]) / Double(exposed[index][variant])
                XCTAssertEqual(rate, truth.conversionRates[variant], accuracy: 0.012, "\(truth.name)/\(truth.variants[variant])")
                // Allocation near 1/k per variant.
                let share = Double(exposed[index][variant]) / Double(exposed[index].reduce(0, +))
                XCTAssertEqual(share, 1.0 / Double(truth.variants.count), accuracy: 0.02)
            }
        }
        XCTAssertEqual(PlantedTruths.experiments[1].revenuePerUserRatio[1], 1.85 / 1.45, accuracy: 1e-9)
        XCTAssertEqual(PlantedTruths.experiments[0].conversionLift[1], 0.02, accuracy: 1e-9)
    }

    func testChurnProneUsersStopOrderingAndReturnMore() async throws {
        let t = try await Fixture.shared.get()
        let plan = RunPlan.initial(options: try Fixture.options())
        let generator = ChunkGenerator(plan: plan, catalog: ProductCatalog(seed: 7), tables: .init())
        var returned = [0, 0], total = [0, 0]
        for (user, (created, status)) in zip(t.ints(.orders, "user_id"), zip(t.times(.orders, "created_at"), t.texts(.orders, "status"))) {
            let core = generator.core(of: user!, created: plan.creationWindow(of: user!))
            let prone = core.churnProne ? 1 : 0
            total[prone] += 1
            if status == "Returned" { returned[prone] += 1 }
            let exposure = generator.exposure(of: core)
            if core.churnProne, created != exposure?.conversionAt {
                XCTAssertLessThan(created! - core.createdAt, 180 * Micros.day, "churn-prone users order only in their first 180 days")
            }
        }
        XCTAssertGreaterThan(Double(returned[1]) / Double(total[1]), 0.2)
        XCTAssertLessThan(Double(returned[0]) / Double(total[0]), 0.09)
    }

    /// Churn-prone users mostly buy once; the others make up TheLook's repeats, so the label
    /// "no order in the next 90 days" depends on the trait (issue 16: churn AUC on the trait).
    func testChurnProneUsersRarelyComeBack() async throws {
        let t = try await Fixture.shared.get()
        let plan = RunPlan.initial(options: try Fixture.options())
        let generator = ChunkGenerator(plan: plan, catalog: ProductCatalog(seed: 7), tables: .init())
        var orders: [Int64: Int] = [:]
        for user in t.ints(.orders, "user_id") { orders[user!, default: 0] += 1 }
        var buyers = [0, 0], repeaters = [0, 0]
        for (user, count) in orders {
            let prone = generator.core(of: user, created: plan.creationWindow(of: user)).churnProne ? 1 : 0
            buyers[prone] += 1
            if count > 1 { repeaters[prone] += 1 }
        }
        let proneRepeat = Double(repeaters[1]) / Double(buyers[1]), otherRepeat = Double(repeaters[0]) / Double(buyers[0])
        XCTAssertLessThan(proneRepeat, 0.2, "churn-prone buyers who came back: \(proneRepeat)")
        XCTAssertGreaterThan(otherRepeat, 2 * proneRepeat, "other buyers who came back: \(otherRepeat)")
        // The split keeps TheLook's orders per user: 20% of one table and 80% of the other.
        let mixed = zip(Vocabulary.ordersPerChurnProneUser.probabilities + [0, 0, 0], Vocabulary.ordersPerOtherUser.probabilities)
            .map { PlantedTruths.churnProneShare * $0 + (1 - PlantedTruths.churnProneShare) * $1 }
        for (share, expected) in zip(mixed, [0.2, 0.5, 0.2, 0.05, 0.05]) { XCTAssertEqual(share, expected, accuracy: 1e-12) }
    }

    func testSeasonalityMultipliersShapeOrderTimes() throws {
        let plan = RunPlan.initial(options: try Fixture.options())
        let generator = ChunkGenerator(plan: plan, catalog: ProductCatalog(seed: 7), tables: .init())
        var rng = SeededRandom(seed: 11)
        var perWeekday = Array(repeating: 0, count: 7), perMonth = Array(repeating: 0, count: 12)
        // Four whole years, so each weekday and month is equally available.
        let low = Micros.startOf(CivilDate(year: 2020, month: 1, day: 1)), high = Micros.startOf(CivilDate(year: 2024, month: 1, day: 1))
        for _ in 0..<60_000 {
            let t = generator.seasonalTime(low, high, &rng)
            let days = Int(t / Micros.day)
            perWeekday[((days % 7) + 7 + 3) % 7] += 1
            perMonth[CivilDate(daysSinceEpoch: days).month - 1] += 1
        }
        let saturdayOverTuesday = Double(perWeekday[5]) / Double(perWeekday[1])
        XCTAssertEqual(saturdayOverTuesday, 1.15 / 0.90, accuracy: 0.07)
        let decemberOverFebruary = Double(perMonth[11]) / Double(perMonth[1]) * (29.0 / 31.0) * 0.25 + Double(perMonth[11]) / Double(perMonth[1]) * (28.0 / 31.0) * 0.75
        XCTAssertEqual(decemberOverFebruary, 1.35 / 0.80, accuracy: 0.1)
    }

    func testCrossSellPairsAreOverRepresented() async throws {
        let t = try await Fixture.shared.get()
        // Men's products only: the Jeans → Tops & Tees affinity is planted in the Men department.
        let category = Dictionary(uniqueKeysWithValues: zip(zip(t.ints(.products, "id").map { $0! }, t.texts(.products, "category").map { $0! }), t.texts(.products, "department"))
            .map { ($0.0, $1 == "Men" ? $0.1 : "women:" + $0.1) })
        let orders = t.ints(.order_items, "order_id"), products = t.ints(.order_items, "product_id")
        var followsJeans = 0, teeAfterJeans = 0
        for i in 1..<orders.count where orders[i] == orders[i - 1] && category[products[i - 1]!] == "Jeans" {
            followsJeans += 1
            if category[products[i]!] == "Tops & Tees" { teeAfterJeans += 1 }
        }
        XCTAssertGreaterThan(followsJeans, 5)
        XCTAssertGreaterThan(Double(teeAfterJeans) / Double(followsJeans), 0.3, "Tops & Tees follow Jeans ≈40% of the time, far above chance")
    }
}
