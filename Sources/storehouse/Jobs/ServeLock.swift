import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The file a running `storehouse serve` leaves beside its run store (`shop/storehouse.serve.json`
/// beside `shop/storehouse.runs.sqlite`): which process owns the warehouse, where it listens,
/// and a token for handing it work. Readable by its owner only (mode 0600): whoever can read it
/// can run jobs, as whoever can write the warehouse file could anyway.
struct ServeLock: Codable, Equatable {
    var pid: Int32
    /// `http://127.0.0.1:8080`, no trailing slash.
    var url: String
    var token: String
    var startedAt: Date

    /// `x.runs.sqlite` → `x.serve.json`; any other name gets `.serve.json` added.
    static func path(forRunStore runStore: String) -> String {
        let suffix = ".runs.sqlite"
        let stem = runStore.hasSuffix(suffix) ? String(runStore.dropLast(suffix.count)) : runStore
        return stem + ".serve.json"
    }

    /// The lock of a server that is running now; nil when there is none, or the file was left
    /// by a process that is gone (a killed server).
    static func running(at path: String) -> ServeLock? {
        guard let data = FileManager.default.contents(atPath: path),
              let lock = try? decoder.decode(ServeLock.self, from: data) else { return nil }
        return lock.isAlive ? lock : nil
    }

    var isAlive: Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// Writes the file for this process (replacing a stale one) with mode 0600.
    func write(to path: String) throws {
        let data = try encoder.encode(self)
        let temporary = path + ".\(pid).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CLIError("cannot write \(temporary)", hint: "check that the folder of the run store is writable")
        }
        guard rename(temporary, path) == 0 else {
            throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Removes the file if it is still this process's.
    static func remove(at path: String, pid: Int32) {
        if let data = FileManager.default.contents(atPath: path), let lock = try? decoder.decode(ServeLock.self, from: data), lock.pid == pid {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    private var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// A token of 32 random bytes, hex.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
