import Dashboards
import Foundation
import HTTPTypes
import Hummingbird

/// Signing in from a browser, which cannot send a bearer header by itself: the reader pastes
/// their token once and it comes back as an HttpOnly, same-site cookie.
enum LoginPage {
    static func form(next: String, failed: Bool = false) -> String {
        var html = "<form class=\"login\" method=\"post\" action=\"/login\">\n"
        if failed { html += "<p class=\"error\">That token is not one this server accepts.</p>\n" }
        html += "<label>Access token <input type=\"password\" name=\"token\" autocomplete=\"current-password\" required></label>\n"
        html += "<input type=\"hidden\" name=\"next\" value=\"\(Markup.escape(safeNext(next)))\">\n"
        html += "<button type=\"submit\">Sign in</button>\n</form>\n"
        return html
    }

    static func page(next: String, failed: Bool) -> String {
        PageChrome.head(title: "Sign in", standalone: true) + "<header class=\"site\"><a class=\"brand\" href=\"/\">Storehouse</a></header>\n<main>\n<h1>Sign in</h1>\n"
            + form(next: next, failed: failed) + "</main>\n</body>\n</html>\n"
    }

    /// Only a path on this server: never another host (`//evil.example`) or a scheme.
    static func safeNext(_ next: String) -> String {
        guard next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), next != "/login" else { return "/" }
        return next
    }

    static func add(to router: Router<StorehouseRequestContext>, policy: AccessPolicy) {
        // Reached only with a valid token (without one the access check answers 401 with this
        // form): the caller is signed in already, so on to where they were going.
        router.get("login") { request, _ in
            Response(status: .seeOther, headers: [.location: safeNext(request.uri.queryParameters.get("next") ?? "/")])
        }
        router.post("login") { request, context in
            let body = try await request.body.collect(upTo: 16 * 1024)
            let fields = FormFields(String(buffer: body))
            let next = safeNext(fields["next"] ?? "/")
            guard let token = fields["token"], policy.role(for: token) != nil else {
                return Response(status: .unauthorized, headers: [.contentType: "text/html; charset=utf-8"],
                                body: ResponseBody(byteBuffer: ByteBuffer(string: page(next: next, failed: true))))
            }
            var headers: HTTPFields = [.location: next]
            headers[.setCookie] = "\(AccessMiddleware.cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000"
            return Response(status: .seeOther, headers: headers)
        }
    }
}

