import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import TransformProject
import WarehouseConformance
import WarehouseKit
import WarehousePostgres
import XCTest

/// `runReadOnly` on PostgreSQL: the escape catalogue refused for a reader role, a superuser
/// session refused outright, the row and time limits enforced, no session state left behind.
final class ReadOnlyQueryOnPostgresTests: PostgresServerTestCase {
    static let reader = "storehouse_reader"

    /// Rebuilds the fixture as the server's own user and makes sure the reader role exists;
    /// returns a configuration that connects as the reader.
    private func readerConfiguration() async throws -> PostgresConfiguration {
        try await withWarehouse { admin in
            try await admin.write { db in
                // The fixture's state counts every relation of the database, so what other suites
                // built on the shared test server (the bundled project, say) goes first.
                try await db.executeScript("""
                    do $$ declare item record; begin
                      for item in select nspname from pg_namespace
                                  where nspname not in ('public', 'information_schema') and nspname not like 'pg\\_%' loop
                        execute format('drop schema %I cascade', item.nspname);
                      end loop;
                      for item in select viewname from pg_views where schemaname = 'public' loop
                        execute format('drop view if exists public.%I cascade', item.viewname);
                      end loop;
                      for item in select tablename from pg_tables where schemaname = 'public' loop
                        execute format('drop table if exists public.%I cascade', item.tablename);
                      end loop;
                    end $$;
                    drop schema if exists shop cascade;
                    drop schema if exists stolen cascade;
                    do $$ begin
                      if not exists (select from pg_roles where rolname = '\(Self.reader)') then
                        create role \(Self.reader) login;
                      end if;
                    end $$;
                    grant pg_read_all_data to \(Self.reader)
                    """)
            }
            try await ReadOnlyEscapeCatalogue.createFixture(admin)
            try await admin.write { try await $0.executeScript("create procedure shop.wipe() language sql as 'delete from shop.orders'") }
        }
        var configuration = try serverConfiguration()
        configuration.user = Self.reader
        configuration.password = nil
        return configuration
    }

    private func postgresAttempts(target: String) -> [ReadOnlyEscapeCatalogue.Attempt] {
        [
            .init("copy a table to a file", "copy shop.orders to '\(target)/orders.csv'", .notReadOnly),
            .init("copy a query to a file", "copy (select 1) to '\(target)/one.csv'", .notReadOnly),
            .init("copy to a program", "copy shop.orders to program 'touch \(target)/ran'", .notReadOnly),
            .init("copy from a host file", "copy shop.orders from '/etc/passwd'", .notReadOnly),
            .init("copy to the client", "copy shop.orders to stdout", .notReadOnly),
            .init("pg_read_file of /etc/passwd", "select pg_read_file('/etc/passwd')", .forbiddenAccess),
            .init("pg_read_binary_file", "select pg_read_binary_file('/etc/passwd')", .forbiddenAccess),
            .init("pg_ls_dir of /", "select * from pg_ls_dir('/')", .forbiddenAccess),
            .init("pg_stat_file", "select * from pg_stat_file('/etc/passwd')", .forbiddenAccess),
            .init("lo_import of a host file", "select lo_import('/etc/passwd')", .forbiddenAccess, .notReadOnly),
            .init("pg_reload_conf", "select pg_reload_conf()", .forbiddenAccess),
            .init("become the superuser in a select", "select set_config('role', 'postgres', false)", .forbiddenAccess),
            .init("switch the transaction to read-write", "select set_config('transaction_read_only', 'off', true)", .notReadOnly),
            .init("set role", "set role postgres", .notReadOnly),
            .init("read-write session default", "set session characteristics as transaction read write", .notReadOnly),
            .init("create an extension", "create extension if not exists dblink", .notReadOnly),
            .init("load a library", "load 'plpgsql'", .notReadOnly),
            .init("a DO block", "do $$ begin execute 'drop table shop.orders'; end $$", .notReadOnly),
            .init("create a function", "create function shop.f() returns int language sql as 'select 1'", .notReadOnly),
            .init("call a procedure that deletes", "call shop.wipe()", .notReadOnly),
            .init("select for update", "select * from shop.orders for update", .notReadOnly),
            .init("declare a cursor of its own", "declare mine cursor for select 1", .notReadOnly),
            .init("listen", "listen storehouse", .notReadOnly),
            .init("a statement that sleeps", "select pg_sleep(60)", .timeout),
        ]
    }

    func testCatalogueIsRefusedForAReaderRoleAndNothingChanges() async throws {
        let configuration = try await readerConfiguration()
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-pg-targets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: target) }
        // Writable for the server's user too, so a COPY that got through would leave a file.
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: target.path)

        let catalogue = ReadOnlyEscapeCatalogue.common(.postgres) + postgresAttempts(target: target.path)
        XCTAssertGreaterThanOrEqual(catalogue.count, 40)
        let warehouse = PostgresWarehouse(configuration: configuration)
        let problems = await ReadOnlyEscapeCatalogue.problems(running: catalogue, on: warehouse)
        XCTAssertEqual(problems, [], "\(problems.count) of \(catalogue.count) attempts were not refused as they should be")
        let allowedProblems = await ReadOnlyEscapeCatalogue.problems(runningAllowedOn: warehouse)
        XCTAssertEqual(allowedProblems, [])
        await warehouse.close()

        try await withWarehouse { admin in
            let state = try await ReadOnlyEscapeCatalogue.state(of: admin)
            XCTAssertEqual(state, ReadOnlyEscapeCatalogue.fixtureState)
            let sequence = try await admin.read { try await $0.query("select last_value, is_called from shop.order_ids").rows[0] }
            XCTAssertEqual(sequence, [.int(1), .bool(false)], "the sequence moved")
            let stray = try await admin.read { try await $0.query("select count(*) from pg_namespace where nspname = 'stolen'").scalar }
            XCTAssertEqual(stray, .int(0))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: target.path), [], "a refused statement wrote a file")
    }

    /// The same catalogue sent to `POST /api/v1/sql` of a server whose warehouse is this
    /// PostgreSQL, connected as the reader role: every attempt refused, nothing changed.
    func testCatalogueOverTheSQLAPIIsRefusedAndNothingChanges() async throws {
        let configuration = try await readerConfiguration()
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-pg-api-targets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: target) }
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: target.path)
        let catalogue = ReadOnlyEscapeCatalogue.common(.postgres) + postgresAttempts(target: target.path)

        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../SemanticLayerTests/Fixtures/shop").standardized.path
        let served = try ServedProject(project: try ProjectLoader.load(LoadOptions(projectDir: fixture, environment: [:], homeDirectory: "/nonexistent")))
        let warehouse = PostgresWarehouse(configuration: configuration)
        var options = ServerOptions()
        options.limits.queryTimeout = .seconds(2)
        options.limits.sqlBurst = 1_000
        let router = StorehouseServer.router(served: served, warehouse: warehouse, options: options)
        try await Application(router: router).test(.router) { client in
            let problems = await ReadOnlyEscapeCatalogue.problems(running: catalogue, overHTTP: { body in
                try await client.execute(uri: "/api/v1/sql", method: .post, body: ByteBuffer(bytes: body)) { response in
                    (Int(response.status.code), String(buffer: response.body))
                }
            })
            XCTAssertEqual(problems, [], "\(problems.count) of \(catalogue.count) attempts were not refused as they should be")
            try await client.execute(uri: "/api/v1/sql", method: .post,
                                     body: ByteBuffer(string: #"{"sql": "select n from generate_series(1, 10000000) n", "limit": 1000}"#)) { response in
                XCTAssertEqual(response.status, .ok)
                let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any])
                XCTAssertEqual(json["row_count"] as? Int, 1000)
                XCTAssertEqual(json["truncated"] as? Bool, true)
            }
        }
        await warehouse.close()
        try await withWarehouse { admin in
            let state = try await ReadOnlyEscapeCatalogue.state(of: admin)
            XCTAssertEqual(state, ReadOnlyEscapeCatalogue.fixtureState)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: target.path), [], "a refused statement wrote a file")
    }

    func testASuperuserSessionIsRefusedWithAHint() async throws {
        _ = try await readerConfiguration()
        try await withWarehouse { admin in
            do {
                _ = try await admin.runReadOnly(ReadOnlyQuery("select 1"))
                XCTFail("a superuser session ran untrusted SQL")
            } catch let error as WarehouseError {
                XCTAssertEqual(error.code, .unsupported, error.description)
                XCTAssertTrue(error.message.contains("superuser"), error.message)
                XCTAssertTrue(error.hint?.contains("pg_read_all_data") == true, error.description)
            }
        }
    }

    func testTenMillionRowsAreCutAtTheRowLimitAndEmptyResultsNameTheirColumns() async throws {
        let warehouse = PostgresWarehouse(configuration: try await readerConfiguration())
        let answer = try await warehouse.runReadOnly(ReadOnlyQuery("select generate_series(1, 10000000) as n", rowLimit: 1000, timeout: .seconds(60)))
        XCTAssertTrue(answer.truncated)
        XCTAssertEqual(answer.resultSet.count, 1000)
        XCTAssertEqual(answer.resultSet.rows.last, [.int(1000)])
        XCTAssertEqual(answer.columnTypes, ["INTEGER"])

        let empty = try await warehouse.runReadOnly(ReadOnlyQuery("select id, amount from shop.orders where id < 0;"))
        XCTAssertEqual(empty.resultSet.count, 0)
        XCTAssertFalse(empty.truncated)
        XCTAssertEqual(empty.resultSet.columns, [ColumnInfo(name: "id", type: "INTEGER"), ColumnInfo(name: "amount", type: "NUMERIC")])
        await warehouse.close()
    }

    func testTheTimeLimitStopsACPUBoundQueryAndTheSessionIsClean() async throws {
        var configuration = try await readerConfiguration()
        configuration.poolSize = 2 // so the next queries reuse the session the stopped query ran on
        let warehouse = PostgresWarehouse(configuration: configuration)
        do {
            _ = try await warehouse.runReadOnly(ReadOnlyQuery(
                "select count(*) from generate_series(1, 100000) a, generate_series(1, 100000) b", timeout: .milliseconds(300)))
            XCTFail("a query over 10^10 rows finished within its time limit")
        } catch let error as WarehouseError {
            XCTAssertEqual(error.code, .timeout, error.description)
        }
        // A session-level advisory lock is the one thing a read-only query can leave behind.
        _ = try await warehouse.runReadOnly(ReadOnlyQuery("select pg_advisory_lock(4242)"))
        _ = try await warehouse.runReadOnly(ReadOnlyQuery("select pg_advisory_lock(4243)"))
        try await withWarehouse { admin in
            let free = try await admin.read { try await $0.query("select pg_try_advisory_lock(4242) and pg_try_advisory_lock(4243)").scalar }
            XCTAssertEqual(free, .bool(true), "an advisory lock outlived its query")
            let timeout = try await warehouse.read { try await $0.query("select current_setting('statement_timeout'), current_setting('transaction_read_only')").rows[0] }
            XCTAssertEqual(timeout, [.text("0"), .text("off")], "the query's settings outlived it")
        }
        await warehouse.close()
    }
}
