import Foundation
import XCTest

/// What the kill tests share: running storehouse in a folder, killing it midway, and reading
/// every table's row count and content hash back.
extension XCTestCase {
    func storehouse(_ arguments: [String], in folder: URL) throws -> StorehouseProcess.Outcome {
        try StorehouseProcess.run(arguments, in: folder, environment: ["STOREHOUSE_RUNS_DB": ""])
    }

    /// Starts storehouse in `folder`, its output discarded, and returns the running process.
    func startStorehouse(_ arguments: [String], in folder: URL) throws -> Process {
        let process = Process()
        process.executableURL = StorehouseProcess.executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["STOREHOUSE_RUNS_DB"] = ""
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Starts storehouse and SIGKILLs it after `delay` seconds; true when it was still running.
    func killed(_ arguments: [String], in folder: URL, after delay: Double) throws -> Bool {
        let process = try startStorehouse(arguments, in: folder)
        Thread.sleep(forTimeInterval: delay)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal
    }

    /// Each table's row count and content hash in `schema`, read-only.
    func checksums(_ folder: URL, schema: String = "main", allowFailure: Bool = false) throws -> [String: String] {
        let list = try storehouse(["query", "select table_name from information_schema.tables where table_schema = '\(schema)' and table_type = 'BASE TABLE' order by 1",
                                   "--db", "w.duckdb", "--format", "csv"], in: folder)
        guard list.status == 0 else {
            if allowFailure { return ["<error>": list.stderr] }
            XCTFail("cannot list the tables: \(list.stderr)")
            return [:]
        }
        let tables = list.stdout.split(separator: "\n").dropFirst().map(String.init)
        guard !tables.isEmpty else { return [:] }
        let sql = tables.map { "select '\($0)', count(*), coalesce(sum(hash(t)), 0) from \(schema).\"\($0)\" t" }.joined(separator: " union all ")
        let sums = try storehouse(["query", sql, "--db", "w.duckdb", "--format", "csv", "--max-rows", "0"], in: folder)
        guard sums.status == 0 else {
            if allowFailure { return ["<error>": sums.stderr] }
            XCTFail("cannot read the tables: \(sums.stderr)")
            return [:]
        }
        var result: [String: String] = [:]
        for line in sums.stdout.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",", maxSplits: 1).map(String.init)
            if fields.count == 2 { result[fields[0]] = fields[1] }
        }
        return result
    }
}
