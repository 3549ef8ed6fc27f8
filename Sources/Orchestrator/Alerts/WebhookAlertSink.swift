import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Posts alerts to a webhook as Slack-compatible JSON: `{"text": "…"}` (what Slack's, Mattermost's
/// and Rocket.Chat's incoming webhooks read), plus a `storehouse` object with the fields for a
/// program: `{"kind","job","run_id","status","at"}`.
///
/// The URL is a secret (a Slack webhook URL is enough to post to the channel): it is never
/// printed, in logs or errors, only its host. A delivery is tried three times, 1 s and 4 s apart.
public struct WebhookAlertSink: AlertSink {
    let url: URL
    /// Where problems delivering are reported (stderr in `serve`).
    let log: @Sendable (String) -> Void
    let timeout: TimeInterval

    public init(url: URL, timeout: TimeInterval = 10, log: @escaping @Sendable (String) -> Void) {
        self.url = url
        self.timeout = timeout
        self.log = log
    }

    /// The URL from `$STOREHOUSE_ALERT_WEBHOOK`, or from the first line of the file
    /// `$STOREHOUSE_ALERT_WEBHOOK_FILE` names (a secrets file, readable by the server alone).
    /// Nil when neither is set. Throws when one is set but is not an http(s) URL.
    public static func url(environment: [String: String]) throws(OrchestratorError) -> URL? {
        var text = environment["STOREHOUSE_ALERT_WEBHOOK"].flatMap { $0.isEmpty ? nil : $0 }
        var source = "STOREHOUSE_ALERT_WEBHOOK"
        if text == nil, let file = environment["STOREHOUSE_ALERT_WEBHOOK_FILE"], !file.isEmpty {
            guard let contents = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw OrchestratorError("cannot read the alert webhook file \(file) (STOREHOUSE_ALERT_WEBHOOK_FILE)",
                                        hint: "check the path and that this user may read it")
            }
            text = contents.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) }
            source = "the file \(file)"
        }
        guard let text else { return nil }
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw OrchestratorError("the alert webhook in \(source) is not an http(s) URL",
                                    hint: "give the incoming-webhook URL of your chat (Slack: https://hooks.slack.com/services/…)")
        }
        return url
    }

    /// The JSON body for an alert.
    public static func body(_ alert: Alert) -> Data {
        var fields: [String: Any] = ["kind": alert.kind.rawValue, "job": alert.job,
                                     "at": ISO8601DateFormatter().string(from: alert.at)]
        if let run = alert.runID { fields["run_id"] = run }
        if let status = alert.status { fields["status"] = status.rawValue }
        let object: [String: Any] = ["text": alert.message, "storehouse": fields]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    public func send(_ alert: Alert) async {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Self.body(alert)
        let host = url.host ?? "the webhook"
        for (attempt, pause) in [(1, 1.0), (2, 4.0), (3, 0.0)] {
            do {
                let (_, response) = try await URLSession.shared.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                if (200..<300).contains(status) { return }
                log("alert webhook at \(host) answered \(status) (attempt \(attempt) of 3)")
            } catch {
                log("alert webhook at \(host) could not be reached (attempt \(attempt) of 3): \(type(of: error))")
            }
            if pause > 0 { try? await Task.sleep(nanoseconds: UInt64(pause * 1e9)) }
        }
        log("alert '\(alert.kind.rawValue)' for job \(alert.job) was not delivered")
    }
}
