import Foundation

/// How often a failed job or step is tried again, and how long to wait before each retry.
///
/// The wait before retry *k* (attempt *k + 1*) is exponential, capped, then jittered:
///
///     delay = min(maxDelay, baseDelay · 2^(k-1)) · u,   u uniform in [1 - jitter, 1 + jitter]
///
/// and never more than `maxDelay`. The jitter is proportional rather than "full" (uniform in
/// `[0, delay]`): full jitter spreads many clients hammering one server, while here one
/// scheduler retries its own steps, and users reading a run's timeline expect waits close to
/// the ones they configured. A small jitter still keeps jobs that failed together (say when
/// the warehouse was locked) from all retrying in the same second.
///
/// ```swift
/// let policy = RetryPolicy(retries: 2, baseDelay: 30, maxDelay: 600, jitter: 0.2)
/// policy.shouldRetry(attempt: 1)                              // true: attempt 2 follows
/// policy.delay(beforeAttempt: 2, random: &generator)          // 24…36 s
/// ```
public struct RetryPolicy: Sendable, Hashable, Codable {
    /// How many times a failed attempt is tried again; 0 means one attempt only.
    public var retries: Int
    /// The wait before the first retry, in seconds.
    public var baseDelay: TimeInterval
    /// The longest wait, in seconds.
    public var maxDelay: TimeInterval
    /// The fraction (0–1) by which a wait may be shortened or lengthened at random.
    public var jitter: Double

    /// No retries.
    public static let none = RetryPolicy(retries: 0)

    /// Defaults a job file uses for anything its `retries:` leaves out.
    public static let defaultBaseDelay: TimeInterval = 30
    public static let defaultMaxDelay: TimeInterval = 600
    public static let defaultJitter = 0.2

    /// Values outside their ranges are clamped: negative counts and delays to 0, jitter to 0–1,
    /// and `maxDelay` to at least `baseDelay`. The job file loader rejects such values with an
    /// error before they get here.
    public init(retries: Int, baseDelay: TimeInterval = RetryPolicy.defaultBaseDelay,
                maxDelay: TimeInterval = RetryPolicy.defaultMaxDelay, jitter: Double = RetryPolicy.defaultJitter) {
        self.retries = max(0, retries)
        self.baseDelay = max(0, baseDelay)
        self.maxDelay = max(self.baseDelay, maxDelay)
        self.jitter = min(1, max(0, jitter))
    }

    /// The most attempts a run of this policy makes.
    public var maxAttempts: Int { retries + 1 }

    /// Whether attempt number `attempt` (1-based), which has just failed, is followed by another.
    public func shouldRetry(attempt: Int) -> Bool {
        attempt >= 1 && attempt < maxAttempts
    }

    /// The wait before the exponential backoff's jitter: `min(maxDelay, baseDelay · 2^(k-1))`
    /// before attempt `k + 1`; 0 before the first attempt.
    public func nominalDelay(beforeAttempt attempt: Int) -> TimeInterval {
        guard attempt >= 2 else { return 0 }
        // Beyond 2^62 every finite cap has long been reached; stop doubling before overflow.
        let exponent = Double(min(attempt - 2, 62))
        return min(maxDelay, baseDelay * pow(2, exponent))
    }

    /// The wait before attempt number `attempt` (2 for the first retry), jittered with `random`.
    ///
    /// The random source is passed in so that a scheduler under test is repeatable.
    public func delay<R: RandomNumberGenerator>(beforeAttempt attempt: Int, random: inout R) -> TimeInterval {
        let nominal = nominalDelay(beforeAttempt: attempt)
        guard jitter > 0, nominal > 0 else { return nominal }
        let factor = Double.random(in: (1 - jitter)...(1 + jitter), using: &random)
        return min(maxDelay, nominal * factor)
    }

    /// The policy a step runs under: its own when it has one, else its job's, else none.
    public static func effective(step: RetryPolicy?, job: RetryPolicy?) -> RetryPolicy {
        step ?? job ?? .none
    }
}
