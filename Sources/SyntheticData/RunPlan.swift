import WarehouseKit

enum Micros {
    static let second: Int64 = 1_000_000
    static let minute: Int64 = 60_000_000
    static let hour: Int64 = 3_600_000_000
    static let day: Int64 = 86_400_000_000

    static func startOf(_ date: CivilDate) -> Int64 { Int64(date.daysSinceEpoch) * day }
}

/// Everything a worker needs to generate any user's rows for one run; immutable and shared.
struct RunPlan: Sendable {
    struct CreationWindow: Sendable {
        let runNumber: Int
        let firstUserId: Int64
        let lastUserId: Int64
        let start: Int64
        let end: Int64
        var isInitial: Bool { runNumber == 1 }
    }

    struct ExperimentWindow: Sendable {
        let truth: ExperimentTruth
        let start: Int64
        let end: Int64
    }

    let seed: UInt64
    let runNumber: Int
    let asOf: CivilDate
    let windowStart: Int64
    let windowEnd: Int64
    let dataStart: Int64
    /// Every run so far including this one, in order; says in which window a user was created.
    let creationWindows: [CreationWindow]
    let experiments: [ExperimentWindow]
    /// Users 1...totalUsers exist once this run is done.
    let totalUsers: Int64
    let profile: StoreProfile
    let growthPerYear: Double
    /// The growing profile's clock and sign-up curve (covering 2019-01-01 to the window's end).
    let calendar: BusinessCalendar
    let growth: GrowthCurve
    /// Per day of the window (growing profile): the probability that an organic order is kept,
    /// so experiment conversions replace organic demand instead of adding to it. Nil: keep all.
    var organicKeep: OrganicKeep?

    init(seed: UInt64, runNumber: Int, asOf: CivilDate, windowStart: Int64, windowEnd: Int64,
         creationWindows: [CreationWindow], profile: StoreProfile, growthPerYear: Double)
    {
        self.seed = seed
        self.profile = profile
        self.growthPerYear = growthPerYear
        calendar = BusinessCalendar(
            start: GeneratorOptions.dataStart,
            days: profile == .growing ? Int((windowEnd - Micros.startOf(GeneratorOptions.dataStart)) / Micros.day) : 0)
        growth = GrowthCurve(perYear: profile == .growing ? growthPerYear : 0)
        self.runNumber = runNumber
        self.asOf = asOf
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.creationWindows = creationWindows
        dataStart = Micros.startOf(GeneratorOptions.dataStart)
        totalUsers = creationWindows.map(\.lastUserId).max() ?? 0
        let initialEnd = creationWindows[0].end
        experiments = PlantedTruths.experiments.map { truth in
            let start = initialEnd - Int64(truth.startDaysBeforeInitialAsOf) * Micros.day
            return ExperimentWindow(truth: truth, start: start, end: start + Int64(truth.durationDays) * Micros.day)
        }
    }

    /// The plan of a first load.
    static func initial(options: GeneratorOptions) -> RunPlan {
        let start = Micros.startOf(GeneratorOptions.dataStart)
        let end = Micros.startOf(options.asOf.adding(days: 1))
        return RunPlan(
            seed: options.seed, runNumber: 1, asOf: options.asOf, windowStart: start, windowEnd: end,
            creationWindows: [CreationWindow(runNumber: 1, firstUserId: 1, lastUserId: Int64(options.users), start: start, end: end)],
            // TheLook's rules have no growth rate; the state records none for them.
            profile: options.profile, growthPerYear: options.profile == .growing ? options.growthPerYear : 0)
    }

    /// The plan that continues `state` by `days` days. New users arrive at the first load's
    /// average sign-up rate (TheLook), or further along the first load's growth curve (growing).
    static func append(days: Int, after state: GeneratorState) throws -> RunPlan {
        guard days >= 1 else { throw SyntheticDataError.invalidAppendDays(days) }
        let state = try state.validated()
        let first = state.runs[0], last = state.runs[state.runs.count - 1]
        let initialUsers = Double(first.lastUserId - first.firstUserId + 1)
        let totalBefore = state.runs.map(\.lastUserId).max() ?? 0
        let start = last.windowEnd, end = last.windowEnd + Int64(days) * Micros.day
        let newUsers: Int64
        switch first.profile {
        case .thelook:
            let initialDays = Double(first.windowEnd - first.windowStart) / Double(Micros.day)
            newUsers = Int64((initialUsers / initialDays * Double(days)).rounded())
        case .growing:
            let calendar = BusinessCalendar(start: GeneratorOptions.dataStart,
                                            days: Int((end - Micros.startOf(GeneratorOptions.dataStart)) / Micros.day))
            let share = GrowthCurve(perYear: first.growthPerYear).share(
                low: calendar.businessTime(start), high: calendar.businessTime(end), reference: calendar.businessTime(first.windowEnd))
            newUsers = Int64((initialUsers * share).rounded())
        }
        var windows = state.runs.map {
            CreationWindow(runNumber: $0.runNumber, firstUserId: $0.firstUserId, lastUserId: $0.lastUserId,
                           start: $0.windowStart, end: $0.windowEnd)
        }
        windows.append(CreationWindow(runNumber: last.runNumber + 1, firstUserId: totalBefore + 1,
                                      lastUserId: totalBefore + newUsers, start: start, end: end))
        return RunPlan(seed: first.seed, runNumber: last.runNumber + 1, asOf: last.asOf.adding(days: days),
                       windowStart: start, windowEnd: end, creationWindows: windows,
                       profile: first.profile, growthPerYear: first.growthPerYear)
    }

    var windowDays: Int { Int((windowEnd - windowStart) / Micros.day) }

    /// Whether any experiment conversion can fall in this run's window.
    var experimentsReachWindow: Bool {
        let conversionWindow = Int64(PlantedTruths.conversionWindowDays) * Micros.day
        return experiments.contains { $0.start < windowEnd && $0.end + conversionWindow > windowStart }
    }

    /// A sign-up time in [start, end) at quantile `u` of the growth curve (growing profile).
    func signUpTime(_ u: Double, from start: Int64, to end: Int64) -> Int64 {
        let low = calendar.businessTime(start), high = calendar.businessTime(end)
        let time = calendar.calendarTime(growth.quantile(u, low: low, high: high)) ?? end - 1
        return min(max(time, start), end - 1)
    }

    /// The window user `id` was created in (runs hold consecutive id ranges).
    func creationWindow(of id: Int64) -> CreationWindow {
        var low = 0, high = creationWindows.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if creationWindows[mid].firstUserId <= id { low = mid } else { high = mid - 1 }
        }
        // Runs that created no users share a first id with the next run; take the one holding id.
        var index = low
        while index > 0, creationWindows[index].lastUserId < id || creationWindows[index].lastUserId < creationWindows[index].firstUserId {
            index -= 1
        }
        return creationWindows[index]
    }
}
