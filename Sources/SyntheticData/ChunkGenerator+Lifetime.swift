import WarehouseKit

/// Orders of the growing profile: every customer has one lifetime of orders, drawn once from a
/// stream keyed by (seed, user id) and laid out in business time from sign-up on. A run emits
/// the part that falls inside its window: the as-of date cuts a lifetime off instead of
/// squeezing it, and an append continues each lifetime exactly where the last run stopped.
extension ChunkGenerator {
    /// Calls `body` with each lifetime order of `user` up to the window's end, in time order,
    /// with its index (0: the customer's first order).
    private func forEachLifetimeTime(of user: UserCore, _ body: (Int, Int64) -> Void) {
        var rng = SeededRandom(seed: plan.seed, stream: .lifetime, UInt64(user.id))
        let count = Vocabulary.ordersPerUser(churnProne: user.churnProne).pick(&rng)
        guard count > 0 else { return }
        let activeEnd = user.churnProne
            ? user.createdAt + Int64(PlantedTruths.churnProneActiveDays) * Micros.day : Int64.max
        var business = plan.calendar.businessTime(user.createdAt)
        for index in 0..<count {
            business += rng.exponential(mean: index == 0 ? CustomerLifetime.firstOrderMeanDays : CustomerLifetime.repeatGapMeanDays)
            // Later orders lie later still: past the window's end they are the future, past the
            // active days a churn-prone customer has gone.
            guard let mapped = plan.calendar.calendarTime(business) else { return }
            let time = max(mapped, user.createdAt)
            guard time < plan.windowEnd, time < activeEnd else { return }
            body(index, time)
        }
    }

    /// Calls `body` with each organic order of `user` inside the run's window, in time order:
    /// its time, whether it is the customer's first, and whether it falls in the user's
    /// experiment conversion window (such orders are replaced by the experiment's draw).
    func forEachLifetimeOrder(of user: UserCore, exposure: Exposure?, _ body: (Int64, Bool, Bool) -> Void) {
        let conversionWindow = Int64(PlantedTruths.conversionWindowDays) * Micros.day
        forEachLifetimeTime(of: user) { index, time in
            guard time >= plan.windowStart else { return }
            let suppressed = exposure.map { time >= $0.assignedAt && time < $0.assignedAt + conversionWindow } ?? false
            body(time, index == 0, suppressed)
        }
    }

    /// Whether an organic order survives the thinning that makes room for experiment
    /// conversions (draws only on days that thin).
    func keepsOrganicOrder(at time: Int64, first: Bool, _ rng: inout SeededRandom) -> Bool {
        guard let keep = plan.organicKeep?.probability(at: time, first: first, windowStart: plan.windowStart) else { return true }
        return keep >= 1 || rng.unit() < keep
    }

    /// Counts, per day of the window, what users `users` contribute to demand: no rows, only
    /// the draws that decide order times.
    func tallyDemand(users: ClosedRange<Int64>) -> DemandTally {
        var tally = DemandTally(days: plan.windowDays)
        let conversionWindow = Int64(PlantedTruths.conversionWindowDays) * Micros.day
        for id in users {
            let user = core(of: id, created: plan.creationWindow(of: id))
            let exposure = exposure(of: user)
            var firstOrderAt: Int64?
            forEachLifetimeTime(of: user) { index, time in
                if index == 0 { firstOrderAt = time }
                guard time >= plan.windowStart else { return }
                let suppressed = exposure.map { time >= $0.assignedAt && time < $0.assignedAt + conversionWindow } ?? false
                tally.count(organicAt: time, first: index == 0, suppressed: suppressed, windowStart: plan.windowStart)
            }
            if let at = exposure?.conversionAt, at >= plan.windowStart, at < plan.windowEnd {
                tally.count(conversionAt: at, first: firstOrderAt.map { $0 >= at } ?? true, windowStart: plan.windowStart)
            }
        }
        return tally
    }
}

/// Per day of a run's window, separately for customers' first orders and repeat orders: the
/// organic orders the store's demand holds, those left after exposed users' conversion windows
/// are cleared, and the experiments' conversions.
///
/// Experiments do not bring customers who would not have come: their conversions take the place
/// of organic orders. Thinning the remaining organic orders so that kept + conversions equal the
/// organic demand keeps revenue on the growth and season curve through the experiment months.
/// Conversions come mostly from long-standing customers, so first orders are thinned only as far
/// as first-order conversions replace them, and repeat orders give way for the rest; thinning
/// both alike would show a false dip in new customers.
struct DemandTally: Sendable {
    struct Days: Sendable {
        var organic: [Int]
        var kept: [Int]
        var conversions: [Int]

        init(days: Int) {
            organic = Array(repeating: 0, count: days)
            kept = organic
            conversions = organic
        }

        mutating func add(_ other: Days) {
            for day in organic.indices {
                organic[day] += other.organic[day]
                kept[day] += other.kept[day]
                conversions[day] += other.conversions[day]
            }
        }

        /// Running totals, so any span's count is a difference.
        var cumulative: (organic: [Int], kept: [Int], conversions: [Int]) {
            func prefix(_ values: [Int]) -> [Int] { values.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1) } }
            return (prefix(organic), prefix(kept), prefix(conversions))
        }
    }

    var first: Days
    var repeats: Days

    init(days: Int) {
        first = Days(days: days)
        repeats = first
    }

    mutating func count(organicAt time: Int64, first isFirst: Bool, suppressed: Bool, windowStart: Int64) {
        let day = Int((time - windowStart) / Micros.day)
        if isFirst {
            first.organic[day] += 1
            if !suppressed { first.kept[day] += 1 }
        } else {
            repeats.organic[day] += 1
            if !suppressed { repeats.kept[day] += 1 }
        }
    }

    mutating func count(conversionAt time: Int64, first isFirst: Bool, windowStart: Int64) {
        let day = Int((time - windowStart) / Micros.day)
        if isFirst { first.conversions[day] += 1 } else { repeats.conversions[day] += 1 }
    }

    mutating func add(_ other: DemandTally) {
        first.add(other.first)
        repeats.add(other.repeats)
    }

    /// The probabilities of keeping a first and a repeat organic order, per day (1 where nothing
    /// needs thinning). Counts are pooled over the week around each day: a single day of a small
    /// store holds a handful of orders, and clamping its ratios would leave a bias that pooling
    /// averages away.
    var organicKeep: OrganicKeep {
        let f = first.cumulative, r = repeats.cumulative
        let days = first.organic.count
        var keepFirst = Array(repeating: 1.0, count: days), keepRepeats = keepFirst
        for day in 0..<days {
            let low = max(0, day - 3), high = min(days, day + 4)
            func span(_ values: [Int]) -> Double { Double(values[high] - values[low]) }
            let converted = span(f.conversions) + span(r.conversions)
            guard converted > 0 else { continue }
            let firstKept = span(f.kept), repeatKept = span(r.kept)
            // Organic orders to keep in all, then first orders up to their own demand, repeats
            // the rest, first orders again for what repeats cannot take.
            let total = span(f.organic) + span(r.organic) - converted
            var keptFirst = min(firstKept, max(0, span(f.organic) - span(f.conversions)))
            let keptRepeats = min(repeatKept, max(0, total - keptFirst))
            keptFirst = min(firstKept, max(0, total - keptRepeats))
            if firstKept > 0 { keepFirst[day] = keptFirst / firstKept }
            if repeatKept > 0 { keepRepeats[day] = keptRepeats / repeatKept }
        }
        return OrganicKeep(first: keepFirst, repeats: keepRepeats)
    }
}

/// What `DemandTally` decided: per day, the probability of keeping a first or a repeat organic order.
struct OrganicKeep: Sendable {
    let first: [Double]
    let repeats: [Double]

    func probability(at time: Int64, first isFirst: Bool, windowStart: Int64) -> Double {
        let day = Int((time - windowStart) / Micros.day)
        return isFirst ? first[day] : repeats[day]
    }
}
