import Foundation
import PostgresNIO
import WarehouseKit

/// Turns postgres-nio's errors into `WarehouseError`s that say what happened, where, and what to do.
enum PostgresErrors {
    /// An error while connecting: unreachable server, refused login, missing database, TLS trouble.
    static func connectFailure(_ error: any Error, configuration: PostgresConfiguration) -> WarehouseError {
        let place = "cannot connect to PostgreSQL at \(configuration.endpoint)"
        if let error = error as? PSQLError {
            if error.code == .server, let info = error.serverInfo {
                let message = info[.message] ?? "the server refused the connection"
                switch info[.sqlState] {
                case "28P01", "28000":
                    return WarehouseError(.connection, "\(place) as user \"\(configuration.user)\": \(message) — check user and password in \(configuration.origin)")
                case "3D000":
                    return WarehouseError(.connection, "\(place): \(message) — create it (createdb \(configuration.database)) or fix database in \(configuration.origin)")
                case "53300":
                    return WarehouseError(.connection, "\(place): \(message) — lower the pool size (threads) in \(configuration.origin) or raise max_connections on the server")
                default:
                    return WarehouseError(.connection, "\(place): \(message)" + serverExtras(info))
                }
            }
            switch error.code {
            case .sslUnsupported:
                return WarehouseError(.connection, "\(place): the server does not offer TLS but sslmode is \(configuration.tls.rawValue) — set sslmode: prefer or disable in \(configuration.origin), or enable ssl on the server")
            case .authMechanismRequiresPassword:
                return WarehouseError(.connection, "\(place) as user \"\(configuration.user)\": the server asks for a password and none is configured — set password in \(configuration.origin)")
            case .connectionError:
                return WarehouseError(.connection, "\(place): \(describeSocketFailure(error.underlying, configuration: configuration))")
            default:
                break
            }
            let underlying = error.underlying.map { ": \(String(describing: $0))" } ?? ""
            return WarehouseError(.connection, "\(place): \(error.code)\(underlying)")
        }
        return WarehouseError(.connection, "\(place): \(describeSocketFailure(error, configuration: configuration))")
    }

    /// Why the socket could not be opened, in words, with what to check.
    static func describeSocketFailure(_ error: (any Error)?, configuration: PostgresConfiguration) -> String {
        let text = error.map { String(describing: $0) } ?? "unknown error"
        let lowered = text.lowercased()
        if lowered.contains("refused") {
            return "connection refused — is the server running? check host and port in \(configuration.origin)"
        }
        if configuration.usesUnixSocket && (lowered.contains("no such file") || lowered.contains("enoent") || lowered.contains("errno: 2)")) {
            return "no server socket at \(configuration.unixSocketPath) — is the server running? check host (the socket directory) and port in \(configuration.origin)"
        }
        if lowered.contains("timeout") || lowered.contains("timed out") {
            return "no answer within \(WarehouseValue.format(double: configuration.connectTimeout)) s (connect timeout) — check host, port and firewalls, or raise connect_timeout in \(configuration.origin)"
        }
        if lowered.contains("resolve") || lowered.contains("getaddrinfo") || lowered.contains("name or service") {
            return "the host name \(configuration.host) cannot be resolved — check host in \(configuration.origin)"
        }
        return text
    }

    /// An error from running SQL: the server's message with its detail, hint and position.
    static func statementFailure(_ error: any Error, sql: String, configuration: PostgresConfiguration) -> any Error {
        if error is WarehouseError || error is CancellationError { return error }
        // postgres-nio's older API (used for `prepare`) reports server errors as PostgresError.
        if case .server(let legacy)? = error as? PostgresError {
            return serverFailure(ServerFields(
                message: legacy.fields[.message], detail: legacy.fields[.detail], hint: legacy.fields[.hint],
                context: legacy.fields[.locationContext], position: legacy.fields[.position], sqlState: legacy.fields[.sqlState]),
                sql: sql, configuration: configuration)
        }
        guard let error = error as? PSQLError else {
            return WarehouseError(.query, String(describing: error), sql: sql)
        }
        if error.code == .server, let info = error.serverInfo {
            return serverFailure(ServerFields(
                message: info[.message], detail: info[.detail], hint: info[.hint], context: info[.locationContext],
                position: info[.position], sqlState: info[.sqlState]), sql: sql, configuration: configuration)
        }
        switch error.code {
        case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown:
            return WarehouseError(.connection, "the connection to PostgreSQL at \(configuration.endpoint) was lost (\(error.code)) — is the server still running?", sql: sql)
        case .queryCancelled:
            return WarehouseError(.query, "the statement was cancelled", sql: sql)
        case .tooManyParameters:
            return WarehouseError(.usage, "the statement has more than 65,535 parameters, PostgreSQL's limit", sql: sql)
        default:
            let underlying = error.underlying.map { ": \(String(describing: $0))" } ?? ""
            return WarehouseError(.query, "\(error.code)\(underlying)", sql: sql)
        }
    }

    /// The fields of a server ErrorResponse this adapter reports.
    struct ServerFields {
        var message, detail, hint, context, position, sqlState: String?
    }

    static func serverFailure(_ info: ServerFields, sql: String, configuration: PostgresConfiguration) -> WarehouseError {
        var message = info.message ?? "the server reported an error"
        if let position = info.position.flatMap(Int.init), let place = lineAndColumn(ofCharacter: position, in: sql) {
            message += " (at line \(place.line), column \(place.column) of the SQL)"
        }
        if let detail = info.detail, !detail.isEmpty { message += "\n  detail: \(detail)" }
        if let hint = info.hint, !hint.isEmpty { message += "\n  hint: \(hint)" }
        if let context = info.context, !context.isEmpty { message += "\n  context: \(context)" }
        if info.sqlState == "57014", message.contains("statement timeout") {
            let limit = configuration.statementTimeout.map { " of \(WarehouseValue.format(double: $0)) s" } ?? ""
            message += "\n  hint: the statement ran past the statement timeout\(limit); raise statement_timeout in profiles.yml or make the query cheaper"
        }
        let state = info.sqlState ?? ""
        let kind: WarehouseError.Kind = state.hasPrefix("40") || state.hasPrefix("25") ? .transaction : .query
        return WarehouseError(kind, message, sql: sql)
    }

    /// Detail, hint and context lines as PostgreSQL's own client prints them.
    static func serverExtras(_ info: PSQLError.ServerInfo) -> String {
        var text = ""
        if let detail = info[.detail], !detail.isEmpty { text += "\n  detail: \(detail)" }
        if let hint = info[.hint], !hint.isEmpty { text += "\n  hint: \(hint)" }
        if let context = info[.locationContext], !context.isEmpty { text += "\n  context: \(context)" }
        return text
    }

    /// PostgreSQL reports positions as 1-based character offsets into the statement.
    static func lineAndColumn(ofCharacter position: Int, in sql: String) -> (line: Int, column: Int)? {
        guard position >= 1 else { return nil }
        var line = 1, column = 1, seen = 1
        for character in sql.unicodeScalars {
            if seen == position { return (line, column) }
            if character == "\n" { line += 1; column = 1 } else { column += 1 }
            seen += 1
        }
        return seen == position ? (line, column) : nil
    }
}
