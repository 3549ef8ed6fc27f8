import Dashboards
import HTTPTypes
import Hummingbird

/// The outermost layer of every response: a thrown error becomes one clear answer (JSON under
/// /api and for clients that ask for JSON, an HTML page elsewhere), and every response — errors
/// included — carries the security headers.
struct ResponseMiddleware<Context: RequestContext>: RouterMiddleware {
    static var policy: String {
        // Inline style attributes are allowed (tables and charts set a few); scripts are not.
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    static var referrerPolicy: HTTPField.Name { HTTPField.Name("Referrer-Policy")! }
    static var frameOptions: HTTPField.Name { HTTPField.Name("X-Frame-Options")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let answer = APIError.from(error)
            if answer.status.code >= 500, answer.status != .gatewayTimeout { context.logger.error("\(request.method) \(request.uri.path): \(error)") }
            response = Self.wantsJSON(request) ? JSONResponse(answer.json, status: answer.status).response
                                               : Self.page(for: answer, request: request)
            for field in answer.headers { response.headers.append(field) }
        }
        response.headers[.contentSecurityPolicy] = Self.policy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.referrerPolicy] = "no-referrer"
        response.headers[Self.frameOptions] = "DENY"
        return response
    }

    static func wantsJSON(_ request: Request) -> Bool {
        let path = request.uri.path
        if path.hasPrefix("/api/") || path == "/metrics" { return true }
        let accept = request.headers[.accept] ?? ""
        return accept.contains("application/json") && !accept.contains("text/html")
    }

    static func page(for error: APIError, request: Request) -> Response {
        var html = PageChrome.head(title: error.status.reasonPhrase, standalone: error.status == .unauthorized) + "<header class=\"site\"><a class=\"brand\" href=\"/\">Storehouse</a></header>\n<main>\n"
        html += "<h1>\(error.status.code) \(Markup.escape(error.status.reasonPhrase))</h1>\n<p class=\"error\">\(Markup.escape(error.message))</p>\n"
        if let hint = error.hint { html += "<p class=\"hint\">\(Markup.escape(hint))</p>\n" }
        if error.status == .unauthorized { html += LoginPage.form(next: request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")) }
        html += "</main>\n</body>\n</html>\n"
        return Response(status: error.status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}
