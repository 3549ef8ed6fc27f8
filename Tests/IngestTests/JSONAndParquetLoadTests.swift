import Foundation
import WarehouseKit
import XCTest

@testable import Ingest

/// NDJSON, JSON documents and Parquet: nested values, bad lines, truncated files, and files that
/// are not ready yet.
final class JSONAndParquetLoadTests: IngestTestCase {
    func testNDJSONQuarantinesEachBadLineByNumberAndKeepsNestedValuesAsJSON() async throws {
        try drop("events.ndjson", """
            {"id": 1, "kind": "view", "meta": {"page": "/a"}, "tags": ["x"]}
            {"id": 2, "kind": "cart", "amount": 9.5}
            {"id": 3, "kind": "view"
            
            [1, 2]
            {"id": "four", "kind": "view"}
            {"id": 5, "kind": "buy", "amount": 20, "meta": {"page": "/b"}}
            """)
        let connector = FileConnector(name: "events", path: "landing/events.ndjson", into: RelationName(schema: "raw", name: "events"),
                                      columns: [DeclaredColumn(name: "id", type: "BIGINT")])
        let report = try await load(connector)
        XCTAssertEqual(report.rowsLoaded, 3)
        let quarantined = try await quarantine("events")
        XCTAssertEqual(quarantined, [
            ["landing/events.ndjson", "3", "-", "not valid JSON"],
            ["landing/events.ndjson", "5", "-", "a JSON array, not an object"],
            ["landing/events.ndjson", "6", "id", "'four' is not a valid BIGINT"],
        ])
        let types = try await types("raw.events")
        XCTAssertEqual(types["id"], "BIGINT")
        XCTAssertEqual(types["kind"], "VARCHAR")
        XCTAssertEqual(types["amount"], "DOUBLE")
        XCTAssertEqual(types["meta"], "JSON")
        XCTAssertEqual(types["tags"], "JSON")
        let loaded = try await rows("select id, kind, amount, meta->>'$.page', tags from raw.events order by id")
        XCTAssertEqual(loaded, [["1", "view", "NULL", "/a", "[\"x\"]"], ["2", "cart", "9.5", "NULL", "NULL"], ["5", "buy", "20", "/b", "NULL"]])
    }

    func testAJSONArrayDocumentLoadsEachObjectAndQuarantinesOthersByPosition() async throws {
        try drop("products.json", #"[{"sku": "A1", "price": 3}, 7, {"sku": "B2", "price": 4.25, "stock": null}]"#)
        let connector = FileConnector(name: "products", path: "landing/products.json", into: RelationName(schema: "raw", name: "products"))
        let report = try await load(connector)
        XCTAssertEqual(report.rowsLoaded, 2)
        let loaded = try await rows("select sku, price, stock from raw.products order by sku")
        XCTAssertEqual(loaded, [["A1", "3", "NULL"], ["B2", "4.25", "NULL"]])
        let quarantined = try await quarantine("products")
        XCTAssertEqual(quarantined, [["landing/products.json", "2", "-", "a JSON number, not an object"]])
    }

    func testMalformedJSONFailsTheFileAndLoadsNothingOfIt() async throws {
        try drop("good.ndjson", "{\"id\": 1}\n")
        try drop("broken.json", "[{\"id\": 2}, {\"id\": ")
        let connector = FileConnector(name: "j", path: "landing", into: RelationName(schema: "raw", name: "j"))
        let report = try await load(connector)
        XCTAssertEqual(report.status, .partial)
        XCTAssertEqual(report.files.map(\.status), [.failed, .loaded])
        XCTAssertTrue(report.files[0].message?.contains("landing/broken.json is not valid JSON") == true, report.files[0].message ?? "")
        let loaded = try await rows("select id from raw.j")
        XCTAssertEqual(loaded, [["1"]])
        let failedLoad = try await rows("select status, files_failed, error from ingest.loads")
        XCTAssertEqual(failedLoad.first?[0], "partial")
        XCTAssertEqual(failedLoad.first?[1], "1")
    }

    func testParquetKeepsItsTypesAndATruncatedFileFailsAlone() async throws {
        let good = root.appendingPathComponent("landing/items-1.parquet").path
        try await warehouse.write { db in
            try await db.execute(SQL(unsafeRaw: """
                copy (select range as id, 'item ' || range as name, range * 1.25 as price, date '2024-01-01' + range::int as day
                      from range(1000)) to '\(good)' (format parquet)
                """))
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        try drop("items-2.parquet", bytes: Array(bytes.prefix(bytes.count / 2)))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-600)], ofItemAtPath: good)
        let connector = FileConnector(name: "items", path: "landing/*.parquet", into: RelationName(schema: "raw", name: "items"))
        let report = try await load(connector)
        XCTAssertEqual(report.files.map(\.status), [.loaded, .failed])
        XCTAssertEqual(report.files[0].rows, 1000)
        XCTAssertTrue(report.files[1].message?.contains("items-2.parquet") == true, report.files[1].message ?? "")
        let types = try await types("raw.items")
        XCTAssertEqual(types["id"], "BIGINT")
        XCTAssertEqual(types["day"], "DATE")
        let sums = try await rows("select count(*), sum(id), min(day)::varchar from raw.items")
        XCTAssertEqual(sums, [["1000", "499500", "2024-01-01"]])
        let ledger = try await rows("select file_path from ingest.file_ledger")
        XCTAssertEqual(ledger, [["landing/items-1.parquet"]], "a failed file is not in the ledger, so the next load tries it again")
    }

    func testFilesStillBeingWrittenAreLeftForTheNextLoad() async throws {
        try drop("done.csv", "id\n1\n")
        try drop("fresh.csv", "id\n2\n", age: 1)
        try drop("upload.csv.part", "id\n3\n")
        try drop(".hidden.csv", "id\n4\n")
        var connector = FileConnector(name: "s", path: "landing/*", into: RelationName(schema: "raw", name: "s"))
        connector.settleSeconds = 120
        let report = try await load(connector)
        XCTAssertEqual(report.files.map(\.path), ["landing/done.csv", "landing/fresh.csv"], "partial and hidden files are never listed")
        XCTAssertEqual(report.files.map(\.status), [.loaded, .settling])
        XCTAssertEqual(report.status, .succeeded)

        // A writer appends while the file is read: the load notices and leaves the file alone.
        try drop("growing.csv", "id\n5\n")
        var watching = loader()
        watching.didRead = { file in
            guard file.name.hasSuffix("growing.csv"), let handle = FileHandle(forWritingAtPath: file.path) else { return }
            handle.seekToEndOfFile()
            handle.write(Data("6\n".utf8))
            try? handle.close()
        }
        connector.settleSeconds = 0
        let second = try await watching.load(connector)
        let growing = second.files.first { $0.path == "landing/growing.csv" }
        XCTAssertEqual(growing?.status, .settling)
        XCTAssertTrue(growing?.message?.contains("changed while it was read") == true, growing?.message ?? "")
        let loaded = try await rows("select id from raw.s order by id")
        XCTAssertEqual(loaded, [["1"], ["2"]], "fresh.csv has settled; growing.csv is not half-loaded")

        let third = try await load(connector)
        XCTAssertEqual(third.files.first { $0.path == "landing/growing.csv" }?.status, .loaded)
        let final = try await rows("select id from raw.s order by id")
        XCTAssertEqual(final, [["1"], ["2"], ["5"], ["6"]])
    }

    func testGlobsMatchNamesAndDepths() throws {
        try drop("a/x.csv", "")
        try drop("a/b/y.csv", "")
        try drop("a/b/c/z.csv", "")
        try drop("a/b/notes.txt.tmp", "")
        let deep = try LandingFiles.resolve("landing/**/*.csv", relativeTo: root.path).map(\.name)
        XCTAssertEqual(deep, ["landing/a/b/c/z.csv", "landing/a/b/y.csv", "landing/a/x.csv"])
        let one = try LandingFiles.resolve("landing/a/*/y.csv", relativeTo: root.path).map(\.name)
        XCTAssertEqual(one, ["landing/a/b/y.csv"])
        let folder = try LandingFiles.resolve("landing/a", relativeTo: root.path).map(\.name)
        XCTAssertEqual(folder, ["landing/a/x.csv"])
        XCTAssertThrowsError(try LandingFiles.resolve("landing/nowhere", relativeTo: root.path)) { error in
            XCTAssertTrue("\(error)".contains("landing/nowhere does not exist"), "\(error)")
        }
    }
}
