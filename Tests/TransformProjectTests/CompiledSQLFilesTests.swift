import Foundation
@testable import TransformProject
import XCTest

/// Compiled SQL files: written in place, left alone when they already hold the same SQL (a rebuild
/// of an unchanged project rewrites nothing), rewritten when the SQL changes, shorter or longer.
final class CompiledSQLFilesTests: XCTestCase {
    func testSameSQLIsLeftAloneAndChangedSQLIsRewritten() throws {
        let root = NSTemporaryDirectory() + "storehouse-compiled-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = "target/compiled/p/models/a.sql"
        func node(_ sql: String) -> CompiledNode {
            CompiledNode(uniqueId: "model.p.a", sql: sql, renderedSQL: sql, injectedCTEs: [], compiledPath: path)
        }
        func inode() throws -> (text: String, modified: Date) {
            let attributes = try FileManager.default.attributesOfItem(atPath: root + "/" + path)
            return (try String(contentsOfFile: root + "/" + path, encoding: .utf8), attributes[.modificationDate] as! Date)
        }
        var files = CompiledSQLFiles(projectRoot: root)
        try files.write(node("select 1 as id"))
        let first = try inode()
        XCTAssertEqual(first.text, "select 1 as id")
        // Back-date the file so a rewrite would show in its modification time.
        let past = Date(timeIntervalSinceNow: -3600)
        try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: root + "/" + path)
        var again = CompiledSQLFiles(projectRoot: root)
        try again.write(node("select 1 as id"))
        XCTAssertEqual(try inode().modified.timeIntervalSince1970, past.timeIntervalSince1970, accuracy: 1, "unchanged SQL was rewritten")
        try again.write(node("select 2 as id"))  // same length, other SQL
        XCTAssertEqual(try inode().text, "select 2 as id")
        try again.write(node("select 2"))
        XCTAssertEqual(try inode().text, "select 2")
        try again.write(node("select 22222 as id, 3 as other"))
        XCTAssertEqual(try inode().text, "select 22222 as id, 3 as other")
    }
}
