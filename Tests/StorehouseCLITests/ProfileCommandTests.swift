import Foundation
import XCTest

/// `storehouse build --profile` then `storehouse profile`: the slowest models with the operator
/// their time goes to, as text and JSON; and what it says before any profiled build.
final class ProfileCommandTests: XCTestCase {
    func testAProfiledBuildThenTheSlowestModels() throws {
        let folder = ProjectFolder(prefix: "storehouse-profile")
        defer { folder.remove() }
        try folder.write("dbt_project.yml", "name: shop\nprofile: shop\nmodels:\n  shop:\n    +materialized: table\n")
        try folder.write("profiles.yml", "shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: \(folder.root.path)/w.duckdb\n")
        try folder.write("models/numbers.sql", "select i, i % 13 as bucket from range(200000) as t(i)")
        try folder.write("models/buckets.sql", "select bucket, count(*) as n, sum(i) as total from {{ ref('numbers') }} group by bucket")
        try folder.write("models/small.sql", "select 1 as one")

        let none = try folder.storehouse(["profile"])
        XCTAssertEqual(none.status, 2)
        XCTAssertTrue(none.stderr.contains("storehouse build --profile"), none.stderr)

        let build = try folder.storehouse(["build", "--profile"])
        XCTAssertEqual(build.status, 0, build.stdout + build.stderr)
        XCTAssertTrue(build.stdout.contains("Profiles of 3 models written to target/profiles.json"), build.stdout)

        let text = try folder.storehouse(["profile", "--top", "2"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.hasPrefix("Slowest 2 of 3 profiled models (duckdb"), text.stdout)
        let rows = text.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("      ") }
        XCTAssertEqual(rows.count, 3, "a header and two models:\n\(text.stdout)")

        let json = try folder.storehouse(["profile", "--format", "json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let models = try XCTUnwrap(object["models"] as? [[String: Any]])
        XCTAssertEqual(models.count, 3)
        let walls = models.compactMap { $0["wall_seconds"] as? Double }
        XCTAssertEqual(walls, walls.sorted(by: >), "slowest first")
        let numbers = try XCTUnwrap(models.first { $0["name"] as? String == "numbers" })
        XCTAssertEqual(numbers["rows_produced"] as? Int, 200_000)
        let buckets = try XCTUnwrap(models.first { $0["name"] as? String == "buckets" })
        XCTAssertEqual(buckets["rows_produced"] as? Int, 13)
        XCTAssertGreaterThanOrEqual(buckets["rows_scanned"] as? Int ?? 0, 200_000)
        XCTAssertNotNil((buckets["dominant_operator"] as? [String: Any])?["name"] as? String)

        let bad = try folder.storehouse(["profile", "--top", "0"])
        XCTAssertNotEqual(bad.status, 0)
    }
}
