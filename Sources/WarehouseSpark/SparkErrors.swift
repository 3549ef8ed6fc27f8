import Foundation
import GRPCCore
import WarehouseKit

/// Spark Connect's failures as `WarehouseError`s: what Spark said (its error class and message,
/// without the logical plan and JVM stack it appends), the endpoint when it is the connection that
/// failed, and what to do.
enum SparkErrors {
    static func warehouseError(_ error: RPCError, sql: String?, endpoint: String) -> WarehouseError {
        let said = sparkMessage(error.message)
        switch error.code {
        case .unavailable:
            // The statement is not the problem, so it is not shown (it would be a session setting).
            return WarehouseError(.connection, "cannot reach the Spark Connect server at \(endpoint): \(said)",
                                  hint: "start one (pyspark's sbin/start-connect-server.sh listens on 15002) or fix host and port in profiles.yml or the sc:// URL")
        case .unauthenticated, .permissionDenied:
            return WarehouseError(.connection, "the Spark Connect server at \(endpoint) refused the credentials: \(said)",
                                  hint: "check the token (profiles.yml `token:` or ;token= in the sc:// URL)")
        case .deadlineExceeded:
            return WarehouseError(.query, "the statement ran past its time limit on Spark at \(endpoint) and was abandoned", sql: sql, code: .timeout)
        case .cancelled:
            return WarehouseError(.query, "the statement was cancelled: \(said)", sql: sql, code: .cancelled)
        default:
            return WarehouseError(.query, said, sql: sql)
        }
    }

    /// The first part of Spark's message: `[TABLE_OR_VIEW_NOT_FOUND] The table or view … SQLSTATE:
    /// 42P01; line 1 pos 14`, without the analysed plan, the `== SQL ==` echo or the stack trace
    /// that follow it.
    static func sparkMessage(_ message: String) -> String {
        var kept: [Substring] = []
        for line in message.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("'") || trimmed.hasPrefix("+-") || trimmed.hasPrefix(":-") || trimmed.hasPrefix("== ")
                || trimmed.hasPrefix("JVM stacktrace") || trimmed.hasPrefix("at ") { break }
            kept.append(line)
        }
        var text = kept.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasSuffix(";") { text.removeLast() }
        return text.isEmpty ? message : text
    }
}
