import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Learning
import LearningRuntime
@testable import Server
import WarehouseKit
import XCTest

/// `POST /api/v1/ml/{model}/score` with the churn model trained on the shared analytics store:
/// the scores are the model's own, and every malformed row is one clear 400.
final class ModelScoringRouteTests: XCTestCase {
    actor Trained {
        static let shared = Trained()
        private var model: TrainedModel?
        func get() async throws -> TrainedModel {
            if let model { return model }
            let (warehouse, served) = try await AnalyticsStore.shared.get()
            let file = try XCTUnwrap(served.machineLearning)
            let tasks = ModelTasks(project: file, manifest: served.project.manifest, warehouse: warehouse)
            let trained = try await tasks.train(try file.model(named: "churn"), now: Date()).model
            model = trained
            return trained
        }
    }

    func get(_ uri: String) async throws -> (status: HTTPResponse.Status, body: String) {
        let (warehouse, served) = try await AnalyticsStore.shared.get()
        return try await Application(router: StorehouseServer.router(served: served, warehouse: warehouse)).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { ($0.status, String(buffer: $0.body)) }
        }
    }

    func testTheModelPagesShowTheAcceptedVersion() async throws {
        let model = try await Trained.shared.get()
        let index = try await get("/ml")
        XCTAssertEqual(index.status, .ok)
        XCTAssertTrue(index.body.contains("<tr data-model=\"churn\"><td><a href=\"/ml/churn\">churn</a>"), index.body)
        XCTAssertTrue(index.body.contains("<td>v\(model.version)</td>"), index.body)
        XCTAssertTrue(index.body.contains("not trained yet: <code>storehouse ml train ltv</code>"), index.body)
        let page = try await get("/ml/churn")
        XCTAssertEqual(page.status, .ok)
        guard case let .classification(metrics) = model.evaluation else { return XCTFail("churn is a classifier") }
        XCTAssertTrue(page.body.contains("data-kpi=\"roc_auc\" data-value=\"\(WarehouseValue.format(double: metrics.rocAUC))\""), page.body)
        XCTAssertTrue(page.body.contains("<svg class=\"roc\""), page.body)
        XCTAssertEqual(page.body.components(separatedBy: "<tr data-decile=").count - 1, 10, "ten calibration bins")
        XCTAssertEqual(page.body.components(separatedBy: "<tr data-feature=").count - 1, model.encoder.featureNames.count + 1, "every coefficient and the intercept")
        XCTAssertTrue(page.body.contains("<tr data-version=\"\(model.version)\" class=\"accepted\">"), page.body)
        let untrained = try await get("/ml/ltv")
        XCTAssertEqual(untrained.status, .ok)
        XCTAssertTrue(untrained.body.contains("id=\"untrained\""), untrained.body)
        let unknown = try await get("/ml/nope")
        XCTAssertEqual(unknown.status, .notFound)
        XCTAssertTrue(unknown.body.contains("declares churn, ltv, cross_sell"), unknown.body)
    }

    func post(_ uri: String, _ body: String) async throws -> (status: HTTPResponse.Status, body: String) {
        let (warehouse, served) = try await AnalyticsStore.shared.get()
        return try await Application(router: StorehouseServer.router(served: served, warehouse: warehouse)).test(.router) { client in
            try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)) {
                ($0.status, String(buffer: $0.body))
            }
        }
    }

    /// Two rows of churn_features' score window as JSON objects of the model's features.
    func sampleRows(_ model: TrainedModel) async throws -> [[String: Any]] {
        let (warehouse, _) = try await AnalyticsStore.shared.get()
        let columns = model.definition.features.columns
        let result = try await warehouse.read {
            try await $0.query(SQL(unsafeRaw: "select \(columns.joined(separator: ", ")) from marts.churn_features where ml_window = 'score' order by customer_id limit 2"))
        }
        return result.rows.map { row in
            Dictionary(uniqueKeysWithValues: zip(columns, row).map { name, value -> (String, Any) in
                switch value {
                case .null: return (name, NSNull())
                case .text(let text): return (name, text)
                default: return (name, value.double ?? 0)
                }
            })
        }
    }

    func json(_ rows: [[String: Any]]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: ["rows": rows]), as: UTF8.self)
    }

    func testScoresAreTheAcceptedModelsOwn() async throws {
        let model = try await Trained.shared.get()
        let rows = try await sampleRows(model)
        let (status, body) = try await post("/api/v1/ml/churn/score", try json(rows))
        XCTAssertEqual(status, .ok, body)
        let answer = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        XCTAssertEqual(answer["model"] as? String, "churn")
        XCTAssertEqual(answer["version"] as? Int, model.version)
        XCTAssertEqual(answer["score_column"] as? String, "churn_probability")
        let scores = try XCTUnwrap(answer["scores"] as? [Double])
        let table = try ModelScoringService.table(rows, for: model)
        let expected = try model.score(table)
        XCTAssertEqual(scores.count, 2)
        for (got, want) in zip(scores, expected) { XCTAssertEqual(got, want, accuracy: 1e-12) }
        XCTAssertTrue(scores.allSatisfy { $0 > 0 && $0 < 1 })
    }

    func testEveryMalformedRequestIsOneClearError() async throws {
        let model = try await Trained.shared.get()
        let row = try await sampleRows(model)[0]
        func expect(_ body: String, _ status: HTTPResponse.Status, _ text: String, file: StaticString = #filePath, line: UInt = #line) async throws {
            let answer = try await post("/api/v1/ml/churn/score", body)
            XCTAssertEqual(answer.status, status, answer.body, file: file, line: line)
            XCTAssertTrue(answer.body.contains(text), answer.body, file: file, line: line)
        }
        var missing = row
        missing["recency_days"] = nil
        try await expect(try json([row, missing]), .badRequest, "row 2: feature 'recency_days' is missing")
        var extra = row
        extra["recency"] = 3
        try await expect(try json([extra]), .badRequest, "row 1: unknown feature 'recency'")
        var text = row
        text["frequency"] = "many"
        try await expect(try json([text]), .badRequest, "row 1: feature 'frequency' must be a number or null, not the text \\\"many\\\"")
        var null = row
        null["recency_days"] = NSNull()
        try await expect(try json([null]), .badRequest, "recency_days is NULL and the model declares no fill")
        try await expect("{\"rows\": []}", .badRequest, "rows holds 0 rows")
        try await expect(try json(Array(repeating: row, count: 1001)), .badRequest, "rows holds 1001 rows")
        try await expect("[1, 2]", .badRequest, "the body is not a JSON object")
        try await expect("{\"rows\": [1]}", .badRequest, "row 1 is not an object")
        try await expect("{\"row\": []}", .badRequest, "unknown field 'row'")
        let unknown = try await post("/api/v1/ml/nope/score", try json([row]))
        XCTAssertEqual(unknown.status, .notFound, unknown.body)
        XCTAssertTrue(unknown.body.contains("declared: churn, ltv, cross_sell"), unknown.body)
        let untrained = try await post("/api/v1/ml/ltv/score", try json([row]))
        XCTAssertEqual(untrained.status, .conflict, untrained.body)
        XCTAssertTrue(untrained.body.contains("storehouse ml train ltv"), untrained.body)
    }
}
