import Foundation
import GRDB

// A step's log is kept as chunks of at most `chunkBytes` rather than one growing text: SQLite
// rewrites a whole value on every update, so appending a line to a 1 MiB log in place would
// write 1 MiB per line. Appending to the newest small chunk writes at most a chunk, and
// trimming the beginning deletes whole chunks.
extension RunStore {
    static let chunkBytes = 16 * 1_024

    /// Appends text (usually whole lines, with their newlines) to an attempt's output while its
    /// step runs. Only the last ``outputLimit`` bytes are kept: when the output grows past it,
    /// the oldest text is dropped, and ``run(_:)`` then starts the output with a line saying how
    /// many bytes were dropped.
    public func appendOutput(attempt: Int64, _ text: String) throws(OrchestratorError) {
        guard !text.isEmpty else { return }
        let limit = outputLimit
        try write { db in
            guard let state = try Row.fetchOne(db, literal: """
                SELECT output_bytes, output_dropped_bytes FROM step_attempt WHERE id = \(attempt)
                """) else { throw Self.missing("step attempt \(attempt)") }
            var kept: Int = state["output_bytes"]
            var dropped: Int = state["output_dropped_bytes"]
            let bytes = text.utf8.count
            let last = try Row.fetchOne(db, literal: """
                SELECT id, bytes FROM step_output WHERE attempt_id = \(attempt) ORDER BY id DESC LIMIT 1
                """)
            if let last, (last["bytes"] as Int) + bytes <= Self.chunkBytes {
                try db.execute(literal: """
                    UPDATE step_output SET text = text || \(text), bytes = bytes + \(bytes) WHERE id = \(last["id"] as Int64)
                    """)
            } else {
                try db.execute(literal: "INSERT INTO step_output (attempt_id, bytes, text) VALUES (\(attempt), \(bytes), \(text))")
            }
            kept += bytes
            if kept > limit {
                let trimmed = try Self.dropOldestOutput(db, attempt: attempt, bytes: kept - limit)
                kept -= trimmed
                dropped += trimmed
            }
            try db.execute(literal: """
                UPDATE step_attempt SET output_bytes = \(kept), output_dropped_bytes = \(dropped) WHERE id = \(attempt)
                """)
        }
    }

    /// Drops at least `excess` bytes from the start of an attempt's output (a little more when
    /// the cut would split a character) and returns how many it dropped.
    private static func dropOldestOutput(_ db: Database, attempt: Int64, bytes excess: Int) throws -> Int {
        var dropped = 0
        let chunks = try Row.fetchCursor(db, literal: "SELECT id, bytes FROM step_output WHERE attempt_id = \(attempt) ORDER BY id")
        var whole: [Int64] = []
        var partial: (id: Int64, text: String, cut: Int)?
        while dropped < excess, let chunk = try chunks.next() {
            let id: Int64 = chunk["id"]
            let size: Int = chunk["bytes"]
            if dropped + size <= excess {
                whole.append(id)
                dropped += size
            } else {
                let text = try String.fetchOne(db, literal: "SELECT text FROM step_output WHERE id = \(id)") ?? ""
                let utf8 = Array(text.utf8)
                var cut = excess - dropped
                // Never start the kept text in the middle of a UTF-8 sequence.
                while cut < utf8.count, utf8[cut] & 0b1100_0000 == 0b1000_0000 { cut += 1 }
                partial = (id, String(decoding: utf8[cut...], as: UTF8.self), cut)
                dropped += cut
            }
        }
        if !whole.isEmpty { try db.execute(literal: "DELETE FROM step_output WHERE id IN \(whole)") }
        if let partial {
            try db.execute(literal: """
                UPDATE step_output SET text = \(partial.text), bytes = bytes - \(partial.cut) WHERE id = \(partial.id)
                """)
        }
        return dropped
    }

    /// An attempt's kept output, after a line about what was dropped, if anything was.
    static func output(_ db: Database, attempt: Int64, dropped: Int, limit: Int) throws -> String {
        var output = ""
        if dropped > 0 {
            output = "[storehouse: the first \(dropped) bytes of this output were dropped; the run store keeps the last \(byteCount(limit))]\n"
        }
        for text in try String.fetchAll(db, literal: "SELECT text FROM step_output WHERE attempt_id = \(attempt) ORDER BY id") {
            output += text
        }
        return output
    }

    static func byteCount(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
