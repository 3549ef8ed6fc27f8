import Foundation
import WarehouseConformance
import WarehouseDuckDB
import WarehouseKit
import XCTest

/// `runReadOnly` on DuckDB: the escape catalogue refused, the file byte-for-byte unchanged, the
/// row limit and the time limit enforced.
final class DuckDBReadOnlyQueryTests: XCTestCase {
    private var folder: URL!
    /// Where file-writing attempts aim; it must stay empty. Nobody else writes there.
    private var scratch: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-readonly-\(UUID().uuidString)")
        scratch = folder.appendingPathComponent("targets")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// A warehouse file holding the catalogue's fixture, closed (so checkpointed).
    private func fixtureFile() async throws -> String {
        let path = folder.appendingPathComponent("warehouse.duckdb").path
        let warehouse = try DuckDBWarehouse(path: path)
        try await ReadOnlyEscapeCatalogue.createFixture(warehouse)
        await warehouse.close()
        return path
    }

    private func attempts(warehousePath: String) -> [ReadOnlyEscapeCatalogue.Attempt] {
        ReadOnlyEscapeCatalogue.common(.duckdb) + ReadOnlyEscapeCatalogue.duckdb(warehousePath: warehousePath, scratch: scratch.path)
    }

    /// `storehouse query`'s way: the file opened read-only and sandboxed.
    func testCatalogueIsRefusedAndTheFileIsByteForByteUnchanged() async throws {
        let path = try await fixtureFile()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let warehouse = try DuckDBWarehouse(path: path, readOnly: true, sandboxed: true)
        let catalogue = attempts(warehousePath: path)
        XCTAssertGreaterThanOrEqual(catalogue.count, 40)

        let problems = await ReadOnlyEscapeCatalogue.problems(running: catalogue, on: warehouse)
        XCTAssertEqual(problems, [], "\(problems.count) of \(catalogue.count) attempts were not refused as they should be")
        let allowedProblems = await ReadOnlyEscapeCatalogue.problems(runningAllowedOn: warehouse)
        XCTAssertEqual(allowedProblems, [])
        // The one SELECT DuckDB lets a read-only transaction run that may write the file: on a
        // database opened read-only it does nothing, which the byte comparison below checks.
        _ = try await warehouse.runReadOnly(ReadOnlyQuery("select * from checkpoint()"))
        let state = try await ReadOnlyEscapeCatalogue.state(of: warehouse)
        XCTAssertEqual(state, ReadOnlyEscapeCatalogue.fixtureState)
        await warehouse.close()

        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, "the warehouse file changed")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".wal"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path), [], "a refused statement wrote a file")
    }

    /// The future server's way: one writable, sandboxed database that also serves readers.
    func testCatalogueIsRefusedOnTheWritableSandboxedWarehouse() async throws {
        let path = try await fixtureFile()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let warehouse = try DuckDBWarehouse(path: path, sandboxed: true)
        let problems = await ReadOnlyEscapeCatalogue.problems(running: attempts(warehousePath: path), on: warehouse)
        XCTAssertEqual(problems, [])
        let allowedProblems = await ReadOnlyEscapeCatalogue.problems(runningAllowedOn: warehouse)
        XCTAssertEqual(allowedProblems, [])
        let state = try await ReadOnlyEscapeCatalogue.state(of: warehouse)
        XCTAssertEqual(state, ReadOnlyEscapeCatalogue.fixtureState)
        // Locked for the owner too: no connection can loosen the sandbox again.
        do {
            _ = try await warehouse.write { try await $0.execute("set autoload_known_extensions = true") }
            XCTFail("the owner's connection changed a sandbox setting")
        } catch let error as WarehouseError {
            XCTAssertTrue(error.message.lowercased().contains("lock"), error.message)
        }
        // The owner still writes through its own connection; the sandbox only bounds reach.
        _ = try await warehouse.write { try await $0.execute("insert into shop.orders values (4, 40.00)") }
        let count = try await warehouse.runReadOnly(ReadOnlyQuery("select count(*) from shop.orders")).resultSet.scalar
        XCTAssertEqual(count, .int(4))
        await warehouse.close()

        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, "the owner's own insert should have reached the file")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path), [], "a refused statement wrote a file")
    }

    /// serve's sandbox with its jobs' folders open: the owner reads landing files and writes an
    /// export there; every escape of the catalogue is still refused, other files stay closed and
    /// the configuration stays locked.
    func testAllowedFoldersOpenOnlyThemselves() async throws {
        let path = try await fixtureFile()
        let landing = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-landing-\(UUID().uuidString)")
        let lake = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-lake-\(UUID().uuidString)")
        for folder in [landing, lake] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        defer { for folder in [landing, lake] { try? FileManager.default.removeItem(at: folder) } }
        try "id\n1\n2\n".write(to: landing.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        let warehouse = try DuckDBWarehouse(path: path, sandboxed: true, allowedDirectories: [landing.path, lake.path])
        let problems = await ReadOnlyEscapeCatalogue.problems(running: attempts(warehousePath: path), on: warehouse)
        XCTAssertEqual(problems, [])
        let loaded = try await warehouse.write { try await $0.query(SQL(unsafeRaw: "select count(*) from read_csv('\(landing.path)/a.csv')")).scalar }
        XCTAssertEqual(loaded, .int(2))
        _ = try await warehouse.write { try await $0.execute(SQL(unsafeRaw: "copy (select 1 as x) to '\(lake.path)/x.parquet' (format parquet)")) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: lake.path + "/x.parquet"))
        for outside in ["/etc/passwd", "\(landing.path)/../\(lake.lastPathComponent)/x.parquet".replacingOccurrences(of: lake.lastPathComponent, with: "elsewhere"), path] {
            do {
                _ = try await warehouse.write { try await $0.query(SQL(unsafeRaw: "select * from read_text('\(outside)')")) }
                XCTFail("the owner read \(outside)")
            } catch {}
        }
        do {
            _ = try await warehouse.write { try await $0.execute("set enable_external_access = true") }
            XCTFail("the sandbox could be loosened")
        } catch {}
        await warehouse.close()
    }

    func testTenMillionRowsAreCutAtTheRowLimit() async throws {
        let warehouse = try DuckDBWarehouse(path: ":memory:", sandboxed: true)
        let answer = try await warehouse.runReadOnly(ReadOnlyQuery("select range as n from range(10000000)", rowLimit: 1000, timeout: .seconds(60)))
        XCTAssertTrue(answer.truncated)
        XCTAssertEqual(answer.resultSet.count, 1000)
        XCTAssertEqual(answer.resultSet.rows.first, [.int(0)])
        XCTAssertEqual(answer.resultSet.rows.last, [.int(999)])

        let exact = try await warehouse.runReadOnly(ReadOnlyQuery("select range from range(2048)", rowLimit: 2048))
        XCTAssertFalse(exact.truncated, "exactly the limit is not truncated")
        XCTAssertEqual(exact.resultSet.count, 2048)
        let none = try await warehouse.runReadOnly(ReadOnlyQuery("select 1 as x", rowLimit: 0))
        XCTAssertTrue(none.truncated)
        XCTAssertEqual(none.resultSet.columnNames, ["x"])
        await warehouse.close()
    }

    func testTheTimeLimitInterruptsTheQueryAndTheWarehouseStaysUsable() async throws {
        let warehouse = try DuckDBWarehouse(path: ":memory:", sandboxed: true)
        let endless = "select sum(a.range * b.range) from range(1000000000) a, range(100000) b"
        do {
            _ = try await warehouse.runReadOnly(ReadOnlyQuery(endless, timeout: .milliseconds(300)))
            XCTFail("a query over 10^14 rows finished within its time limit")
        } catch let error as WarehouseError {
            XCTAssertEqual(error.code, .timeout, error.description)
            XCTAssertTrue(error.message.contains("time limit of 0.3 s"), error.message)
        }
        let after = try await warehouse.runReadOnly(ReadOnlyQuery("select 42"))
        XCTAssertEqual(after.resultSet.scalar, .int(42))
        await warehouse.close()
    }

    func testCancellingTheCallerInterruptsTheQuery() async throws {
        let warehouse = try DuckDBWarehouse(path: ":memory:", sandboxed: true)
        let task = Task {
            try await warehouse.runReadOnly(ReadOnlyQuery("select sum(a.range * b.range) from range(1000000000) a, range(100000) b", timeout: nil))
        }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("the cancelled query finished")
        } catch let error as WarehouseError {
            XCTAssertEqual(error.code, .cancelled, error.description)
        }
        await warehouse.close()
    }

    func testResultCarriesColumnTypes() async throws {
        let warehouse = try DuckDBWarehouse(path: ":memory:", sandboxed: true)
        let answer = try await warehouse.runReadOnly(ReadOnlyQuery("select 1::bigint as id, 'x' as label, 1.5::decimal(4,2) as price, date '2024-01-02' as day"))
        XCTAssertEqual(answer.columnTypes, ["BIGINT", "VARCHAR", "DECIMAL(4,2)", "DATE"])
        XCTAssertEqual(answer.resultSet.rows, [[.int(1), .text("x"), .decimal("1.50"), .date(days: 19724)]])
        XCTAssertFalse(answer.truncated)
        XCTAssertGreaterThan(answer.elapsed, .zero)
        await warehouse.close()
    }

    func testAWarehouseOpenedWithoutTheSandboxRefusesEveryQuery() async throws {
        let warehouse = try DuckDBWarehouse(path: ":memory:")
        do {
            _ = try await warehouse.runReadOnly(ReadOnlyQuery("select 1"))
            XCTFail("an unsandboxed warehouse ran untrusted SQL")
        } catch let error as WarehouseError {
            XCTAssertEqual(error.code, .unsupported)
            XCTAssertTrue(error.hint?.contains("sandboxed: true") == true, error.description)
        }
        await warehouse.close()
    }

    /// Why the sandbox is database-wide rather than a second read-only database beside the
    /// writable one: DuckDB opens it, but it is a snapshot of the file as it was (a reader never
    /// sees what the owner commits later), and closing it drops the process's file lock for the
    /// writer too (POSIX record locks belong to the process) — measured: another process could
    /// then open the file for writing while the owner still had it open.
    func testASecondReadOnlyInstanceBesideTheWriterSeesAStaleSnapshot() async throws {
        let path = try await fixtureFile()
        let writer = try DuckDBWarehouse(path: path)
        let second = try DuckDBWarehouse(path: path, readOnly: true, sandboxed: true)
        _ = try await writer.write { try await $0.execute("insert into shop.orders values (4, 40.00)") }
        let seen = try await second.runReadOnly(ReadOnlyQuery("select count(*) from shop.orders")).resultSet.scalar
        XCTAssertEqual(seen, .int(3), "the second instance saw the owner's commit; revisit the design note in DuckDBWarehouse+ReadOnlyQuery.swift")
        await second.close()
        await writer.close()
    }

    /// Issue 22: the data of a closed warehouse is in the file itself, not only in its WAL.
    func testCloseLeavesTheFileCompleteWithoutItsWAL() async throws {
        let path = folder.appendingPathComponent("durable.duckdb").path
        let warehouse = try DuckDBWarehouse(path: path)
        try await warehouse.write { try await $0.executeScript("create table t as select range as n from range(5000)") }
        await warehouse.close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".wal"), "close left a WAL behind")
        let copy = folder.appendingPathComponent("copy.duckdb").path
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let reopened = try DuckDBWarehouse(path: copy, readOnly: true, sandboxed: true)
        let count = try await reopened.runReadOnly(ReadOnlyQuery("select count(*) from t")).resultSet.scalar
        XCTAssertEqual(count, .int(5000))
        await reopened.close()
    }
}
