import Foundation
import Yams

extension JobFile {
    /// `deadline: "07:30"` (UTC) or `deadline: {at: "07:30", timezone: Europe/Berlin}`.
    static func deadline(_ node: Node, _ reader: JobFileReader) throws(OrchestratorError) -> JobDeadline {
        var timeNode = node
        var zone = "UTC"
        if case .mapping = node {
            let entries = try reader.mapping(node, "deadline", allowed: ["at", "timezone"])
            guard let at = entries.first(where: { $0.key == "at" }) else {
                throw reader.error(at: node, "deadline has no time", hint: "write for example `{at: \"07:30\", timezone: Europe/Berlin}`")
            }
            timeNode = at.value
            if let entry = entries.first(where: { $0.key == "timezone" }) { zone = try reader.string(entry.value, "timezone") }
        }
        let text = try reader.string(timeNode, "deadline")
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), parts[1].count == 2,
              (0...23).contains(hour), (0...59).contains(minute) else {
            throw reader.error(at: timeNode, "deadline '\(text)' is not a time of day", hint: "write it as HH:MM on a 24-hour clock, e.g. \"07:30\"")
        }
        let schedule = try reader.at(node) { () throws(OrchestratorError) in try Schedule("\(minute) \(hour) * * *", timeZone: zone) }
        return JobDeadline(time: String(format: "%02d:%02d", hour, minute), schedule: schedule)
    }
}
