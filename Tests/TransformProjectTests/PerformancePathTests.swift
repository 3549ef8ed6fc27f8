import Foundation
import XCTest
@testable import TransformProject

/// The hand-written replacements of slow Foundation paths behave as what they replaced.
final class PerformancePathTests: XCTestCase {
    func testFunctionLikeKwargsMatchDbtsPattern() {
        for yes in ["ref('orders')", "  source('jaffle', 'raw_orders')  ", "var ( 'x' )", "env_var('HOME')\n", "doc('a')"] {
            XCTAssertTrue(Compiler.isFunctionLike(yes), yes)
        }
        for no in ["refs('orders')", "ref()", "ref('a'\n)", "'ref(x)'", "ref('a') and x", "Ref('a')", "var2('x')", ""] {
            XCTAssertFalse(Compiler.isFunctionLike(no), no)
        }
    }

    func testScannerSkipsHiddenFilesAndFoldersAndReadsExtensionsCaseInsensitively() throws {
        let dir = NSTemporaryDirectory() + "storehouse-scan-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for path in ["models/a.sql", "models/sub/B.SQL", "models/.hidden.sql", "models/.git/c.sql", "models/notes.md", "models/sub/deeper/d.sql"] {
            let full = dir + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try "select 1".write(toFile: full, atomically: false, encoding: .utf8)
        }
        try FileManager.default.createSymbolicLink(atPath: dir + "/models/linked", withDestinationPath: dir + "/models/sub/deeper")
        // A loop back to the root is not followed into itself.
        try FileManager.default.createSymbolicLink(atPath: dir + "/models/sub/loop", withDestinationPath: dir + "/models")
        let scanner = FileScanner(projectDir: dir)
        XCTAssertEqual(scanner.files(under: ["models"], extensions: ["sql"]),
                       ["models/a.sql", "models/linked/d.sql", "models/sub/B.SQL", "models/sub/deeper/d.sql"])
        XCTAssertEqual(scanner.files(under: ["models"], extensions: ["md"]), ["models/notes.md"])
        XCTAssertEqual(FileScanner.lowercasedExtension("x/.sql"), "")
        XCTAssertEqual(FileScanner.lowercasedExtension("x.y/z"), "")
    }

    func testParallelMapKeepsInputOrder() {
        let input = Array(0..<1000)
        XCTAssertEqual(ParallelMap.map(input) { $0 * 3 }, input.map { $0 * 3 })
    }

    func testManifestJSONEscapesAndSortsKeys() throws {
        let tree: [String: Any] = ["b": [1, 2.5, true, NSNull()] as [Any], "a": "quote \" back \\ line\n tab\t bell\u{7} é",
                                   "c": ["x": ["y"]] as [String: [String]]]
        let text = String(decoding: JSONText.encode(tree), as: UTF8.self)
        XCTAssertEqual(text, #"{"a":"quote \" back \\ line\n tab\t bell\u0007 é","b":[1,2.5,true,null],"c":{"x":["y"]}}"#)
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        XCTAssertEqual(parsed["a"] as? String, "quote \" back \\ line\n tab\t bell\u{7} é")
    }

    func testTwoModelsWithOneNameInDifferentFoldersAreAnError() throws {
        let dir = try Fixtures.copy(["models/extra/orders.sql": "select 1"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertThrowsError(try ProjectLoader.load(Fixtures.options(dir))) { error in
            XCTAssertEqual((error as? TransformError)?.description.contains("model 'orders' is defined twice"), true, "\(error)")
        }
    }
}
