import Foundation
import Server
import SyntheticData
import TransformProject
import TransformRuntime
import WarehouseDuckDB
import WarehouseKit

/// A small generated store (scale 0.02) built by a copy of the bundled analytics project, shared
/// by the tests that need real marts (the customer pages, the Customers dashboard). Built once
/// per test process, in a temporary folder, so the repository's `analytics/target` is untouched.
actor AnalyticsStore {
    static let shared = AnalyticsStore()

    /// A customer added after the build whose name is markup, for the escaping tests.
    static let scriptCustomerID: Int64 = 9_000_001
    static let scriptName = "<script>alert(1)</script>"

    private var built: (warehouse: DuckDBWarehouse, served: ServedProject)?

    func get() async throws -> (warehouse: DuckDBWarehouse, served: ServedProject) {
        if let built { return built }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-server-\(UUID().uuidString)")
        let projectDir = folder.appendingPathComponent("analytics").path
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("analytics")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source, to: URL(fileURLWithPath: projectDir))
        try? FileManager.default.removeItem(atPath: projectDir + "/target")
        let path = folder.appendingPathComponent("store.duckdb").path
        let warehouse = try DuckDBWarehouse(path: path)
        let options = try GeneratorOptions(seed: 7, asOf: CivilDate(year: 2026, month: 11, day: 20), scale: 0.02)
        _ = try await StoreGenerator(options: options).generate(into: warehouse)
        _ = try await ClickstreamGenerator(options: try ClickstreamOptions(seed: 7, rows: 5_000, asOf: options.asOf)).generate(into: warehouse)
        var environment = ProcessInfo.processInfo.environment
        environment["STOREHOUSE_DB"] = path
        environment["STOREHOUSE_TARGET"] = "dev"
        let project = try ProjectLoader.load(LoadOptions(projectDir: projectDir, profilesDir: projectDir, environment: environment))
        let summary = try await TransformRunner(project: project, warehouse: warehouse, options: RunOptions(command: .run, threads: 2),
                                                reporter: Silent()).run()
        let failed = summary.results.filter { $0.status != .success && $0.status != .pass }
        guard failed.isEmpty else {
            throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "the analytics build failed: \(failed.map(\.name))"])
        }
        try await warehouse.write {
            try await $0.execute("""
                insert into marts.dim_customers (customer_id, first_name, last_name, email, country, lifetime_orders, net_orders,
                    gross_revenue, lifetime_value, customer_segment, customer_lifecycle)
                values (\(Self.scriptCustomerID), \(Self.scriptName), 'O''Brien & <b>Co</b>', 'zz-script@example.com', 'Nowhere', 0, 0, 0, 0, 'Prospect', 'Prospect')
                """)
        }
        let served = try ServedProject(project: project)
        built = (warehouse, served)
        return (warehouse, served)
    }

    struct Silent: RunReporter {
        func runStarted(total: Int, threads: Int) {}
        func nodeFinished(_ result: NodeResult, index: Int, total: Int) {}
    }
}
