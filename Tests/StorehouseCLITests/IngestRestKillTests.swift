import Foundation
import RestTestSupport
import SyntheticData
import XCTest

/// kill -9 of `storehouse ingest rest` mid-load, against a fake DummyJSON API in this process:
/// the kill lands while a chosen page is being served (or at a random moment of the load, the
/// commit included). Whatever the moment, the table is as it was before the load (a load is one
/// transaction with its cursor), and the rerun ends with exactly the rows of an uninterrupted load.
final class IngestRestKillTests: XCTestCase {
    let trials = ProcessInfo.processInfo.environment["STOREHOUSE_KILL_TRIALS"].flatMap(Int.init) ?? 6
    let seed = ProcessInfo.processInfo.environment["STOREHOUSE_KILL_SEED"].flatMap(UInt64.init) ?? UInt64(Date().timeIntervalSince1970 * 1000)

    static let products = 6_000
    static let pageSize = 100
    static var pages: Int { products / pageSize }

    /// The process to kill when page `killAt` is asked for (0: never).
    final class Victim: @unchecked Sendable {
        private let lock = NSLock()
        private var pid: pid_t = 0
        private var killAt = 0
        private var served = 0
        private(set) var killedAtPage: Int?

        func arm(pid: pid_t, atPage page: Int) { lock.withLock { self.pid = pid; killAt = page; served = 0; killedAtPage = nil } }
        func disarm() { lock.withLock { pid = 0; killAt = 0 } }

        /// Counts a page request; SIGKILLs the process on the chosen one (before it is answered).
        func page() {
            lock.withLock {
                served += 1
                guard pid != 0, served == killAt else { return }
                kill(pid, SIGKILL)
                killedAtPage = served
            }
        }
    }

    func testRestIngestKilledMidLoadWritesNothingAndTheRerunLoadsEveryRecordOnce() throws {
        let victim = Victim()
        let total = Self.products
        let server = try FakeRestServer { request in
            victim.page()
            let skip = Int(request.query["skip"] ?? "0") ?? 0, limit = Int(request.query["limit"] ?? "30") ?? 30
            let records: [[String: Any]] = (skip..<min(total, skip + limit)).map(IngestRestKillTests.product)
            // A little time per page, so a load lasts long enough to be killed in the middle.
            return .slow(seconds: 0.004, .json(["products": records, "total": total, "skip": skip, "limit": limit]))
        }
        defer { server.stop() }
        let arguments = ["ingest", "rest", "--preset", "dummyjson", "--resource", "products", "--base-url", server.baseURL]
        // The nested object by its fields: the fake API writes a dictionary's keys in no fixed order.
        let content = """
            select count(*) as n, count(distinct id) as ids,
                   sum(hash(id, title, price, category, dimensions->>'width', dimensions->>'depth')) as h
            from raw.dummyjson_products
            """

        let reference = try project("reference")
        defer { reference.remove() }
        let started = Date()
        let uninterrupted = try storehouse(arguments, in: reference.root)
        XCTAssertEqual(uninterrupted.status, 0, uninterrupted.stdout + uninterrupted.stderr)
        let duration = Date().timeIntervalSince(started)
        let expected = try storehouse(["query", content, "--db", "w.duckdb", "--format", "csv"], in: reference.root).stdout
        XCTAssertTrue(expected.contains("\n\(total),\(total),"), expected)

        var random = SeededRandom(seed: seed)
        var killedMidLoad = 0
        for trial in 1...trials {
            let folder = try project("trial-\(trial)")
            defer { folder.remove() }
            // Most trials die on a chosen page; every third at a random moment, which may fall in the commit.
            let page = trial % 3 == 0 ? 0 : 1 + Int(random.unit() * Double(Self.pages - 1))
            let delay = random.unit() * duration * 1.2
            let context = "trial \(trial) (STOREHOUSE_KILL_SEED=\(seed)): " + (page > 0 ? "killed on page \(page) of \(Self.pages)" : "killed after \(String(format: "%.3f", delay)) s of a \(String(format: "%.3f", duration)) s load")
            if try killed(arguments, in: folder.root, page: page, delay: delay, victim: victim) { killedMidLoad += 1 }

            // Killed before the warehouse file was made: nothing to look at.
            let made = FileManager.default.fileExists(atPath: folder.root.appendingPathComponent("w.duckdb").path)
            let after = try storehouse(["query", "select count(*) from raw.dummyjson_products", "--db", "w.duckdb", "--format", "csv"], in: folder.root)
            if !made {
                XCTAssertNotEqual(after.status, 0, context)
            } else if after.status == 0 {
                let count = after.stdout.split(separator: "\n").last.map(String.init) ?? ""
                XCTAssertTrue(count == "0" || count == String(total), "\(context): \(count) records after the kill, a half-written load")
            } else {
                XCTAssertTrue(after.stderr.contains("does not exist") || after.stderr.contains("No such file") || after.stderr.contains("not found"), "\(context): \(after.stderr)")
            }
            let rerun = try storehouse(arguments, in: folder.root)
            XCTAssertEqual(rerun.status, 0, "\(context): the rerun failed\n\(rerun.stdout)\(rerun.stderr)")
            let loaded = try storehouse(["query", content, "--db", "w.duckdb", "--format", "csv"], in: folder.root).stdout
            XCTAssertEqual(loaded, expected, "\(context): the rerun's rows differ from an uninterrupted load's")
        }
        XCTAssertGreaterThan(killedMidLoad, trials / 2, "most trials should have died mid-load (seed \(seed))")
        print("rest ingest kill loop: \(killedMidLoad) of \(trials) runs killed mid-load (seed \(seed))")
    }

    /// The fake API's record number `index` (id index + 1), with a nested object.
    static func product(_ index: Int) -> [String: Any] {
        let dimensions: [String: Any] = ["width": index % 40, "depth": index % 17]
        let price: Double = Double(index % 500) + 0.99
        return ["id": index + 1, "title": "product \(index + 1)", "price": price,
                "category": ["beauty", "shoes", "tops"][index % 3], "dimensions": dimensions]
    }

    func project(_ name: String) throws -> ProjectFolder {
        let folder = ProjectFolder(prefix: "storehouse-rest-kill-\(name)")
        try folder.write("dbt_project.yml", "name: killer\nprofile: killer\n")
        try folder.write("profiles.yml", "killer:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: w.duckdb\n")
        return folder
    }

    /// Runs storehouse until the fake API's `page`-th request (or `delay` seconds when `page` is
    /// 0) and SIGKILLs it; true when it died of the signal.
    func killed(_ arguments: [String], in folder: URL, page: Int, delay: Double, victim: Victim) throws -> Bool {
        let process = try startStorehouse(arguments, in: folder)
        if page > 0 {
            victim.arm(pid: process.processIdentifier, atPage: page)
        } else {
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        victim.disarm()
        return process.terminationReason == .uncaughtSignal
    }
}
