import Foundation
import PostgresTestSupport
import WarehouseKit
import WarehousePostgres
import XCTest

/// What a user sees when the server cannot be reached, refuses the login, lacks the database,
/// or cancels a slow statement; and that server errors carry message, detail, hint and SQL.
final class PostgresErrorTests: PostgresServerTestCase {
    private func connectionError(_ configuration: PostgresConfiguration, file: StaticString = #filePath, line: UInt = #line) async -> WarehouseError? {
        let warehouse = PostgresWarehouse(configuration: configuration)
        var caught: WarehouseError?
        do {
            try await warehouse.checkConnection()
            XCTFail("connecting with \(configuration) should fail", file: file, line: line)
        } catch let error as WarehouseError {
            caught = error
        } catch {
            XCTFail("expected a WarehouseError, got \(type(of: error)): \(error)", file: file, line: line)
        }
        await warehouse.close()
        return caught
    }

    func testMissingSocketDirectorySaysTheServerIsNotRunning() async throws {
        _ = try serverConfiguration()
        let folder = "/tmp/storehouse-no-server-\(UUID().uuidString.prefix(8))"
        let error = await connectionError(PostgresConfiguration(host: folder, port: 5433))
        XCTAssertEqual(error?.kind, .connection)
        XCTAssertEqual(error?.message, "cannot connect to PostgreSQL at \(folder):5433: no server socket at \(folder)/.s.PGSQL.5433 — is the server running? check host (the socket directory) and port in profiles.yml")
    }

    func testRefusedTCPPortSaysTheServerIsNotRunning() async throws {
        _ = try serverConfiguration()
        let error = await connectionError(PostgresConfiguration(host: "127.0.0.1", port: 1, tls: .disable))
        XCTAssertEqual(error?.message, "cannot connect to PostgreSQL at 127.0.0.1:1: connection refused — is the server running? check host and port in profiles.yml")
    }

    private func passwordRoleConfiguration() async throws -> PostgresConfiguration {
        var configuration = try serverConfiguration()
        var exists: WarehouseValue?
        try await withWarehouse { warehouse in
            exists = try await warehouse.read {
                try await $0.query("select count(*) from pg_roles where rolname = \(PostgresTestServer.passwordRole)").scalar
            }
        }
        guard exists == .int(1) else {
            throw XCTSkip("the server has no role \(PostgresTestServer.passwordRole); run through scripts/with-postgres.sh")
        }
        configuration.user = PostgresTestServer.passwordRole
        return configuration
    }

    func testWrongPasswordNamesUserAndWhatToCheck() async throws {
        var configuration = try await passwordRoleConfiguration()
        configuration.password = "wrong-password"
        let error = await connectionError(configuration)
        XCTAssertEqual(error?.kind, .connection)
        XCTAssertEqual(error?.message, "cannot connect to PostgreSQL at \(configuration.endpoint) as user \"storehouse_password_check\": password authentication failed for user \"storehouse_password_check\" — check user and password in profiles.yml")
        XCTAssertFalse("\(error!)".contains("wrong-password"), "the password leaked into the error")
    }

    func testMissingPasswordSaysToSetOne() async throws {
        let configuration = try await passwordRoleConfiguration()
        let error = await connectionError(configuration)
        XCTAssertEqual(error?.message, "cannot connect to PostgreSQL at \(configuration.endpoint) as user \"storehouse_password_check\": the server asks for a password and none is configured — set password in profiles.yml")
    }

    func testRightPasswordLogsInOverSCRAM() async throws {
        var configuration = try await passwordRoleConfiguration()
        configuration.password = PostgresTestServer.rolePassword
        let warehouse = PostgresWarehouse(configuration: configuration)
        let user = try await warehouse.read { try await $0.query("select current_user").scalar }
        await warehouse.close()
        XCTAssertEqual(user, .text("storehouse_password_check"))
    }

    func testMissingDatabaseSaysHowToCreateIt() async throws {
        var configuration = try serverConfiguration()
        configuration.database = "storehouse_no_such_db"
        let error = await connectionError(configuration)
        XCTAssertEqual(error?.message, "cannot connect to PostgreSQL at \(configuration.endpoint): database \"storehouse_no_such_db\" does not exist — create it (createdb storehouse_no_such_db) or fix database in profiles.yml")
    }

    func testConfiguredStatementTimeoutCancelsAndSaysWhatToDo() async throws {
        try await withWarehouse({ $0.statementTimeout = 0.2 }) { warehouse in
            let started = Date()
            do {
                _ = try await warehouse.read { try await $0.query("select pg_sleep(5)") }
                XCTFail("pg_sleep(5) should be cancelled after 0.2 s")
            } catch let error as WarehouseError {
                XCTAssertLessThan(Date().timeIntervalSince(started), 3)
                XCTAssertEqual(error.kind, .query)
                XCTAssertEqual(error.sql, "select pg_sleep(5)")
                XCTAssertEqual(error.message, """
                    canceling statement due to statement timeout
                      hint: the statement ran past the statement timeout of 0.2 s; raise statement_timeout in profiles.yml or make the query cheaper
                    """)
            }
            // The connection stays usable after the cancellation.
            let after = try await warehouse.read { try await $0.query("select 1").scalar }
            XCTAssertEqual(after, .int(1))
        }
    }

    func testSessionStatementTimeoutIsReportedToo() async throws {
        try await withWarehouse { warehouse in
            do {
                try await warehouse.write { db in
                    try await db.execute("set statement_timeout = 100")
                    try await db.execute("select pg_sleep(3)")
                }
                XCTFail("expected a timeout")
            } catch let error as WarehouseError {
                XCTAssertTrue(error.message.hasPrefix("canceling statement due to statement timeout\n  hint: the statement ran past the statement timeout;"), error.message)
            }
        }
    }

    func testServerErrorCarriesDetailAndSQL() async throws {
        try await withWarehouse { warehouse in
            do {
                try await warehouse.write { db in
                    try await db.execute("drop table if exists errors_unique")
                    try await db.execute("create table errors_unique (id bigint primary key)")
                    try await db.execute("insert into errors_unique values (\(1))")
                    try await db.execute("insert into errors_unique values (\(1))")
                }
                XCTFail("a duplicate key should fail")
            } catch let error as WarehouseError {
                XCTAssertEqual(error.kind, .query)
                XCTAssertEqual(error.message, """
                    duplicate key value violates unique constraint "errors_unique_pkey"
                      detail: Key (id)=(1) already exists.
                    """)
                XCTAssertEqual(error.sql, "insert into errors_unique values ($1)")
            }
        }
    }

    func testServerErrorPointsAtLineAndColumnWithHint() async throws {
        try await withWarehouse { warehouse in
            do {
                _ = try await warehouse.read { try await $0.query("select amoutn\nfrom (select 1 as amount) s\nwhere amount > 0") }
                XCTFail("a missing column should fail")
            } catch let error as WarehouseError {
                XCTAssertEqual(error.message, """
                    column "amoutn" does not exist (at line 1, column 8 of the SQL)
                      hint: Perhaps you meant to reference the column "s.amount".
                    """)
            }
        }
    }

    func testScriptErrorNamesTheFailingStatement() async throws {
        try await withWarehouse { warehouse in
            do {
                try await warehouse.write { try await $0.executeScript("select 1; select * from errors_missing_table; select 3;") }
                XCTFail("the script should fail")
            } catch let error as WarehouseError {
                XCTAssertEqual(error.message, "statement 2 of 3 in the script failed: relation \"errors_missing_table\" does not exist (at line 1, column 15 of the SQL)")
                XCTAssertEqual(error.sql, "select * from errors_missing_table")
            }
        }
    }

    func testClosedWarehouseRefusesWork() async throws {
        try await withWarehouse { warehouse in
            _ = try await warehouse.read { try await $0.query("select 1") }
            await warehouse.close()
            do {
                _ = try await warehouse.read { try await $0.query("select 1") }
                XCTFail("a closed warehouse answered")
            } catch let error as WarehouseError {
                XCTAssertEqual(error.message, "the PostgreSQL warehouse at \(warehouse.configuration.endpoint) is closed")
            }
        }
    }

    func testDescriptionRedactsThePassword() {
        let configuration = PostgresConfiguration(host: "db.example.com", user: "loader", password: "s3cret", database: "shop")
        XCTAssertEqual("\(configuration)", "PostgresConfiguration(host=db.example.com port=5432 user=loader password=*** database=shop schema=public tls=prefer pool=4)")
        XCTAssertFalse("\(PostgresWarehouse(configuration: configuration))".contains("s3cret"))
    }
}
