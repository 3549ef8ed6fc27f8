import WarehouseConformance
import WarehouseKit
import WarehouseSpark
import XCTest

/// The conformance suite every adapter passes, on a real Spark Connect server. Spark has no
/// transactions, so the checks built on them (rollback, snapshot reads inside a write
/// transaction) are replaced by `transactionsAreRefusedClearly`; and it reports no per-statement
/// profile through Spark Connect, so `queryProfiles` does not apply.
final class SparkConformanceTests: XCTestCase {
    func testTypeRoundTrips() async throws { try await SparkTestServer.withWarehouse { try await WarehouseConformance.typeRoundTrips($0) } }
    func testParametersAreNeverSQL() async throws { try await SparkTestServer.withWarehouse { try await WarehouseConformance.parametersAreNeverSQL($0) } }
    func testPreparedStatements() async throws { try await SparkTestServer.withWarehouse { try await WarehouseConformance.preparedStatements($0) } }
    func testBulkLoadMillionRows() async throws { try await SparkTestServer.withWarehouse { try await WarehouseConformance.bulkLoadMillionRows($0) } }
    func testBadSQLNamesTheProblem() async throws { try await SparkTestServer.withWarehouse { try await WarehouseConformance.badSQLNamesTheProblem($0) } }
    func testIntrospection() async throws { try await SparkTestServer.withWarehouse { try await WarehouseConformance.introspection($0) } }
    func testTransactionsAreRefusedClearly() async throws {
        try await SparkTestServer.withWarehouse { try await WarehouseConformance.transactionsAreRefusedClearly($0) }
    }
}
