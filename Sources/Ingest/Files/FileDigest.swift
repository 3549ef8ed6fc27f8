import Crypto
import Foundation

/// The SHA-256 of a landing file, read in fixed-size blocks: memory stays at one block whatever
/// the file's size (the REES46 October export is 5.3 GiB; DuckDB's `read_blob` refuses files over
/// 4 GiB and would hold the whole file in memory).
enum FileDigest {
    static let blockSize = 4 << 20

    /// Lowercase hex, as DuckDB's `sha256()` spelled the ledger's earlier entries.
    static func sha256(ofFileAt path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw IngestError("\(path) cannot be opened for reading", hint: "check that the file exists and is readable")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let block = try handle.read(upToCount: blockSize), !block.isEmpty {
                hasher.update(data: block)
            }
        } catch {
            throw IngestError("\(path): reading it failed: \(error)", hint: "check that the file is readable")
        }
        return hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
