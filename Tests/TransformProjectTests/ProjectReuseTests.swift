import Foundation
import XCTest
@testable import TransformProject

/// `serve` runs the same project again and again, often with new vars (a landing sensor's file
/// list): what it may reuse, and what it must not.
final class ProjectReuseTests: XCTestCase {
    func project(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-reuse-\(UUID().uuidString)").path
        let base = [
            "dbt_project.yml": "name: reuse\nprofile: reuse\n",
            "profiles.yml": "reuse:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ':memory:'\n",
        ]
        for (path, text) in base.merging(files, uniquingKeysWith: { $1 }) {
            let url = URL(fileURLWithPath: dir).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return dir
    }

    func testAProjectWhoseLoadingReadsNoVarIsReusedWithNewVarsAndCompilesWithThem() throws {
        // Under `execute` only: dbt parses with execute false, so loading never calls var().
        let dir = try project(["models/landed.sql": "select {% if execute %}'{{ var('files', []) | join(',') }}'{% else %}''{% endif %} as files"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let loaded = try ProjectLoader.load(LoadOptions(projectDir: dir, vars: "{files: [a.csv]}"))
        XCTAssertFalse(loaded.loadingReadVars)
        let again = try XCTUnwrap(try loaded.withVars("{files: [b.csv, c.csv]}"))
        XCTAssertEqual(again.manifest.vars.first { $0.0 == "files" }?.1, .list([.string("b.csv"), .string("c.csv")]))
        XCTAssertEqual(try Compiler(project: again, host: OfflineHost(dialect: .duckdb)).compile("model.reuse.landed").sql,
                       "select 'b.csv,c.csv' as files")
        XCTAssertEqual(try Compiler(project: loaded, host: OfflineHost(dialect: .duckdb)).compile("model.reuse.landed").sql,
                       "select 'a.csv' as files", "the first project keeps its own vars")
        XCTAssertTrue(again.manifestBytes === loaded.manifestBytes, "vars are not in manifest.json, so its bytes are shared")
    }

    func testAProjectWhoseLoadingReadsAVarIsLoadedAgain() throws {
        let dir = try project(["models/m.sql": "{{ config(materialized=var('kind', 'view')) }}\nselect 1 as x"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let loaded = try ProjectLoader.load(LoadOptions(projectDir: dir))
        XCTAssertTrue(loaded.loadingReadVars)
        XCTAssertNil(try loaded.withVars("{kind: table}"), "other vars could load another materialization")
        XCTAssertEqual(try ProjectLoader.load(LoadOptions(projectDir: dir, vars: "{kind: table}")).manifest.nodes["model.reuse.m"]?.config.materialized, "table")
    }

    func testTheManifestIsEncodedOncePerCompiledSQLWithAFreshTimeAndInvocation() throws {
        let dir = try project(["models/m.sql": "select 1 as x"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let loaded = try ProjectLoader.load(LoadOptions(projectDir: dir))
        let compiled = [CompiledNode(uniqueId: "model.reuse.m", sql: "select 1 as x", renderedSQL: "select 1 as x", injectedCTEs: [],
                                     compiledPath: "target/compiled/reuse/models/m.sql")]
        let path = dir + "/target/manifest.json"
        func written() throws -> [String: Any] {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        }
        var encodings = 0
        let counting = ManifestBytesCache()
        _ = counting.bytes(compiled: compiled) { time, id in encodings += 1; return Array("{\"a\":\"\(time)\",\"b\":\"\(id)\"}".utf8) }
        let second = counting.bytes(compiled: compiled) { time, id in encodings += 1; return Array("{\"a\":\"\(time)\",\"b\":\"\(id)\"}".utf8) }
        XCTAssertFalse(String(decoding: second, as: UTF8.self).contains("generated-at"), "the markers are replaced")
        XCTAssertEqual(encodings, 1, "the same compiled SQL is encoded once")

        try ManifestWriter.write(loaded.manifest, compiled: compiled, to: path, cache: ManifestBytesCache())
        let first = try written()
        try ManifestWriter.write(loaded.manifest, compiled: compiled, to: path, cache: loaded.manifestBytes)
        let cached = try written()
        try ManifestWriter.write(loaded.manifest, compiled: compiled, to: path, cache: loaded.manifestBytes)
        let again = try written()
        let metadata = { (m: [String: Any]) in m["metadata"] as? [String: Any] ?? [:] }
        XCTAssertNotEqual(metadata(cached)["invocation_id"] as? String, metadata(again)["invocation_id"] as? String)
        XCTAssertEqual((metadata(again)["generated_at"] as? String)?.count, (metadata(first)["generated_at"] as? String)?.count)
        let nodes = { (m: [String: Any]) in (m["nodes"] as? [String: Any])?["model.reuse.m"] as? [String: Any] ?? [:] }
        XCTAssertEqual(nodes(again)["compiled_code"] as? String, "select 1 as x")
        XCTAssertEqual(NSDictionary(dictionary: nodes(again)), NSDictionary(dictionary: nodes(first)))
        XCTAssertEqual(Set(again.keys), Set(first.keys))
    }
}
