import Foundation
import XCTest

/// `storehouse source freshness` and the `freshness` job step on a small project whose source
/// tables were loaded 5 minutes, 3 hours and 3 days ago: exit codes, the lines printed,
/// target/sources.json on disk, a bad setting refused with file:line:col, and a stale source
/// failing a job's run (which is what makes the server alert).
final class SourceFreshnessCommandTests: XCTestCase {
    private var project: ProjectFolder!
    private var root: URL { project.root }

    static let sources = """
        version: 2
        sources:
          - name: raw
            schema: main
            config:
              loaded_at_field: loaded_at
              freshness:
                warn_after: {count: 1, period: hour}
                error_after: {count: 1, period: day}
            tables:
              - name: fresh
              - name: warm
              - name: stale
        """

    override func setUpWithError() throws {
        project = ProjectFolder(prefix: "storehouse-freshness-cli")
        func loaded(secondsAgo seconds: Double) -> String {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
            return "select timestamp '\(formatter.string(from: Date().addingTimeInterval(-seconds)))' as loaded_at"
        }
        let files: [String: String] = [
            "dbt_project.yml": "name: shop\nprofile: shop\nmodels:\n  shop:\n    +materialized: table\n",
            "profiles.yml": "shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: \(root.path)/w.duckdb\n      threads: 2\n",
            // The "loads": tables the source entries point at, built by `storehouse run`.
            "models/fresh.sql": loaded(secondsAgo: 300),
            "models/warm.sql": loaded(secondsAgo: 3 * 3600),
            "models/stale.sql": loaded(secondsAgo: 3 * 86_400),
            "models/sources.yml": Self.sources,
            "jobs.yml": """
                jobs:
                  watch_recent:
                    steps:
                      - freshness: {select: "source:raw.fresh source:raw.warm"}
                  watch:
                    description: Alert when a source goes stale
                    steps:
                      - freshness: {}
                """,
        ]
        for (path, text) in files { try project.write(path, text) }
    }

    override func tearDownWithError() throws {
        project.remove()
    }

    /// Status of each result in target/sources.json, by table name.
    private func sourcesJSON() throws -> [String: String] {
        let data = try Data(contentsOf: root.appendingPathComponent("target/sources.json"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let metadata = json["metadata"] as? [String: Any]
        XCTAssertEqual(metadata?["dbt_schema_version"] as? String, "https://schemas.getdbt.com/dbt/sources/v3.json")
        var statuses: [String: String] = [:]
        for result in json["results"] as? [[String: Any]] ?? [] {
            let id = result["unique_id"] as? String ?? ""
            statuses[String(id.split(separator: ".").last ?? "")] = result["status"] as? String
            XCTAssertNotNil(result["max_loaded_at_time_ago_in_s"] as? Double, id)
        }
        return statuses
    }

    func testFreshAndWarningSourcesExit0AndAStaleOneExits1() throws {
        let load = try project.storehouse(["run"])
        XCTAssertEqual(load.status, 0, load.stdout + load.stderr)

        let recent = try project.storehouse(["source", "freshness", "--select", "source:raw.fresh", "source:raw.warm"])
        XCTAssertEqual(recent.status, 0, "a warning is not a failure, as in dbt:\n" + recent.stdout + recent.stderr)
        let lines = recent.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "Checking freshness of 2 sources with 2 threads")
        XCTAssertTrue(lines.contains { $0.hasPrefix("[") && $0.contains("source   raw.fresh") && $0.contains(" PASS  5m ") }, recent.stdout)
        XCTAssertTrue(lines.contains { $0.contains("source   raw.warm") && $0.contains(" WARN  3h 0m old (warn after 1 hour)") }, recent.stdout)
        XCTAssertTrue(recent.stdout.contains("Done in "), recent.stdout)
        XCTAssertTrue(recent.stdout.contains(": 1 passed, 1 warned, 0 stale, 0 errored\nwrote target/sources.json"), recent.stdout)
        XCTAssertEqual(try sourcesJSON(), ["fresh": "pass", "warm": "warn"])

        let all = try project.storehouse(["source", "freshness"])
        XCTAssertEqual(all.status, 1, all.stdout + all.stderr)
        XCTAssertTrue(all.stdout.contains("source   raw.stale") && all.stdout.contains(" STALE 3d 0h old (error after 1 day)"), all.stdout)
        XCTAssertTrue(all.stdout.contains("\n\nSTALE source raw.stale\n  newest row "), all.stdout)
        XCTAssertTrue(all.stdout.contains("  criteria: warn after 1 hour, error after 1 day"), all.stdout)
        XCTAssertEqual(try sourcesJSON(), ["fresh": "pass", "warm": "warn", "stale": "error"])

        let excluded = try project.storehouse(["source", "freshness", "--exclude", "source:raw.stale"])
        XCTAssertEqual(excluded.status, 0, excluded.stdout + excluded.stderr)
    }

    func testABadSettingIsOneErrorWithFileLineAndColumn() throws {
        try project.write("models/sources.yml", Self.sources.replacingOccurrences(of: "period: hour", with: "period: hours"))
        let period = try project.storehouse(["source", "freshness"])
        XCTAssertEqual(period.status, 2, period.stdout + period.stderr)
        XCTAssertEqual(period.stderr, "models/sources.yml:8:40: error: warn_after has an unknown period 'hours'; use minute, hour or day\n")

        try project.write("models/sources.yml", Self.sources.replacingOccurrences(of: "count: 1, period: day", with: "count: -2, period: day"))
        let count = try project.storehouse(["source", "freshness"])
        XCTAssertEqual(count.status, 2, count.stdout + count.stderr)
        XCTAssertEqual(count.stderr, "models/sources.yml:9:30: error: error_after count must be a positive whole number, got '-2'\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("target/sources.json").path))
    }

    func testWithoutAWarehouseItSaysSo() throws {
        let missing = try project.storehouse(["source", "freshness"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("there is no warehouse at \(root.path)/w.duckdb"), missing.stderr)
    }

    func testAStaleSourceFailsTheJobStepNamingTheSourceAndItsAge() throws {
        XCTAssertEqual(try project.storehouse(["run"]).status, 0)
        let recent = try project.storehouse(["jobs", "run", "watch_recent"])
        XCTAssertEqual(recent.status, 0, recent.stdout + recent.stderr)
        XCTAssertTrue(recent.stdout.contains("source   raw.warm"), recent.stdout)
        XCTAssertTrue(recent.stdout.contains("run 1 of job 'watch_recent' succeeded"), recent.stdout)

        let watch = try project.storehouse(["jobs", "run", "watch"])
        XCTAssertEqual(watch.status, 1, watch.stdout + watch.stderr)
        XCTAssertTrue(watch.stdout.contains("run 2 of job 'watch' failed: step 'freshness' failed: 1 source stale: raw.stale is 3d 0h old (error after 1 day)\n"),
                      watch.stdout)
        XCTAssertEqual(try sourcesJSON(), ["fresh": "pass", "warm": "warn", "stale": "error"], "the step writes sources.json as the command does")

        let show = try project.storehouse(["runs", "show", "2"])
        XCTAssertTrue(show.stdout.contains("step 'freshness' (freshness) attempt 1: failed"), show.stdout)
        XCTAssertTrue(show.stdout.contains("raw.stale"), show.stdout)
    }
}
