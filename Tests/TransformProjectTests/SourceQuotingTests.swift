import Foundation
import XCTest
@testable import TransformProject
import WarehouseKit

/// A source's `quoting:` (on the source, then on the table) decides which parts of its name are
/// written in quotes, as dbt-core 1.11 rendered the same two sources:
/// `"w"."main".Raw_Customers` and `"w".main."raw_customers"`.
final class SourceQuotingTests: XCTestCase {
    func testQuotingOfSourcesAndTables() throws {
        let dir = try Fixtures.copy([
            "models/quoting_sources.yml": """
                version: 2
                sources:
                  - name: quoted_raw
                    schema: main
                    quoting:
                      identifier: false
                    tables:
                      - name: customers
                        identifier: Raw_Customers
                      - name: customers_quoted
                        identifier: raw_customers
                        quoting:
                          identifier: true
                          schema: false
                """,
            "models/from_sources.sql": "select * from {{ source('quoted_raw', 'customers') }} union all select * from {{ source('quoted_raw', 'customers_quoted') }}",
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let project = try ProjectLoader.load(Fixtures.options(dir))
        let database = project.manifest.target.database
        let sql = try Compiler(project: project, host: OfflineHost(dialect: project.dialect)).compile("model.jaffle_shop.from_sources").sql
        XCTAssertEqual(sql, "select * from \"\(database)\".\"main\".Raw_Customers union all select * from \"\(database)\".main.\"raw_customers\"")
    }
}
