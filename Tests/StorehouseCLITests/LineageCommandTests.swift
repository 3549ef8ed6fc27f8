import Foundation
import XCTest

/// `storehouse lineage` on a small built project: the tree up to the seed and down to the marts,
/// JSON for tools, and an unknown column named with near matches.
final class LineageCommandTests: XCTestCase {
    /// A project from `files` (`$ROOT` is its folder), built.
    func built(_ files: [String: String]) throws -> ProjectFolder {
        let folder = ProjectFolder(prefix: "storehouse-lineage")
        for (path, text) in files { try folder.write(path, text.replacingOccurrences(of: "$ROOT", with: folder.root.path)) }
        let build = try folder.storehouse(["build"])
        XCTAssertEqual(build.status, 0, build.stdout + build.stderr)
        return folder
    }

    func testUpstreamDownstreamJSONAndAnUnknownColumn() throws {
        let folder = try built([
            "dbt_project.yml": "name: shop\nprofile: shop\nmodels:\n  shop:\n    staging:\n      +schema: staging\n    marts:\n      +schema: marts\n",
            "profiles.yml": "shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: $ROOT/w.duckdb\n",
            "seeds/raw_orders.csv": "id,customer,amount\n1,ann,10.5\n2,bob,3\n",
            "models/staging/stg_orders.sql": "select id as order_id, lower(customer) as customer, amount from {{ ref('raw_orders') }}",
            "models/marts/revenue.sql": "with o as (select * from {{ ref('stg_orders') }})\nselect customer, sum(amount) as revenue, count(*) as orders from o group by customer",
        ])
        defer { folder.remove() }

        let up = try folder.storehouse(["lineage", "main_marts.revenue.revenue"])
        XCTAssertEqual(up.status, 0, up.stderr)
        XCTAssertEqual(up.stdout, """
            main_marts.revenue.revenue
            └── aggregation of main_staging.stg_orders.amount
                └── identity of main.raw_orders.amount  [seed]

            """)
        let down = try folder.storehouse(["lineage", "raw_orders.customer", "--downstream"])
        XCTAssertEqual(down.stdout, """
            main.raw_orders.customer
            └── main_staging.stg_orders.customer (transformation)
                └── main_marts.revenue.customer (identity)

            """)
        let json = try folder.storehouse(["lineage", "revenue.revenue", "--format", "json"])
        let tree = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let first = try XCTUnwrap((tree["upstream"] as? [[String: Any]])?.first)
        XCTAssertEqual(first["relation"] as? String, "main_staging.stg_orders")
        XCTAssertEqual(first["derivation"] as? String, "aggregation")

        let summary = try folder.storehouse(["lineage"])
        XCTAssertEqual(summary.stdout, "2 models traced: 6 columns traced, 0 untraceable, 0 models not traced\n")

        // Impact analysis: what a change to the seed's customer column touches, and what its amount alone does not.
        let impact = try folder.storehouse(["ls", "--select", "column:raw_orders.customer+", "--output", "name"])
        XCTAssertEqual(impact.status, 0, impact.stderr)
        XCTAssertEqual(impact.stdout.split(separator: "\n").sorted(), ["raw_orders", "revenue", "stg_orders"])
        let own = try folder.storehouse(["ls", "--select", "column:stg_orders.order_id+", "--output", "name"])
        XCTAssertEqual(own.stdout, "stg_orders\n", "no mart column is built from order_id")
        let build = try folder.storehouse(["build", "--select", "column:raw_orders.customer+"])
        XCTAssertEqual(build.status, 2)
        XCTAssertTrue(build.stderr.contains("selects by column lineage"), build.stderr)

        // OpenLineage job events, one per model, with the columnLineage facet.
        let events = try folder.storehouse(["lineage", "--openlineage"])
        XCTAssertEqual(events.status, 0, events.stderr)
        let lines = events.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        let event = try XCTUnwrap(lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .first { ($0["job"] as? [String: Any])?["name"] as? String == "model.shop.revenue" })
        XCTAssertEqual(event["schemaURL"] as? String, "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent")
        let output = try XCTUnwrap((event["outputs"] as? [[String: Any]])?.first)
        XCTAssertEqual(output["namespace"] as? String, "duckdb://\(folder.root.standardizedFileURL.path)/w.duckdb")
        XCTAssertEqual(output["name"] as? String, "w.main_marts.revenue")
        let facet = try XCTUnwrap((output["facets"] as? [String: Any])?["columnLineage"] as? [String: Any])
        let revenue = try XCTUnwrap(((facet["fields"] as? [String: Any])?["revenue"] as? [String: Any])?["inputFields"] as? [[String: Any]])
        XCTAssertEqual(revenue.count, 1)
        XCTAssertEqual(revenue[0]["name"] as? String, "w.main_staging.stg_orders")
        XCTAssertEqual(revenue[0]["field"] as? String, "amount")
        XCTAssertEqual((revenue[0]["transformations"] as? [[String: Any]])?.first?["subtype"] as? String, "AGGREGATION")
        let grouped = try XCTUnwrap(facet["dataset"] as? [[String: Any]])
        XCTAssertEqual(grouped.map { "\($0["field"] ?? "") \(($0["transformations"] as? [[String: Any]])?.first?["subtype"] ?? "")" }, ["customer GROUP_BY"])

        let unknown = try folder.storehouse(["lineage", "revenue.revenu"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.hasPrefix("error: no column 'revenue.revenu'"), unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("did you mean main_marts.revenue.revenue"), unknown.stderr)
    }

    func testAnEphemeralModelIsTracedThroughAsTheCTEItBecomes() throws {
        let folder = try built([
            "dbt_project.yml": "name: shop\nprofile: shop\n",
            "profiles.yml": "shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: $ROOT/w.duckdb\n",
            "seeds/raw_orders.csv": "id,customer,amount\n1,ann,10.5\n2,bob,3\n",
            "models/paid.sql": "{{ config(materialized='ephemeral') }}\nselect id, upper(customer) as customer, amount from {{ ref('raw_orders') }} where amount > 5",
            "models/big_spenders.sql": "select customer, amount * 2 as doubled from {{ ref('paid') }}",
        ])
        defer { folder.remove() }
        let up = try folder.storehouse(["lineage", "big_spenders.customer"])
        XCTAssertEqual(up.status, 0, up.stderr)
        XCTAssertEqual(up.stdout, """
            main.big_spenders.customer
            └── transformation of main.raw_orders.customer  [seed]

            """)
        let filters = try folder.storehouse(["lineage", "--openlineage"])
        XCTAssertTrue(filters.stdout.contains("\"field\":\"amount\",\"name\":\"w.main.raw_orders\",\"namespace\""), filters.stdout)
        XCTAssertTrue(filters.stdout.contains("\"subtype\":\"FILTER\""), "the ephemeral model's where clause is a filter of big_spenders")
    }
}
