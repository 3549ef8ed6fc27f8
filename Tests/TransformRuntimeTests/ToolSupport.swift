import Foundation
import XCTest

/// What the runtime tests share for running other tools (dbt-core's Python, dbt) and comparing
/// what they wrote.
enum ToolSupport {
    /// dbt-core's venv (scripts/dbt-venv.sh), or nil when it is not installed here.
    static var dbtVenv: String? {
        let cache = ProcessInfo.processInfo.environment["STOREHOUSE_CACHE"] ?? (NSHomeDirectory() + "/.cache/storehouse")
        let venv = cache + "/dbt-venv/bin"
        return FileManager.default.isExecutableFile(atPath: venv + "/python") ? venv : nil
    }

    /// Runs a program to its end; its exit status and what it printed (stdout and stderr).
    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil,
                    environment extra: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var environment = ProcessInfo.processInfo.environment
        environment["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    /// Every `.sql` file under `expected` has the same text under `actual`; returns how many.
    @discardableResult
    static func assertSameCompiledSQL(expected: String, actual: String, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let files = FileManager.default.enumerator(atPath: expected)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".sql") }
        for name in files {
            XCTAssertEqual(try String(contentsOfFile: actual + "/" + name, encoding: .utf8),
                           try String(contentsOfFile: expected + "/" + name, encoding: .utf8), name, file: file, line: line)
        }
        return files.count
    }
}
