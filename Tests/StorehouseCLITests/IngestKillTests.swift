import Foundation
import SyntheticData
import XCTest

/// kill -9 at random points of `storehouse ingest` over a landing folder of many files: after
/// each kill every file is in the table whole or not at all, exactly as the ledger says, and the
/// rerun ends with the same rows as an uninterrupted load.
final class IngestKillTests: XCTestCase {
    let trials = ProcessInfo.processInfo.environment["STOREHOUSE_KILL_TRIALS"].flatMap(Int.init) ?? 8
    let seed = ProcessInfo.processInfo.environment["STOREHOUSE_KILL_SEED"].flatMap(UInt64.init) ?? UInt64(Date().timeIntervalSince1970 * 1000)

    static let files = 16
    static let rowsPerFile = 25_000

    func landing() throws -> ProjectFolder {
        let folder = ProjectFolder(prefix: "storehouse-ingest-kill")
        try folder.write("dbt_project.yml", "name: killer\nprofile: killer\n")
        try folder.write("profiles.yml", "killer:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: w.duckdb\n")
        try folder.write("connectors.yml", """
            connectors:
              - name: parts
                path: landing/*.csv
                into: raw.parts
                columns: {id: BIGINT}
            """)
        for file in 0..<Self.files {
            var text = "id,file,payload\n"
            for row in 0..<Self.rowsPerFile { text += "\(file * Self.rowsPerFile + row),\(file),payload \(row * 7919 % 10007)\n" }
            try folder.write(String(format: "landing/part-%02d.csv", file), text)
        }
        return folder
    }

    /// Per file: rows in the table and rows the ledger recorded; plus the content hash.
    static let state = """
        select coalesce(t._ingest_file, l.file_path) as file, coalesce(t.n, 0) as in_table, coalesce(l.rows, 0) as in_ledger
        from (select _ingest_file, count(*) as n from raw.parts group by 1) t
        full join ingest.file_ledger l on l.file_path = t._ingest_file
        order by 1
        """
    static let content = "select count(*) as n, sum(hash(id, file, payload, _ingest_file)) as h from raw.parts"

    func testIngestKilledAtRandomPointsLoadsEveryFileOnceOnTheRerun() throws {
        var random = SeededRandom(seed: seed)
        let reference = try landing()
        defer { reference.remove() }
        let started = Date()
        let uninterrupted = try storehouse(["ingest"], in: reference.root)
        XCTAssertEqual(uninterrupted.status, 0, uninterrupted.stdout + uninterrupted.stderr)
        let duration = Date().timeIntervalSince(started)
        let read = try storehouse(["query", Self.content, "--db", "w.duckdb", "--format", "csv"], in: reference.root)
        let expected = read.stdout
        XCTAssertTrue(expected.contains("\n\(Self.files * Self.rowsPerFile),"), expected + read.stderr + uninterrupted.stdout)

        var killedMidLoad = 0
        for trial in 1...trials {
            let folder = ProjectFolder(prefix: "storehouse-ingest-kill-\(trial)")
            defer { folder.remove() }
            try FileManager.default.copyItem(at: reference.root, to: folder.root)
            try FileManager.default.removeItem(at: folder.root.appendingPathComponent("w.duckdb"))
            let delay = random.unit() * duration
            let context = "trial \(trial) (STOREHOUSE_KILL_SEED=\(seed)), killed after \(String(format: "%.3f", delay)) s of a \(String(format: "%.3f", duration)) s load"
            if try killed(["ingest"], in: folder.root, after: delay) { killedMidLoad += 1 }

            if FileManager.default.fileExists(atPath: folder.root.appendingPathComponent("w.duckdb").path) {
                let state = try storehouse(["query", Self.state, "--db", "w.duckdb", "--format", "csv", "--max-rows", "0"], in: folder.root)
                if state.status == 0 {
                    for line in state.stdout.split(separator: "\n").dropFirst() {
                        let fields = line.split(separator: ",").map(String.init)
                        XCTAssertEqual(fields[1], fields[2], "\(context): \(fields[0]) has \(fields[1]) rows in the table and \(fields[2]) in the ledger")
                        XCTAssertTrue(["0", String(Self.rowsPerFile)].contains(fields[1]), "\(context): \(fields[0]) is half loaded (\(fields[1]) rows)")
                    }
                } else {
                    XCTAssertTrue(state.stderr.contains("does not exist"), "\(context): \(state.stderr)")
                }
            }
            let rerun = try storehouse(["ingest"], in: folder.root)
            XCTAssertEqual(rerun.status, 0, "\(context): the rerun failed\n\(rerun.stdout)\(rerun.stderr)")
            let after = try storehouse(["query", Self.content, "--db", "w.duckdb", "--format", "csv"], in: folder.root).stdout
            XCTAssertEqual(after, expected, "\(context): the rerun's rows differ from an uninterrupted load's")
        }
        print("ingest kill loop: \(killedMidLoad) of \(trials) runs killed mid-load (seed \(seed))")
    }
}
