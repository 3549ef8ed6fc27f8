import WarehouseKit
import XCTest
@testable import SyntheticData

final class DeterminismAndAppendTests: XCTestCase {
    func testSameSeedGivesSameTablesWhateverTheWorkersAndChunks() async throws {
        for profile in StoreProfile.allCases {
            var options = try Fixture.options(users: 600, workers: 1, chunk: 600)
            options.profile = profile
            let one = try await GeneratedTables.generate(options)
            options.workers = 2
            options.usersPerChunk = 97
            let two = try await GeneratedTables.generate(options)
            for table in StoreTable.allCases {
                XCTAssertEqual(one.count(table), two.count(table), "\(profile): \(table.rawValue)")
                XCTAssertEqual(one.checksum(table), two.checksum(table), "\(profile): \(table.rawValue)")
            }
            options.seed = 8
            let other = try await GeneratedTables.generate(options)
            XCTAssertNotEqual(one.checksum(.users), other.checksum(.users))
            XCTAssertNotEqual(one.checksum(.orders), other.checksum(.orders))
        }
    }

    func testAppendContinuesIdsAndOnlyAddsActivityInTheNewDays() async throws {
        for profile in StoreProfile.allCases { try await checkAppend(profile: profile) }
    }

    /// New users of a 30-day append after 700 users: TheLook's at the first load's average rate,
    /// the growing profile's along its curve (each day weighs its multipliers × growth so far).
    private func expectedAppendUsers(_ profile: StoreProfile) -> Int {
        let initialDays = Fixture.asOf.daysSinceEpoch - GeneratorOptions.dataStart.daysSinceEpoch + 1
        switch profile {
        case .thelook:
            return Int((700.0 / Double(initialDays) * 30).rounded())
        case .growing:
            let rate = Foundation.log1p(StoreProfile.defaultGrowthPerYear) / 365.25
            var business = 0.0, initial = 0.0, appended = 0.0
            for offset in 0..<(initialDays + 30) {
                let date = GeneratorOptions.dataStart.adding(days: offset)
                let weight = PlantedTruths.weekdayMultipliers[date.isoWeekdayIndex] * PlantedTruths.monthMultipliers[date.month - 1]
                let mass = weight * Foundation.exp(rate * (business + weight / 2))
                if offset < initialDays { initial += mass } else { appended += mass }
                business += weight
            }
            return Int((700 * appended / initial).rounded())
        }
    }

    private func checkAppend(profile: StoreProfile) async throws {
        var options = try Fixture.options(users: 700)
        options.profile = profile
        let generator = StoreGenerator(options: options)
        var first = GeneratedTables()
        let initial = try await generator.generate { first.batches[$0, default: []].append($1) }
        var second = GeneratedTables()
        let appended = try await generator.append(days: 30, after: initial.state) { second.batches[$0, default: []].append($1) }

        XCTAssertEqual(appended.state.runs.count, 2)
        XCTAssertEqual(appended.run.asOf, Fixture.asOf.adding(days: 30))
        let windowStart = Micros.startOf(Fixture.asOf.adding(days: 1)), windowEnd = Micros.startOf(Fixture.asOf.adding(days: 31))
        // New users at the profile's sign-up rate, ids after the existing ones.
        let newIds = second.ints(.users, "id").map { $0! }
        XCTAssertEqual(newIds.first, 701, "\(profile)")
        XCTAssertEqual(Double(newIds.count), Double(expectedAppendUsers(profile)), accuracy: 1, "\(profile)")
        XCTAssertEqual(newIds, Array(701...Int64(700 + newIds.count)))
        for created in second.times(.users, "created_at") { XCTAssertTrue((windowStart..<windowEnd).contains(created!)) }
        XCTAssertNil(second.batches[.products], "the catalog is loaded once")
        // Existing users keep ordering; every new order is inside the new window, ids continue.
        XCTAssertGreaterThan(second.count(.orders), 0)
        XCTAssertTrue(second.ints(.orders, "user_id").contains { $0! <= 700 }, "existing users order again")
        for created in second.times(.orders, "created_at") { XCTAssertTrue((windowStart..<windowEnd).contains(created!)) }
        for (table, column) in [(StoreTable.orders, "order_id"), (.order_items, "id"), (.inventory_items, "id"), (.events, "id")] {
            let before = first.ints(table, column).map { $0! }, after = second.ints(table, column).map { $0! }
            XCTAssertEqual(after.first, before.last! + 1, "\(table.rawValue) continues")
            XCTAssertTrue(after == Array(after.first!...after.last!), "\(table.rawValue) has no gaps")
        }
        XCTAssertEqual(initial.run.nextOrderId, Int64(first.count(.orders)) + 1)

        // Deterministic: the same append again gives the same rows.
        var again = GeneratedTables()
        _ = try await generator.append(days: 30, after: initial.state) { again.batches[$0, default: []].append($1) }
        for table in StoreTable.allCases { XCTAssertEqual(again.checksum(table), second.checksum(table), table.rawValue) }
    }

    func testBadArgumentsAreRejectedWithClearMessages() async throws {
        XCTAssertThrowsError(try GeneratorOptions(asOf: Fixture.asOf, scale: 0)) {
            XCTAssertEqual("\($0)", "scale 0.0 is not allowed: it must be a positive number (1.0 = 100,000 users; the smallest is 0.00001 = 1 user)")
        }
        XCTAssertThrowsError(try GeneratorOptions(asOf: Fixture.asOf, scale: -1)) {
            XCTAssertEqual($0 as? SyntheticDataError, .invalidScale(-1))
        }
        XCTAssertThrowsError(try GeneratorOptions(asOf: Fixture.asOf, scale: .nan))
        XCTAssertThrowsError(try GeneratorOptions(asOf: CivilDate(year: 2018, month: 12, day: 31), users: 10)) {
            XCTAssertEqual("\($0)", "as-of date 2018-12-31 is before 2019-01-01, where TheLook's history starts: pick 2019-01-01 or later")
        }
        XCTAssertNoThrow(try GeneratorOptions(asOf: CivilDate(year: 2019, month: 1, day: 1), users: 10))
        XCTAssertThrowsError(try GeneratorOptions(asOf: Fixture.asOf, users: 0)) {
            XCTAssertEqual("\($0)", "user count 0 is not allowed: generate at least 1 user")
        }
        let generator = StoreGenerator(options: try Fixture.options(users: 10))
        let initial = try await generator.generate { _, _ in }
        do {
            _ = try await generator.append(days: 0, after: initial.state) { _, _ in }
            XCTFail("appending 0 days must fail")
        } catch {
            XCTAssertEqual("\(error)", "cannot append 0 days: the number of days must be 1 or more")
        }
        do {
            _ = try await generator.append(days: 1, after: GeneratorState(runs: [])) { _, _ in }
            XCTFail("appending without a first load must fail")
        } catch {
            XCTAssertEqual("\(error)", "the generator state is inconsistent (no runs recorded); regenerate the data from scratch")
        }
    }

    func testOneDayAsOfStillGeneratesConsistentData() async throws {
        let tables = try await GeneratedTables.generate(try GeneratorOptions(asOf: CivilDate(year: 2019, month: 1, day: 1), users: 50))
        XCTAssertEqual(tables.count(.users), 50)
        let end = Micros.startOf(CivilDate(year: 2019, month: 1, day: 2))
        for created in tables.times(.orders, "created_at") { XCTAssertLessThan(created!, end) }
    }
}
