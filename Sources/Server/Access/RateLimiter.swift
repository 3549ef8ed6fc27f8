/// Per-client token buckets: each client may send `burst` requests at once and then `perSecond`
/// a second. The SQL endpoint uses one, so a single client cannot keep the warehouse busy for
/// everyone else.
actor RateLimiter {
    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let perSecond: Double
    let burst: Double
    private var buckets: [String: Bucket] = [:]

    init(perSecond: Double, burst: Int) {
        self.perSecond = perSecond
        self.burst = Double(max(1, burst))
    }

    /// Takes one request from `client`'s bucket; nil when allowed, else the seconds to wait.
    func admit(_ client: String, now: ContinuousClock.Instant = .now) -> Double? {
        var bucket = buckets[client] ?? Bucket(tokens: burst, updated: now)
        let elapsed = now - bucket.updated
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        bucket.tokens = min(burst, bucket.tokens + seconds * perSecond)
        bucket.updated = now
        defer {
            buckets[client] = bucket
            if buckets.count > 10_000 { forgetFullBuckets(now: now) }
        }
        guard bucket.tokens >= 1 else { return (1 - bucket.tokens) / perSecond }
        bucket.tokens -= 1
        return nil
    }

    /// Clients whose bucket has refilled are indistinguishable from new ones: drop them.
    private func forgetFullBuckets(now: ContinuousClock.Instant) {
        buckets = buckets.filter { _, bucket in
            let elapsed = now - bucket.updated
            return bucket.tokens + Double(elapsed.components.seconds) * perSecond < burst
        }
    }
}
