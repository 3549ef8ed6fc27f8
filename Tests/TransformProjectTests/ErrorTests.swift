import Foundation
import XCTest
@testable import TransformProject

/// Each mistake a user can make gives one message with the place and the fix.
final class ErrorTests: XCTestCase {
    func testUnknownRefSuggestsTheClosestName() throws {
        let e = try Fixtures.loadError(["models/marts/bad.sql": "select 1\nfrom {{ ref('stg_order') }}"])
        XCTAssertEqual(e?.description, "models/marts/bad.sql:2:9: error: model 'bad' refers to 'stg_order', which is not a model, seed or snapshot of this project — did you mean 'stg_orders'?")
    }

    func testASeedAndAModelOfOneNameAreRefusedAsDbtRefusesThem() throws {
        let e = try XCTUnwrap(try Fixtures.loadError(["seeds/stg_orders.csv": "id\n1\n"]))
        XCTAssertEqual(e.file, "seeds/stg_orders.csv")
        XCTAssertTrue(e.message.contains("dbt found two resources with the name 'stg_orders': the model in models/staging/stg_orders.sql and the seed here"), e.message)
    }

    func testDuplicateModelNames() throws {
        let e = try Fixtures.loadError(["models/marts/stg_orders.sql": "select 1"])
        XCTAssertEqual(e?.description, "models/staging/stg_orders.sql: error: model 'stg_orders' is defined twice, here and in models/marts/stg_orders.sql; names must be unique, so rename one of them")
    }

    func testCycleIsNamed() throws {
        let e = try Fixtures.loadError(["models/staging/stg_customers.sql": "select * from {{ ref('customers') }}"])
        XCTAssertEqual(e?.message, "dependency cycle: model.jaffle_shop.customers -> model.jaffle_shop.stg_customers -> model.jaffle_shop.customers; remove one of these refs to break it")
    }

    func testJinjaSyntaxError() throws {
        let e = try Fixtures.loadError(["models/marts/bad.sql": "select 1\n{% if true %}\nselect 2\n"])
        XCTAssertEqual(e?.file, "models/marts/bad.sql")
        XCTAssertGreaterThan(e?.line ?? 0, 0)
        XCTAssertTrue(e?.message.contains("endif") ?? false, e?.message ?? "")
    }

    /// As in dbt, a call to a macro nobody defines loads (dbt's parser lets undefined names
    /// through) and fails that model when it compiles, naming the macro and the line.
    func testUndefinedMacro() throws {
        let dir = try Fixtures.copy(["models/marts/bad.sql": "select\n  {{ cents_to_euros('amount') }}"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let project = try ProjectLoader.load(Fixtures.options(dir))
        var e: TransformError?
        XCTAssertThrowsError(try Compiler(project: project, host: OfflineHost(dialect: project.dialect)).compile("model.jaffle_shop.bad")) {
            e = $0 as? TransformError
        }
        XCTAssertEqual(e?.file, "models/marts/bad.sql")
        XCTAssertEqual(e?.line, 2)
        XCTAssertTrue(e?.message.contains("cents_to_euros") ?? false, e?.message ?? "")
    }

    func testAFlowColumnEntryCutShortByACommaIsAWarningWithItsPlace() throws {
        let dir = try Fixtures.copy(["models/marts/more.yml": """
            version: 2
            models:
              - name: order_events
                columns:
                  - {name: status, description: Shipped, Complete or Returned.}
                  - {name: amount, description: "Total, in dollars."}
                  - name: order_id
                    descripton: Order.
            """])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let project = try ProjectLoader.load(Fixtures.options(dir))
        XCTAssertEqual(project.warnings.map(\.description), [
            "models/marts/more.yml:5:46: warning: column 'status' has a key dbt does not know: 'Complete or Returned.'; in a {…} entry a comma ends the description; put the description in quotes",
            "models/marts/more.yml:8:9: warning: column 'order_id' has a key dbt does not know: 'descripton'; dbt ignores it; known keys: config, constraints, data_tests, data_type, description, docs, granularity, meta, name, policy_tags, quote, tags, tests",
        ])
        let columns = try XCTUnwrap(project.manifest.nodes["model.jaffle_shop.order_events"]).columns
        XCTAssertEqual(columns.first { $0.name == "status" }?.description, "Shipped", "loaded as YAML reads it, as dbt does")
        XCTAssertEqual(columns.first { $0.name == "amount" }?.description, "Total, in dollars.")
        XCTAssertEqual(try ProjectLoader.load(Fixtures.options()).warnings, [], "the fixture itself is clean")
    }

    func testBadYAMLNamesFileAndLine() throws {
        let e = try Fixtures.loadError(["models/marts/broken.yml": "version: 2\nmodels:\n  - name: orders\n   columns: [\n"])
        XCTAssertEqual(e?.file, "models/marts/broken.yml")
        XCTAssertEqual(e?.line, 4)
        XCTAssertTrue(e?.message.hasPrefix("invalid YAML:") ?? false)
    }

    func testConfigOfTheWrongType() throws {
        let e = try Fixtures.loadError(["models/marts/bad.sql": "{{ config(materialized=3) }}\nselect 1"])
        XCTAssertEqual(e?.description, "models/marts/bad.sql:1:4: error: config 'materialized' must be a string, got integer 3; write it as '3'")
    }

    func testRaggedSeedRow() throws {
        let e = try Fixtures.loadError(["seeds/raw_customers.csv": "id,first_name,last_name\n1,Michael,P.\n2,Shawn\n"])
        XCTAssertEqual(e?.description, "seeds/raw_customers.csv:3: error: row 3 has 2 fields but the header has 3; fix the row (quote values that contain commas)")
    }

    func testUnknownSource() throws {
        let e = try Fixtures.loadError(["models/marts/bad.sql": "select * from {{ source('jaffle', 'raw_order') }}"])
        XCTAssertEqual(e?.description, "models/marts/bad.sql:1:18: error: model 'bad' uses source('jaffle', 'raw_order'), which no YAML file defines — did you mean 'jaffle.raw_orders'?; declare it under `sources:`")
    }

    func testMissingVarWithoutDefault() throws {
        let e = try Fixtures.loadError(["models/marts/bad.sql": "select {{ var('nope') }}"])
        XCTAssertEqual(e?.file, "models/marts/bad.sql")
        XCTAssertEqual(e?.line, 1)
        XCTAssertTrue(e?.message.contains("var('nope') is not set") ?? false, e?.message ?? "")
    }
}
