import Foundation

/// Something a person should hear about: a job failing, recovering, or late.
public struct Alert: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// A run failed for good (after its retries), the first of a streak of failures.
        case failure
        /// A run succeeded after the job's previous run had failed.
        case recovery
        /// No run of the job succeeded by its deadline.
        case deadlineMissed = "deadline_missed"
    }

    public var kind: Kind
    public var job: String
    /// The run the alert is about; nil for a missed deadline with no run at all.
    public var runID: Int64?
    public var status: RunStatus?
    /// One or two sentences a person reads in a chat channel.
    public var message: String
    public var at: Date

    public init(kind: Kind, job: String, runID: Int64?, status: RunStatus?, message: String, at: Date) {
        self.kind = kind
        self.job = job
        self.runID = runID
        self.status = status
        self.message = message
        self.at = at
    }
}

/// When a finished run calls for an alert. Pure: the scheduler passes the run and the status of
/// the job's previous finished run.
///
/// A failure alerts once per streak: a job failing every five minutes posts one message, not
/// twelve an hour (alert fatigue is what users of Airflow's `email_on_failure` complain about
/// most), and the recovery closes the streak. A run that will be retried (interrupted and
/// re-queued) is not a failure yet.
public enum AlertRule {
    public static func afterRun(_ run: RunRecord, previous: RunStatus?, willRetry: Bool) -> Alert.Kind? {
        switch run.status {
        case .succeeded:
            return previous.map(isFailure) == true ? .recovery : nil
        case .failed, .timedOut, .interrupted:
            guard !willRetry else { return nil }
            return previous.map(isFailure) == true ? nil : .failure
        case .queued, .running, .cancelled:
            return nil
        }
    }

    /// Whether a finished run counts as a failure of its job.
    public static func isFailure(_ status: RunStatus) -> Bool {
        [.failed, .timedOut, .interrupted].contains(status)
    }

    /// The alert's text for a finished run.
    public static func message(_ kind: Alert.Kind, run: RunRecord, link: String?) -> String {
        let seeAlso = link.map { " — \($0)" } ?? ""
        switch kind {
        case .failure:
            let why = run.error.map { ": " + ($0.split(separator: "\n").first.map(String.init) ?? $0) } ?? ""
            return "Job \(run.job) \(run.status == .timedOut ? "timed out" : run.status.rawValue) (run \(run.id))\(why)\(seeAlso)"
        case .recovery:
            return "Job \(run.job) recovered: run \(run.id) succeeded\(seeAlso)"
        case .deadlineMissed:
            return "Job \(run.job) missed its deadline\(seeAlso)"
        }
    }
}

/// Where alerts go. Sending must not throw: an alert that cannot be delivered is logged, and
/// the run it is about is unaffected.
public protocol AlertSink: Sendable {
    func send(_ alert: Alert) async
}
