import Foundation
import XCTest

/// `storehouse jobs` and `storehouse runs` on a small project: a run's vars reach the models,
/// a failing step is retried and the run recorded as failed, the history and one run's attempts
/// read back from the run store beside the warehouse, and a bad job file is refused with its
/// position.
final class JobsCommandTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-jobs-\(UUID().uuidString)")
        let files: [String: String] = [
            "dbt_project.yml": JobsCommandTests.projectFile(badDay: "none"),
            "profiles.yml": """
                shop:
                  target: dev
                  outputs:
                    dev:
                      type: duckdb
                      path: \(root.path)/w.duckdb
                      threads: 1
                """,
            // One row per day the job ran for; the day named by var bad_day fails.
            "models/daily_partition.sql": """
                {{ config(materialized='incremental', unique_key='ds', incremental_strategy='delete+insert') }}
                select cast('{{ var("ds") }}' as date) as ds,
                {% if var("ds") == var("bad_day") %} error('no orders arrived for {{ var("ds") }}') {% else %} 42 {% endif %} as orders
                """,
            "models/broken/broken_model.sql": "select * from no_such_table",
            "jobs.yml": """
                jobs:
                  nightly:
                    description: Rebuild the daily partition
                    schedule: {cron: "30 2 * * *", timezone: America/New_York}
                    steps:
                      - build: {select: daily_partition}
                  broken:
                    retries: {count: 1, backoff: 0s, jitter: 0}
                    steps:
                      - build: {select: broken_model}
                      - build: {select: daily_partition}
                """,
        ]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }

    static func projectFile(badDay: String) -> String {
        "name: shop\nprofile: shop\nvars:\n  ds: '2026-01-01'\n  bad_day: '\(badDay)'\nmodels:\n  shop:\n    +materialized: table\n"
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    private func storehouse(_ arguments: [String]) throws -> StorehouseProcess.Outcome {
        try StorehouseProcess.run(arguments + ["--project-dir", root.path], environment: ["STOREHOUSE_RUNS_DB": ""])
    }

    func testAJobRunsWithItsVarsAndItsHistoryIsKeptBesideTheWarehouse() throws {
        let list = try storehouse(["jobs", "list"])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("nightly  [schedule \"30 2 * * *\" America/New_York (next "), list.stdout)
        XCTAssertTrue(list.stdout.contains("never run"), list.stdout)
        XCTAssertTrue(list.stdout.contains("broken  [manual]"), list.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("w.runs.sqlite").path), "listing creates no run store")

        let run = try storehouse(["jobs", "run", "nightly", "--run-vars", "{ds: 2026-01-31}"])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("run 1 of job 'nightly' succeeded"), run.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent("w.runs.sqlite").path), "the run store sits beside w.duckdb")

        let built = try StorehouseProcess.run(["query", "select ds, orders from daily_partition", "--db", root.appendingPathComponent("w.duckdb").path, "-f", "csv"])
        XCTAssertEqual(built.stdout.split(separator: "\n").map(String.init), ["ds,orders", "2026-01-31,42"], "the run's vars override the project's")

        let runs = try storehouse(["runs"])
        XCTAssertEqual(runs.status, 0, runs.stderr)
        let rows = runs.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(rows.count, 2, runs.stdout)
        XCTAssertEqual(rows[1].split(separator: " ").prefix(4).joined(separator: " "), "1 nightly succeeded manual", runs.stdout)

        let show = try storehouse(["runs", "show", "1"])
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("run 1 of job 'nightly': succeeded"), show.stdout)
        XCTAssertTrue(show.stdout.contains("vars: ds=2026-01-31"), show.stdout)
        XCTAssertTrue(show.stdout.contains("step 'build' (build) attempt 1: succeeded"), show.stdout)
        XCTAssertTrue(show.stdout.contains("nodes: 1 success"), show.stdout)
        XCTAssertTrue(show.stdout.contains("model     daily_partition"), show.stdout)

        let again = try storehouse(["jobs", "list"])
        XCTAssertTrue(again.stdout.contains("last run 1 succeeded"), again.stdout)
    }

    func testAFailingStepIsRetriedThenTheRunFailsAndLaterStepsNeverRun() throws {
        let run = try storehouse(["jobs", "run", "broken"])
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("run 1 of job 'broken' failed: step 'build' failed after 2 attempts: 1 node failed: broken_model"), run.stdout)

        let failed = try storehouse(["runs", "--status", "failed"])
        let failedRows = failed.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: " ").prefix(4).joined(separator: " ") }
        XCTAssertEqual(failedRows, ["1 broken failed manual"], failed.stdout)
        let succeeded = try storehouse(["runs", "--status", "succeeded"])
        XCTAssertEqual(succeeded.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "no runs with status succeeded")

        let show = try storehouse(["runs", "show", "1"])
        XCTAssertTrue(show.stdout.contains("step 'build' (build) attempt 1: failed"), show.stdout)
        XCTAssertTrue(show.stdout.contains("step 'build' (build) attempt 2: failed"), show.stdout)
        XCTAssertFalse(show.stdout.contains("step 'build-2'"), "the step after the failed one never started:\n\(show.stdout)")
        XCTAssertTrue(show.stdout.contains("no_such_table"), "the engine's message is kept:\n\(show.stdout)")
    }

    func testABackfillRunsADayAPartitionAndARerunRunsOnlyTheDaysThatFailed() throws {
        try JobsCommandTests.projectFile(badDay: "2026-01-02").write(to: root.appendingPathComponent("dbt_project.yml"), atomically: true, encoding: .utf8)
        let first = try storehouse(["backfill", "nightly", "--from", "2026-01-01", "--to", "2026-01-03"])
        XCTAssertEqual(first.status, 1, first.stdout + first.stderr)
        XCTAssertTrue(first.stdout.contains("3 days from 2026-01-01 to 2026-01-03; 3 to run, 1 at a time"), first.stdout)
        XCTAssertTrue(first.stdout.contains("2026-01-02 failed (run 2"), first.stdout)
        XCTAssertTrue(first.stdout.contains("2 days succeeded, 1 failed; rerun the same command"), first.stdout)

        // The data arrived: the same command runs only the failed day.
        try JobsCommandTests.projectFile(badDay: "none").write(to: root.appendingPathComponent("dbt_project.yml"), atomically: true, encoding: .utf8)
        let second = try storehouse(["backfill", "nightly", "--from", "2026-01-01", "--to", "2026-01-05", "--parallel", "2"])
        XCTAssertEqual(second.status, 0, second.stdout + second.stderr)
        XCTAssertTrue(second.stdout.contains("5 days from 2026-01-01 to 2026-01-05, 2 already succeeded (skipped); 3 to run, 2 at a time"), second.stdout)
        XCTAssertTrue(second.stdout.contains("[####################] 3/3"), second.stdout)
        XCTAssertTrue(second.stdout.contains("3 days succeeded, 0 failed"), second.stdout)

        let built = try StorehouseProcess.run(["query", "select ds, orders from daily_partition order by ds", "--db", root.appendingPathComponent("w.duckdb").path, "-f", "csv"])
        XCTAssertEqual(built.stdout.split(separator: "\n").map(String.init),
                       ["ds,orders", "2026-01-01,42", "2026-01-02,42", "2026-01-03,42", "2026-01-04,42", "2026-01-05,42"])
        let third = try storehouse(["backfill", "nightly", "--from", "2026-01-01", "--to", "2026-01-05"])
        XCTAssertTrue(third.stdout.contains("5 already succeeded (skipped); 0 to run"), third.stdout)

        let backwards = try storehouse(["backfill", "nightly", "--from", "2026-01-05", "--to", "2026-01-01"])
        XCTAssertNotEqual(backwards.status, 0)
        XCTAssertTrue(backwards.stderr.contains("--from 2026-01-05 is after --to 2026-01-01"), backwards.stderr)
        let impossible = try storehouse(["backfill", "nightly", "--from", "2026-02-30", "--to", "2026-03-01"])
        XCTAssertTrue(impossible.stderr.contains("YYYY-MM-DD"), impossible.stderr)
    }

    func testBadInputsGetOneClearError() throws {
        let unknown = try storehouse(["jobs", "run", "weekly"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("no job named 'weekly' in jobs.yml"), unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("jobs: nightly, broken"), unknown.stderr)

        let missing = try storehouse(["runs", "show", "7"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("there is no run 7"), missing.stderr)

        try "jobs:\n  nightly:\n    steps:\n      - shell: {command: rm -rf /}\n"
            .write(to: root.appendingPathComponent("jobs.yml"), atomically: true, encoding: .utf8)
        let shell = try storehouse(["jobs", "run", "nightly"])
        XCTAssertEqual(shell.status, 2)
        XCTAssertTrue(shell.stderr.contains("jobs.yml:4:9: unknown step kind 'shell'"), shell.stderr)
        XCTAssertTrue(shell.stderr.contains("a job file cannot run commands"), shell.stderr)
    }
}
