import WarehouseConformance
import WarehouseDuckDB
import WarehouseKit
import XCTest

/// The shared `Warehouse` conformance suite, run against embedded DuckDB.
final class DuckDBConformanceTests: XCTestCase {
    func makeWarehouse() throws -> DuckDBWarehouse { try DuckDBWarehouse(path: ":memory:") }

    func testTypeRoundTrips() async throws { try await WarehouseConformance.typeRoundTrips(makeWarehouse()) }
    func testParametersAreNeverSQL() async throws { try await WarehouseConformance.parametersAreNeverSQL(makeWarehouse()) }
    func testPreparedStatements() async throws { try await WarehouseConformance.preparedStatements(makeWarehouse()) }
    func testBulkLoadMillionRows() async throws { try await WarehouseConformance.bulkLoadMillionRows(makeWarehouse()) }
    func testQueryProfiles() async throws { try await WarehouseConformance.queryProfiles(makeWarehouse()) }
    func testRollbackLeavesNothing() async throws { try await WarehouseConformance.rollbackLeavesNothing(makeWarehouse()) }
    func testBadSQLNamesTheProblem() async throws { try await WarehouseConformance.badSQLNamesTheProblem(makeWarehouse()) }
    func testConcurrentReadersDuringWrite() async throws {
        try await WarehouseConformance.concurrentReadersDuringWrite(makeWarehouse())
    }
    func testIntrospection() async throws { try await WarehouseConformance.introspection(makeWarehouse()) }
}

/// What only DuckDB has: nested types, files on disk, read-only opening, the library version.
final class DuckDBSpecificTests: XCTestCase {
    func testNestedTypesReadAsDuckDBText() async throws {
        let warehouse = try DuckDBWarehouse(path: ":memory:")
        let row = try await warehouse.read { db in
            try await db.query("""
                select [1, 2, 3] as ints, ['a', null] as texts, {'name': 'x', 'n': 2} as rec,
                       map(['k'], [1]) as m, interval 3 day as iv, 12345678901234567890::hugeint as big,
                       -1.5::decimal(30,4) as wide, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid as id
                """).rows[0]
        }
        XCTAssertEqual(row.map(\.description), [
            "[1, 2, 3]", "['a', NULL]", "{'name': 'x', 'n': 2}", "{k=1}", "3 days", "12345678901234567890",
            "-1.5000", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
        ])
    }

    func testFileDatabasePersistsAndOpensReadOnly() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("w.duckdb").path
        do {
            let warehouse = try DuckDBWarehouse(path: path)
            try await warehouse.write { try await $0.execute("create table t as select * from range(10) r(i)") }
            await warehouse.close()
        }
        let reader = try DuckDBWarehouse(path: path, readOnly: true)
        let count = try await reader.read { try await $0.query("select count(*) from t").scalar }
        XCTAssertEqual(count, .int(10))
        do {
            try await reader.write { try await $0.execute("insert into t values (11)") }
            XCTFail("a read-only warehouse accepted a write")
        } catch let error as WarehouseError {
            XCTAssertTrue(error.message.lowercased().contains("read-only"), error.message)
        }
    }

    func testOpeningAFolderFailsWithThePath() throws {
        XCTAssertThrowsError(try DuckDBWarehouse(path: "/proc/definitely/not/here.duckdb")) { error in
            XCTAssertTrue("\(error)".contains("/proc/definitely/not/here.duckdb"), "\(error)")
        }
    }

    func testSettingsApplyInOrderAndAnExplicitThreadCountWins() async throws {
        let configured = try DuckDBWarehouse(path: ":memory:", settings: [("threads", "1"), ("default_order", "desc")])
        let values = try await configured.read { try await $0.query("select current_setting('threads')::int, lower(current_setting('default_order'))").rows }
        XCTAssertEqual(values.first?.map(\.description), ["1", "desc"])
        await configured.close()
        let explicit = try DuckDBWarehouse(path: ":memory:", threads: 2, settings: [("threads", "1")])
        let threads = try await explicit.read { try await $0.query("select current_setting('threads')::int").scalar }
        XCTAssertEqual(threads?.description, "2")
        await explicit.close()
    }

    func testAnUnknownSettingIsNamedWithAHint() throws {
        XCTAssertThrowsError(try DuckDBWarehouse(path: ":memory:", settings: [("no_such_setting", "on")])) { error in
            XCTAssertTrue("\(error)".contains("not recognized: no_such_setting"), "\(error)")
            XCTAssertTrue("\(error)".contains("`settings:` in profiles.yml"), "\(error)")
        }
        XCTAssertThrowsError(try DuckDBWarehouse(path: ":memory:", settings: [("threads", "many")])) { error in
            XCTAssertTrue("\(error)".contains("threads"), "\(error)")
        }
    }

    func testWorkerThreadsLeaveOneCorePerConcurrentQuery() {
        XCTAssertEqual(DuckDBWarehouse.workerThreads(forConcurrentQueries: 2, cores: 2), 1)
        XCTAssertEqual(DuckDBWarehouse.workerThreads(forConcurrentQueries: 1, cores: 2), 2)
        XCTAssertEqual(DuckDBWarehouse.workerThreads(forConcurrentQueries: 4, cores: 8), 5)
        XCTAssertEqual(DuckDBWarehouse.workerThreads(forConcurrentQueries: 6, cores: 2), 1)
        XCTAssertEqual(DuckDBWarehouse.workerThreads(forConcurrentQueries: 0, cores: 4), 4)
    }

    func testTheThreadsChosenAtOpenFollowTheConcurrencyTheCallerExpects() async throws {
        func threads(_ warehouse: DuckDBWarehouse) async throws -> String {
            try await warehouse.read { try await $0.query("select current_setting('threads')").scalar?.description ?? "" }
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let chosen = try DuckDBWarehouse(path: ":memory:", threads: DuckDBWarehouse.workerThreads(forConcurrentQueries: 2))
        defer { Task { await chosen.close() } }
        await chosen.expectConcurrentQueries(1)
        let alone = try await threads(chosen)
        XCTAssertEqual(alone, String(cores), "a lone query gets every core")
        await chosen.expectConcurrentQueries(2)
        let shared = try await threads(chosen)
        XCTAssertEqual(shared, String(DuckDBWarehouse.workerThreads(forConcurrentQueries: 2)))

        // A profile's own `threads` stands, and a sandboxed database's configuration is locked.
        let profile = try DuckDBWarehouse(path: ":memory:", settings: [("threads", "3")])
        defer { Task { await profile.close() } }
        await profile.expectConcurrentQueries(1)
        let kept = try await threads(profile)
        XCTAssertEqual(kept, "3")
        let sandboxed = try DuckDBWarehouse(path: ":memory:", threads: 1, sandboxed: true)
        defer { Task { await sandboxed.close() } }
        await sandboxed.expectConcurrentQueries(1)
        let locked = try await threads(sandboxed)
        XCTAssertEqual(locked, "1")
    }

    func testLibraryVersionIsThePinnedOne() throws {
        let pinned = try String(contentsOfFile: #filePath.components(separatedBy: "/Tests/")[0] + "/.duckdb-version", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(DuckDBWarehouse.libraryVersion, "v" + pinned)
    }

    func testAppenderRejectsABatchOfTheWrongShape() async throws {
        let warehouse = try DuckDBWarehouse(path: ":memory:")
        do {
            try await warehouse.write { db in
                try await db.execute("create table t (id bigint, day date)")
                let appender = try await db.appender(into: RelationName(schema: "main", name: "t"))
                try await appender.append(ColumnBatch(columns: [BatchColumn(.int64([1])), BatchColumn(.text(["2024-01-01"]))]))
            }
            XCTFail("appending text into a DATE column should fail")
        } catch let error as WarehouseError {
            XCTAssertEqual(error.message, "column 2 of main.t is DATE, but the batch holds text values")
        }
    }

    func testAppendingToAMissingTableNamesIt() async throws {
        let warehouse = try DuckDBWarehouse(path: ":memory:")
        do {
            try await warehouse.write { _ = try await $0.appender(into: RelationName(schema: "raw", name: "nope")) }
            XCTFail("expected an error")
        } catch let error as WarehouseError {
            XCTAssertTrue(error.message.hasPrefix("cannot append to raw.nope:"), error.message)
        }
    }
}
