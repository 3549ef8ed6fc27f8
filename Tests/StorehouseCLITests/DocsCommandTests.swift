import Foundation
import XCTest

/// `storehouse docs generate` on a small built project: target/catalog.json describes each built
/// model, seed and source (type, columns in order with their types, row counts for tables), leaves
/// out what the warehouse does not hold (an ephemeral model, a model never built), and the
/// artifacts load in dbt-core's own readers where dbt is installed.
final class DocsCommandTests: XCTestCase {
    private var project: ProjectFolder!
    private var root: URL { project.root }

    override func setUpWithError() throws {
        project = ProjectFolder(prefix: "storehouse-docs-cli")
        let files: [String: String] = [
            "dbt_project.yml": "name: shop\nprofile: shop\nmodels:\n  shop:\n    +materialized: table\n",
            "profiles.yml": "shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: \(root.path)/w.duckdb\n      threads: 2\n",
            "seeds/countries.csv": "code,name\nde,Germany\nfr,France\nit,Italy\n",
            "models/orders.sql": "select range::integer as order_id, 'de' as country, range * 1.5 as amount from range(7)",
            "models/order_view.sql": "{{ config(materialized='view') }}\nselect order_id, amount from {{ ref('orders') }}",
            "models/rates.sql": "{{ config(materialized='ephemeral') }}\nselect 1 as rate",
            "models/by_country.sql": """
                select c.name as country, count(*) as orders, sum(o.amount) as revenue
                from {{ ref('orders') }} o join {{ ref('countries') }} c on c.code = o.country
                cross join {{ ref('rates') }}
                group by 1
                """,
            "models/schema.yml": """
                version: 2
                sources:
                  - name: raw
                    schema: main
                    tables:
                      - name: orders
                        identifier: orders
                models:
                  - name: orders
                    description: One row per order.
                    columns:
                      - {name: order_id, description: "The order, one row each.", data_tests: [unique]}
                """,
        ]
        for (path, text) in files { try project.write(path, text) }
    }

    override func tearDownWithError() throws {
        project.remove()
    }

    private func built() throws -> [String: Any] {
        let build = try project.storehouse(["build"])
        XCTAssertEqual(build.status, 0, build.stdout + build.stderr)
        // A model added after the build: in the manifest, not in the warehouse.
        try project.write("models/later.sql", "select 1 as x")
        let docs = try project.storehouse(["docs", "generate"])
        XCTAssertEqual(docs.status, 0, docs.stdout + docs.stderr)
        XCTAssertTrue(docs.stdout.contains("Catalog written to target/catalog.json: 4 of 5 nodes and 1 of 1 sources found in the warehouse"), docs.stdout)
        let data = try Data(contentsOf: root.appendingPathComponent("target/catalog.json"))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func testCatalogDescribesWhatTheWarehouseHoldsForEachNode() throws {
        let catalog = try built()
        XCTAssertEqual((catalog["metadata"] as? [String: Any])?["dbt_schema_version"] as? String, "https://schemas.getdbt.com/dbt/catalog/v1.json")
        let nodes = try XCTUnwrap(catalog["nodes"] as? [String: [String: Any]])
        XCTAssertEqual(Set(nodes.keys), ["model.shop.orders", "model.shop.order_view", "model.shop.by_country", "seed.shop.countries"],
                       "the ephemeral model and the model never built are left out")
        let orders = try XCTUnwrap(nodes["model.shop.orders"])
        let metadata = try XCTUnwrap(orders["metadata"] as? [String: Any])
        XCTAssertEqual(metadata["type"] as? String, "BASE TABLE")
        XCTAssertEqual(metadata["schema"] as? String, "main")
        XCTAssertEqual(metadata["name"] as? String, "orders")
        XCTAssertEqual(metadata["database"] as? String, "w")
        let columns = try XCTUnwrap(orders["columns"] as? [String: [String: Any]])
        let described = columns.values.sorted { ($0["index"] as? Int ?? 0) < ($1["index"] as? Int ?? 0) }
            .map { "\($0["name"] as? String ?? "") \($0["type"] as? String ?? "")" }
        XCTAssertEqual(described, ["order_id INTEGER", "country VARCHAR", "amount DECIMAL(21,1)"])
        let stats = try XCTUnwrap(orders["stats"] as? [String: [String: Any]])
        XCTAssertEqual(stats["row_count"]?["value"] as? Int, 7)
        XCTAssertEqual(stats["has_stats"]?["value"] as? Bool, true)

        let view = try XCTUnwrap(nodes["model.shop.order_view"])
        XCTAssertEqual((view["metadata"] as? [String: Any])?["type"] as? String, "VIEW")
        XCTAssertNil((view["stats"] as? [String: Any])?["row_count"], "a view has no row count to report")
        let seed = try XCTUnwrap(nodes["seed.shop.countries"])
        XCTAssertEqual(((seed["stats"] as? [String: [String: Any]])?["row_count"])?["value"] as? Int, 3)
        let sources = try XCTUnwrap(catalog["sources"] as? [String: [String: Any]])
        XCTAssertEqual(((sources["source.shop.raw.orders"]?["columns"] as? [String: Any])?.count), 3)
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent("target/manifest.json").path),
                      "docs generate compiles and writes the manifest, as dbt's does")
    }

    func testAJobStepWritesTheCatalogAfterTheBuild() throws {
        try project.write("jobs.yml", "jobs:\n  nightly:\n    steps:\n      - build\n      - docs\n")
        let run = try project.storehouse(["jobs", "run", "nightly"])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("4 of 4 nodes and 1 of 1 sources found in the warehouse"), run.stdout)
        let data = try Data(contentsOf: root.appendingPathComponent("target/catalog.json"))
        let catalog = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual((catalog["nodes"] as? [String: Any])?.count, 4)
    }

    func testWithoutAWarehouseItSaysSoAndWritesNothing() throws {
        let docs = try project.storehouse(["docs", "generate"])
        XCTAssertEqual(docs.status, 2, docs.stdout + docs.stderr)
        XCTAssertTrue(docs.stderr.contains("there is no warehouse at \(root.path)/w.duckdb"), docs.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("target/catalog.json").path))
    }

    func testArtifactsLoadInDbtsOwnReaders() throws {
        let cache = ProcessInfo.processInfo.environment["STOREHOUSE_CACHE"] ?? (NSHomeDirectory() + "/.cache/storehouse")
        let python = cache + "/dbt-venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw XCTSkip("dbt-core is not installed (run scripts/dbt-venv.sh); loading our artifacts in dbt's readers is skipped")
        }
        _ = try built()
        // sources.json loads in dbt's reader too: SourceFreshnessWarehouseTests.
        let reader = try StorehouseProcess.run(["-c", """
            import sys
            from dbt.artifacts.schemas.catalog import CatalogArtifact
            from dbt.artifacts.schemas.manifest import WritableManifest
            from dbt.artifacts.schemas.run import RunResultsArtifact
            target = sys.argv[1]
            catalog = CatalogArtifact.read_and_check_versions(target + "/catalog.json")
            manifest = WritableManifest.read_and_check_versions(target + "/manifest.json")
            results = RunResultsArtifact.read_and_check_versions(target + "/run_results.json")
            print(len(catalog.nodes), len(catalog.sources), len(manifest.nodes), len(manifest.sources), len(results.results))
            """, root.appendingPathComponent("target").path], tool: URL(fileURLWithPath: python))
        let output = reader.stdout + reader.stderr
        // dbt's reader quotes the whole rejected map; its first and last lines say what is wrong.
        let brief = output.count > 2000 ? String(output.prefix(1000)) + " … " + String(output.suffix(1000)) : output
        XCTAssertEqual(reader.status, 0, brief)
        // catalog: 4 nodes, 1 source; manifest: 6 nodes (5 models + the seed) + 1 test; run_results: the build's 5 nodes.
        XCTAssertEqual(reader.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "4 1 7 1 5", brief)
    }
}
