import Foundation

/// Where a Spark Connect server is and how to talk to it: a profile target `type: spark` or a
/// `--db sc://host:15002/;token=…` URL (Spark Connect's own connection-string form).
public struct SparkConfiguration: Sendable, Hashable, CustomStringConvertible {
    public var host = "localhost"
    /// Spark Connect's default port.
    public var port = 15002
    /// A bearer token for managed endpoints (Databricks, …); sent as `authorization: Bearer …`.
    public var token: String?
    /// TLS to the endpoint; a managed endpoint with a token needs it.
    public var useSSL = false
    /// The schema (Spark's database) models and seeds land in unless they name one.
    public var schema = "default"
    /// The user name the session carries (Spark Connect's `user_context.user_id`).
    public var user = ProcessInfo.processInfo.environment["USER"] ?? "storehouse"
    /// How long one statement may run before the client gives up; nil waits as long as it takes.
    public var statementTimeout: Duration?
    /// Where the configuration came from, for error messages ("profile target 'spark'", "the --db URL").
    public var origin = "the Spark profile"

    public init(host: String = "localhost", port: Int = 15002, token: String? = nil, useSSL: Bool = false, schema: String = "default") {
        self.host = host
        self.port = port
        self.token = token
        self.useSSL = useSSL
        self.schema = schema
    }

    /// `host:port`, as messages name the endpoint.
    public var endpoint: String { "\(host):\(port)" }

    public var description: String { "sc://\(endpoint) schema \(schema)\(token == nil ? "" : " (token set)")\(useSSL ? " tls" : "")" }

    /// Parses Spark Connect's connection string: `sc://host[:port][/;param=value;…]` with the
    /// parameters `token`, `use_ssl`, `user_id` and Storehouse's `schema`.
    public init(url text: String) throws {
        guard text.hasPrefix("sc://") else {
            throw SparkConfigurationError("'\(Self.redacted(text))' is not a Spark Connect URL", hint: "write it as sc://host:15002 (or sc://host:443/;token=…;use_ssl=true)")
        }
        let rest = text.dropFirst("sc://".count)
        let parts = rest.split(separator: ";", omittingEmptySubsequences: false)
        var authority = String(parts.first ?? "")
        if authority.hasSuffix("/") { authority.removeLast() }
        guard !authority.isEmpty, !authority.contains("/") else {
            throw SparkConfigurationError("'\(Self.redacted(text))' names no Spark Connect host", hint: "write it as sc://host:15002")
        }
        if let colon = authority.lastIndex(of: ":") {
            let portText = authority[authority.index(after: colon)...]
            guard let number = Int(portText), (1...65535).contains(number) else {
                throw SparkConfigurationError("port '\(portText)' in '\(Self.redacted(text))' is not a port number", hint: "ports are whole numbers from 1 to 65535; Spark Connect listens on 15002")
            }
            host = String(authority[..<colon])
            port = number
        } else {
            host = authority
        }
        for parameter in parts.dropFirst() where !parameter.isEmpty {
            let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else {
                throw SparkConfigurationError("'\(parameter)' in the Spark Connect URL is not name=value", hint: "parameters follow the host as /;token=…;use_ssl=true;schema=analytics")
            }
            switch pair[0] {
            case "token": token = pair[1]; useSSL = true
            case "use_ssl": useSSL = pair[1].lowercased() == "true"
            case "user_id": user = pair[1]
            case "schema": schema = pair[1]
            default:
                throw SparkConfigurationError("the Spark Connect URL has an unknown parameter '\(pair[0])'", hint: "known: token, use_ssl, user_id, schema")
            }
        }
        origin = "the --db URL"
    }

    /// The URL with its token replaced by `***`.
    public static func redacted(_ text: String) -> String {
        guard let range = text.range(of: ";token=") else { return text }
        let tail = text[range.upperBound...]
        let end = tail.firstIndex(of: ";") ?? tail.endIndex
        return String(text[..<range.upperBound]) + "***" + String(tail[end...])
    }
}

/// A Spark configuration that cannot be used, with what to write instead.
public struct SparkConfigurationError: Error, CustomStringConvertible {
    public var message: String
    public var hint: String
    init(_ message: String, hint: String) {
        self.message = message
        self.hint = hint
    }
    public var description: String { message + "\n  hint: " + hint }
}
