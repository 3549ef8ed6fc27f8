import TransformProject
import TransformRuntime
import XCTest

/// Tests of one model checked in one query (`RunOptions.testsInOneQuery`, Spark's default) judge
/// every test exactly as one query per test does: status, failure count, message, failing rows.
final class TestBatchTests: XCTestCase {
    private func outcomes(_ summary: RunSummary) -> [String: String] {
        Dictionary(uniqueKeysWithValues: summary.results.filter { $0.resourceType == .test }.map { result in
            (result.uniqueId, "\(result.status) \(result.failures.map(String.init) ?? "-") \(result.message) \(result.failingRows.map { "\($0.columns) \($0.rows)" } ?? "no sample")")
        })
    }

    func testEachTestIsJudgedAsWhenRunAlone() async throws {
        // A refund fails accepted_values on stg_events; the thresholds warn; everything else passes.
        let events = TransformRunnerTests.day1 + [(9, "refund", "2024-01-01 14:00:00")]
        let alone = try RuntimeFixture()
        try await alone.loadSources(events: events, customers: TransformRunnerTests.customers1)
        let (one, _) = try await alone.run(.build, threads: 2, testsInOneQuery: false)
        let batched = try RuntimeFixture()
        try await batched.loadSources(events: events, customers: TransformRunnerTests.customers1)
        let (many, _) = try await batched.run(.build, threads: 2, testsInOneQuery: true)

        XCTAssertEqual(outcomes(many), outcomes(one))
        XCTAssertEqual(many.results.map(\.status).filter { $0 == .fail }.count, 1)
        XCTAssertEqual(many.status("accepted_values_stg_events_kind__view__cart__purchase"), .fail)
        XCTAssertEqual(many.result("accepted_values_stg_events_kind__view__cart__purchase")?.failingRows?.rows.count, 1)
        // stg_events' three tests were checked together: one start, one thread.
        let stgTests = many.results.filter { $0.resourceType == .test && $0.uniqueId.contains("stg_events") && !$0.uniqueId.contains("relationships") }
        XCTAssertEqual(stgTests.count, 3)
        XCTAssertEqual(Set(stgTests.map(\.startedAt)).count, 1, "\(stgTests.map { "\($0.name) \($0.startedAt)" })")
        XCTAssertEqual(Set(stgTests.map(\.threadName)).count, 1)
        let aloneStarts = one.results.filter { $0.resourceType == .test && $0.uniqueId.contains("stg_events") && !$0.uniqueId.contains("relationships") }
        XCTAssertEqual(Set(aloneStarts.map(\.startedAt)).count, 3)
        // The failing test still gates what is built from stg_events.
        XCTAssertEqual(many.status("kind_counts"), .skipped)
    }

    func testATestThatDoesNotBindFailsAloneAndItsSiblingsAreStillJudged() async throws {
        let fixture = try RuntimeFixture()
        try await fixture.loadSources(events: TransformRunnerTests.day1, customers: TransformRunnerTests.customers1)
        try await fixture.run(.run)
        try fixture.write("tests/no_such_column.sql", "select no_such_column from {{ ref('stg_events') }}")
        let (summary, _) = try await fixture.run(.test, testsInOneQuery: true)
        XCTAssertEqual(summary.status("no_such_column"), .error)
        XCTAssertTrue(summary.result("no_such_column")!.message.contains("no_such_column"), summary.result("no_such_column")!.message)
        XCTAssertEqual(summary.results.filter { $0.status == .error }.count, 1)
        XCTAssertEqual(summary.status("unique_stg_events_event_id"), .pass)
        XCTAssertEqual(summary.status("not_null_stg_events_event_id"), .pass)
    }
}
