import Foundation
import Orchestrator

/// The runs API's JSON shapes. Other code (the benchmark) reads these, so fields keep their
/// names, order and types; instants are ISO 8601 UTC with milliseconds (`TimeText.iso`).
///
/// RUN: `{"id","job","status","trigger":{"kind",…},"vars","attempt","queued_at","started_at",
/// "ended_at","seconds","error"}`.
enum RunsJSON {
    static func run(_ run: RunRecord) -> JSONValue {
        .object(runFields(run))
    }

    static func runFields(_ run: RunRecord) -> [(String, JSONValue)] {
        [
            ("id", .number(String(run.id))),
            ("job", .string(run.job)),
            ("status", .string(run.status.rawValue)),
            ("trigger", trigger(run.trigger)),
            ("vars", .object(run.vars.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("attempt", .int(run.attempt)),
            ("queued_at", .string(TimeText.iso(run.queuedAt))),
            ("started_at", .optional(run.startedAt.map(TimeText.iso))),
            ("ended_at", .optional(run.endedAt.map(TimeText.iso))),
            ("seconds", seconds(from: run.startedAt, to: run.endedAt)),
            ("error", .optional(run.error)),
        ]
    }

    /// `{"kind":"manual"}`, `{"kind":"schedule","tick":ISO}`, `{"kind":"sensor","files":[…]}`,
    /// `{"kind":"chained","run":N}`, `{"kind":"backfill","partition":"2026-12-01"}`,
    /// `{"kind":"retry","run":N}`.
    static func trigger(_ trigger: RunTrigger) -> JSONValue {
        var fields: [(String, JSONValue)] = [("kind", .string(trigger.kind))]
        switch trigger {
        case .manual: break
        case .schedule(let tick): fields.append(("tick", .string(TimeText.iso(tick))))
        case .sensor(let files): fields.append(("files", .array(files.map(JSONValue.string))))
        case .chained(let run), .retry(let run): fields.append(("run", .number(String(run))))
        case .backfill(let partition): fields.append(("partition", .string(partition)))
        }
        return .object(fields)
    }

    /// RUN plus `steps`: every attempt of every step in the order they started, each with its
    /// log and its node results.
    static func detail(_ detail: RunDetail) -> JSONValue {
        var fields = runFields(detail.run)
        fields.append(("steps", .array(detail.attempts.map { attempt in
            .object([
                ("step", .string(attempt.step)),
                ("kind", .string(attempt.kind)),
                ("attempt", .int(attempt.attempt)),
                ("status", .string(attempt.status.rawValue)),
                ("started_at", .string(TimeText.iso(attempt.startedAt))),
                ("ended_at", .optional(attempt.endedAt.map(TimeText.iso))),
                ("seconds", seconds(from: attempt.startedAt, to: attempt.endedAt)),
                ("error", .optional(attempt.error)),
                ("output", .string(attempt.output)),
                ("nodes", .array((detail.nodeResults[attempt.id] ?? []).map(node))),
            ])
        })))
        return .object(fields)
    }

    static func node(_ result: NodeResultRecord) -> JSONValue {
        .object([
            ("unique_id", .string(result.uniqueID)),
            ("status", .string(result.status)),
            ("seconds", .double(result.seconds)),
            ("rows", result.rows.map(JSONValue.int) ?? .null),
            ("message", .optional(result.message)),
        ])
    }

    /// One job of the jobs file with its schedule's next tick after `now` and its newest run.
    static func job(_ job: JobDefinition, lastRun: RunRecord?, now: Date) -> JSONValue {
        var schedule = JSONValue.null
        if let planned = job.schedule {
            schedule = .object([
                ("cron", .string(planned.schedule.cron.source)),
                ("timezone", .string(TimeText.zoneName(planned.schedule.timeZone))),
                ("catchup", .bool(planned.catchup)),
                ("next_tick", .string(TimeText.iso(planned.schedule.nextTick(after: now)))),
            ])
        }
        var sensor = JSONValue.null
        if case .landing(let path, let landing) = job.sensor {
            sensor = .object([
                ("kind", .string("landing")), ("path", .string(path)), ("glob", .string(landing.glob.pattern)),
                ("min_age_seconds", .double(landing.minimumAge)),
            ])
        }
        return .object([
            ("name", .string(job.name)),
            ("description", .optional(job.description)),
            ("tags", .array(job.tags.map(JSONValue.string))),
            ("schedule", schedule),
            ("sensor", sensor),
            ("steps", .array(job.steps.map { .string($0.name) })),
            ("on_success", .array(job.onSuccess.map(JSONValue.string))),
            ("last_run", lastRun.map(run) ?? .null),
        ])
    }

    /// Seconds between two instants, full precision; null until both are known.
    static func seconds(from start: Date?, to end: Date?) -> JSONValue {
        guard let start, let end else { return .null }
        return .double(end.timeIntervalSince(start))
    }
}
