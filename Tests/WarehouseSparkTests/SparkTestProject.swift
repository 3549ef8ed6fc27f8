import Foundation
import TransformProject
import TransformRuntime
import WarehouseSpark

/// A dbt project in a temporary folder whose profile points at the test's Spark warehouse.
struct SparkTestProject {
    let dir = NSTemporaryDirectory() + "storehouse-spark-project-" + UUID().uuidString
    let warehouse: SparkWarehouse

    init(warehouse: SparkWarehouse, materialized: String = "table") throws {
        self.warehouse = warehouse
        let configuration = warehouse.configuration
        try FileManager.default.createDirectory(atPath: dir + "/models", withIntermediateDirectories: true)
        try write("dbt_project.yml", "name: spark_shop\nprofile: spark_shop\nconfig-version: 2\nmodels:\n  spark_shop:\n    +materialized: \(materialized)\n")
        try write("profiles.yml", """
            spark_shop:
              target: dev
              outputs:
                dev:
                  type: spark
                  host: \(configuration.host)
                  port: \(configuration.port)
                  token: "\(configuration.token ?? "")"
                  use_ssl: false
                  schema: \(configuration.schema)
                  threads: 2
            """)
    }

    func write(_ path: String, _ text: String) throws {
        try text.write(toFile: dir + "/" + path, atomically: true, encoding: .utf8)
    }

    func build(fullRefresh: Bool = false) async throws -> RunSummary {
        let project = try ProjectLoader.load(LoadOptions(projectDir: dir, profilesDir: dir, homeDirectory: "/nonexistent"))
        return try await TransformRunner(project: project, warehouse: warehouse, options: RunOptions(command: .build, threads: 2, fullRefresh: fullRefresh),
                                         reporter: AnalyticsOnSparkTests.Silent()).run()
    }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }
}
