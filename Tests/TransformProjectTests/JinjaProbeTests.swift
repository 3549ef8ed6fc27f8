import Foundation
import XCTest
@testable import TransformProject

/// 67 Jinja and dbt-context constructs, one per line, compiled by Storehouse and compared line by
/// line with what dbt-core 1.11 compiled (Fixtures/jinja_probe/expected/probe.sql).
final class JinjaProbeTests: XCTestCase {
    func testTheProbeCompilesAsDbtCoreCompiledIt() throws {
        let dir = Fixtures.root + "/jinja_probe"
        let project = try ProjectLoader.load(LoadOptions(projectDir: dir, environment: ["PROBE_DIR": "/tmp/probe"], homeDirectory: "/nonexistent"))
        let ours = try Compiler(project: project, host: OfflineHost(dialect: project.dialect)).compile("model.probe.probe").sql
        let expected = try String(contentsOfFile: dir + "/expected/probe.sql", encoding: .utf8)
        let ourLines = ours.split(separator: "\n", omittingEmptySubsequences: false)
        let dbtLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        var differing: [String] = []
        for (i, line) in dbtLines.enumerated() where i >= ourLines.count || ourLines[i] != line {
            differing.append("dbt:  \(line)\nours: \(i < ourLines.count ? String(ourLines[i]) : "(missing)")")
        }
        XCTAssertEqual(ourLines.count, dbtLines.count)
        XCTAssertTrue(differing.isEmpty, "\(differing.count) of \(dbtLines.count) lines differ from dbt-core's:\n" + differing.joined(separator: "\n"))
    }
}
