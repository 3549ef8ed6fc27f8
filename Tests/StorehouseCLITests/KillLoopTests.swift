import Foundation
import SyntheticData
import XCTest

/// kill -9 at random points of `build` and `generate`, over and over: after each kill every
/// relation must be whole (all of the old run or all of the new one, never half), and the next
/// run must end with exactly the tables an uninterrupted run makes.
///
/// `STOREHOUSE_KILL_TRIALS=200` runs more trials per loop, `STOREHOUSE_KILL_SEED=N` replays the
/// kill points of a failed run (the seed is in every failure message).
final class KillLoopTests: XCTestCase {
    let trials = ProcessInfo.processInfo.environment["STOREHOUSE_KILL_TRIALS"].flatMap(Int.init)
    let seed = ProcessInfo.processInfo.environment["STOREHOUSE_KILL_SEED"].flatMap(UInt64.init) ?? UInt64(Date().timeIntervalSince1970 * 1000)

    /// Models of every materialization, each carrying the run's `version`, so a half-replaced
    /// relation shows as two versions or a wrong row count.
    static let project: [String: String] = [
        "dbt_project.yml": "name: killer\nprofile: killer\nmodels:\n  killer:\n    +materialized: table\n",
        "profiles.yml": "killer:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: w.duckdb\n      threads: 2\n",
        "models/base.sql": "select {{ var('version', 1) }} as version, range as n, md5(range::varchar) as h from range(150000)",
        "models/doubled.sql": "select version, n * 2 as n2, h from {{ ref('base') }}",
        "models/joined.sql": "select b.version, b.n, d.n2, b.h || d.h as hh from {{ ref('base') }} b join {{ ref('doubled') }} d on d.n2 = b.n * 2",
        "models/summary.sql": "select version, count(*) as n, sum(n2) as total from {{ ref('joined') }} group by version",
        "models/tenth.sql": "{{ config(materialized='incremental', unique_key='n') }}\nselect version, n, h from {{ ref('base') }} where n % 10 = 0",
        "models/summary_view.sql": "{{ config(materialized='view') }}\nselect * from {{ ref('summary') }}",
        "seeds/cities.csv": "id,city\n" + (1...2000).map { "\($0),city \($0)" }.joined(separator: "\n") + "\n",
    ]

    /// Relation → rows it holds in any whole version.
    static let expectedRows = ["base": 150_000, "doubled": 150_000, "joined": 150_000, "summary": 1, "tenth": 15_000, "summary_view": 1]

    func testBuildKilledAtRandomPointsLeavesWholeRelationsAndRecovers() throws {
        let count = trials ?? 30
        var random = SeededRandom(seed: seed)
        let base = ProjectFolder(prefix: "storehouse-kill-loop-build")
        defer { base.remove() }
        for (path, text) in Self.project { try base.write(path, text) }
        XCTAssertEqual(try storehouse(["build"], in: base.root).status, 0)
        // What an uninterrupted build of version 2 makes, and how long it takes.
        let reference = ProjectFolder(prefix: "storehouse-kill-loop-reference")
        defer { reference.remove() }
        try FileManager.default.copyItem(at: base.root, to: reference.root)
        let started = Date()
        XCTAssertEqual(try storehouse(["build", "--vars", "{version: 2}"], in: reference.root).status, 0)
        let duration = Date().timeIntervalSince(started)
        let expected = try checksums(reference.root)

        var killedMidRun = 0
        for trial in 1...count {
            let folder = ProjectFolder(prefix: "storehouse-kill-loop-\(trial)")
            defer { folder.remove() }
            try FileManager.default.copyItem(at: base.root, to: folder.root)
            let delay = random.unit() * duration
            let context = "trial \(trial) (STOREHOUSE_KILL_SEED=\(seed)), killed after \(String(format: "%.3f", delay)) s of a \(String(format: "%.3f", duration)) s build"
            if try killed(["build", "--vars", "{version: 2}"], in: folder.root, after: delay) { killedMidRun += 1 }

            // Whole relations: one version each, and the row count of a whole build.
            let state = try storehouse(["query", Self.wholenessQuery, "--db", "w.duckdb", "--format", "csv"], in: folder.root)
            XCTAssertEqual(state.status, 0, "\(context): the warehouse does not open\n\(state.stderr)")
            for line in state.stdout.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                XCTAssertEqual(fields.count, 4, "\(context): \(line)")
                guard fields.count == 4 else { continue }
                XCTAssertEqual(fields[2], fields[3], "\(context): \(fields[0]) holds rows of two runs")
                XCTAssertEqual(Int(fields[1]), Self.expectedRows[fields[0]], "\(context): \(fields[0]) is not whole")
            }
            // The next build finishes the job without help.
            let again = try storehouse(["build", "--vars", "{version: 2}"], in: folder.root)
            XCTAssertEqual(again.status, 0, "\(context): the build after the kill failed\n\(again.stdout)\n\(again.stderr)")
            XCTAssertEqual(try checksums(folder.root), expected, "\(context): the tables differ from an uninterrupted build")
        }
        print("kill loop: \(count) build trials, \(killedMidRun) killed mid-build (a build takes \(String(format: "%.2f", duration)) s; seed \(seed))")
        XCTAssertGreaterThanOrEqual(killedMidRun * 2, count, "most kills must land while the build runs (seed \(seed))")
    }

    func testGenerateKilledAtRandomPointsLeavesAReadableWarehouseAndTheRerunMatches() throws {
        let count = trials ?? 20
        var random = SeededRandom(seed: seed &+ 1)
        let arguments = ["generate", "--users", "400", "--seed", "7", "--as-of", "2026-01-31", "--workers", "2", "--db", "w.duckdb"]
        let reference = ProjectFolder(prefix: "storehouse-kill-loop-generate")
        defer { reference.remove() }
        try FileManager.default.createDirectory(at: reference.root, withIntermediateDirectories: true)
        let started = Date()
        let first = try storehouse(arguments, in: reference.root)
        XCTAssertEqual(first.status, 0, first.stderr)
        let duration = Date().timeIntervalSince(started)
        let expected = try checksums(reference.root, schema: "raw")
        XCTAssertGreaterThan(expected.count, 5, "the generated store has its tables")

        var killedMidRun = 0
        for trial in 1...count {
            let folder = ProjectFolder(prefix: "storehouse-kill-loop-generate-\(trial)")
            defer { folder.remove() }
            try FileManager.default.createDirectory(at: folder.root, withIntermediateDirectories: true)
            // Half the trials regenerate over a complete earlier load, half start from nothing.
            if trial % 2 == 0 { try FileManager.default.copyItem(at: reference.root.appendingPathComponent("w.duckdb"), to: folder.root.appendingPathComponent("w.duckdb")) }
            let delay = random.unit() * duration
            let context = "generate trial \(trial) (STOREHOUSE_KILL_SEED=\(seed)), killed after \(String(format: "%.3f", delay)) s of \(String(format: "%.3f", duration)) s"
            if try killed(arguments, in: folder.root, after: delay) { killedMidRun += 1 }

            if FileManager.default.fileExists(atPath: folder.root.appendingPathComponent("w.duckdb").path) {
                let tables = try checksums(folder.root, schema: "raw", allowFailure: true)
                XCTAssertNil(tables["<error>"], "\(context): the warehouse does not read: \(tables)")
            }
            let again = try storehouse(arguments, in: folder.root)
            XCTAssertEqual(again.status, 0, "\(context): the generate after the kill failed\n\(again.stderr)")
            XCTAssertEqual(try checksums(folder.root, schema: "raw"), expected, "\(context): the tables differ from an uninterrupted generate")
        }
        print("kill loop: \(count) generate trials, \(killedMidRun) killed mid-generate (a generate takes \(String(format: "%.2f", duration)) s; seed \(seed))")
        XCTAssertGreaterThanOrEqual(killedMidRun * 2, count, "most kills must land while generate runs (seed \(seed))")
    }

    // MARK: helpers

    static var wholenessQuery: String {
        expectedRows.keys.sorted().map { "select '\($0)' as relation, count(*) as n, min(version) as low, max(version) as high from \($0)" }
            .joined(separator: " union all ") + " order by relation"
    }
}
