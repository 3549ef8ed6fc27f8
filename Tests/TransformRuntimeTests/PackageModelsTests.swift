import Foundation
import TransformProject
@testable import TransformRuntime
import WarehouseDuckDB
import WarehouseKit
import XCTest

/// A package's models, seeds, sources and tests build with the project, as dbt builds them: the
/// fixture `Fixtures/package_models` gives dbt-core's status on every node and its compiled SQL
/// byte for byte (kept in its `expected/` folder).
final class PackageModelsTests: XCTestCase {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TransformProjectTests/Fixtures/package_models").path

    var dir = ""
    var shop: String { dir + "/shop" }

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "storehouse-package-models-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: dir)
        _ = try PackageInstaller.run(projectDir: shop)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func load() throws -> LoadedProject {
        try ProjectLoader.load(LoadOptions(projectDir: shop, profilesDir: shop, environment: ["PKG_MODELS_DIR": shop], homeDirectory: "/nonexistent"))
    }

    func testPackageModelsBuildWithDbtsStatusesAndCompiledSQL() async throws {
        let warehouse = try DuckDBWarehouse(path: shop + "/shop.duckdb")
        func run(_ command: RunCommand) async throws -> RunSummary {
            try await TransformRunner(project: try load(), warehouse: warehouse, options: RunOptions(command: command, threads: 2),
                                      reporter: CollectingReporter()).run()
        }
        _ = try await run(.seed)
        let summary = try await run(.build)
        let expected = try String(contentsOfFile: dir + "/expected/run_results.txt", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(summary.results.count, expected.count)
        let ours = Dictionary(uniqueKeysWithValues: summary.results.map { ($0.uniqueId, $0) })
        for line in expected {
            let fields = line.split(separator: " ").map(String.init)
            XCTAssertEqual(ours[fields[0]]?.status.rawValue, fields[1], "\(fields[0]): \(ours[fields[0]]?.message ?? "did not run")")
        }
        // Every compiled file where dbt writes it, with dbt's text.
        XCTAssertEqual(try ToolSupport.assertSameCompiledSQL(expected: dir + "/expected/compiled", actual: shop + "/target/compiled"), 7)
        // The project's config wins over the package's (staging is a view), the package's holds
        // elsewhere (a table), and the model the project disabled is not built.
        let tables = try await warehouse.read {
            try await $0.query("select table_name, table_type from information_schema.tables where table_schema = 'main' order by 1")
        }
        XCTAssertEqual(tables.rows.map { $0.map(\.description) }, [
            ["graph_probe", "VIEW"], ["orders_paid", "VIEW"], ["payment_methods", "BASE TABLE"], ["payment_totals", "BASE TABLE"],
            ["raw_payments", "BASE TABLE"], ["stg_payments", "VIEW"],
        ])
        let paid = try await warehouse.read { try await $0.query("select order_id, paid, payments, first_method from main.orders_paid order by 1") }
        // `graph` as dbt gives it: graph_probe's compiled SQL above matched dbt's byte for byte.
        let probe = try await warehouse.read { try await $0.query("select parents, sources, tests from main.graph_probe") }
        XCTAssertEqual(probe.rows.first?.map(\.description), ["model.shop_pkg.payment_totals, model.shop_pkg.stg_payments, seed.shop_pkg.payment_methods",
                                                             "shop_raw.payments@main.raw_payments", "3"])
        XCTAssertEqual(paid.rows.map { $0.map(\.description) }, [["100", "10.00", "1", "Card"], ["101", "100.00", "1", "Cash"], ["102", "20.00", "1", "Card"]])
    }

    func testPackageNodesCarryTheirPackageConfigsAndPaths() throws {
        let project = try load()
        let staging = try XCTUnwrap(project.manifest.nodes["model.shop_pkg.stg_payments"])
        XCTAssertEqual(staging.packageName, "shop_pkg")
        XCTAssertEqual(staging.fqn, ["shop_pkg", "staging", "stg_payments"])
        XCTAssertEqual(staging.originalFilePath, "models/staging/stg_payments.sql")
        XCTAssertEqual(staging.config.tags, ["pkg_staging"])
        XCTAssertEqual(staging.config.materialized, "view")
        XCTAssertEqual(staging.description, "One row per payment, amounts in money.")
        XCTAssertEqual(staging.dependsOnNodes, ["source.shop_pkg.shop_raw.payments"])
        XCTAssertEqual(project.manifest.absolutePath(of: staging), dir + "/shop/dbt_packages/shop_pkg/models/staging/stg_payments.sql")
        XCTAssertNil(project.manifest.nodes["model.shop_pkg.unused_rollup"])
        XCTAssertEqual(project.manifest.nodes["model.pkg_models_shop.orders_paid"]?.dependsOnNodes.sorted(),
                       ["model.shop_pkg.payment_totals", "model.shop_pkg.stg_payments", "seed.shop_pkg.payment_methods"])
        XCTAssertEqual(try Selector(manifest: project.manifest).select(["tag:pkg_staging"]).filter { $0.hasPrefix("model.") }, ["model.shop_pkg.stg_payments"])
    }

    func testARefToAPackageThatIsNotInstalledSaysSo() throws {
        try "select * from {{ ref('other_pkg', 'payment_totals') }}".write(toFile: shop + "/models/orders_paid.sql", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try load()) { error in
            XCTAssertEqual((error as? TransformError)?.message,
                           "ref('other_pkg', 'payment_totals') names package 'other_pkg', which is not installed (installed: shop_pkg); add it to packages.yml and run `storehouse deps`, or use ref('payment_totals')")
        }
    }
}
