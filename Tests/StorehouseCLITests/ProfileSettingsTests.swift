import Foundation
import XCTest

/// A duckdb profile's `settings:` block (dbt-duckdb's spelling) reaches DuckDB, Storehouse sizes
/// DuckDB's threads to the runner when the profile does not, and a bad setting stops the build
/// with its name before anything runs.
final class ProfileSettingsTests: XCTestCase {
    private func project(settings: String) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-settings-\(UUID().uuidString)")
        let files: [String: String] = [
            "dbt_project.yml": "name: tuned\nprofile: tuned\nmodels:\n  tuned:\n    +materialized: table\n",
            "profiles.yml": """
                tuned:
                  target: dev
                  outputs:
                    dev:
                      type: duckdb
                      path: \(root.path)/w.duckdb
                      threads: 2
                \(settings)
                """,
            "models/observed.sql": "select current_setting('threads')::int as duckdb_threads, lower(current_setting('default_order')) as default_order",
        ]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    private func observed(_ root: URL) throws -> String {
        let run = try StorehouseProcess.run(["query", "select duckdb_threads, default_order from observed",
                                             "--db", root.appendingPathComponent("w.duckdb").path, "-f", "csv"])
        XCTAssertEqual(run.status, 0, run.stderr)
        return run.stdout
    }

    func testSettingsFromTheProfileReachDuckDB() throws {
        let root = try project(settings: "      settings:\n        threads: 1\n        default_order: desc\n")
        defer { try? FileManager.default.removeItem(at: root) }
        let build = try StorehouseProcess.run(["build", "--project-dir", root.path])
        XCTAssertEqual(build.status, 0, build.stdout + build.stderr)
        XCTAssertEqual(try observed(root), "duckdb_threads,default_order\n1,desc\n")
    }

    func testWithoutAThreadsSettingDuckDBGetsTheCoresTheRunnerLeaves() throws {
        let root = try project(settings: "")
        defer { try? FileManager.default.removeItem(at: root) }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        // The project's one model runs alone, nothing ready behind it: it gets every core.
        for runnerThreads in [1, 2] {
            let build = try StorehouseProcess.run(["build", "--project-dir", root.path, "--threads", String(runnerThreads)])
            XCTAssertEqual(build.status, 0, build.stdout + build.stderr)
            XCTAssertEqual(try observed(root), "duckdb_threads,default_order\n\(cores),ascending\n")
        }
        // Two models side by side leave each other a core: callers plus workers = cores.
        try "select current_setting('threads')::int as duckdb_threads".write(
            to: root.appendingPathComponent("models/beside.sql"), atomically: true, encoding: .utf8)
        let both = try StorehouseProcess.run(["build", "--project-dir", root.path, "--threads", "2"])
        XCTAssertEqual(both.status, 0, both.stdout + both.stderr)
        XCTAssertEqual(try observed(root), "duckdb_threads,default_order\n\(max(1, cores - 1)),ascending\n")
        let beside = try StorehouseProcess.run(["query", "select duckdb_threads from beside", "--db", root.appendingPathComponent("w.duckdb").path, "-f", "csv"])
        XCTAssertEqual(beside.stdout, "duckdb_threads\n\(max(1, cores - 1))\n")
    }

    /// Builds with `settings` in the profile; the build must stop with exit 2 before running
    /// anything, its error containing every one of `messages`.
    private func assertBuildRefuses(settings: String, saying messages: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let root = try project(settings: settings)
        defer { try? FileManager.default.removeItem(at: root) }
        let build = try StorehouseProcess.run(["build", "--project-dir", root.path])
        XCTAssertEqual(build.status, 2, build.stdout + build.stderr, file: file, line: line)
        for message in messages { XCTAssertTrue(build.stderr.contains(message), build.stderr, file: file, line: line) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("target/run_results.json").path), file: file, line: line)
    }

    func testAnUnknownSettingStopsTheBuildWithItsName() throws {
        try assertBuildRefuses(settings: "      settings:\n        no_such_setting: 3\n",
                               saying: ["The following options were not recognized: no_such_setting", "`settings:` in profiles.yml"])
    }

    func testSettingsMustBeAMapping() throws {
        try assertBuildRefuses(settings: "      settings: [threads]\n", saying: ["`settings` must be a mapping"])
    }
}
