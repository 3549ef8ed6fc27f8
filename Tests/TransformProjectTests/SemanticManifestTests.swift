import Foundation
@testable import TransformProject
import XCTest

/// Semantic models, metrics and saved queries in manifest.json, compared entry by entry with what
/// dbt-core 1.11.16 wrote for the same project (Fixtures/semantic_manifest/expected: every metric
/// type, filters as strings and lists, measure inputs with fill_nulls_with / join_to_timespine,
/// create_metric, percentile and non-additive measures, offset windows, exports).
final class SemanticManifestTests: XCTestCase {
    static let fixture = Fixtures.root + "/semantic_manifest"

    func testSectionsAndMapsEqualDbtCores() throws {
        let project = try ProjectLoader.load(LoadOptions(projectDir: Self.fixture, homeDirectory: "/nonexistent"))
        let ours = ManifestWriter.jsonObject(project.manifest)
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.fixture + "/expected/manifest_semantic.json"))
        let expected = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        for section in ["semantic_models", "metrics", "saved_queries"] {
            let theirs = try XCTUnwrap(expected[section] as? [String: Any])
            var mine = try XCTUnwrap(ours[section] as? [String: Any])
            for (id, entry) in mine {
                var entry = try XCTUnwrap(entry as? [String: Any])
                XCTAssertNotNil(entry.removeValue(forKey: "created_at"), "\(id) has no created_at")
                mine[id] = entry
            }
            XCTAssertEqual(Set(mine.keys), Set(theirs.keys), section)
            for (id, entry) in theirs {
                let a = Self.canonical(mine[id] ?? NSNull()), b = Self.canonical(entry)
                XCTAssertEqual(a, b, "\(id) differs from dbt-core's")
            }
        }
        // parent_map and child_map: the semantic resources' entries, and the models' children.
        for map in ["parent_map", "child_map"] {
            let theirs = try XCTUnwrap(expected[map] as? [String: [String]])
            let mine = try XCTUnwrap(ours[map] as? [String: [String]])
            for (id, list) in theirs {
                XCTAssertEqual(mine[id].map { $0.filter { !$0.hasPrefix("test.") } }, list, "\(map)[\(id)]")
            }
        }
    }

    func testTheManifestLoadsInDbtsReaderWithItsSemanticResources() throws {
        let cache = ProcessInfo.processInfo.environment["STOREHOUSE_CACHE"] ?? (NSHomeDirectory() + "/.cache/storehouse")
        let python = cache + "/dbt-venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw XCTSkip("dbt-core is not installed (run scripts/dbt-venv.sh); loading the manifest in dbt's reader is skipped")
        }
        let project = try ProjectLoader.load(LoadOptions(projectDir: Self.fixture, homeDirectory: "/nonexistent"))
        let path = NSTemporaryDirectory() + "storehouse-semantic-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ManifestWriter.write(project.manifest, compiled: [], to: path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", """
            import sys
            from dbt.artifacts.schemas.manifest import WritableManifest
            m = WritableManifest.read_and_check_versions(sys.argv[1])
            print(len(m.semantic_models), len(m.metrics), len(m.saved_queries), m.metrics["metric.semantic_fixture.visit_to_order"].type_params.conversion_type_params.window.count)
            """, path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let failed = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, failed)
        XCTAssertEqual(printed.trimmingCharacters(in: .whitespacesAndNewlines), "2 11 1 7")
    }

    /// Sorted-key JSON text, numbers as JSON writes them.
    static func canonical(_ value: Any) -> String {
        let data = try? JSONSerialization.data(withJSONObject: ["v": value], options: [.sortedKeys, .fragmentsAllowed])
        return data.flatMap { String(data: $0, encoding: .utf8) } ?? "?"
    }
}
