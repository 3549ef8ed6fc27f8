import Foundation
import PostgresTestSupport
import WarehousePostgres
import XCTest

/// A test case with one server for the whole class: started in `class setUp`, stopped in
/// `class tearDown`. Without a server every test throws `XCTSkip` saying how to get one.
class PostgresServerTestCase: XCTestCase {
    nonisolated(unsafe) static var server: Result<PostgresTestServer, PostgresTestServer.SkipReason>?

    override class func setUp() {
        super.setUp()
        server = PostgresTestServer.start()
    }

    override class func tearDown() {
        if case .success(let server) = server { server.stop() }
        server = nil
        super.tearDown()
    }

    /// profiles.yml of a test project on the test server: host, port and database come from the
    /// environment `projectEnvironment` gives, so the file itself never changes.
    static func profilesYAML(profile: String, schema: String) -> String {
        """
        \(profile):
          target: pg
          outputs:
            pg:
              type: postgres
              host: "{{ env_var('PGFIX_HOST') }}"
              port: "{{ env_var('PGFIX_PORT') | as_number }}"
              user: postgres
              dbname: "{{ env_var('PGFIX_DB') }}"
              schema: \(schema)
              threads: 2
        """
    }

    /// The variables `profilesYAML` reads, for a project loaded against `configuration`.
    static func projectEnvironment(_ configuration: PostgresConfiguration) -> [String: String] {
        ["PGFIX_HOST": configuration.host, "PGFIX_PORT": String(configuration.port), "PGFIX_DB": configuration.database]
    }

    func serverConfiguration() throws -> PostgresConfiguration {
        switch Self.server {
        case .success(let server)?: return server.configuration
        case .failure(let reason)?: throw XCTSkip(reason.description)
        case nil: throw XCTSkip("no PostgreSQL server: run through scripts/with-postgres.sh")
        }
    }

    /// Runs `body` with a warehouse on the test server and closes it afterwards, also on failure.
    func withWarehouse(_ adjust: (inout PostgresConfiguration) -> Void = { _ in },
                       _ body: (PostgresWarehouse) async throws -> Void) async throws {
        var configuration = try serverConfiguration()
        adjust(&configuration)
        let warehouse = PostgresWarehouse(configuration: configuration)
        do {
            try await body(warehouse)
            await warehouse.close()
        } catch {
            await warehouse.close()
            throw error
        }
    }
}
