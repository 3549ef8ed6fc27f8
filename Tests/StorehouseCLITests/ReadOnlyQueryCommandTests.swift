import Foundation
import XCTest

/// Issue 22 through the real binary: `query` cannot change the warehouse, does not invent one,
/// works where it may only read; `generate` leaves a complete file; usage errors exit 2.
final class ReadOnlyQueryCommandTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-cli-ro-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        // A read-only folder from the test below must be made writable again to be removed.
        if let items = FileManager.default.enumerator(atPath: folder.path) {
            for case let item as String in items {
                try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.appendingPathComponent(item).path)
            }
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// A small generated warehouse (the generator is deterministic; 200 users take well under a second).
    private func generatedWarehouse(named name: String = "store.duckdb") throws -> String {
        let path = folder.appendingPathComponent(name).path
        let run = try StorehouseProcess.run(["generate", "--users", "200", "--as-of", "2026-11-20", "--db", path])
        XCTAssertEqual(run.status, 0, run.stderr)
        return path
    }

    private static let countsSQL = "select (select count(*) from raw.users) || '/' || (select count(*) from raw.orders) || '/' || (select count(*) from raw.order_items) as counts"

    func testAWriteIsRefusedWithExitOneAndTheDataIsUnchanged() throws {
        let path = try generatedWarehouse()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let counts = try StorehouseProcess.run(["query", Self.countsSQL, "--db", path, "-f", "csv"])
        XCTAssertEqual(counts.status, 0, counts.stderr)

        for sql in ["drop table raw.users", "delete from raw.orders", "select 1; drop table raw.users",
                    "copy raw.users to '\(folder.path)/users.csv'", "select * from read_csv('/etc/passwd')"] {
            let run = try StorehouseProcess.run(["query", sql, "--db", path])
            XCTAssertEqual(run.status, 1, "\(sql): \(run.stdout)\(run.stderr)")
            XCTAssertEqual(run.stdout, "", sql)
            XCTAssertTrue(run.stderr.hasPrefix("error: "), run.stderr)
            XCTAssertTrue(run.stderr.contains("hint: "), "\(sql): the message should say what to do: \(run.stderr)")
        }
        let drop = try StorehouseProcess.run(["query", "drop table raw.users", "--db", path])
        // "a DROP" from the statement type, or, when DuckDB already refuses it while preparing on
        // the read-only file, "a statement that writes".
        XCTAssertTrue(drop.stderr.hasPrefix("error: only a query that changes nothing can run here, and this is a "), drop.stderr)
        XCTAssertFalse(drop.stderr.contains("EXECUTE"), "DuckDB's internal statement name leaked: \(drop.stderr)")

        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, "the warehouse file changed")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("users.csv").path))
        let again = try StorehouseProcess.run(["query", Self.countsSQL, "--db", path, "-f", "csv"])
        XCTAssertEqual(again.stdout, counts.stdout)
    }

    func testNoWarehouseIsCreatedWhereThereIsNone() throws {
        let run = try StorehouseProcess.run(["query", "select 1"], in: folder, environment: ["STOREHOUSE_DB": ""])
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("there is no warehouse at storehouse.duckdb"), run.stderr)
        XCTAssertTrue(run.stderr.contains("storehouse generate --db storehouse.duckdb"), run.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "query created files")
    }

    /// The folder and file are read-only for the user running the query. Tests run as root,
    /// whom permissions do not stop, so as root the query runs as `nobody` through runuser.
    func testAQueryWorksOnAWarehouseInAReadOnlyFolder() throws {
        let source = try generatedWarehouse()
        let locked = folder.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
        let path = locked.appendingPathComponent("store.duckdb").path
        try FileManager.default.copyItem(atPath: source, toPath: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: locked.path)
        // The parents must let `nobody` through to the folder.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)

        var prefix: [String] = []
        if getuid() == 0 {
            guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") else {
                throw XCTSkip("running as root without /usr/sbin/runuser: cannot make a folder read-only for the query")
            }
            prefix = ["/usr/sbin/runuser", "-u", "nobody", "--"]
        }
        // The folder really is read-only for the user who will run the query.
        let probe = try Self.run(prefix + ["/usr/bin/touch", locked.appendingPathComponent("probe").path])
        XCTAssertNotEqual(probe, 0, "the folder is writable for the query's user; the test would prove nothing")

        let status = try Self.run(prefix + [StorehouseProcess.executable.path, "query", "select count(*) from raw.users", "--db", path, "-f", "csv"],
                                  output: folder.appendingPathComponent("out.txt"))
        let output = (try? String(contentsOf: folder.appendingPathComponent("out.txt"), encoding: .utf8)) ?? ""
        XCTAssertEqual(status, 0, output)
        XCTAssertEqual(output, "count_star()\n200\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: locked.path), ["store.duckdb"])
    }

    func testGenerateLeavesTheWholeRawSchemaInTheFileAlone() throws {
        let path = try generatedWarehouse()
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".wal"), "generate exited with data still in the WAL")
        let copyFolder = folder.appendingPathComponent("copy")
        try FileManager.default.createDirectory(at: copyFolder, withIntermediateDirectories: true)
        let copy = copyFolder.appendingPathComponent("store.duckdb").path
        try FileManager.default.copyItem(atPath: path, toPath: copy)

        let tables = "select string_agg(table_name, ',' order by table_name) from information_schema.tables where table_schema = 'raw'"
        for sql in [tables, Self.countsSQL] {
            let original = try StorehouseProcess.run(["query", sql, "--db", path, "-f", "csv"])
            let copied = try StorehouseProcess.run(["query", sql, "--db", copy, "-f", "csv"])
            XCTAssertEqual(copied.status, 0, copied.stderr)
            XCTAssertEqual(copied.stdout, original.stdout)
        }
        let names = try StorehouseProcess.run(["query", tables, "--db", copy, "-f", "csv"]).stdout
        XCTAssertTrue(names.contains("order_items") && names.contains("users"), names)
        let users = try StorehouseProcess.run(["query", "select count(*) from raw.users", "--db", copy, "-f", "csv"])
        XCTAssertEqual(users.stdout, "count_star()\n200\n")
    }

    func testUsageErrorsExitWithTwo() throws {
        for arguments in [["query", "select 1", "--max-rows", "-1"], ["query", "select 1", "--no-such-flag"],
                          ["query"], ["query", "select 1", "--timeout", "0"], ["no-such-command"]] {
            let run = try StorehouseProcess.run(arguments)
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("Usage:") || run.stderr.contains("Error:"), run.stderr)
        }
        let help = try StorehouseProcess.run(["query", "--help"])
        XCTAssertEqual(help.status, 0)
    }

    /// Runs a program with posix_spawn and returns its exit status; output to a file if given.
    private static func run(_ command: [String], output: URL? = nil) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output?.path ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, command[0], &actions, nil, &argv, environ)
        guard spawned == 0 else { throw NSError(domain: "spawn", code: Int(spawned)) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }
}
