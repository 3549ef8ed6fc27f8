import Foundation
import WarehouseKit

/// What to generate: seed, the data's "now", its size and how its history unfolds.
///
/// ```swift
/// let options = try GeneratorOptions(seed: 7, asOf: CivilDate(year: 2024, month: 6, day: 30), scale: 0.1)
/// let faithful = try GeneratorOptions(seed: 7, scale: 0.1, profile: .thelook)
/// ```
public struct GeneratorOptions: Sendable, Hashable {
    /// The first day of TheLook's history; every user signs up on or after it.
    public static let dataStart = CivilDate(year: 2019, month: 1, day: 1)
    /// Users at scale 1.0, as in the public dataset.
    public static let usersAtScaleOne = 100_000

    public var seed: UInt64
    /// The last day the data covers (inclusive): activity happens before the end of this day.
    public var asOf: CivilDate
    /// Users signing up in the first load.
    public var users: Int
    /// Chunks generated at once; the output does not depend on it.
    public var workers: Int
    /// Users per chunk: bounds memory; the output does not depend on it.
    public var usersPerChunk: Int
    /// The schema tables go into.
    public var schema: String
    /// How the history unfolds: a growing shop (default) or TheLook's own rules.
    public var profile: StoreProfile
    /// Growth of the order volume per year under the growing profile (0.3 = +30% a year);
    /// TheLook's profile has no growth setting and ignores it.
    public var growthPerYear: Double

    /// Options sized by scale (1.0 = 100,000 users). Throws for a scale that is not positive or an
    /// as-of date before 2019-01-01.
    public init(seed: UInt64 = 42, asOf: CivilDate = GeneratorOptions.today(), scale: Double = 1.0,
                workers: Int = ProcessInfo.processInfo.activeProcessorCount, usersPerChunk: Int = 4_096,
                schema: String = "raw", profile: StoreProfile = .growing,
                growthPerYear: Double = StoreProfile.defaultGrowthPerYear) throws
    {
        guard scale.isFinite, scale > 0 else { throw SyntheticDataError.invalidScale(scale) }
        let users = Int((Double(GeneratorOptions.usersAtScaleOne) * scale).rounded())
        guard users >= 1 else { throw SyntheticDataError.invalidScale(scale) }
        try self.init(seed: seed, asOf: asOf, users: users, workers: workers, usersPerChunk: usersPerChunk, schema: schema,
                      profile: profile, growthPerYear: growthPerYear)
    }

    /// Options with an explicit user count.
    public init(seed: UInt64 = 42, asOf: CivilDate = GeneratorOptions.today(), users: Int,
                workers: Int = ProcessInfo.processInfo.activeProcessorCount, usersPerChunk: Int = 4_096,
                schema: String = "raw", profile: StoreProfile = .growing,
                growthPerYear: Double = StoreProfile.defaultGrowthPerYear) throws
    {
        self.seed = seed
        self.asOf = asOf
        self.users = users
        self.workers = workers
        self.usersPerChunk = usersPerChunk
        self.schema = schema
        self.profile = profile
        self.growthPerYear = growthPerYear
        try validate()
    }

    /// Checks every field; the error says which one is wrong and what is allowed.
    public func validate() throws {
        if asOf < GeneratorOptions.dataStart { throw SyntheticDataError.asOfBeforeDataStart(asOf) }
        if users < 1 { throw SyntheticDataError.invalidUserCount(users) }
        if workers < 1 { throw SyntheticDataError.invalidWorkers(workers) }
        if usersPerChunk < 1 { throw SyntheticDataError.invalidChunkSize(usersPerChunk) }
        if schema.isEmpty { throw SyntheticDataError.invalidSchema }
        if !(growthPerYear.isFinite && StoreProfile.growthRange.contains(growthPerYear)) {
            throw SyntheticDataError.invalidGrowth(growthPerYear)
        }
    }

    /// Today's date in UTC.
    public static func today() -> CivilDate {
        CivilDate(daysSinceEpoch: Int((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}

/// Everything that can go wrong when generating, with what to do about it.
public enum SyntheticDataError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidScale(Double)
    case invalidUserCount(Int)
    case invalidWorkers(Int)
    case invalidChunkSize(Int)
    case invalidSchema
    case asOfBeforeDataStart(CivilDate)
    case invalidAppendDays(Int)
    case noPreviousLoad(String)
    case corruptState(String)
    case fileWrite(path: String, message: String)
    case parquetNeedsWarehouse
    case invalidClickstreamRows(Int)
    case invalidClickstreamDays(Int)
    case invalidGrowth(Double)

    public var description: String {
        switch self {
        case .invalidScale(let scale):
            return "scale \(scale) is not allowed: it must be a positive number (1.0 = 100,000 users; the smallest is 0.00001 = 1 user)"
        case .invalidUserCount(let users):
            return "user count \(users) is not allowed: generate at least 1 user"
        case .invalidWorkers(let workers):
            return "worker count \(workers) is not allowed: use 1 or more"
        case .invalidChunkSize(let size):
            return "users per chunk \(size) is not allowed: use 1 or more (4096 is a good default)"
        case .invalidSchema:
            return "the target schema name is empty: pass a schema such as raw"
        case .asOfBeforeDataStart(let date):
            return "as-of date \(date) is before \(GeneratorOptions.dataStart), where TheLook's history starts: pick \(GeneratorOptions.dataStart) or later"
        case .invalidAppendDays(let days):
            return "cannot append \(days) days: the number of days must be 1 or more"
        case .noPreviousLoad(let relation):
            return "nothing to append to: \(relation) does not exist or is empty; run a full generate first"
        case .corruptState(let detail):
            return "the generator state is inconsistent (\(detail)); regenerate the data from scratch"
        case .fileWrite(let path, let message):
            return "cannot write \(path): \(message); check that the folder exists and is writable"
        case .parquetNeedsWarehouse:
            return "writing Parquet needs a scratch warehouse (an in-memory DuckDB); pass one or write CSV instead"
        case .invalidClickstreamRows(let rows):
            return "clickstream row count \(rows) is not allowed: generate at least 1 row"
        case .invalidClickstreamDays(let days):
            return "a clickstream of \(days) days is not allowed: cover at least 1 day"
        case .invalidGrowth(let growth):
            let percent = String(format: "%+.0f%%", growth * 100)
            return "growth \(growth) (\(percent) a year) is not allowed: use a rate from -0.5 to 3.0 (0.3 = +30% a year)"
        }
    }
}

/// One generate or append run, as recorded in `raw._generator_state`. The runs together say
/// which window each user was created in, which is all an append needs to continue the history.
public struct GeneratorRun: Sendable, Hashable {
    public var runNumber: Int
    public var seed: UInt64
    /// The last day covered (inclusive).
    public var asOf: CivilDate
    /// Activity of this run happens in [windowStart, windowEnd) (microseconds since epoch).
    public var windowStart: Int64
    public var windowEnd: Int64
    /// Users created in this run: firstUserId...lastUserId (empty when last < first).
    public var firstUserId: Int64
    public var lastUserId: Int64
    /// The ids the next run continues from.
    public var nextOrderId: Int64
    public var nextOrderItemId: Int64
    public var nextInventoryItemId: Int64
    public var nextEventId: Int64
    public var nextTicketId: Int64
    /// The history's profile and growth, fixed by the first load; appends continue them.
    public var profile: StoreProfile
    public var growthPerYear: Double

    public init(runNumber: Int, seed: UInt64, asOf: CivilDate, windowStart: Int64, windowEnd: Int64,
                firstUserId: Int64, lastUserId: Int64, nextOrderId: Int64, nextOrderItemId: Int64,
                nextInventoryItemId: Int64, nextEventId: Int64, nextTicketId: Int64,
                profile: StoreProfile, growthPerYear: Double)
    {
        self.runNumber = runNumber
        self.seed = seed
        self.asOf = asOf
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.firstUserId = firstUserId
        self.lastUserId = lastUserId
        self.nextOrderId = nextOrderId
        self.nextOrderItemId = nextOrderItemId
        self.nextInventoryItemId = nextInventoryItemId
        self.nextEventId = nextEventId
        self.nextTicketId = nextTicketId
        self.profile = profile
        self.growthPerYear = growthPerYear
    }
}

/// The history of runs so far; `runs[0]` is the initial load.
public struct GeneratorState: Sendable, Hashable {
    public var runs: [GeneratorRun]
    public init(runs: [GeneratorRun]) { self.runs = runs }

    public var last: GeneratorRun? { runs.last }

    func validated() throws -> GeneratorState {
        guard let first = runs.first else { throw SyntheticDataError.corruptState("no runs recorded") }
        for (index, run) in runs.enumerated() {
            if run.runNumber != index + 1 { throw SyntheticDataError.corruptState("run numbers are not 1, 2, 3, … (found \(run.runNumber) at position \(index + 1))") }
            if run.seed != first.seed { throw SyntheticDataError.corruptState("run \(run.runNumber) has a different seed than run 1") }
            if run.profile != first.profile || run.growthPerYear != first.growthPerYear {
                throw SyntheticDataError.corruptState("run \(run.runNumber) has a different profile or growth than run 1")
            }
            if index > 0, run.windowStart != runs[index - 1].windowEnd {
                throw SyntheticDataError.corruptState("run \(run.runNumber) does not start where run \(index) ended")
            }
        }
        return self
    }
}

/// Row counts and timing of one run.
public struct GenerationReport: Sendable, CustomStringConvertible {
    public var rowCounts: [StoreTable: Int]
    public var seconds: Double
    /// Seconds spent handing each table's batches to the destination (appending to the
    /// warehouse, writing files); generation itself runs in parallel and is not split by table.
    public var writeSeconds: [StoreTable: Double] = [:]
    /// Every run so far, this one last; an append continues from it.
    public var state: GeneratorState
    public var run: GeneratorRun { state.runs[state.runs.count - 1] }

    public var totalRows: Int { rowCounts.values.reduce(0, +) }

    public var description: String {
        let lines = StoreTable.allCases.map { "  \($0.rawValue): \(rowCounts[$0] ?? 0)" }
        let rate = seconds > 0 ? Int(Double(totalRows) / seconds) : 0
        return "run \(run.runNumber) (as of \(run.asOf)): \(totalRows) rows in \(String(format: "%.2f", seconds)) s (\(rate) rows/s)\n"
            + lines.joined(separator: "\n")
    }
}
