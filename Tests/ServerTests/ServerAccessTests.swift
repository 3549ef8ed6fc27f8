import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import WarehouseConformance
import WarehouseDuckDB
import WarehouseKit
import XCTest

/// Tokens and roles, and the SQL endpoint against the escape catalogue over HTTP.
final class ServerAccessTests: XCTestCase {
    static let viewerToken = "viewer-token-0123456789abcdef"
    static let adminToken = "admin-token-0123456789abcdef"

    func policy() throws -> AccessPolicy {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tokens-\(UUID().uuidString)")
        try "# who may call\nviewer \(Self.viewerToken)\n\nadmin \(Self.adminToken)\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try AccessPolicy.load(tokenFile: file.path, environment: [:])
    }

    func testTokenFilesAndVariablesAreCheckedWithClearErrors() throws {
        let policy = try policy()
        XCTAssertEqual(policy.role(for: Self.viewerToken), .viewer)
        XCTAssertEqual(policy.role(for: Self.adminToken), .admin)
        XCTAssertNil(policy.role(for: Self.adminToken + "x"))
        XCTAssertNil(policy.role(for: String(Self.adminToken.dropLast())))
        XCTAssertNil(policy.role(for: ""))
        XCTAssertEqual(try AccessPolicy.load(tokenFile: nil, environment: ["STOREHOUSE_ADMIN_TOKEN": Self.adminToken]).role(for: Self.adminToken), .admin)
        XCTAssertFalse(try AccessPolicy.load(tokenFile: nil, environment: [:]).requiresToken)
        XCTAssertThrowsError(try AccessPolicy.load(tokenFile: nil, environment: ["STOREHOUSE_TOKEN": "short"])) { error in
            XCTAssertTrue("\(error)".contains("at least 16"), "\(error)")
        }
        XCTAssertThrowsError(try AccessPolicy.load(tokenFile: "/nonexistent/tokens", environment: [:])) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/tokens"), "\(error)")
        }
        XCTAssertThrowsError(try AccessPolicy.parse("viewer \(Self.viewerToken)\nowner \(Self.adminToken)\n", file: "tokens.txt")) { error in
            XCTAssertTrue("\(error)".hasPrefix("tokens.txt:2: unknown role 'owner'"), "\(error)")
        }
    }

    func testWithTokensEveryRouteButHealthAnswers401AndAViewerCannotReachAdminRoutes() async throws {
        let warehouse = try DuckDBWarehouse(path: ":memory:", sandboxed: true)
        try await warehouse.write { try await $0.executeScript(ServerRouteTests.rows) }
        let router = StorehouseServer.router(served: try ServerRouteTests.served(), warehouse: warehouse, options: ServerOptions(access: try policy()))
        let routes = router.routes.map { route in
            (route.method, "/" + route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "overview" : String($0) }.joined(separator: "/"))
        }
        XCTAssertGreaterThan(routes.count, 15)
        try await Application(router: router).test(.router) { client in
            for (method, path) in routes {
                let open = path == "/healthz"
                if path == "/login" && method == .post { continue }  // the sign-in itself, tested below
                try await client.execute(uri: path, method: method) { response in
                    if open {
                        XCTAssertNotEqual(response.status, .unauthorized, "\(method) \(path)")
                    } else {
                        XCTAssertEqual(response.status, .unauthorized, "\(method) \(path) without a token")
                        XCTAssertEqual(response.headers[.wwwAuthenticate], "Bearer realm=\"storehouse\"")
                        if !path.hasPrefix("/api/"), path != "/metrics", !path.hasPrefix("/assets/") {
                            // A page: the sign-in form, styled inline (the stylesheet needs a token too).
                            let body = String(buffer: response.body)
                            XCTAssertTrue(body.contains("<form class=\"login\"") && body.contains("<style>") && !body.contains("/assets/"), "\(path): \(body.prefix(300))")
                        }
                    }
                }
                guard !open else { continue }
                try await client.execute(uri: path, method: method, headers: [.authorization: "Bearer wrong-token-0123456789"]) { response in
                    XCTAssertEqual(response.status, .unauthorized, "\(method) \(path) with a wrong token")
                    if path.hasPrefix("/api/") { XCTAssertTrue(String(buffer: response.body).contains("invalid_token")) }
                }
            }
            let viewer: HTTPFields = [.authorization: "Bearer \(Self.viewerToken)"]
            try await client.execute(uri: "/api/v1/metrics", method: .get, headers: viewer) { XCTAssertEqual($0.status, .ok) }
            try await client.execute(uri: "/dashboards/overview", method: .get, headers: viewer) { XCTAssertEqual($0.status, .ok) }
            try await client.execute(uri: "/api/v1/sql?sql=select+1", method: .get, headers: viewer) { XCTAssertEqual($0.status, .ok) }
            try await client.execute(uri: "/api/v1/cache", method: .delete, headers: viewer) { response in
                XCTAssertEqual(response.status, .forbidden)
                XCTAssertTrue(String(buffer: response.body).contains("\"forbidden\""))
            }
            try await client.execute(uri: "/api/v1/cache", method: .delete, headers: [.authorization: "Bearer \(Self.adminToken)"]) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertTrue(String(buffer: response.body).hasPrefix("{\"dropped\":"))
            }
            // A browser signs in once; the cookie then stands for the token.
            try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                     body: ByteBuffer(string: "token=\(Self.viewerToken)&next=%2F%2Fevil.example")) { response in
                XCTAssertEqual(response.status, .seeOther)
                XCTAssertEqual(response.headers[.location], "/", "never a redirect off the server")
                XCTAssertTrue(response.headers[.setCookie]?.contains("HttpOnly; SameSite=Strict") == true)
            }
            try await client.execute(uri: "/login", method: .post, body: ByteBuffer(string: "token=nope")) { XCTAssertEqual($0.status, .unauthorized) }
            try await client.execute(uri: "/login?next=%2Fexplorer", method: .get, headers: viewer) { response in
                XCTAssertEqual(response.status, .seeOther, "signed in already: on to the page")
                XCTAssertEqual(response.headers[.location], "/explorer")
            }
            try await client.execute(uri: "/dashboards/overview", method: .get, headers: [.cookie: "storehouse_token=\(Self.viewerToken)"]) {
                XCTAssertEqual($0.status, .ok)
            }
        }
        await warehouse.close()
    }

    /// The catalogue sent to POST /api/v1/sql over a real socket, on the warehouse file opened as
    /// `serve` opens it: every attempt refused (or cut off) with its code, the file unchanged.
    func testEscapeCatalogueOverHTTPLeavesTheWarehouseByteForByteUnchanged() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-api-escape-\(UUID().uuidString)")
        let scratch = folder.appendingPathComponent("targets")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("warehouse.duckdb").path
        let owner = try DuckDBWarehouse(path: path)
        try await ReadOnlyEscapeCatalogue.createFixture(owner)
        await owner.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let warehouse = try DuckDBWarehouse(path: path, readOnly: true, sandboxed: true)
        var options = ServerOptions()
        options.limits.queryTimeout = .seconds(2)
        options.limits.sqlBurst = 1_000
        let router = StorehouseServer.router(served: try ServerRouteTests.served(), warehouse: warehouse, options: options)
        let catalogue = ReadOnlyEscapeCatalogue.common(.duckdb) + ReadOnlyEscapeCatalogue.duckdb(warehousePath: path, scratch: scratch.path)
        XCTAssertGreaterThanOrEqual(catalogue.count, 40)
        try await Application(router: router).test(.live) { client in
            let problems = await ReadOnlyEscapeCatalogue.problems(running: catalogue, overHTTP: { body in
                try await client.execute(uri: "/api/v1/sql", method: .post, body: ByteBuffer(bytes: body)) { response in
                    (Int(response.status.code), String(buffer: response.body))
                }
            })
            XCTAssertEqual(problems, [], "\(problems.count) of \(catalogue.count) attempts were not refused as they should be")
            // Ten million rows are cut at the row limit, and the server still answers afterwards.
            try await client.execute(uri: "/api/v1/sql", method: .post,
                                     body: ByteBuffer(string: #"{"sql": "select range as n from range(10000000)", "limit": 1000}"#)) { response in
                XCTAssertEqual(response.status, .ok)
                let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any])
                XCTAssertEqual(json["row_count"] as? Int, 1000)
                XCTAssertEqual(json["truncated"] as? Bool, true)
            }
            try await client.execute(uri: "/api/v1/sql", method: .post, body: ByteBuffer(string: #"{"sql": "select sum(amount) from shop.orders"}"#)) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertTrue(String(buffer: response.body).contains("[[60.00]]"), String(buffer: response.body))
            }
        }
        let state = try await ReadOnlyEscapeCatalogue.state(of: warehouse)
        XCTAssertEqual(state, ReadOnlyEscapeCatalogue.fixtureState)
        await warehouse.close()
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, "the warehouse file changed")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path), [], "a refused statement wrote a file")
    }
}
