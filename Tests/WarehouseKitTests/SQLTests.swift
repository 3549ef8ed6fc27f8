import Foundation
import WarehouseKit
import XCTest

final class SQLTests: XCTestCase {
    func testInterpolatedValuesBecomeNumberedParameters() {
        let name = "O'Brien"
        let sql: SQL = "select * from users where name = \(name) and age > \(30) and vip = \(true)"
        XCTAssertEqual(sql.text, "select * from users where name = $1 and age > $2 and vip = $3")
        XCTAssertEqual(sql.parameters, [.text("O'Brien"), .int(30), .bool(true)])
    }

    func testIdentifiersAreQuotedAndRawTextIsVisible() {
        let relation = RelationName(schema: "raw", name: "odd\"name")
        let sql: SQL = "select count(*) from \(relation) \(unsafeRaw: "where 1 = 1") and x = \(identifier: "col")"
        XCTAssertEqual(sql.text, "select count(*) from \"raw\".\"odd\"\"name\" where 1 = 1 and x = \"col\"")
        XCTAssertTrue(sql.parameters.isEmpty)
    }

    func testNestedSQLKeepsItsParametersInOrder() {
        let filter: SQL = "status = \("Shipped")"
        let sql: SQL = "select 1 where id = \(5) and \(filter) and n = \(Optional<Int>.none)"
        XCTAssertEqual(sql.text, "select 1 where id = $1 and status = $2 and n = $3")
        XCTAssertEqual(sql.parameters, [.int(5), .text("Shipped"), .null])
    }

    func testCreateTableDDLPerDialect() {
        let columns = [ColumnDefinition("id", .bigint, nullable: false), ColumnDefinition("price", .double), ColumnDefinition("name", .text)]
        let relation = RelationName(schema: "raw", name: "products")
        XCTAssertEqual(SQLDialect.duckdb.createTable(relation, columns: columns).text,
                       "CREATE TABLE \"raw\".\"products\" (\"id\" BIGINT NOT NULL, \"price\" DOUBLE, \"name\" VARCHAR)")
        XCTAssertEqual(SQLDialect.postgres.createTable(relation, columns: columns, ifNotExists: true).text,
                       "CREATE TABLE IF NOT EXISTS \"raw\".\"products\" (\"id\" BIGINT NOT NULL, \"price\" DOUBLE PRECISION, \"name\" TEXT)")
    }

    func testErrorDescriptionShowsMessageAndSQLButNoParameters() {
        let error = WarehouseError(.query, "Catalog Error: Table with name nope does not exist!", sql: "select * from nope where secret = $1")
        XCTAssertEqual(error.description, """
            Catalog Error: Table with name nope does not exist!
              in SQL:
                select * from nope where secret = $1
            """)
    }
}

final class CivilTimeTests: XCTestCase {
    func testDaysSinceEpochRoundTripsAcrossCenturiesAndLeapDays() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            XCTAssertEqual(CivilDate(daysSinceEpoch: days).daysSinceEpoch, days)
        }
        XCTAssertEqual(CivilDate(year: 1970, month: 1, day: 1).daysSinceEpoch, 0)
        XCTAssertEqual(CivilDate(year: 2000, month: 3, day: 1).daysSinceEpoch, 11_017)
        XCTAssertEqual(CivilDate(daysSinceEpoch: 19_782).description, "2024-02-29")
    }

    func testISOParsingRejectsImpossibleDates() {
        XCTAssertEqual(CivilDate(iso: "2019-01-01"), CivilDate(year: 2019, month: 1, day: 1))
        XCTAssertNil(CivilDate(iso: "2023-02-29"))
        XCTAssertNil(CivilDate(iso: "2019-13-01"))
        XCTAssertNil(CivilDate(iso: "19-01-01"))
    }

    func testWeekdayAndTimestampText() {
        XCTAssertEqual(CivilDate(year: 2026, month: 11, day: 21).isoWeekdayIndex, 5) // a Saturday
        XCTAssertEqual(Timestamp(micros: -1).description, "1969-12-31 23:59:59.999999")
        XCTAssertEqual(Timestamp(date: CivilDate(year: 2019, month: 11, day: 1)).description, "2019-11-01 00:00:00")
    }
}

final class ColumnBatchTests: XCTestCase {
    func testBoxedRowsBecomeTypedColumnsWithNullMasks() {
        let batch = ColumnBatch(rows: [[.int(1), .text("a")], [.null, .null]], types: [.bigint, .text])
        XCTAssertEqual(batch.count, 2)
        XCTAssertEqual(batch.columns[0][0], .int(1))
        XCTAssertEqual(batch.columns[0][1], .null)
        XCTAssertEqual(batch.columns[1][0], .text("a"))
        XCTAssertEqual(batch.columns[1].nulls, [false, true])
    }
}

final class WhitespaceTrimmingTests: XCTestCase {
    func testTrimsWhatFoundationTrimsAtBothEndsOnly() {
        let samples = ["  marts \n", "\t\r\nstaging", "a b", "", " \n\t ", "\u{00A0}é\u{2003}", "x\u{2028}", "  ünïcode  names  "]
        for sample in samples {
            XCTAssertEqual(sample.trimmingWhitespace(), sample.trimmingCharacters(in: .whitespacesAndNewlines), sample.debugDescription)
        }
    }
}
