import Foundation
import Learning
import WarehouseDuckDB
import WarehouseKit
import XCTest

@testable import LearningRuntime

/// Train and score against a real DuckDB warehouse: a feature table with train, validate and
/// score windows, the registry, the scores table, and what happens to them when input is bad.
final class ModelTasksTests: XCTestCase {
    var warehouse: DuckDBWarehouse!
    var folder: URL!

    override func setUp() async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ml-tasks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        warehouse = try DuckDBWarehouse(path: folder.appendingPathComponent("w.duckdb").path)
        // 3,000 customers per window; buying follows x (and group 'c'), with noise.
        try await warehouse.write { connection in
            try await connection.executeScript("""
                create schema marts;
                create table marts.features as
                select
                    i as customer_id,
                    w.ml_window,
                    sin(i * 12.9898 + w.k) as x,
                    case i % 3 when 0 then 'a' when 1 then 'b' else 'c' end as grp,
                    case when i % 7 = 0 then null else (i % 11) * 1.0 end as sometimes_null,
                    case when w.ml_window = 'score' then null
                         else (hash(i, w.k) % 1000) / 1000.0 < 1 / (1 + exp(-(2.5 * sin(i * 12.9898 + w.k) + case when i % 3 = 2 then 1 else 0 end - 0.5)))
                    end as bought
                from range(3000) as r(i)
                cross join (values ('train', 1), ('validate', 2), ('score', 3)) as w(ml_window, k);
                """)
        }
    }

    override func tearDown() async throws {
        await warehouse.close()
        try? FileManager.default.removeItem(at: folder)
    }

    func file(_ features: String = "{numeric: [x, {name: sometimes_null, missing: mean}], categorical: [grp]}") throws -> MLProjectFile {
        try MLProjectFile.parse("""
            models:
              - name: buyer
                training: features
                target: bought
                key: [customer_id]
                scores: buyer_scores
                score_column: probability
                features: \(features)
            """, path: folder.appendingPathComponent("ml.yml").path)
    }

    func tasks(_ file: MLProjectFile) -> ModelTasks {
        ModelTasks(project: file, projectName: "toy", warehouse: warehouse, relationOfModel: { name in
            name == "features" ? RelationName(schema: "marts", name: "features") : nil
        })
    }

    func rows(_ sql: String) async throws -> [[WarehouseValue]] {
        try await warehouse.read { try await $0.query(SQL(unsafeRaw: sql)).rows }
    }

    func testTrainsRecordsAVersionAndScoresTheScoreWindow() async throws {
        let tasks = tasks(try file())
        let declared = try tasks.project.model(named: "buyer")
        let trained = try await tasks.train(declared, now: Date(timeIntervalSince1970: 1_800_000_000))
        XCTAssertEqual(trained.model.version, 1)
        XCTAssertEqual(trained.model.trainingRows, 3000)
        XCTAssertEqual(trained.model.validationRows, 3000)
        XCTAssertTrue(trained.decision.promoted)
        guard case let .classification(metrics) = trained.model.evaluation else { return XCTFail("classifier") }
        XCTAssertGreaterThan(metrics.rocAUC, 0.7, "x carries the signal")
        XCTAssertEqual(trained.model.encoder.featureNames, ["x", "sometimes_null", "sometimes_null_missing", "grp=a", "grp=b", "grp=c"])

        let stored = try await rows("select model, version, promoted, metric_name, training_rows from ml.model_versions")
        XCTAssertEqual(stored, [["buyer", 1, true, "validation AUC", 3000]])

        let scored = try await tasks.score(declared, now: Date(timeIntervalSince1970: 1_800_000_100))
        XCTAssertEqual(scored.rows, 3000)
        XCTAssertEqual(scored.table.description, "ml.buyer_scores")
        let summary = try await rows("""
            select count(*), count(distinct customer_id), min(probability) > 0, max(probability) < 1, min(model_version), max(model_name)
            from ml.buyer_scores
            """)
        XCTAssertEqual(summary, [[3000, 3000, true, true, 1, "buyer"]])
        // The stored scores are the model's own: recompute one row by hand from the artefact.
        let model = try await warehouse.read { try await ModelRegistry.load("buyer", on: $0) }
        let row = try await rows("select x, grp, sometimes_null from marts.features where ml_window = 'score' and customer_id = 7")[0]
        let table = FeatureTable(name: "one", columns: [("x", .numbers([row[0].double])), ("grp", .labels([row[1].string])), ("sometimes_null", .numbers([row[2].double]))])
        let expected = try XCTUnwrap(model).score(table)[0]
        let stored7 = try await rows("select probability from ml.buyer_scores where customer_id = 7")[0][0].double
        XCTAssertEqual(try XCTUnwrap(stored7), expected, accuracy: 1e-12)
    }

    func testAWorseVersionIsRecordedButNotPromotedAndScoringKeepsTheAcceptedOne() async throws {
        let tasks = tasks(try file())
        let declared = try tasks.project.model(named: "buyer")
        _ = try await tasks.train(declared, now: Date())
        // The labels of the training window turn to noise: the next version learns nothing.
        try await warehouse.write { try await $0.execute("update marts.features set bought = (hash(customer_id) % 2 = 0) where ml_window = 'train'") }
        let second = try await tasks.train(declared, now: Date())
        XCTAssertEqual(second.model.version, 2)
        XCTAssertFalse(second.decision.promoted, second.decision.reason)
        XCTAssertTrue(second.decision.reason.contains("v1 stays"), second.decision.reason)
        let stored = try await rows("select version, promoted from ml.model_versions order by version")
        XCTAssertEqual(stored, [[1, true], [2, false]])
        let scored = try await tasks.score(declared, now: Date())
        XCTAssertEqual(scored.version, 1)
    }

    func testBadInputChangesNothing() async throws {
        let tasks = tasks(try file())
        let declared = try tasks.project.model(named: "buyer")
        _ = try await tasks.train(declared, now: Date())
        _ = try await tasks.score(declared, now: Date())
        let before = try await rows("select count(*), sum(probability) from ml.buyer_scores")

        // A feature the table lacks.
        let missing = self.tasks(try file("{numeric: [x, y]}"))
        await XCTAssertThrowsErrorAsync(try await missing.train(try missing.project.model(named: "buyer"), now: Date())) { error in
            XCTAssertEqual(error as? LearningError, .missingColumn(
                table: "marts.features", column: "y", available: ["customer_id", "ml_window", "x", "grp", "sometimes_null", "bought"]))
        }
        // NULLs in a feature that declares no fill: the row is named.
        let nulls = self.tasks(try file("{numeric: [x, sometimes_null]}"))
        await XCTAssertThrowsErrorAsync(try await nulls.train(try nulls.project.model(named: "buyer"), now: Date())) { error in
            XCTAssertEqual(error as? LearningError, .nullFeature(table: "marts.features (ml_window = 'train')", column: "sometimes_null", row: 1))
        }
        // A model from another feature set: the accepted version does not read what ml.yml now declares.
        let changed = self.tasks(try file("{numeric: [x]}"))
        await XCTAssertThrowsErrorAsync(try await changed.score(try changed.project.model(named: "buyer"), now: Date())) { error in
            XCTAssertTrue("\(error)".contains("model buyer v1 does not fit this table"), "\(error)")
            XCTAssertTrue("\(error)".contains("features removed: grp, sometimes_null"), "\(error)")
        }
        // One class only.
        try await warehouse.write { try await $0.execute("update marts.features set bought = false where ml_window = 'train'") }
        await XCTAssertThrowsErrorAsync(try await tasks.train(declared, now: Date())) { error in
            XCTAssertEqual("\(error)", "marts.features (ml_window = 'train').bought is false on all 3000 rows: there is nothing to learn; check the label's definition and the cutoff")
        }
        let versions = try await rows("select count(*) from ml.model_versions")
        XCTAssertEqual(versions, [[1]], "no failed attempt is recorded")
        let after = try await rows("select count(*), sum(probability) from ml.buyer_scores")
        XCTAssertEqual(after, before, "the scores are untouched")
        // An unknown project model.
        let unknown = try MLProjectFile.parse("models:\n  - {name: m, training: nope, target: y, key: [id], features: {numeric: [x]}}\n", path: "/p/ml.yml")
        await XCTAssertThrowsErrorAsync(try await self.tasks(unknown).train(try unknown.model(named: "m"), now: Date())) { error in
            XCTAssertEqual("\(error)", "ml.yml:2:5: model m reads nope, which is not a model of toy\n  hint: name a model of the project (storehouse ls --resource-type model)")
        }
    }
}

func XCTAssertThrowsErrorAsync<T>(
    _ expression: @autoclosure () async throws -> T, file: StaticString = #filePath, line: UInt = #line, _ handler: (Error) -> Void
) async {
    do {
        _ = try await expression()
        XCTFail("no error was thrown", file: file, line: line)
    } catch { handler(error) }
}
