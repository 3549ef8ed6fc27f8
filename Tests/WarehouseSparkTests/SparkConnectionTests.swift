import Foundation
import WarehouseKit
@testable import WarehouseSpark
import TransformProject
import TransformRuntime
import XCTest

/// What the Spark adapter does beyond the shared suite: its URL form, Spark SQL's lexing, the
/// errors of a server that is down or refuses, and nested types as text.
final class SparkConnectionTests: XCTestCase {
    func testConnectionStringsParseAsSparkConnectWritesThem() throws {
        let plain = try SparkConfiguration(url: "sc://spark.internal:15010")
        XCTAssertEqual([plain.host, String(plain.port), plain.schema], ["spark.internal", "15010", "default"])
        XCTAssertFalse(plain.useSSL)
        let managed = try SparkConfiguration(url: "sc://dbc.example.com:443/;token=dapi123;schema=analytics;user_id=ana")
        XCTAssertEqual(managed.token, "dapi123")
        XCTAssertTrue(managed.useSSL, "a token implies TLS, as in pyspark")
        XCTAssertEqual([managed.schema, managed.user], ["analytics", "ana"])
        XCTAssertEqual(SparkConfiguration.redacted("sc://h:443/;token=secret;use_ssl=true"), "sc://h:443/;token=***;use_ssl=true")
        XCTAssertEqual(try SparkConfiguration(url: "sc://onlyhost").port, 15002)
        XCTAssertThrowsError(try SparkConfiguration(url: "sc://h:99999")) { XCTAssertTrue("\($0)".contains("is not a port number"), "\($0)") }
        XCTAssertThrowsError(try SparkConfiguration(url: "sc://h:1/;colour=red")) { XCTAssertTrue("\($0)".contains("unknown parameter 'colour'"), "\($0)") }
        XCTAssertThrowsError(try SparkConfiguration(url: "http://h")) { XCTAssertTrue("\($0)".contains("not a Spark Connect URL"), "\($0)") }
    }

    func testScriptsSplitAndPlaceholdersRenameOutsideQuotesAndComments() {
        let text = SparkSQLText("""
            insert into t values ($1, 'it\\'s $2; fine', "a;b", `c;d`); -- $3; a comment
            /* nested /* $4; */ still */ select $2
            ;;
            """)
        XCTAssertEqual(text.statements, ["insert into t values ($1, 'it\\'s $2; fine', \"a;b\", `c;d`)", "-- $3; a comment\n/* nested /* $4; */ still */ select $2"])
        XCTAssertEqual(text.highestPlaceholder, 2)
        XCTAssertTrue(text.withNamedMarkers.hasPrefix("insert into t values (:p1, 'it\\'s $2; fine'"), text.withNamedMarkers)
        XCTAssertTrue(text.withNamedMarkers.contains("still */ select :p2"), text.withNamedMarkers)
    }

    func testSparksMessageLosesItsPlanAndStack() {
        let said = SparkErrors.sparkMessage("""
            [TABLE_OR_VIEW_NOT_FOUND] The table or view `x` cannot be found. SQLSTATE: 42P01; line 1 pos 14;
            'Project [*]
            +- 'UnresolvedRelation [x], [], false

            JVM stacktrace:
            org.apache.spark.sql.AnalysisException
            """)
        XCTAssertEqual(said, "[TABLE_OR_VIEW_NOT_FOUND] The table or view `x` cannot be found. SQLSTATE: 42P01; line 1 pos 14")
    }

    func testAServerThatIsDownIsNamedWithWhatToDo() async throws {
        // A port nothing listens on (bound, then closed).
        var configuration = SparkConfiguration(host: "127.0.0.1", port: 1)
        configuration.statementTimeout = .seconds(20)
        do {
            let warehouse = try await SparkWarehouse.connect(configuration)
            await warehouse.close()
            XCTFail("connecting to a closed port should fail")
        } catch let error as WarehouseError {
            XCTAssertEqual(error.kind, .connection)
            XCTAssertTrue(error.message.hasPrefix("cannot reach the Spark Connect server at 127.0.0.1:1"), error.message)
            XCTAssertTrue(error.hint?.contains("start-connect-server.sh") ?? false, "\(error)")
        }
    }

    func testNestedValuesReadAsSparkWritesThemAndTypesCarrySparkNames() async throws {
        try await SparkTestServer.withWarehouse { warehouse in
            let result = try await warehouse.read { try await $0.query("""
                select array(1, 2, 3) as a, named_struct('x', 1, 'y', 'b') as s, map('k', 2) as m,
                       cast(null as string) as n, cast(1 as tinyint) as t, cast(-12.5 as decimal(10, 3)) as d,
                       timestamp_ntz'2024-02-29 13:45:07.25' as ntz, timestamp'2024-02-29 13:45:07.25' as tz
                """) }
            XCTAssertEqual(result.columns.map(\.type), ["ARRAY<INT>", "STRUCT<x: INT, y: STRING>", "MAP<STRING, INT>", "STRING", "TINYINT",
                                                        "DECIMAL(10,3)", "TIMESTAMP_NTZ", "TIMESTAMP"])
            XCTAssertEqual(result.rows.first?.map(\.description),
                           ["[1, 2, 3]", "{1, b}", "{k -> 2}", "NULL", "1", "-12.500", "2024-02-29 13:45:07.25", "2024-02-29 13:45:07.25+00"])
        }
    }

    func testAQuerySparkRejectsSaysWhyAndTheConnectionGoesOn() async throws {
        try await SparkTestServer.withWarehouse { warehouse in
            do {
                _ = try await warehouse.read { try await $0.query("select 1/0 as boom") }
                XCTFail("division by zero fails under ANSI mode")
            } catch let error as WarehouseError {
                XCTAssertTrue(error.message.contains("DIVIDE_BY_ZERO"), error.message)
                XCTAssertEqual(error.sql, "select 1/0 as boom")
            }
            let answer = try await warehouse.read { try await $0.query("select 40 + 2").scalar }
            XCTAssertEqual(answer, .int(42))
        }
    }
}

/// Bad input against a real server: a wrong token, and a model Spark rejects mid-build.
final class SparkFailureTests: XCTestCase {
    func testAWrongTokenIsRefusedWithTheHostAndWhatToCheck() async throws {
        var configuration = try SparkTestServer.configuration
        guard configuration.token != nil else { throw XCTSkip("the test server takes no token (scripts/with-spark.sh starts one that does)") }
        configuration.token = "not-the-token"
        do {
            let warehouse = try await SparkWarehouse.connect(configuration)
            await warehouse.close()
            XCTFail("a wrong token should be refused")
        } catch let error as WarehouseError {
            XCTAssertEqual(error.kind, .connection)
            XCTAssertTrue(error.message.hasPrefix("the Spark Connect server at \(configuration.endpoint) refused the credentials"), error.message)
            XCTAssertNil(error.sql, "the statement is not the problem")
            XCTAssertTrue(error.hint?.contains("token") ?? false, "\(error)")
        }
    }

    func testAModelSparkRejectsLeavesTheTableOfTheLastBuild() async throws {
        try await SparkTestServer.withWarehouse { warehouse in
            let configuration = warehouse.configuration
            let project = try SparkTestProject(warehouse: warehouse)
            defer { project.remove() }
            func build() async throws -> RunSummary { try await project.build() }
            try project.write("models/orders.sql", "select 1 as id, 'first' as version")
            let first = try await build()
            XCTAssertTrue(first.succeeded, "\(first.results.map(\.message))")
            try project.write("models/orders.sql", "select 1 / 0 as id, 'second' as version")
            let second = try await build()
            let failed = try XCTUnwrap(second.results.first { $0.name == "orders" })
            XCTAssertEqual(failed.status, .error)
            XCTAssertTrue(failed.message.contains("DIVIDE_BY_ZERO"), failed.message)
            let kept = try await warehouse.read { try await $0.query("select version from \(identifier: configuration.schema, "orders")").rows }
            XCTAssertEqual(kept, [[.text("first")]], "the failed build left the last build's table")
            let leftovers = try await warehouse.read { try await $0.relations(in: configuration.schema) }.map(\.name.name)
            XCTAssertEqual(leftovers, ["orders"], "no temporary table left behind")
        }
    }
}
