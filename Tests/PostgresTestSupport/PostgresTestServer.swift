import Foundation
import WarehousePostgres

/// The PostgreSQL server the tests talk to: the one `scripts/with-postgres.sh` exported
/// (`STOREHOUSE_PG_*`), or else a throw-away cluster this process starts itself when
/// PostgreSQL 15 is installed at `/usr/lib/postgresql/15/bin`, stopped and deleted by `stop()`.
public final class PostgresTestServer: @unchecked Sendable {
    public static let binaries = ProcessInfo.processInfo.environment["PG_BIN"] ?? "/usr/lib/postgresql/15/bin"
    public static let passwordRole = "storehouse_password_check"
    public static let rolePassword = "right-password"

    public let configuration: PostgresConfiguration
    /// The temporary folder of a cluster this process started; nil for an external server.
    private let root: URL?

    private init(configuration: PostgresConfiguration, root: URL?) {
        self.configuration = configuration
        self.root = root
    }

    /// The server to use, or the reason there is none.
    public static func start() -> Result<PostgresTestServer, SkipReason> {
        if let configuration = PostgresConfiguration.fromEnvironment() {
            return .success(PostgresTestServer(configuration: configuration, root: nil))
        }
        guard FileManager.default.isExecutableFile(atPath: binaries + "/initdb") else {
            return .failure(SkipReason("no PostgreSQL server: run through scripts/with-postgres.sh (STOREHOUSE_PG_HOST is unset and \(binaries)/initdb is missing)"))
        }
        do {
            return .success(try startCluster())
        } catch {
            return .failure(SkipReason("no PostgreSQL server: run through scripts/with-postgres.sh (starting a cluster here failed: \(error))"))
        }
    }

    public struct SkipReason: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    struct CommandFailure: Error, CustomStringConvertible {
        var description: String
    }

    private static var isRoot: Bool { getuid() == 0 }

    /// Runs a program (as the `postgres` user when we are root, since initdb refuses root) and
    /// waits for it. posix_spawn + waitpid rather than Foundation's Process, whose wait did not
    /// return here once `pg_ctl start` had left a daemon behind.
    @discardableResult
    private static func run(_ arguments: [String], asServerUser: Bool = true) throws -> String {
        var command = arguments
        if asServerUser && isRoot { command = ["/usr/sbin/runuser", "-u", "postgres", "--"] + command }
        // Output goes to a file, not a pipe: the server `pg_ctl start` leaves behind keeps its
        // output handles open, so a pipe would never reach end-of-file.
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-pg-cmd-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, command[0], &actions, nil, &argv, environ)
        guard spawned == 0 else { throw CommandFailure(description: "cannot start \(command[0]): errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        guard exitCode == 0 else {
            throw CommandFailure(description: "\(arguments.joined(separator: " ")) exited with \(exitCode): \(text)")
        }
        return text
    }

    private static func startCluster() throws -> PostgresTestServer {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-pg-test-\(UUID().uuidString.prefix(8))")
        let data = root.appendingPathComponent("data"), sockets = root.appendingPathComponent("sockets")
        try FileManager.default.createDirectory(at: sockets, withIntermediateDirectories: true)
        let port = 55_000 + Int(getpid() % 1000)
        do {
            if isRoot { try run(["/bin/chown", "-R", "postgres", root.path], asServerUser: false) }
            try run([binaries + "/initdb", "-D", data.path, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"])
            try "local all \(passwordRole) scram-sha-256\nlocal all all trust\n"
                .write(to: data.appendingPathComponent("pg_hba.conf"), atomically: false, encoding: .utf8)
            try run([binaries + "/pg_ctl", "-D", data.path, "-l", root.appendingPathComponent("server.log").path, "-w", "-t", "30",
                     "-o", "-k \(sockets.path) -p \(port) -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                     "start"])
            try run([binaries + "/psql", "-h", sockets.path, "-p", String(port), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q",
                     "-c", "create database storehouse",
                     "-c", "create role \(passwordRole) login password '\(rolePassword)'"])
        } catch {
            stopCluster(root: root)
            throw error
        }
        let configuration = PostgresConfiguration(host: sockets.path, port: port, user: "postgres", database: "storehouse")
        return PostgresTestServer(configuration: configuration, root: root)
    }

    public func stop() {
        if let root { Self.stopCluster(root: root) }
    }

    private static func stopCluster(root: URL) {
        let data = root.appendingPathComponent("data")
        if FileManager.default.fileExists(atPath: data.appendingPathComponent("postmaster.pid").path) {
            _ = try? run([binaries + "/pg_ctl", "-D", data.path, "stop", "-m", "fast"])
        }
        try? FileManager.default.removeItem(at: root)
    }
}
