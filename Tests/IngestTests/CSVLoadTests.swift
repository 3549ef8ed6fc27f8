import Foundation
import WarehouseKit
import XCTest

@testable import Ingest

/// CSV files: declared and inferred types, ragged rows, quoting, encodings, empty files — what
/// lands in the table and what goes to quarantine, row by row.
final class CSVLoadTests: IngestTestCase {
    func testBadRowsAreQuarantinedWithLineColumnAndReasonAndTheRestLoads() async throws {
        try drop("orders.csv", """
            order_id,customer,quantity,amount,ordered_at
            1,ann,2,10.50,2024-01-02 10:00:00
            2,bob,x,3.00,2024-01-02 11:00:00
            3,"cho, jr",1.5,7.25,2024-01-03 09:30:00
            4,dee,1
            5,eve,3,1.00,2024-01-04 08:00:00,surplus
            6,fay,4,not money,2024-01-05 12:00:00
            7,gus,5,2.00,2024-01-06 13:00:00

            """)
        let connector = FileConnector(name: "orders", path: "landing/orders.csv", into: RelationName(schema: "raw", name: "orders"),
                                      columns: [DeclaredColumn(name: "quantity", type: "BIGINT"), DeclaredColumn(name: "amount", type: "DECIMAL(12,2)")])
        let report = try await load(connector)

        XCTAssertEqual(report.status, .succeeded)
        XCTAssertEqual(report.files.map(\.status), [.loaded])
        XCTAssertEqual(report.rowsLoaded, 2)
        XCTAssertEqual(report.rowsQuarantined, 5)
        let loaded = try await rows("select order_id, customer, quantity, amount, ordered_at, _ingest_file from raw.orders order by order_id")
        XCTAssertEqual(loaded, [["1", "ann", "2", "10.50", "2024-01-02 10:00:00", "landing/orders.csv"],
                                ["7", "gus", "5", "2.00", "2024-01-06 13:00:00", "landing/orders.csv"]])
        let types = try await types("raw.orders")
        XCTAssertEqual(types["quantity"], "BIGINT")
        XCTAssertEqual(types["amount"], "DECIMAL(12,2)")
        XCTAssertEqual(types["ordered_at"], "TIMESTAMP")
        let quarantined = try await quarantine("orders")
        XCTAssertEqual(quarantined.map { Array($0[1...2]) }, [["3", "quantity"], ["4", "quantity"], ["5", "-"], ["6", "-"], ["7", "amount"]])
        XCTAssertEqual(quarantined[0][3], "'x' is not a valid BIGINT")
        XCTAssertEqual(quarantined[1][3], "'1.5' is not a valid BIGINT", "a whole-number column must not round 1.5")
        XCTAssertEqual(quarantined[2][3], "the line has 3 fields; the header has 5")
        XCTAssertEqual(quarantined[3][3], "the line has 6 fields; the header has 5")
        XCTAssertEqual(quarantined[4][3], "'not money' is not a valid DECIMAL(12,2)")
        let raw = try await rows("select raw from ingest.quarantine where row_number = 6")
        XCTAssertEqual(raw, [["5,eve,3,1.00,2024-01-04 08:00:00,surplus"]])
    }

    func testInferredTypesAreTheNarrowestEveryValueFitsAndNeverQuarantine() async throws {
        try drop("mixed.csv", #"""
            id,price,active,day,at,at_tz,postcode,code,note
            1,1.5,true,2024-01-02,2024-01-02T10:00:00,2024-01-02T10:00:00Z,01234,7,hello
            2,2,false,2024-02-29,2024-01-02 11:00:00.5,2024-01-02 11:00:00+02:00,99999,B7,
            3,,TRUE,,,,12345,8,"with ""quotes"""
            """#)
        let connector = FileConnector(name: "mixed", path: "landing/mixed.csv", into: RelationName(schema: "raw", name: "mixed"))
        let report = try await load(connector)
        XCTAssertEqual(report.rowsLoaded, 3)
        XCTAssertEqual(report.rowsQuarantined, 0)
        let types = try await types("raw.mixed")
        XCTAssertEqual(types["id"], "BIGINT")
        XCTAssertEqual(types["price"], "DOUBLE")
        XCTAssertEqual(types["active"], "BOOLEAN")
        XCTAssertEqual(types["day"], "DATE")
        XCTAssertEqual(types["at"], "TIMESTAMP")
        XCTAssertEqual(types["at_tz"], "TIMESTAMP WITH TIME ZONE")
        XCTAssertEqual(types["postcode"], "VARCHAR", "a leading zero keeps a code as text")
        XCTAssertEqual(types["code"], "VARCHAR", "values that disagree stay text")
        let loaded = try await rows("select postcode, code, note, price from raw.mixed order by id")
        XCTAssertEqual(loaded, [["01234", "7", "hello", "1.5"], ["99999", "B7", "NULL", "2"], ["12345", "8", "with \"quotes\"", "NULL"]])
    }

    func testDelimiterByteOrderMarkAndLatin1() async throws {
        try drop("bom.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("id;city\n1;Zürich\n2;Köln\n".utf8))
        try drop("latin.csv", bytes: Array("id,city\n3,".utf8) + [0x4D, 0xE1, 0x6C, 0x61, 0x67, 0x61] + [0x0A])
        let bom = FileConnector(name: "bom", path: "landing/bom.csv", into: RelationName(schema: "raw", name: "cities"),
                                csv: CSVLayout(delimiter: ";", header: true))
        _ = try await load(bom)
        var latin = FileConnector(name: "latin", path: "landing/latin.csv", into: RelationName(schema: "raw", name: "cities"))
        latin.csv.encoding = .latin1
        _ = try await load(latin)
        let loaded = try await rows("select id, city from raw.cities order by id")
        XCTAssertEqual(loaded, [["1", "Zürich"], ["2", "Köln"], ["3", "Málaga"]], "the BOM is not part of the first column's name")
    }

    func testAnEmptyFileLoadsNoRowsAndIsRecorded() async throws {
        try drop("a.csv", "id,name\n1,a\n")
        try drop("b.csv", "")
        try drop("c.csv", "id,name\n")
        let connector = FileConnector(name: "e", path: "landing/*.csv", into: RelationName(schema: "raw", name: "e"))
        let report = try await load(connector)
        XCTAssertEqual(report.status, .succeeded)
        XCTAssertEqual(report.files.map(\.status), [.loaded, .loaded, .loaded])
        XCTAssertEqual(report.files.map(\.rows), [1, 0, 0])
        XCTAssertEqual(report.files[1].message, "empty file: no rows")
        let loadedCount = try await count("raw.e")
        XCTAssertEqual(loadedCount, 1)
        let again = try await load(connector)
        XCTAssertEqual(again.files.map(\.status), [.unchanged, .unchanged, .unchanged])
    }

    func testTheLedgerSkipsUnchangedFilesAndReloadsChangedOnesInPlace() async throws {
        let a = try drop("2024-01.csv", "id,amount\n1,10\n2,20\n")
        try drop("2024-02.csv", "id,amount\n3,30\n")
        let connector = FileConnector(name: "monthly", path: "landing/*.csv", into: RelationName(schema: "raw", name: "monthly"))
        let first = try await load(connector)
        XCTAssertEqual(first.files.map(\.status), [.loaded, .loaded])
        XCTAssertEqual(first.rowsLoaded, 3)

        let second = try await load(connector)
        XCTAssertEqual(second.files.map(\.status), [.unchanged, .unchanged])
        XCTAssertEqual(second.rowsLoaded, 0)

        // Touched, same bytes: the checksum says unchanged.
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-60)], ofItemAtPath: a)
        let touched = try await load(connector)
        XCTAssertEqual(touched.files.map(\.status), [.unchanged, .unchanged])

        try drop("2024-01.csv", "id,amount\n1,11\n2,21\n5,50\n")
        let changed = try await load(connector)
        XCTAssertEqual(changed.files.map(\.status), [.reloaded, .unchanged])
        XCTAssertEqual(changed.rowsLoaded, 3)
        let loaded = try await rows("select id, amount from raw.monthly order by id")
        XCTAssertEqual(loaded, [["1", "11"], ["2", "21"], ["3", "30"], ["5", "50"]], "the changed file's old rows are gone, not doubled")
        let ledger = try await rows("select file_path, rows from ingest.file_ledger where connector = 'monthly' order by 1")
        XCTAssertEqual(ledger, [["landing/2024-01.csv", "3"], ["landing/2024-02.csv", "1"]])
        let loads = try await rows("select status, files_loaded, files_unchanged, rows_loaded from ingest.loads order by started_at")
        XCTAssertEqual(loads, [["succeeded", "2", "0", "3"], ["succeeded", "0", "2", "0"], ["succeeded", "0", "2", "0"], ["succeeded", "1", "1", "3"]])
    }

    func testMergeKeepsTheLatestRowPerKey() async throws {
        try drop("1.csv", "id,status\n1,new\n2,new\n3,new\n")
        let connector = FileConnector(name: "m", path: "landing/*.csv", into: RelationName(schema: "raw", name: "m"),
                                      disposition: .merge, primaryKey: ["id"])
        _ = try await load(connector)
        try drop("2.csv", "id,status\n3,shipped\n4,new\n4,paid\n,orphan\n")
        let report = try await load(connector)
        XCTAssertEqual(report.files.map(\.status), [.unchanged, .loaded])
        let loaded = try await rows("select id, status from raw.m order by id")
        XCTAssertEqual(loaded, [["1", "new"], ["2", "new"], ["3", "shipped"], ["4", "paid"]])
        let quarantined = try await quarantine("m")
        XCTAssertEqual(quarantined, [["landing/2.csv", "5", "id", "the primary key id is NULL"]])
    }

    func testReplaceRollsBackWhenOneFileCannotBeRead() async throws {
        try drop("a.csv", "id\n1\n2\n")
        try drop("b.csv", "id\n3\n")
        let connector = FileConnector(name: "r", path: "landing", into: RelationName(schema: "raw", name: "r"), disposition: .replace)
        let first = try await load(connector)
        XCTAssertEqual(first.status, .succeeded)
        let firstCount = try await count("raw.r")
        XCTAssertEqual(firstCount, 3)

        try drop("b.csv", "id\n4\n5\n")
        let second = try await load(connector)
        XCTAssertEqual(second.status, .succeeded)
        let replaced = try await rows("select id from raw.r order by id")
        XCTAssertEqual(replaced, [["1"], ["2"], ["4"], ["5"]])

        // A JSON document that does not parse cannot be split into rows: the whole replace rolls back.
        try drop("c.json", "[{\"id\": 6}, {\"id\": ")
        let third = try await load(connector)
        XCTAssertEqual(third.status, .failed)
        XCTAssertTrue(third.error?.contains("keeps its earlier rows") == true, third.error ?? "")
        let kept = try await rows("select id from raw.r order by id")
        XCTAssertEqual(kept, [["1"], ["2"], ["4"], ["5"]])
        let status = try await rows("select status from ingest.loads order by started_at desc limit 1")
        XCTAssertEqual(status, [["failed"]])
    }

    func testANewColumnInALaterFileIsAddedAndOlderRowsReadNull() async throws {
        try drop("1.csv", "id,name\n1,a\n")
        let connector = FileConnector(name: "w", path: "landing/*.csv", into: RelationName(schema: "raw", name: "w"))
        _ = try await load(connector)
        try drop("2.csv", "id,name,email\n2,b,b@x.org\n")
        _ = try await load(connector)
        let loaded = try await rows("select id, name, email from raw.w order by id")
        XCTAssertEqual(loaded, [["1", "a", "NULL"], ["2", "b", "b@x.org"]])
        // The table's type now binds later files: text in id is quarantined, not a failed load.
        try drop("3.csv", "id,name\nthree,c\n4,d\n")
        let report = try await load(connector)
        XCTAssertEqual(report.files.last?.rows, 1)
        let quarantined = try await quarantine("w")
        XCTAssertEqual(quarantined, [["landing/3.csv", "2", "id", "'three' is not a valid BIGINT"]])
    }
}

/// Large CSV files load in one pass (`DirectCSVLoad`) with the types of their first rows,
/// checked on every value; a later value those types refuse sends the file the staged way, so
/// either way a file gives the same table and the same quarantine.
final class OnePassCSVLoadTests: IngestTestCase {
    /// 25,000 rows (more than the 20,000 the types are read from): id, code, price, note; a
    /// ragged line at line 23,001; `late` is put on one row past the first 20,000.
    private func bigFile(late: (row: Int, code: String, price: String)? = nil) -> String {
        var lines = ["id,code,price,note"]
        for id in 1...25_000 {
            var code = String(1_000 + id % 977), price = String(id % 50)
            if let late, late.row == id { code = late.code; price = late.price }
            lines.append(id == 23_000 ? "\(id),\(code)" : "\(id),\(code),\(price),n\(id % 7)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func loadTracked(_ connector: FileConnector) async throws -> (LoadReport, Bool) {
        let took = OnePassFlag()
        var loader = loader()
        loader.loadedInOnePass = { _ in took.set() }
        return (try await loader.load(connector), took.value)
    }

    func testACleanFileLoadsInOnePassWithItsTypesAndItsRaggedLineQuarantined() async throws {
        try drop("clean.csv", bigFile())
        let connector = FileConnector(name: "clean", path: "landing/clean.csv", into: RelationName(schema: "raw", name: "clean"))
        let (report, onePass) = try await loadTracked(connector)
        XCTAssertTrue(onePass, "a file whose every value fits its first rows' types takes one pass")
        XCTAssertEqual(report.rowsLoaded, 24_999)
        XCTAssertEqual(report.rowsQuarantined, 1)
        let types = try await types("raw.clean")
        XCTAssertEqual([types["id"], types["code"], types["price"], types["note"]], ["BIGINT", "BIGINT", "BIGINT", "VARCHAR"])
        let sums = try await rows("select sum(id), sum(code), sum(price), count(distinct note) from raw.clean")
        let expected = (1...25_000).filter { $0 != 23_000 }
        XCTAssertEqual(sums, [[String(expected.reduce(0, +)), String(expected.map { 1_000 + $0 % 977 }.reduce(0, +)),
                               String(expected.map { $0 % 50 }.reduce(0, +)), "7"]])
        let quarantined = try await quarantine("clean")
        XCTAssertEqual(quarantined, [["landing/clean.csv", "23001", "-", "the line has 2 fields; the header has 4"]])
    }

    func testALateValueTheFirstRowsTypesRefuseGivesTheStagedResult() async throws {
        // Row 24,000 holds a code with a leading zero (a code, so text) and a fractional price.
        try drop("late.csv", bigFile(late: (24_000, "01234", "2.5")))
        let connector = FileConnector(name: "late", path: "landing/late.csv", into: RelationName(schema: "raw", name: "late"))
        let (report, onePass) = try await loadTracked(connector)
        XCTAssertFalse(onePass, "the one pass stops at the late value and the file is staged")
        XCTAssertEqual(report.rowsLoaded, 24_999)
        let types = try await types("raw.late")
        XCTAssertEqual([types["id"], types["code"], types["price"]], ["BIGINT", "VARCHAR", "DOUBLE"])
        let late = try await rows("select code, price from raw.late where id = 24000")
        XCTAssertEqual(late, [["01234", "2.5"]])
        let quarantined = try await quarantine("late")
        XCTAssertEqual(quarantined, [["landing/late.csv", "23001", "-", "the line has 2 fields; the header has 4"]])

        // A declared type a late value does not fit: staged too, and that row quarantined.
        try drop("declared.csv", bigFile(late: (21_000, "x9", "1")))
        let declared = FileConnector(name: "declared", path: "landing/declared.csv", into: RelationName(schema: "raw", name: "declared"),
                                     columns: [DeclaredColumn(name: "code", type: "INTEGER")])
        let (second, secondOnePass) = try await loadTracked(declared)
        XCTAssertFalse(secondOnePass)
        XCTAssertEqual(second.rowsLoaded, 24_998)
        let declaredQuarantine = try await quarantine("declared")
        XCTAssertEqual(declaredQuarantine, [["landing/declared.csv", "21001", "code", "'x9' is not a valid INTEGER"],
                                            ["landing/declared.csv", "23001", "-", "the line has 2 fields; the header has 4"]])
    }
}

private final class OnePassFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var taken = false
    func set() { lock.withLock { taken = true } }
    var value: Bool { lock.withLock { taken } }
}

final class FileDigestTests: IngestTestCase {
    /// The ledger's checksums were DuckDB's `sha256(content)` before files were hashed in blocks
    /// (read_blob refuses files over 4 GiB); both spellings must agree, or every file loaded
    /// before would look changed.
    func testTheBlockwiseDigestIsDuckDBsSha256() async throws {
        var bytes: [UInt8] = []
        for index in 0..<(FileDigest.blockSize + 12_345) { bytes.append(UInt8(truncatingIfNeeded: index &* 31 &+ index >> 9)) }
        try drop("blocks.bin", bytes: bytes)
        try drop("abc.txt", "abc")
        for name in ["blocks.bin", "abc.txt"] {
            let path = root.appendingPathComponent("landing/\(name)").path
            let duckdb = try await rows("select sha256(content) from read_blob('\(path)')")
            XCTAssertEqual(try FileDigest.sha256(ofFileAt: path), duckdb.first?.first, name)
        }
        XCTAssertEqual(try FileDigest.sha256(ofFileAt: root.appendingPathComponent("landing/abc.txt").path),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertThrowsError(try FileDigest.sha256(ofFileAt: root.appendingPathComponent("landing/none").path)) { error in
            XCTAssertTrue("\(error)".contains("cannot be opened for reading"), "\(error)")
        }
    }
}
