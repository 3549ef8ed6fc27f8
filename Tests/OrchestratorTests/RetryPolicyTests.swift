import XCTest
@testable import Orchestrator

final class RetryPolicyTests: XCTestCase {
    func testExponentialBackoffIsCapped() {
        let policy = RetryPolicy(retries: 10, baseDelay: 30, maxDelay: 600, jitter: 0)
        XCTAssertEqual((1...8).map { policy.nominalDelay(beforeAttempt: $0) }, [0, 30, 60, 120, 240, 480, 600, 600])
        var random = SplitMix64(seed: 1)
        XCTAssertEqual(policy.delay(beforeAttempt: 4, random: &random), 120)
        // Far attempts do not overflow.
        XCTAssertEqual(policy.nominalDelay(beforeAttempt: 5_000), 600)
    }

    func testJitterStaysWithinItsBandAndTheCap() {
        let policy = RetryPolicy(retries: 5, baseDelay: 30, maxDelay: 100, jitter: 0.2)
        var random = SplitMix64(seed: 42)
        var seen: [TimeInterval] = []
        for _ in 0..<1_000 {
            let d = policy.delay(beforeAttempt: 2, random: &random)
            XCTAssertGreaterThanOrEqual(d, 24)
            XCTAssertLessThanOrEqual(d, 36)
            seen.append(d)
            XCTAssertLessThanOrEqual(policy.delay(beforeAttempt: 4, random: &random), 100)
        }
        XCTAssertGreaterThan(Set(seen).count, 900, "jitter spreads the waits")
        // The same seed gives the same waits.
        var a = SplitMix64(seed: 7), b = SplitMix64(seed: 7)
        XCTAssertEqual(policy.delay(beforeAttempt: 3, random: &a), policy.delay(beforeAttempt: 3, random: &b))
    }

    func testShouldRetryCountsAttempts() {
        let policy = RetryPolicy(retries: 2)
        XCTAssertEqual(policy.maxAttempts, 3)
        XCTAssertEqual((1...4).map(policy.shouldRetry(attempt:)), [true, true, false, false])
        XCTAssertFalse(RetryPolicy.none.shouldRetry(attempt: 1))
    }

    func testStepPolicyOverridesJobPolicy() {
        let job = RetryPolicy(retries: 1), step = RetryPolicy(retries: 4, baseDelay: 5)
        XCTAssertEqual(RetryPolicy.effective(step: step, job: job), step)
        XCTAssertEqual(RetryPolicy.effective(step: nil, job: job), job)
        XCTAssertEqual(RetryPolicy.effective(step: nil, job: nil), .none)
    }

    func testOutOfRangeValuesAreClamped() {
        let policy = RetryPolicy(retries: -3, baseDelay: 60, maxDelay: 10, jitter: 3)
        XCTAssertEqual(policy, RetryPolicy(retries: 0, baseDelay: 60, maxDelay: 60, jitter: 1))
    }
}
