import Foundation
import XCTest

/// Kills a real `storehouse build` with SIGKILL in the middle of building, then checks the
/// warehouse holds only whole relations and the next build recovers without help.
final class KillMidBuildTests: XCTestCase {
    func testSIGKILLMidBuildLeavesWholeRelationsAndTheNextBuildRecovers() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let files: [String: String] = [
            "dbt_project.yml": "name: killer\nprofile: killer\nmodels:\n  killer:\n    +materialized: table\n",
            "profiles.yml": "killer:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: \(root.path)/w.duckdb\n      threads: 1\n",
            "models/first.sql": "select {{ var('version', 1) }} as version, range as n from range(1000)",
            // runs after `first` (it reads it) and is slow enough to be killed while it runs
            "models/slow.sql": "select (select max(version) from {{ ref('first') }}) as version, count(*) as n from range(1500000000) a where a.range % 7 = {{ var('version', 1) }}",
            "models/last.sql": "select version, n from {{ ref('slow') }}",
        ]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let first = try StorehouseProcess.run(["build", "--project-dir", root.path])
        XCTAssertEqual(first.status, 0, first.stdout + first.stderr)

        // Second build with new content; kill it once `first` is rebuilt and `slow` is running.
        let process = Process()
        process.executableURL = StorehouseProcess.executable
        process.arguments = ["build", "--project-dir", root.path, "--vars", "{version: 2}", "--threads", "1"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        var seen = ""
        let deadline = Date().addingTimeInterval(60)
        while !seen.contains("first"), Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        usleep(300_000) // inside `slow`'s transaction
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal, "the build ended before it could be killed:\n\(seen)")

        // Every relation is whole: `first` is new (version 2), `slow` and `last` still the old version.
        let state = try StorehouseProcess.run(["query", """
            select (select min(version) || '-' || max(version) || ':' || count(*) from first),
                   (select min(version) || ':' || count(*) from slow),
                   (select min(version) || ':' || count(*) from last),
                   (select count(*) from information_schema.tables where table_name like '%storehouse%')
            """, "--db", root.appendingPathComponent("w.duckdb").path, "--format", "csv"])
        XCTAssertEqual(state.status, 0, state.stderr)
        XCTAssertEqual(state.stdout.split(separator: "\n").last, "2-2:1000,1:1,1:1,0")

        // The next build recovers without any manual step.
        let again = try StorehouseProcess.run(["build", "--project-dir", root.path, "--vars", "{version: 2}"])
        XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
        let after = try StorehouseProcess.run(["query", "select version from last", "--db", root.appendingPathComponent("w.duckdb").path, "-f", "csv"])
        XCTAssertEqual(after.stdout, "version\n2\n")
    }
}
