import WarehouseConformance
import WarehouseKit
import WarehousePostgres
import XCTest

/// The shared `Warehouse` conformance suite, run against a real PostgreSQL server.
final class PostgresConformanceTests: PostgresServerTestCase {
    func testTypeRoundTrips() async throws { try await withWarehouse { try await WarehouseConformance.typeRoundTrips($0) } }
    func testParametersAreNeverSQL() async throws { try await withWarehouse { try await WarehouseConformance.parametersAreNeverSQL($0) } }
    func testPreparedStatements() async throws { try await withWarehouse { try await WarehouseConformance.preparedStatements($0) } }
    func testBulkLoadMillionRows() async throws { try await withWarehouse { try await WarehouseConformance.bulkLoadMillionRows($0) } }
    func testQueryProfiles() async throws { try await withWarehouse { try await WarehouseConformance.queryProfiles($0) } }
    func testRollbackLeavesNothing() async throws { try await withWarehouse { try await WarehouseConformance.rollbackLeavesNothing($0) } }
    func testBadSQLNamesTheProblem() async throws { try await withWarehouse { try await WarehouseConformance.badSQLNamesTheProblem($0) } }
    func testConcurrentReadersDuringWrite() async throws {
        try await withWarehouse { try await WarehouseConformance.concurrentReadersDuringWrite($0) }
    }
    func testIntrospection() async throws { try await withWarehouse { try await WarehouseConformance.introspection($0) } }
}
