import Hummingbird
import NIOCore

/// What the server knows about one request beyond the request itself: who sent it (the role
/// its token grants) and from where (for rate limits).
public struct StorehouseRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AccessMiddleware`: the caller's role; nil until checked.
    public var role: AccessPolicy.Role?
    /// The peer's IP address; nil where there is no socket (in-process tests).
    public let remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Request bodies over 1 MiB are refused with 413 (an SQL text or a metrics query is a few KiB).
    public var maxUploadSize: Int { 1 << 20 }

    /// Stops a route the caller's role does not reach, with 403 (or 401 without a token at all).
    public func require(_ needed: AccessPolicy.Role) throws {
        guard let role else { throw APIError.unauthorized(presented: false) }
        guard role >= needed else {
            throw APIError(.forbidden, code: "forbidden", "this route needs the \(needed.rawValue) role and the token presented is a \(role.rawValue)'s",
                           hint: "call it with an admin token (`admin <token>` in the token file, or STOREHOUSE_ADMIN_TOKEN)")
        }
    }
}
