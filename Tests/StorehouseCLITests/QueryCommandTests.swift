import Foundation
import XCTest

/// Runs the built `storehouse` binary as a user would and checks what it prints.
final class QueryCommandTests: XCTestCase {
    func testSelectFortyTwoPrintsAnAlignedTable() throws {
        let run = try StorehouseProcess.run(["query", "select 42 as answer", "--db", ":memory:"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, """
            answer
            ──────
                42
            (1 row)

            """)
    }

    func testCSVAndJSONFormats() throws {
        let sql = "select 1 as id, 'a,\"b\"' as label, null as missing union all select 2, 'plain', null order by id"
        let csv = try StorehouseProcess.run(["query", sql, "--format", "csv", "--db", ":memory:"])
        XCTAssertEqual(csv.stdout, "id,label,missing\n1,\"a,\"\"b\"\"\",\n2,plain,\n")
        let json = try StorehouseProcess.run(["query", sql, "-f", "json", "--db", ":memory:"])
        XCTAssertEqual(json.stdout, "[{\"id\":1,\"label\":\"a,\\\"b\\\"\",\"missing\":null},\n {\"id\":2,\"label\":\"plain\",\"missing\":null}]\n")
    }

    func testBadSQLExitsWithOneAndNamesTheProblem() throws {
        let run = try StorehouseProcess.run(["query", "select * from no_such_table", "--db", ":memory:"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.hasPrefix("error: Catalog Error: Table with name no_such_table does not exist!"), run.stderr)
        XCTAssertTrue(run.stderr.contains("in SQL:\n    select * from no_such_table"), run.stderr)
        XCTAssertEqual(run.stdout, "")
    }

    func testVersionAndUnknownFormat() throws {
        let version = try StorehouseProcess.run(["--version"])
        XCTAssertEqual(version.stdout, "storehouse 0.1.0\n")
        let bad = try StorehouseProcess.run(["query", "select 1", "--format", "xml"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("table"), bad.stderr) // the allowed values are listed
    }
}

/// Finds and runs the `storehouse` executable built next to the test bundle.
enum StorehouseProcess {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var executable: URL {
        var candidates: [URL] = []
        let bundle = Bundle.main.bundleURL
        candidates.append(bundle.appendingPathComponent("storehouse"))
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("storehouse"))
        for test in Bundle.allBundles where test.bundlePath.hasSuffix(".xctest") {
            candidates.append(test.bundleURL.deletingLastPathComponent().appendingPathComponent("storehouse"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// Runs `storehouse` (or `tool`, such as a Python that checks what it wrote).
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:], tool: URL? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = tool ?? executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData, as: UTF8.self))
    }
}
