import Foundation
import WarehouseDuckDB
import WarehouseKit
import XCTest

@testable import Ingest

/// A landing folder and a DuckDB warehouse in a temporary folder, with helpers to drop files and
/// read tables back.
class IngestTestCase: XCTestCase {
    var root: URL!
    var warehouse: DuckDBWarehouse!

    override func setUp() async throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("landing"), withIntermediateDirectories: true)
        warehouse = try DuckDBWarehouse(path: root.appendingPathComponent("w.duckdb").path)
    }

    override func tearDown() async throws {
        await warehouse.close()
        try? FileManager.default.removeItem(at: root)
    }

    /// Writes `text` (or bytes) to `landing/<name>` and dates it `age` seconds back.
    @discardableResult
    func drop(_ name: String, _ text: String, age: TimeInterval = 600) throws -> String {
        try drop(name, bytes: Array(text.utf8), age: age)
    }

    @discardableResult
    func drop(_ name: String, bytes: [UInt8], age: TimeInterval = 600) throws -> String {
        let url = root.appendingPathComponent("landing").appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: url.path)
        return url.path
    }

    func loader() -> FileLoader { FileLoader(warehouse: warehouse, root: root.path) }

    func load(_ connector: FileConnector) async throws -> LoadReport {
        try await loader().load(connector)
    }

    func rows(_ sql: String) async throws -> [[String]] {
        try await warehouse.read { db in
            try await db.query(SQL(unsafeRaw: sql)).rows.map { $0.map { $0.isNull ? "NULL" : $0.description } }
        }
    }

    func count(_ table: String) async throws -> Int {
        Int(try await rows("select count(*) from \(table)")[0][0]) ?? -1
    }

    func types(_ table: String) async throws -> [String: String] {
        let columns = try await warehouse.read { try await $0.columns(of: RelationName(loadTarget: table)!) }
        return Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0.type) })
    }

    /// `(row_number, column, reason)` of the quarantine, in file and row order.
    func quarantine(_ connector: String) async throws -> [[String]] {
        try await rows("""
            select file_path, row_number::varchar, coalesce(column_name, '-'), reason from ingest.quarantine
            where connector = '\(connector)' order by file_path, row_number
            """)
    }
}
