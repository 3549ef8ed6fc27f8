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
        PageChrome.head(title: "Sign in") + "<header class=\"site\"><a class=\"brand\" href=\"/\">Storehouse</a></header>\n<main>\n<h1>Sign in</h1>\n"
            + form(next: next, failed: failed) + "</main>\n</body>\n</html>\n"
    }

    /// Only a path on this server: never another host (`//evil.example`) or a scheme.
    static func safeNext(_ next: String) -> String {
        guard next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), next != "/login" else { return "/" }
        return next
    }

    static func add(to router: Router<StorehouseRequestContext>, policy: AccessPolicy) {
        router.get("login") { request, _ in
            HTML(page(next: request.uri.queryParameters.get("next") ?? "/", failed: false))
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

