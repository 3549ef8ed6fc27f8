import Foundation
import XCTest

/// `storehouse ml train / score / models / show` on a small project: a feature model with
/// train, validate and score windows, its model declared in ml.yml.
final class MLCommandTests: XCTestCase {
    func project() throws -> ProjectFolder {
        let folder = ProjectFolder(prefix: "storehouse-ml")
        try folder.write("dbt_project.yml", "name: shop\nprofile: shop\nmodels:\n  shop:\n    +materialized: table\n")
        try folder.write("profiles.yml", "shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: \(folder.root.path)/w.duckdb\n")
        try folder.write("models/buyers.sql", """
            select
                i as customer_id,
                w.ml_window,
                sin(i * 12.9898 + w.k) as interest,
                case i % 3 when 0 then 'Search' when 1 then 'Email' else 'Display' end as source,
                case when w.ml_window = 'score' then null
                     else (hash(i, w.k) % 1000) / 1000.0 < 1 / (1 + exp(-(2 * sin(i * 12.9898 + w.k) - 0.3)))
                end as bought
            from range(2000) as r(i)
            cross join (values ('train', 1), ('validate', 2), ('score', 3)) as w(ml_window, k)
            """)
        try folder.write("ml.yml", """
            models:
              - name: buyer
                training: buyers
                target: bought
                key: [customer_id]
                score_column: probability
                features:
                  numeric: [interest]
                  categorical: [source]
            """)
        return folder
    }

    func testTrainScoreListAndShow() throws {
        let folder = try project()
        defer { folder.remove() }
        XCTAssertEqual(try folder.storehouse(["build"]).status, 0)

        let before = try folder.storehouse(["ml", "score"])
        XCTAssertEqual(before.status, 2)
        XCTAssertTrue(before.stderr.contains("model buyer has no accepted version to score with"), before.stderr)
        XCTAssertTrue(before.stderr.contains("storehouse ml train buyer"), before.stderr)

        let train = try folder.storehouse(["ml", "train"])
        XCTAssertEqual(train.status, 0, train.stderr)
        XCTAssertTrue(train.stdout.hasPrefix("buyer v1: trained on 2,000 rows, validated on 2,000 later rows of main.buyers"), train.stdout)
        XCTAssertTrue(train.stdout.contains("validation AUC 0."), train.stdout)
        XCTAssertTrue(train.stdout.contains("promoted: first version of buyer"), train.stdout)
        XCTAssertTrue(train.stdout.contains("strongest features (standardised): interest +"), train.stdout)

        let score = try folder.storehouse(["ml", "score", "buyer"])
        XCTAssertEqual(score.status, 0, score.stderr)
        XCTAssertTrue(score.stdout.hasPrefix("buyer v1: scored 2,000 rows → ml.buyer_scores"), score.stdout)
        let stored = try StorehouseProcess.run(["query", "--db", folder.root.path + "/w.duckdb", "--format", "csv",
                                                "select count(*) as n, min(model_version) as v from ml.buyer_scores where probability between 0 and 1"])
        XCTAssertEqual(stored.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "n,v\n2000,1", stored.stderr)

        XCTAssertEqual(try folder.storehouse(["ml", "train", "buyer"]).status, 0)
        let models = try folder.storehouse(["ml", "models"])
        XCTAssertEqual(models.status, 0, models.stderr)
        let rows = models.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertEqual(rows.count, 3, models.stdout)
        XCTAssertEqual(Array(rows[1].prefix(3)), ["buyer", "v2", "yes"], models.stdout)
        XCTAssertEqual(Array(rows[2].prefix(2)), ["buyer", "v1"], models.stdout)
        XCTAssertNotEqual(rows[2][2], "yes", "only the latest promoted version is accepted")
        XCTAssertTrue(models.stdout.contains("first version of buyer"), models.stdout)

        let json = try folder.storehouse(["ml", "show", "buyer", "--version", "1", "--format", "json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let artefact = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(artefact["version"] as? Int, 1)
        XCTAssertEqual(((artefact["coefficients"] as? [String: Any])?["weights"] as? [Double])?.count, 4, "interest and three sources")
        let text = try folder.storehouse(["ml", "show", "buyer"])
        XCTAssertTrue(text.stdout.hasPrefix("buyer v2 (classifier"), text.stdout)
        XCTAssertTrue(text.stdout.contains("calibration by decile"), text.stdout)
    }

    func testAJobBuildsTrainsAndScoresInOneRun() throws {
        let folder = try project()
        defer { folder.remove() }
        try folder.write("jobs.yml", """
            jobs:
              daily:
                steps:
                  - build:
                  - ml_train:
                  - ml_score: {models: [buyer]}
            """)
        let run = try StorehouseProcess.run(["jobs", "run", "daily", "--project-dir", folder.root.path],
                                            environment: ["STOREHOUSE_RUNS_DB": folder.root.path + "/runs.sqlite"])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("run 1 of job 'daily' succeeded"), run.stdout)
        let show = try StorehouseProcess.run(["runs", "show", "1", "--project-dir", folder.root.path],
                                             environment: ["STOREHOUSE_RUNS_DB": folder.root.path + "/runs.sqlite"])
        XCTAssertTrue(show.stdout.contains("step 'ml_train' (ml_train) attempt 1: succeeded"), show.stdout)
        XCTAssertTrue(show.stdout.contains("trained buyer v1 promoted"), show.stdout)
        XCTAssertTrue(show.stdout.contains("scored buyer v1: 2000 rows"), show.stdout)
        // The scoring record tells readers (and serve) which version the scores table holds.
        let record = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.root.appendingPathComponent("target/ml_results.json"))) as? [String: Any])
        let buyer = try XCTUnwrap((record["models"] as? [String: Any])?["buyer"] as? [String: Any])
        XCTAssertEqual(buyer["version"] as? Int, 1)
        XCTAssertEqual(buyer["rows"] as? Int, 2000)
        XCTAssertEqual(buyer["table"] as? String, "ml.buyer_scores")
        XCTAssertEqual(buyer["trained_version"] as? Int, 1)
        XCTAssertEqual(buyer["trained_promoted"] as? Bool, true)
    }

    /// `ml build` trains and scores every model, side by side; a model that fails to train is
    /// reported (exit 2) and keeps its old scores, while the others are built.
    func testBuildTrainsThenScoresAndOneFailureLeavesTheOthersBuilt() throws {
        let folder = try project()
        defer { folder.remove() }
        XCTAssertEqual(try folder.storehouse(["build"]).status, 0)
        let built = try folder.storehouse(["ml", "build"])
        XCTAssertEqual(built.status, 0, built.stderr)
        let lines = built.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.first?.hasPrefix("buyer v1: trained on 2,000 rows") ?? false, built.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("buyer v1: scored 2,000 rows → ml.buyer_scores") }, built.stdout)

        // A second model reading a column the table does not have: buyer is still built (v2).
        let declared = try String(contentsOf: folder.root.appendingPathComponent("ml.yml"), encoding: .utf8)
        try folder.write("ml.yml", declared + "\n" + """
              - name: broken
                training: buyers
                target: bought
                key: [customer_id]
                features:
                  numeric: [no_such_column]
            """)
        let partly = try folder.storehouse(["ml", "build"])
        XCTAssertEqual(partly.status, 2, partly.stdout)
        XCTAssertTrue(partly.stdout.contains("buyer v2: scored 2,000 rows"), partly.stdout)
        XCTAssertFalse(partly.stdout.contains("broken v"), partly.stdout)
        XCTAssertTrue(partly.stderr.contains("no_such_column"), partly.stderr)
        let stored = try StorehouseProcess.run(["query", "--db", folder.root.path + "/w.duckdb", "--format", "csv",
                                                "select count(*) as n, max(model_version) as v from ml.buyer_scores"])
        XCTAssertEqual(stored.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "n,v\n2000,2", stored.stderr)
        let tables = try StorehouseProcess.run(["query", "--db", folder.root.path + "/w.duckdb", "--format", "csv",
                                                "select count(*) from information_schema.tables where table_name = 'broken_scores'"])
        XCTAssertEqual(tables.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "count_star()\n0", tables.stderr)
    }

    func testMistakesGetOneMessage() throws {
        let folder = try project()
        defer { folder.remove() }
        let unknown = try folder.storehouse(["ml", "train", "buyers"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertEqual(unknown.stderr, "error: no model named 'buyers' in \(folder.root.path)/ml.yml\n  hint: declared: buyer\n")
        let unbuilt = try folder.storehouse(["ml", "train"])
        XCTAssertEqual(unbuilt.status, 2)
        XCTAssertTrue(unbuilt.stderr.contains("main.buyers does not exist in the warehouse"), unbuilt.stderr)
        XCTAssertTrue(unbuilt.stderr.contains("storehouse build --select buyers"), unbuilt.stderr)
        try folder.write("ml.yml", "models:\n  - name: buyer\n    training: buyers\n    target: bought\n    key: [customer_id]\n    features: {numeric: [interest]}\n    l2: lots\n")
        let typo = try folder.storehouse(["ml", "models"])
        XCTAssertEqual(typo.status, 2)
        XCTAssertEqual(typo.stderr, "error: ml.yml:7:9: l2 'lots' is not a number\n")
        try FileManager.default.removeItem(at: folder.root.appendingPathComponent("ml.yml"))
        let none = try folder.storehouse(["ml", "models"])
        XCTAssertEqual(none.status, 2)
        XCTAssertTrue(none.stderr.contains("ml.yml does not exist: the project declares no models"), none.stderr)
    }
}
