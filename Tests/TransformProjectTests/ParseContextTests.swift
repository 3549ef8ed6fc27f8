import Foundation
import XCTest
@testable import TransformProject
import WarehouseKit

/// What templates see while the project loads and compiles: `flags.WHICH` is the verb running
/// (dbt sets it before parsing), `run_started_at` an aware UTC datetime as dbt's
/// `datetime.now(pytz.utc)`.
final class ParseContextTests: XCTestCase {
    func testFlagsWhichIsTheVerbWhileParsing() throws {
        let dir = try Fixtures.copy(["models/which.sql": "{{ config(materialized='table' if flags.WHICH == 'build' else 'view') }}\nselect 1 as x"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var options = Fixtures.options(dir)
        options.command = "build"
        XCTAssertEqual(try ProjectLoader.load(options).manifest.nodes["model.jaffle_shop.which"]?.config.materialized, "table")
        options.command = "run"
        XCTAssertEqual(try ProjectLoader.load(options).manifest.nodes["model.jaffle_shop.which"]?.config.materialized, "view")
    }

    func testRunStartedAtIsAnAwareUTCDatetime() throws {
        let dir = try Fixtures.copy(["models/when.sql": """
            select '{{ run_started_at }}' as printed, '{{ run_started_at.tzinfo }}' as zone,
                   '{{ (run_started_at - modules.datetime.timedelta(days=1)).strftime("%Y-%m-%d") }}' as yesterday,
                   {{ run_started_at > modules.datetime.datetime(2020, 1, 1, tzinfo=modules.pytz.utc) }} as later
            """])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let project = try ProjectLoader.load(Fixtures.options(dir))
        let sql = try Compiler(project: project, host: OfflineHost(dialect: project.dialect)).compile("model.jaffle_shop.when").sql
        let yesterday = ISO8601DateFormatter.string(from: Date().addingTimeInterval(-86_400), timeZone: TimeZone(identifier: "UTC")!,
                                                    formatOptions: [.withFullDate])
        XCTAssertNotNil(sql.range(of: #"'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\+00:00' as printed, 'UTC' as zone"#, options: .regularExpression), sql)
        XCTAssertTrue(sql.contains("'\(yesterday)' as yesterday"), sql)
        XCTAssertTrue(sql.contains("True as later"), sql)
    }

    /// A var holding Jinja renders in the node's context, and its ref counts as the node's, as
    /// dbt-core compiled the same project: `select 'hi!' as g, * from <raw_customers>` with
    /// `depends_on` the seed.
    func testVarsHoldingJinjaRenderInTheNodesContext() throws {
        let dir = try Fixtures.copy(["models/from_var.sql": "select '{{ var('greeting') }}' as g, * from {{ var('tbl') }}"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let project = try ProjectLoader.load(Fixtures.options(dir, vars: "{tbl: \"{{ ref('raw_customers') }}\", greeting: \"{{ 'hi' ~ '!' }}\"}"))
        let node = try XCTUnwrap(project.manifest.nodes["model.jaffle_shop.from_var"])
        XCTAssertEqual(node.dependsOnNodes, ["seed.jaffle_shop.raw_customers"])
        let sql = try Compiler(project: project, host: OfflineHost(dialect: project.dialect)).compile(node.uniqueId).sql
        let seed = try XCTUnwrap(project.manifest.nodes["seed.jaffle_shop.raw_customers"]?.relation)
        XCTAssertEqual(sql, "select 'hi!' as g, * from \(seed)")
    }
}
