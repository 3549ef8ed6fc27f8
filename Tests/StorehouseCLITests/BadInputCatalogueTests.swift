import Foundation
import XCTest

/// The catalogue of bad inputs (BadInputCatalogue*.swift), each run with the real binary on a
/// copy of one small built project: it must give its exit code and one clear message (what,
/// where, what to do), never a crash or a Foundation error, and lose nothing: the project's
/// files and the warehouse's rows are the same before and after.
final class BadInputCatalogueTests: XCTestCase {
    nonisolated(unsafe) static var base: URL?

    /// The small project every case starts from, built once.
    static func builtBase() throws -> URL {
        if let base { return base }
        let folder = ProjectFolder(prefix: "storehouse-bad-input-base")
        for (path, text) in BadInput.baseProject { try folder.write(path, text) }
        let build = try StorehouseProcess.run(["build"], in: folder.root, environment: ["STOREHOUSE_RUNS_DB": ""])
        guard build.status == 0 else { throw XCTSkip("the base project did not build:\n\(build.stdout)\n\(build.stderr)") }
        base = folder.root
        return folder.root
    }

    override class func tearDown() {
        if let base { try? FileManager.default.removeItem(at: base) }
        base = nil
    }

    func testTheCatalogueHasAtLeastAHundredCasesWithDistinctNames() {
        XCTAssertGreaterThanOrEqual(BadInput.catalogue.count, 100)
        XCTAssertEqual(Set(BadInput.catalogue.map(\.name)).count, BadInput.catalogue.count)
    }

    func testEveryBadInputGivesOneClearErrorAndLosesNothing() throws {
        let base = try Self.builtBase()
        for input in BadInput.catalogue {
            try check(input, base: base)
        }
    }

    func check(_ input: BadInput, base: URL) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-bad-input-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: base, to: dir)
        defer {
            _ = try? StorehouseProcess.run(["-R", "u+w", dir.path], tool: URL(fileURLWithPath: "/bin/chmod"))
            try? FileManager.default.removeItem(at: dir)
        }
        for (path, edit) in input.edits { try edit.apply(to: dir.appendingPathComponent(path)) }
        let filesBefore = try FileDigest.tree(dir, skipping: input.warehouseIsValid ? ["target", "w.duckdb", "w.duckdb.wal"] : ["target"])
        let rowsBefore = input.warehouseIsValid ? try warehouseRows(dir) : ""

        let arguments = input.arguments.map { $0.replacingOccurrences(of: "$DIR", with: dir.path) }
        let environment = input.environment.mapValues { $0.replacingOccurrences(of: "$DIR", with: dir.path) }
        let run = try run(arguments, in: dir, environment: ["STOREHOUSE_RUNS_DB": ""].merging(environment) { $1 }, input.circumstance)
        let output = run.stderr + run.stdout
        let context = "[\(input.name)] storehouse \(arguments.joined(separator: " "))\n--- stdout\n\(run.stdout)\n--- stderr\n\(run.stderr)"

        XCTAssertEqual(run.status, input.status, "exit code: \(context)")
        for text in input.says { XCTAssertTrue(output.contains(text), "expected «\(text)» in: \(context)") }
        for noise in ["Error Domain=", "Fatal error", "NSCocoaErrorDomain", "Swift/", "Stack dump", "💣"] {
            XCTAssertFalse(output.contains(noise), "a crash or a raw Foundation error (\(noise)): \(context)")
        }
        if input.status == 2 {
            let errors = run.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") || $0.contains(": error:") || $0.hasPrefix("Error:") }
            XCTAssertEqual(errors.count, 1, "one error line: \(context)")
        }
        XCTAssertEqual(try FileDigest.tree(dir, skipping: input.warehouseIsValid ? ["target", "w.duckdb", "w.duckdb.wal"] : ["target"]), filesBefore,
                       "the project's files changed: \(context)")
        if input.warehouseIsValid {
            XCTAssertEqual(try warehouseRows(dir), rowsBefore, "the warehouse's rows changed: \(context)")
        }
    }

    func run(_ arguments: [String], in dir: URL, environment: [String: String], _ circumstance: BadInput.Circumstance) throws -> StorehouseProcess.Outcome {
        switch circumstance {
        case .alone:
            return try StorehouseProcess.run(arguments, in: dir, environment: environment)
        case .fileSizeLimit(let extra):
            let size = (try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("w.duckdb").path)[.size] as? Int) ?? 0
            let limit = size / 1024 + extra
            return try StorehouseProcess.run(["-c", "ulimit -f \(limit) && exec \"$0\" \"$@\"", StorehouseProcess.executable.path] + arguments,
                                             in: dir, environment: environment, tool: URL(fileURLWithPath: "/bin/bash"))
        case .warehouseHeldByAQuery:
            let holder = Process()
            holder.executableURL = StorehouseProcess.executable
            holder.arguments = ["query", "select count(*) from range(50000000000) r where r.range % 7 = 3", "--db", "w.duckdb"]
            holder.currentDirectoryURL = dir
            holder.standardOutput = FileHandle.nullDevice
            holder.standardError = FileHandle.nullDevice
            try holder.run()
            defer { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() }
            Thread.sleep(forTimeInterval: 1) // the query has the file open well before this
            return try StorehouseProcess.run(arguments, in: dir, environment: environment)
        }
    }

    /// Every base relation's row count and content hash, read-only.
    func warehouseRows(_ dir: URL) throws -> String {
        let sql = ["a", "b", "s"].map { "(select count(*) || ':' || coalesce(sum(hash(\($0))), 0) from \($0))" }.joined(separator: " || ' ' || ")
        let run = try StorehouseProcess.run(["query", "select \(sql) as state", "--db", dir.appendingPathComponent("w.duckdb").path, "--format", "csv"])
        guard run.status == 0 else { return "unreadable: \(run.stderr)" }
        return run.stdout
    }
}

/// Hashes of every file under a folder, by relative path.
enum FileDigest {
    static func tree(_ root: URL, skipping: Set<String>) throws -> [String: Int] {
        var result: [String: Int] = [:]
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return result }
        while let relative = walker.nextObject() as? String {
            if skipping.contains(where: { relative == $0 || relative.hasPrefix($0 + "/") }) { continue }
            let path = root.appendingPathComponent(relative).path
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            var hasher = Hasher()
            hasher.combine(FileManager.default.contents(atPath: path) ?? Data())
            result[relative] = hasher.finalize()
        }
        return result
    }
}
