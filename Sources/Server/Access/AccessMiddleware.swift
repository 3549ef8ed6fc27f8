import HTTPTypes
import Hummingbird

/// Checks the caller's token before any route runs and records the role it grants.
///
/// Without tokens configured (a server for this machine only) every caller is an admin. With
/// tokens, only `/healthz` and the sign-in itself (`POST /login`) answer without one; every
/// other route, pages and assets included, answers 401 (pages with the sign-in form).
struct AccessMiddleware: RouterMiddleware {
    typealias Context = StorehouseRequestContext
    let policy: AccessPolicy

    static let cookieName = "storehouse_token"
    static func isOpen(_ request: Request) -> Bool {
        let path = request.uri.path
        return path == "/healthz" || (path == "/login" && request.method == .post)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        guard policy.requiresToken else {
            context.role = .admin
            return try await next(request, context)
        }
        if Self.isOpen(request) {
            return try await next(request, context)
        }
        guard let presented = Self.token(in: request) else { throw APIError.unauthorized(presented: false) }
        guard let role = policy.role(for: presented) else { throw APIError.unauthorized(presented: true) }
        context.role = role
        return try await next(request, context)
    }

    /// The bearer token of the Authorization header, else the login cookie's.
    static func token(in request: Request) -> String? {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { return String(parts[1]).trimmingCharacters(in: .whitespaces) }
            return ""  // another scheme: presented, but not a token we take
        }
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let field = pair.trimmingCharacters(in: .whitespaces)
                if field.hasPrefix(cookieName + "=") { return String(field.dropFirst(cookieName.count + 1)) }
            }
        }
        return nil
    }
}
