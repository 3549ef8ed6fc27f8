import WarehouseKit

/// Orders of the growing profile: every customer has one lifetime of orders, drawn once from a
/// stream keyed by (seed, user id) and laid out in business time from sign-up on. A run emits
/// the part that falls inside its window, so an append reveals exactly the orders a longer first
/// load would have held, and the as-of date only cuts the lifetime off instead of squeezing it.
extension ChunkGenerator {
    /// Calls `body` with each organic order time of `user` inside the run's window, in time
    /// order, and whether it falls in the user's experiment conversion window (such orders are
    /// replaced by the experiment's draw).
    func forEachLifetimeOrder(of user: UserCore, exposure: Exposure?, _ body: (Int64, Bool) -> Void) {
        var rng = SeededRandom(seed: plan.seed, stream: .lifetime, UInt64(user.id))
        let count = Vocabulary.ordersPerUser.pick(&rng)
        guard count > 0 else { return }
        let activeEnd = user.churnProne
            ? user.createdAt + Int64(PlantedTruths.churnProneActiveDays) * Micros.day : Int64.max
        let repeatGap = user.churnProne ? CustomerLifetime.churnProneRepeatGapMeanDays : CustomerLifetime.repeatGapMeanDays
        let conversionWindow = Int64(PlantedTruths.conversionWindowDays) * Micros.day
        var business = plan.calendar.businessTime(user.createdAt)
        for index in 0..<count {
            business += rng.exponential(mean: index == 0 ? CustomerLifetime.firstOrderMeanDays : repeatGap)
            // Later orders lie later still: past the window's end they are the future, past the
            // active days a churn-prone customer has gone.
            guard let mapped = plan.calendar.calendarTime(business) else { return }
            let time = max(mapped, user.createdAt)
            guard time < plan.windowEnd, time < activeEnd else { return }
            if time < plan.windowStart { continue }
            let suppressed = exposure.map { time >= $0.assignedAt && time < $0.assignedAt + conversionWindow } ?? false
            body(time, suppressed)
        }
    }

    /// Whether an organic order at `time` survives the thinning that makes room for experiment
    /// conversions (draws only on days that thin).
    func keepsOrganicOrder(at time: Int64, _ rng: inout SeededRandom) -> Bool {
        guard !plan.organicKeep.isEmpty else { return true }
        let keep = plan.organicKeep[Int((time - plan.windowStart) / Micros.day)]
        return keep >= 1 || rng.unit() < keep
    }

    /// Counts, per day of the window, what users `users` contribute to demand: no rows, only
    /// the draws that decide order times.
    func tallyDemand(users: ClosedRange<Int64>) -> DemandTally {
        var tally = DemandTally(days: plan.windowDays)
        for id in users {
            let user = core(of: id, created: plan.creationWindow(of: id))
            let exposure = exposure(of: user)
            forEachLifetimeOrder(of: user, exposure: exposure) { time, suppressed in
                let day = Int((time - plan.windowStart) / Micros.day)
                tally.organic[day] += 1
                if !suppressed { tally.organicKept[day] += 1 }
            }
            if let at = exposure?.conversionAt, at >= plan.windowStart, at < plan.windowEnd {
                tally.conversions[Int((at - plan.windowStart) / Micros.day)] += 1
            }
        }
        return tally
    }
}

/// Per day of a run's window: the organic orders the store's demand holds, those left after
/// exposed users' conversion windows are cleared, and the experiments' conversions.
///
/// Experiments do not bring customers who would not have come: their conversions take the place
/// of organic orders. Keeping each remaining organic order with probability
/// (organic − conversions) / kept makes a day's expected orders equal its organic demand, so
/// revenue follows the growth and season curve through the experiment months too.
struct DemandTally: Sendable {
    var organic: [Int]
    var organicKept: [Int]
    var conversions: [Int]

    init(days: Int) {
        organic = Array(repeating: 0, count: days)
        organicKept = organic
        conversions = organic
    }

    mutating func add(_ other: DemandTally) {
        for day in organic.indices {
            organic[day] += other.organic[day]
            organicKept[day] += other.organicKept[day]
            conversions[day] += other.conversions[day]
        }
    }

    /// The probability of keeping an organic order, per day (1 where nothing needs thinning;
    /// 0 where conversions alone exceed the demand). Counts are pooled over the week around each
    /// day: a single day of a small store holds a handful of orders, and clamping its ratio at 0
    /// or 1 would leave a bias that pooling averages away.
    var organicKeep: [Double] {
        func prefix(_ values: [Int]) -> [Int] { values.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1) } }
        let organic = prefix(self.organic), kept = prefix(organicKept), conversions = prefix(self.conversions)
        let days = self.organic.count
        return (0..<days).map { day in
            let low = max(0, day - 3), high = min(days, day + 4)
            let demand = organic[high] - organic[low], left = kept[high] - kept[low]
            let converted = conversions[high] - conversions[low]
            guard left > 0, converted > 0 else { return 1 }
            return min(1, max(0, Double(demand - converted) / Double(left)))
        }
    }
}
