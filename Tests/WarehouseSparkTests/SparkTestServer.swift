import Foundation
import WarehouseKit
import WarehouseSpark
import XCTest

/// The Spark Connect server the tests talk to: the one `scripts/with-spark.sh` started
/// (`STOREHOUSE_SPARK_URL`). Without one the tests skip, saying why.
enum SparkTestServer {
    static var configuration: SparkConfiguration {
        get throws {
            let environment = ProcessInfo.processInfo.environment
            guard let url = environment["STOREHOUSE_SPARK_URL"] else {
                throw XCTSkip("no Spark Connect server: run through scripts/with-spark.sh"
                              + (environment["STOREHOUSE_SPARK_SKIP"].map { " (\($0))" } ?? " (STOREHOUSE_SPARK_URL is unset)"))
            }
            return try SparkConfiguration(url: url)
        }
    }

    /// A warehouse in a schema of its own, dropped with everything in it afterwards.
    static func withWarehouse(schema: String = "t_" + UUID().uuidString.prefix(8).lowercased(),
                              _ body: (SparkWarehouse) async throws -> Void) async throws {
        var configuration = try configuration
        configuration.schema = schema
        let warehouse = try await SparkWarehouse.connect(configuration)
        do {
            try await body(warehouse)
        } catch {
            try? await warehouse.write { try await $0.execute("drop schema if exists \(identifier: schema) cascade") }
            await warehouse.close()
            throw error
        }
        try await warehouse.write { try await $0.execute("drop schema if exists \(identifier: schema) cascade") }
        await warehouse.close()
    }
}
