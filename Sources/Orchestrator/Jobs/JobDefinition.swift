import Foundation

/// A place in a job file, for messages about a job or step after loading.
public struct JobFileLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String = "", line: Int = 0, column: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A job's `schedule:`.
public struct JobSchedule: Sendable, Hashable {
    public var schedule: Schedule
    /// Whether ticks missed while the server was down are all run (true) or only the latest.
    public var catchup: Bool
    /// With catch-up, the most missed ticks run.
    public var maxCatchUpRuns: Int

    public init(schedule: Schedule, catchup: Bool = false, maxCatchUpRuns: Int = ScheduleTicker.defaultMaxCatchUpRuns) {
        self.schedule = schedule
        self.catchup = catchup
        self.maxCatchUpRuns = maxCatchUpRuns
    }

    /// The decision maker for this schedule.
    public var ticker: ScheduleTicker {
        ScheduleTicker(schedule: schedule, catchup: catchup, maxCatchUpRuns: maxCatchUpRuns)
    }
}

/// A job's `deadline:`: the time of day by which a run of it must have succeeded, else an alert
/// goes out. Kept as a daily schedule, so daylight-saving days are handled as schedules are.
public struct JobDeadline: Sendable, Hashable {
    /// As written, `07:30`.
    public var time: String
    /// A tick at the deadline every day, in the deadline's time zone.
    public var schedule: Schedule

    public init(time: String, schedule: Schedule) {
        self.time = time
        self.schedule = schedule
    }

    /// The deadline before `deadline` (the day before, 23 to 25 hours earlier across a change
    /// of clocks): a success after it counts for `deadline`.
    public func previous(before deadline: Date) -> Date {
        let candidate = schedule.nextTick(after: deadline.addingTimeInterval(-26 * 3600))
        return candidate < deadline ? candidate : deadline.addingTimeInterval(-86_400)
    }
}

/// A job's `sensor:`.
public enum JobSensor: Sendable, Hashable {
    /// New files in a folder: `path` as written (relative to the project unless absolute).
    case landing(path: String, sensor: LandingFolderSensor)
}

/// One job of a job file: named steps run in order, and what starts them.
public struct JobDefinition: Sendable, Hashable {
    public var name: String
    public var description: String?
    public var schedule: JobSchedule?
    public var sensor: JobSensor?
    /// The job's retry policy; a step's own overrides it.
    public var retries: RetryPolicy?
    /// Seconds a whole run may take.
    public var timeout: TimeInterval?
    /// By when each day a run must have succeeded (an alert goes out otherwise).
    public var deadline: JobDeadline?
    /// How many runs of this job may run at once; 1 unless the file says otherwise.
    public var maxConcurrentRuns: Int
    public var tags: [String]
    /// Vars passed to every build-like step (steps may add their own).
    public var vars: [String: JobValue]
    public var steps: [JobStep]
    /// Jobs to start when a run of this one succeeds.
    public var onSuccess: [String]
    /// Jobs to start when a run of this one fails for good (after its retries).
    public var onFailure: [String]
    /// Where the job's name is written.
    public var location: JobFileLocation

    public init(name: String, description: String? = nil, schedule: JobSchedule? = nil, sensor: JobSensor? = nil,
                retries: RetryPolicy? = nil, timeout: TimeInterval? = nil, deadline: JobDeadline? = nil, maxConcurrentRuns: Int = 1,
                tags: [String] = [], vars: [String: JobValue] = [:], steps: [JobStep],
                onSuccess: [String] = [], onFailure: [String] = [], location: JobFileLocation = JobFileLocation()) {
        self.name = name
        self.description = description
        self.schedule = schedule
        self.sensor = sensor
        self.retries = retries
        self.timeout = timeout
        self.deadline = deadline
        self.maxConcurrentRuns = maxConcurrentRuns
        self.tags = tags
        self.vars = vars
        self.steps = steps
        self.onSuccess = onSuccess
        self.onFailure = onFailure
        self.location = location
    }
}
