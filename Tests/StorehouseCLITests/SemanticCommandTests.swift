import Foundation
import XCTest

/// `metrics` and `serve` as a user runs them: bad definitions stop them with file:line and the
/// closest names, and serve will not listen beyond this machine.
final class SemanticCommandTests: XCTestCase {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../SemanticLayerTests/Fixtures/shop").standardized.path

    /// A copy of the shop fixture with `file`'s text replaced where `old` appears.
    func project(editing file: String, replacing old: String, with new: String) throws -> String {
        let dir = NSTemporaryDirectory() + "storehouse-cli-sl-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: dir)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/" + file
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.contains(old), "the fixture holds the text to replace")
        try text.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
        return dir
    }

    func testServeRefusesToStartWhenATileNamesAnUnknownMetric() throws {
        let dir = try project(editing: "dashboards/overview.yml", replacing: "metric: revenue, format: currency", with: "metric: revnue, format: currency")
        let run = try StorehouseProcess.run(["serve", "--project-dir", dir, "--db", ":memory:", "--port", "0"])
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("dashboards/overview.yml:12:"), run.stderr)
        XCTAssertTrue(run.stderr.contains("unknown metric 'revnue'") && run.stderr.contains("did you mean 'revenue'?"), run.stderr)
        XCTAssertEqual(run.stdout, "", "nothing was served")
    }

    func testServeListensBeyondThisMachineOnlyWithAnAccessToken() throws {
        let run = try StorehouseProcess.run(["serve", "--project-dir", Self.fixture, "--host", "0.0.0.0"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("without an access token") && run.stderr.contains("--token-file"), run.stderr)
        let weak = try StorehouseProcess.run(["serve", "--project-dir", Self.fixture, "--host", "0.0.0.0"], environment: ["STOREHOUSE_TOKEN": "letmein"])
        XCTAssertEqual(weak.status, 2)
        XCTAssertTrue(weak.stderr.contains("$STOREHOUSE_TOKEN: the token is 7 characters; at least 16 are needed"), weak.stderr)
        XCTAssertFalse(weak.stderr.contains("letmein"), "a token is never printed")
        let tokens = NSTemporaryDirectory() + "storehouse-tokens-" + UUID().uuidString
        try "viewer \(String(repeating: "a", count: 20))\nsuperuser \(String(repeating: "b", count: 20))\n".write(toFile: tokens, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: tokens) }
        let badRole = try StorehouseProcess.run(["serve", "--project-dir", Self.fixture, "--token-file", tokens])
        XCTAssertEqual(badRole.status, 2)
        XCTAssertTrue(badRole.stderr.contains("\(tokens):2: unknown role 'superuser'"), badRole.stderr)
    }

    func testMetricsQueryExplainsAndNamesTheClosestMetric() throws {
        let explain = try StorehouseProcess.run(["metrics", "query", "--project-dir", Self.fixture, "--metrics", "aov",
                                                 "--group-by", "metric_time__month", "--order-by", "-metric_time__month", "--explain"])
        XCTAssertEqual(explain.status, 0, explain.stderr)
        XCTAssertTrue(explain.stdout.contains("nullif(d, 0)") && explain.stdout.contains("order by \"metric_time__month\" desc"), explain.stdout)
        let unknown = try StorehouseProcess.run(["metrics", "query", "--project-dir", Self.fixture, "--metrics", "revnue"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("did you mean 'revenue'?"), unknown.stderr)
    }

    func testASemanticModelReadingAMissingModelStopsEveryMetricsCommand() throws {
        let dir = try project(editing: "models/semantic.yml", replacing: "model: ref('customers')", with: "model: ref('customer')")
        let run = try StorehouseProcess.run(["metrics", "list", "--project-dir", dir])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("models/semantic.yml:") && run.stderr.contains("did you mean 'customers'?"), run.stderr)
    }
}
