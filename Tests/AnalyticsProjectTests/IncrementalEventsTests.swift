import Foundation
import SyntheticData
import TransformProject
import TransformRuntime
import WarehouseDuckDB
import WarehouseKit
import XCTest

/// `generate --days 1` followed by `build` processes only the new day of `fact_events`: the
/// incremental model reloads the latest day it already holds (events of that day may still have
/// been arriving) plus everything after it, and ends with exactly the raw events.
final class IncrementalEventsTests: XCTestCase {
    func testADayMoreOfEventsRebuildsOnlyTheLatestDays() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-incremental-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("store.duckdb").path
        let warehouse = try DuckDBWarehouse(path: path)
        let generator = StoreGenerator(options: try GeneratorOptions(seed: 7, asOf: CivilDate(year: 2026, month: 11, day: 20), scale: 0.02))
        _ = try await generator.generate(into: warehouse)

        let projectDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("analytics").path
        var environment = ProcessInfo.processInfo.environment
        environment["STOREHOUSE_DB"] = path
        environment["STOREHOUSE_TARGET"] = "dev"
        func buildFactEvents() async throws -> NodeResult {
            let project = try ProjectLoader.load(LoadOptions(projectDir: projectDir, profilesDir: projectDir, environment: environment))
            let summary = try await TransformRunner(project: project, warehouse: warehouse,
                                                    options: RunOptions(command: .run, select: ["+fact_events"], threads: 2),
                                                    reporter: AnalyticsProjectTests.SilentReporter()).run()
            return try XCTUnwrap(summary.results.first { $0.name == "fact_events" })
        }
        func scalar(_ sql: String) async throws -> Int {
            try await warehouse.read { Int(try await $0.query(SQL(unsafeRaw: sql)).scalar?.int64 ?? -1) }
        }

        let first = try await buildFactEvents()
        XCTAssertEqual(first.status, .success, first.message)
        let rawBefore = try await scalar("select count(*) from raw.events")
        let builtBefore = try await scalar("select count(*) from marts.fact_events")
        XCTAssertEqual(builtBefore, rawBefore)
        let latestDayBefore = try await scalar("select count(*) from marts.fact_events where event_date = (select max(event_date) from marts.fact_events)")

        _ = try await generator.append(days: 1, into: warehouse)
        // A late arrival: a new event dated three days before the latest day (a day's load
        // brings the sessions that led to its first orders, dated the evening before).
        _ = try await warehouse.write {
            try await $0.execute(SQL(unsafeRaw: """
                insert into raw.events select * replace (id + 1000000 as id, created_at - interval 3 day as created_at)
                from raw.events where id = (select max(id) from raw.events)
                """))
        }
        let rawAfter = try await scalar("select count(*) from raw.events")
        XCTAssertGreaterThan(rawAfter, rawBefore, "the appended day has events")

        let second = try await buildFactEvents()
        XCTAssertEqual(second.status, .success, second.message)
        // processed: the reloaded latest day plus the new day, not the whole history
        let processed = try XCTUnwrap(second.rowsAffected, second.message)
        XCTAssertEqual(processed, latestDayBefore + (rawAfter - rawBefore), second.message)
        XCTAssertLessThan(processed, rawAfter / 10)
        let builtAfter = try await scalar("select count(*) from marts.fact_events")
        let duplicates = try await scalar("select count(*) - count(distinct event_id) from marts.fact_events")
        XCTAssertEqual(builtAfter, rawAfter, "every raw event is in fact_events, the late arrival too")
        XCTAssertEqual(duplicates, 0)
        await warehouse.close()
    }
}
