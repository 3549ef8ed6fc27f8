import XCTest
@testable import Orchestrator

final class JobFileTests: XCTestCase {
    private let example = """
    jobs:
      daily:
        description: Load yesterday and rebuild
        schedule: {cron: "0 6 * * *", timezone: Europe/Berlin, catchup: false}
        retries: {count: 2, backoff: 30s, max_backoff: 10m, jitter: 0.2}
        timeout: 45m
        max_concurrent_runs: 1
        tags: [daily]
        vars: {ds: "2026-01-01"}
        steps:
          - generate: {days: 1}
          - seed: {}
          - build: {select: "staging+", exclude: "tag:slow", vars: {limit: 10}}
            retries: {count: 5, backoff: 1m}
            timeout: 1h30m
          - test: {select: "marts"}
          - freshness: {}
          - export: {to: "lake/", format: parquet}
        on_success: [trigger: report]
      report:
        steps:
          - build: {select: "marts.finance"}
          - build
      ingest_landing:
        sensor: {landing: {path: landing/, glob: "*.csv", min_age: 30s}}
        max_concurrent_runs: 3
        steps:
          - ingest: {connector: landing_files}
          - name: build raw
            build: {select: "source:raw+"}
    """

    private func message(_ text: String) -> String {
        do {
            _ = try JobFile(parsing: text)
            return "no error"
        } catch {
            return error.description
        }
    }

    func testLoadsTheExample() throws {
        let file = try JobFile(parsing: example)
        XCTAssertEqual(file.jobs.map(\.name), ["daily", "report", "ingest_landing"])
        let daily = try XCTUnwrap(file["daily"])
        XCTAssertEqual(daily.description, "Load yesterday and rebuild")
        XCTAssertEqual(daily.schedule?.schedule.cron.source, "0 6 * * *")
        XCTAssertEqual(daily.schedule?.schedule.timeZone.identifier, "Europe/Berlin")
        XCTAssertEqual(daily.schedule?.catchup, false)
        XCTAssertEqual(daily.retries, RetryPolicy(retries: 2, baseDelay: 30, maxDelay: 600, jitter: 0.2))
        XCTAssertEqual(daily.timeout, 2_700)
        XCTAssertEqual(daily.maxConcurrentRuns, 1)
        XCTAssertEqual(daily.tags, ["daily"])
        XCTAssertEqual(daily.vars, ["ds": .string("2026-01-01")])
        XCTAssertEqual(daily.onSuccess, ["report"])
        XCTAssertEqual(daily.location, JobFileLocation(file: "jobs.yml", line: 2, column: 3))
        XCTAssertEqual(daily.steps.map(\.name), ["generate", "seed", "build", "test", "freshness", "export"])
        XCTAssertEqual(daily.steps.map(\.action), [
            .generate(days: 1, seed: nil),
            .seed(NodeSelection()),
            .build(NodeSelection(select: "staging+", exclude: "tag:slow", vars: ["limit": .int(10)])),
            .test(NodeSelection(select: "marts")),
            .freshness(select: nil),
            .export(to: "lake/", format: .parquet, select: nil),
        ])
        let build = daily.steps[2]
        XCTAssertEqual(build.timeout, 5_400)
        XCTAssertEqual(build.retryPolicy(in: daily), RetryPolicy(retries: 5, baseDelay: 60))
        XCTAssertEqual(daily.steps[3].retryPolicy(in: daily), daily.retries)
        XCTAssertEqual(build.location, JobFileLocation(file: "jobs.yml", line: 13, column: 9))

        XCTAssertEqual(file["report"]?.steps.map(\.name), ["build", "build-2"])
        let ingest = try XCTUnwrap(file["ingest_landing"])
        XCTAssertEqual(ingest.maxConcurrentRuns, 3)
        XCTAssertEqual(ingest.sensor, .landing(path: "landing/", sensor: try LandingFolderSensor(glob: "*.csv", minimumAge: 30)))
        XCTAssertEqual(ingest.steps.map(\.name), ["ingest", "build raw"])
        XCTAssertEqual(ingest.steps[0].action, .ingest(connector: "landing_files"))
    }

    func testEmptyFilesHaveNoJobs() throws {
        XCTAssertEqual(try JobFile(parsing: "").jobs, [])
        XCTAssertEqual(try JobFile(parsing: "jobs:\n").jobs, [])
    }

    func testShellStepsAreRefused() {
        let text = """
        jobs:
          daily:
            steps:
              - seed: {}
              - build: {}
              - test: {}
              - shell: "rm -rf /"
        """
        XCTAssertEqual(message(text),
                       "jobs.yml:7:9: unknown step kind 'shell' — allowed: generate, ingest, seed, build, run, test, snapshot, freshness, docs, export, ml_train, ml_score; a job file cannot run commands")
        XCTAssertEqual(message("jobs:\n  a:\n    steps: [bash]\n"),
                       "jobs.yml:3:13: unknown step kind 'bash' — allowed: generate, ingest, seed, build, run, test, snapshot, freshness, docs, export, ml_train, ml_score; a job file cannot run commands")
    }

    func testADocsStepTakesNoOptions() throws {
        let file = try JobFile(parsing: "jobs:\n  nightly:\n    steps:\n      - build\n      - docs: {}\n      - docs\n")
        XCTAssertEqual(file.jobs.first?.steps.map(\.action), [.build(NodeSelection()), .docs, .docs])
        XCTAssertEqual(file.jobs.first?.steps.map(\.name), ["build", "docs", "docs-2"])
        XCTAssertTrue(message("jobs:\n  a:\n    steps:\n      - docs: {select: marts}\n").hasPrefix("jobs.yml:4:"), message("jobs:\n  a:\n    steps:\n      - docs: {select: marts}\n"))
    }

    func testTriggersMustNameJobsAndNotLoop() {
        XCTAssertEqual(message("jobs:\n  a:\n    steps: [seed]\n    on_success: [trigger: b]\n"),
                       "jobs.yml:4:27: job 'a' triggers unknown job 'b'; known jobs: a")
        let cycle = """
        jobs:
          a:
            steps: [seed]
            on_success: [trigger: b]
          b:
            steps: [build]
            on_success: [trigger: c]
          c:
            steps: [test]
            on_failure: [trigger: a]
        """
        XCTAssertEqual(message(cycle), "jobs.yml:10:27: job chain forms a cycle: a → b → c → a; remove one of these triggers")
        XCTAssertEqual(message("jobs:\n  a:\n    steps: [seed]\n    on_success: [trigger: a]\n"),
                       "jobs.yml:4:27: job chain forms a cycle: a → a; remove one of these triggers")
    }

    func testErrorsCarryPositionAndHint() {
        let cases: [(String, String)] = [
            ("jobs:\n  a:\n    schedule: {cron: \"0 25 * * *\"}\n    steps: [seed]\n",
             "jobs.yml:3:22: cron \"0 25 * * *\": hour 25 is out of range 0-23"),
            ("jobs:\n  a:\n    schedule: {cron: \"@daily\", timezone: Mars/Olympus}\n    steps: [seed]\n",
             "jobs.yml:3:42: unknown time zone 'Mars/Olympus'; use an IANA name such as Europe/Berlin, America/New_York or UTC"),
            ("jobs:\n  a:\n    description: nothing to do\n",
             "jobs.yml:2:3: job 'a' has no steps; give it `steps:`, a list such as `- build: {select: \"staging+\"}`"),
            ("jobs:\n  a:\n    steps: []\n",
             "jobs.yml:2:3: job 'a' has an empty list of steps; give it `steps:`, a list such as `- build: {select: \"staging+\"}`"),
            ("jobs:\n  a:\n    timeout: 45\n    steps: [seed]\n",
             "jobs.yml:3:14: duration 45 has no unit; write 45s, 45m or 45h"),
            ("jobs:\n  a:\n    timeout: 1m2h\n    steps: [seed]\n",
             "jobs.yml:3:14: duration '1m2h' repeats or reorders its units; write units from largest to smallest, each once, as in 1h30m"),
            ("jobs:\n  a:\n    schedul: \"@daily\"\n    steps: [seed]\n",
             "jobs.yml:3:5: unknown key 'schedul' in job 'a' — allowed: description, schedule, sensor, retries, timeout, max_concurrent_runs, tags, vars, steps, on_success, on_failure, deadline"),
            ("jobs:\n  a:\n    steps:\n      - build: {selct: x}\n",
             "jobs.yml:4:17: unknown key 'selct' in build step — allowed: select, exclude, vars, full_refresh"),
            ("jobs:\n  a:\n    steps:\n      - build: {}\n        test: {}\n",
             "jobs.yml:5:9: a step has two kinds, 'build' and 'test'; write them as two steps"),
            ("jobs:\n  a:\n    retries: {count: 2, backoff: 20m, max_backoff: 10m}\n    steps: [seed]\n",
             "jobs.yml:3:52: max_backoff 10m is shorter than backoff 20m; make max_backoff at least the backoff"),
            ("jobs:\n  a:\n    retries: {count: 2, jitter: 1.5}\n    steps: [seed]\n",
             "jobs.yml:3:33: jitter 1.5 is out of range 0-1"),
            ("jobs:\n  a:\n    max_concurrent_runs: 0\n    steps: [seed]\n",
             "jobs.yml:3:26: max_concurrent_runs 0 is out of range 1-1000"),
            ("jobs:\n  a:\n    sensor: {landing: {glob: \"*.csv\"}}\n    steps: [seed]\n",
             "jobs.yml:3:14: landing sensor has no path; write for example `{path: landing/, glob: \"*.csv\"}`"),
            ("jobs:\n  a:\n    sensor: {landing: {path: in/, glob: \"/etc/*\"}}\n    steps: [seed]\n",
             "jobs.yml:3:41: glob '/etc/*' is absolute; globs are relative to the landing folder, as in \"orders/*.json\""),
            ("jobs:\n  a:\n    steps:\n      - export: {format: xlsx, to: out/}\n",
             "jobs.yml:4:26: unknown export format 'xlsx' — allowed: parquet, csv"),
            ("jobs:\n  a:\n    steps: [seed]\n  a:\n    steps: [seed]\n",
             "jobs.yml:2:3: key 'a' appears more than once in the same mapping; each job, and each key of a job, may be written once"),
            ("jobs:\n  my job:\n    steps: [seed]\n",
             "jobs.yml:2:3: job name 'my job' may only contain letters, digits, '_', '-' and '.'; the name is used on the command line, as in `storehouse jobs run daily`"),
            ("job:\n  a: {}\n", "jobs.yml:1:1: unknown key 'job' in the job file — allowed: jobs"),
            ("jobs:\n  a:\n    steps: [seed\n", "jobs.yml:4:1: invalid YAML: while parsing a flow sequence, did not find expected ',' or ']'; fix the indentation or quoting at this line"),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(message(text), expected, text)
        }
    }

    func testDurations() throws {
        XCTAssertEqual(try JobDuration.parse("30s"), 30)
        XCTAssertEqual(try JobDuration.parse("10m"), 600)
        XCTAssertEqual(try JobDuration.parse("1h30m"), 5_400)
        XCTAssertEqual(try JobDuration.parse("2d"), 172_800)
        XCTAssertEqual(JobDuration.format(5_400), "1h30m")
        XCTAssertEqual(JobDuration.format(90_061), "1d1h1m1s")
        XCTAssertThrowsError(try JobDuration.parse("1.5h"))
        XCTAssertThrowsError(try JobDuration.parse("h"))
        XCTAssertThrowsError(try JobDuration.parse("10"))
    }
}
