import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SemanticLayer
import WarehouseKit

/// An error a route answers with: the HTTP status that fits, a stable machine-readable `code`,
/// what happened and what to do. API routes send it as JSON; pages as an HTML page.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var hint: String?
    /// Extra response headers (Retry-After, WWW-Authenticate).
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, _ message: String, hint: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.hint = hint
    }

    public var description: String { message + (hint.map { "\n  hint: \($0)" } ?? "") }

    public var json: JSONValue {
        var fields: [(String, JSONValue)] = [("code", .string(code)), ("message", .string(message))]
        if let hint { fields.append(("hint", .string(hint))) }
        fields.append(("status", .int(Int(status.code))))
        return .object([("error", .object(fields))])
    }

    static func unauthorized(presented: Bool) -> APIError {
        var error = presented
            ? APIError(.unauthorized, code: "invalid_token", "the access token presented is not one this server accepts",
                       hint: "check the token (`Authorization: Bearer <token>`); ask whoever runs the server for a valid one")
            : APIError(.unauthorized, code: "missing_token", "this server needs an access token",
                       hint: "send `Authorization: Bearer <token>`, or sign in at /login in a browser")
        error.headers[.wwwAuthenticate] = "Bearer realm=\"storehouse\""
        return error
    }

    static func badRequest(_ message: String, code: String = "bad_request", hint: String? = nil) -> APIError {
        APIError(.badRequest, code: code, message, hint: hint)
    }

    static func notFound(_ message: String, hint: String? = nil) -> APIError {
        APIError(.notFound, code: "not_found", message, hint: hint)
    }

    /// Any error as the API answers it. Errors the caller can fix are 4xx with their own code;
    /// anything else is a 500 that says where to look, without internals.
    static func from(_ error: Error) -> APIError {
        switch error {
        case let error as APIError: return error
        case let error as SemanticError:
            switch error.code {
            case .invalidDefinition, .unknownModel, .noTimeSpine:
                return APIError(.internalServerError, code: error.code.rawValue, error.message, hint: "the project's semantic layer needs fixing")
            default:
                return APIError(.badRequest, code: error.code.rawValue, error.message,
                                hint: "the metrics and their dimensions are listed at /api/v1/metrics")
            }
        case let error as WarehouseError: return from(error)
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .notFound(error.body ?? "no such route", hint: "the API is described at /api/v1/openapi.json")
            case .contentTooLarge:
                return APIError(.contentTooLarge, code: "too_large", "the request body is larger than the server takes (1 MiB)",
                                hint: "send a shorter query")
            case .methodNotAllowed:
                return APIError(.methodNotAllowed, code: "method_not_allowed", error.body ?? "this route does not take that method",
                                hint: "the API is described at /api/v1/openapi.json")
            default:
                return APIError(error.status, code: error.status.code < 500 ? "bad_request" : "internal", error.body ?? error.status.reasonPhrase)
            }
        case let error as CustomerService.Unavailable:
            return APIError(.notFound, code: "not_available", "\(error)", hint: "the customer routes need the bundled project's marts (or models of those names)")
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, code: "too_large", "the request body is larger than the server takes (1 MiB)", hint: "send a shorter query")
        case let error as DecodingError:
            return .badRequest("the request body is not the JSON this route takes: \(Self.describe(error))",
                               hint: "the request shapes are in /api/v1/openapi.json")
        default:
            return APIError(.internalServerError, code: "internal", "the server failed while answering: \(error)",
                            hint: "this is a Storehouse bug if it persists; the server log has the details")
        }
    }

    /// A warehouse refusal or failure: the caller's query is the problem unless the engine broke.
    static func from(_ error: WarehouseError) -> APIError {
        let status: HTTPResponse.Status
        switch error.code {
        case .notReadOnly?, .forbiddenAccess?: status = .forbidden
        case .multipleStatements?, .emptyStatement?, .syntax?, .queryFailed?: status = .badRequest
        case .timeout?: status = .gatewayTimeout
        case .cancelled?, .unsupported?: status = .serviceUnavailable
        case nil: status = error.kind == .query ? .badRequest : .serviceUnavailable
        default: status = .badRequest
        }
        return APIError(status, code: error.code?.rawValue ?? (error.kind == .query ? "query_failed" : "warehouse_unavailable"),
                        error.message, hint: error.hint)
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "field '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))' is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type: \(context.debugDescription)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// A JSON response.
struct JSONResponse: ResponseGenerator {
    let value: JSONValue
    var status: HTTPResponse.Status = .ok
    init(_ value: JSONValue, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }
    func response(from request: Request, context: some RequestContext) throws -> Response { response }

    var response: Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: value.text)))
    }
}
