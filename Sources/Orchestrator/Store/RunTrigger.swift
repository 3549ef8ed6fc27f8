import Foundation

/// What started a run.
///
/// Its JSON form is flat and tagged by `kind`, so it reads well in the run store and the API:
/// `{"kind":"schedule","tick":1767225600}`, `{"kind":"sensor","files":["orders.csv"]}`.
/// Dates follow the encoder's date strategy (the run store writes Unix seconds).
public enum RunTrigger: Codable, Sendable, Hashable {
    /// `storehouse jobs run NAME`, the API, or a page's button.
    case manual
    /// A schedule's tick; `tick` is the instant the run is for, not when it started.
    case schedule(tick: Date)
    /// A landing-folder sensor, with the new files it hands to the run (paths as listed).
    case sensor(files: [String])
    /// The success of another job's run.
    case chained(fromRun: Int64)
    /// One partition (a day, `yyyy-MM-dd`) of a backfill.
    case backfill(partition: String)
    /// A new try of a run that failed or was interrupted.
    case retry(ofRun: Int64)

    /// The case's name as stored in the run store's `trigger_kind` column:
    /// `manual`, `schedule`, `sensor`, `chained`, `backfill` or `retry`.
    public var kind: String {
        switch self {
        case .manual: "manual"
        case .schedule: "schedule"
        case .sensor: "sensor"
        case .chained: "chained"
        case .backfill: "backfill"
        case .retry: "retry"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case kind, tick, files, run, partition
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(String.self, forKey: .kind)
        switch kind {
        case "manual": self = .manual
        case "schedule": self = .schedule(tick: try container.decode(Date.self, forKey: .tick))
        case "sensor": self = .sensor(files: try container.decode([String].self, forKey: .files))
        case "chained": self = .chained(fromRun: try container.decode(Int64.self, forKey: .run))
        case "backfill": self = .backfill(partition: try container.decode(String.self, forKey: .partition))
        case "retry": self = .retry(ofRun: try container.decode(Int64.self, forKey: .run))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container,
                debugDescription: "unknown run trigger '\(kind)' — allowed: manual, schedule, sensor, chained, backfill, retry")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        switch self {
        case .manual: break
        case .schedule(let tick): try container.encode(tick, forKey: .tick)
        case .sensor(let files): try container.encode(files, forKey: .files)
        case .chained(let run), .retry(let run): try container.encode(run, forKey: .run)
        case .backfill(let partition): try container.encode(partition, forKey: .partition)
        }
    }
}
