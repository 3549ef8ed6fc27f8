import Foundation
import XCTest
@testable import TransformProject

/// A model's own `tags` and `meta` add to the folder's and the YAML's, as dbt-core 1.11 merges
/// them (seen with `dbt parse` on this same project: tags folder, yaml, own; meta with the
/// file's `tier` winning).
final class ConfigMergingTests: XCTestCase {
    func testTagsAndMetaFromEveryLevelAreMerged() throws {
        let dir = NSTemporaryDirectory() + "storehouse-merge-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = [
            "dbt_project.yml": "name: tagx\nprofile: tagx\nconfig-version: 2\nmodels:\n  tagx:\n    +tags: ['folder']\n    +meta: {team: data, tier: 2}\n",
            "profiles.yml": "tagx:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ':memory:'\n",
            "models/m.sql": "{{ config(tags=['own'], meta={'tier': 1}) }}\nselect 1 as id\n",
            "models/s.yml": "version: 2\nmodels:\n  - name: m\n    config:\n      tags: ['yaml']\n      meta: {owner: ann}\n",
        ]
        for (path, text) in files {
            try FileManager.default.createDirectory(atPath: (dir + "/" + path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: dir + "/" + path, atomically: true, encoding: .utf8)
        }
        let project = try ProjectLoader.load(LoadOptions(projectDir: dir, environment: [:], homeDirectory: "/nonexistent"))
        let model = try XCTUnwrap(project.manifest.nodes["model.tagx.m"])
        XCTAssertEqual(model.config.tags, ["folder", "yaml", "own"])
        XCTAssertEqual(model.config["meta"], .dict([("team", .string("data")), ("tier", .int(1)), ("owner", .string("ann"))]))
        let selected = try Selector(manifest: project.manifest).select(["tag:own"])
        XCTAssertEqual(selected, ["model.tagx.m"])
    }
}

/// Config values written as Jinja, in dbt_project.yml and in property files, render as dbt
/// renders them (with target, var and env_var; `False` becomes a boolean).
final class RenderedConfigTests: XCTestCase {
    func testJinjaConfigValuesRender() throws {
        let dir = NSTemporaryDirectory() + "storehouse-jinjacfg-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = [
            "dbt_project.yml": """
                name: cfg
                profile: cfg
                config-version: 2
                vars:
                  enable_legacy: false
                models:
                  cfg:
                    +materialized: "{{ 'view' if target.name == 'prod' else 'table' }}"
                    legacy:
                      +enabled: "{{ var('enable_legacy', true) }}"
                """,
            "profiles.yml": "cfg:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ':memory:'\n",
            "models/current.sql": "select 1 as id",
            "models/legacy/old.sql": "select 1 as id",
            "models/schema.yml": """
                version: 2
                models:
                  - name: current
                    columns:
                      - name: id
                        data_tests:
                          - unique:
                              config:
                                enabled: "{{ target.type != 'duckdb' }}"
                          - not_null
                """,
        ]
        for (path, text) in files {
            try FileManager.default.createDirectory(atPath: (dir + "/" + path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: dir + "/" + path, atomically: true, encoding: .utf8)
        }
        let manifest = try ProjectLoader.load(LoadOptions(projectDir: dir, environment: [:], homeDirectory: "/nonexistent")).manifest
        XCTAssertEqual(manifest.nodes["model.cfg.current"]?.config.materialized, "table")
        XCTAssertEqual(manifest.nodes["model.cfg.current"]?.config.enabled, true)
        XCTAssertNotEqual(manifest.nodes["model.cfg.old"]?.config.enabled, true, "legacy/ is disabled by the rendered var")
        let tests = manifest.nodes.values.filter { $0.resourceType == .test && $0.config.enabled }.map(\.name).sorted()
        XCTAssertEqual(tests, ["not_null_current_id"])
    }
}
