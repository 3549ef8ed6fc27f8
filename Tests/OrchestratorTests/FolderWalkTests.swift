import Foundation
import XCTest
@testable import Orchestrator

final class FolderWalkTests: XCTestCase {
    func testRegularFilesWithSizesHiddenOnesAndSkippedFoldersLeftOut() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-walk-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let files = ["a.csv": "12345", "day/b.csv": "1", ".hidden.csv": "x", "day/.part": "x", "target/run.json": "{}", ".git/config": "x"]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: false, encoding: .utf8)
        }
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("link.csv").path, withDestinationPath: root.appendingPathComponent("a.csv").path)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("loop").path, withDestinationPath: root.path)
        let found = FolderWalk.files(under: root.path, skipping: { $0 == "target" })
        XCTAssertEqual(found.map(\.path).sorted(), ["a.csv", "day/b.csv", "link.csv"], "a link to a folder is not followed")
        XCTAssertEqual(found.first { $0.path == "a.csv" }?.size, 5)
        let modified = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: root.appendingPathComponent("a.csv").path)[.modificationDate] as? Date)
        XCTAssertEqual(found.first { $0.path == "a.csv" }?.modified.timeIntervalSince1970 ?? 0, modified.timeIntervalSince1970, accuracy: 0.001)
        XCTAssertEqual(FolderWalk.files(under: root.appendingPathComponent("missing").path), [])
    }
}
