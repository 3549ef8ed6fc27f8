import WarehouseDuckDB
import WarehouseKit
import XCTest

/// DuckDB's results read straight into typed columns give the values the boxed reader gives.
final class ColumnarReadTests: XCTestCase {
    func testEveryTypeAcrossChunksMatchesTheBoxedRows() async throws {
        let warehouse = try DuckDBWarehouse(path: ":memory:")
        // 5,000 rows: three of DuckDB's 2,048-row chunks; every seventh row NULL.
        let sql: SQL = """
            select
              case when i % 7 = 0 then null else cast(i % 100 as tinyint) end as tiny,
              case when i % 7 = 0 then null else i * 1000000007 end as big,
              case when i % 7 = 0 then null else cast(i as hugeint) * 3 end as huge,
              case when i % 7 = 0 then null else cast(i / 8.0 as float) end as small_float,
              case when i % 7 = 0 then null else cast(i * 1.25 - 3000 as decimal(9, 2)) end as dec_int,
              case when i % 7 = 0 then null else cast(i * 1.5 as decimal(18, 3)) end as dec_big,
              case when i % 7 = 0 then null else cast(i as decimal(38, 10)) / 7 end as dec_huge,
              case when i % 7 = 0 then null else 'label ' || (i % 5) end as label,
              case when i % 7 = 0 then null else i % 2 = 0 end as flag,
              case when i % 7 = 0 then null else date '2024-01-01' + cast(i as integer) end as day,
              case when i % 7 = 0 then null else timestamp '2024-01-01 00:00:00.25' + i * interval 1 minute end as stamp,
              case when i % 7 = 0 then null else [i, i + 1] end as list
            from range(5000) t(i) order by i
            """
        let (boxed, columnar) = try await warehouse.read { db in (try await db.query(sql), try await db.queryColumns(sql)) }
        XCTAssertEqual(columnar.rowCount, 5000)
        XCTAssertEqual(columnar.columns.map(\.name), boxed.columns.map(\.name))
        for (index, column) in columnar.values.enumerated() {
            let name = columnar.columns[index].name
            for row in 0..<5000 {
                let expected = boxed.rows[row][index]
                switch expected {
                case .decimal: XCTAssertEqual(column[row], .double(expected.double!), "\(name) row \(row)")
                case .int(let value) where name == "huge": XCTAssertEqual(column[row], .double(Double(value)), "\(name) row \(row)")
                case .double(let value) where name == "small_float": XCTAssertEqual(column[row], .double(value), "\(name) row \(row)")
                default:
                    let wanted: WarehouseValue = if case .null = expected { .null } else if name == "list" { .text(expected.description) } else { expected }
                    XCTAssertEqual(column[row], wanted, "\(name) row \(row)")
                }
            }
        }
        if case .double = columnar.values[2].values {} else { XCTFail("hugeint arrives as double") }
        if case .text = columnar.values[11].values {} else { XCTFail("a list arrives as its text") }
        XCTAssertEqual(columnar.values[0].nulls?.filter { $0 }.count, 715, "rows 0, 7, …, 4998 are NULL")
    }

    func testAFailingQueryThrowsInsteadOfReturningPartialColumns() async throws {
        let warehouse = try DuckDBWarehouse(path: ":memory:")
        do {
            _ = try await warehouse.read { db in
                try await db.queryColumns("select case when i < 4000 then i else cast('x' || i as integer) end from range(5000) t(i)")
            }
            XCTFail("the cast error in row 4,001 should throw")
        } catch let error as WarehouseError {
            XCTAssertTrue(error.message.contains("x4000"), error.message)
        }
    }
}
