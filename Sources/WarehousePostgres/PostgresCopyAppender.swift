import Foundation
import PostgresNIO
import WarehouseKit

/// Bulk loads through `COPY schema.table (columns) FROM STDIN` in text format: rows streamed as
/// tab-separated lines, no SQL parsed per row.
///
/// Each `append` is one complete COPY. A connection can carry only one COPY at a time, and a
/// loader may hold appenders for several tables at once (the generator fills eleven tables
/// side by side), so no COPY stays open between calls. Rows are therefore written batch by
/// batch: callers who need all-or-nothing loads append inside `transaction {}`, as the generator
/// and seed loader do.
final class PostgresCopyAppender: BulkAppender, @unchecked Sendable {
    let columns: [ColumnInfo]
    private let relation: RelationName
    private let owner: PostgresWarehouseConnection
    private let copySQL: String
    private let table: String
    private let columnNames: [String]
    private let kinds: [ColumnKind]
    private let lock = NSLock()
    private var appended = 0
    private var isFinished = false

    /// Chunks are written when they reach this size, so a huge batch is not encoded whole first.
    static let chunkBytes = 4 << 20

    /// What the target column accepts, from its `information_schema` type.
    enum ColumnKind {
        case integer, floating, text, boolean, date, timestamp, other

        init(dataType: String) {
            switch dataType {
            case "BIGINT", "INTEGER", "SMALLINT": self = .integer
            case "DOUBLE PRECISION", "REAL", "NUMERIC": self = .floating
            case "TEXT", "CHARACTER VARYING", "CHARACTER": self = .text
            case "BOOLEAN": self = .boolean
            case "DATE": self = .date
            case "TIMESTAMP WITHOUT TIME ZONE", "TIMESTAMP WITH TIME ZONE": self = .timestamp
            default: self = .other
            }
        }

        func accepts(_ values: BatchColumn.Values) -> Bool {
            switch (self, values) {
            case (.integer, .int32), (.integer, .int64): return true
            case (.floating, .int32), (.floating, .int64), (.floating, .double): return true
            case (.text, .text), (.boolean, .bool), (.date, .date): return true
            case (.timestamp, .timestamp), (.timestamp, .timestampTZ): return true
            case (.other, .text): return true
            default: return false
            }
        }
    }

    init(connection owner: PostgresWarehouseConnection, relation: RelationName, columns: [ColumnInfo]) async throws {
        self.owner = owner
        self.relation = relation
        self.columns = columns
        kinds = columns.map { ColumnKind(dataType: $0.type) }
        // copyFrom wraps the table name in double quotes as given, so a schema-qualified name is
        // passed as `schema"."table` with embedded quotes doubled: together `"schema"."table"`.
        table = Self.escape(relation.schema) + "\".\"" + Self.escape(relation.name)
        columnNames = columns.map { Self.escape($0.name) }
        copySQL = "COPY \(relation.quoted) (\(columns.map { SQL.quoteIdentifier($0.name) }.joined(separator: ", "))) FROM STDIN WITH (FORMAT text)"
    }

    private static func escape(_ identifier: String) -> String {
        identifier.replacingOccurrences(of: "\"", with: "\"\"")
    }

    func append(_ batch: ColumnBatch) async throws {
        let finished = lock.withLock { isFinished }
        if finished { throw WarehouseError(.load, "the appender for \(relation) is already finished") }
        guard batch.columns.count == columns.count else {
            throw WarehouseError(.load, "\(relation) has \(columns.count) columns but the batch has \(batch.columns.count)")
        }
        for (index, column) in batch.columns.enumerated() where !kinds[index].accepts(column.values) {
            throw WarehouseError(.load, "column \(index + 1) of \(relation) is \(columns[index].type), but the batch holds \(Self.kindName(column.values)) values")
        }
        guard batch.count > 0 else { return }
        let width = columns.count
        do {
            try await owner.connection.copyFrom(table: table, columns: columnNames, format: .text(.init()), logger: owner.logger) { writer in
                var buffer = ByteBuffer()
                buffer.reserveCapacity(min(Self.chunkBytes + 4096, batch.count * 16 * max(1, width)))
                for row in 0..<batch.count {
                    for (index, column) in batch.columns.enumerated() {
                        if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
                        CopyTextEncoder.write(column, row: row, into: &buffer)
                    }
                    buffer.writeInteger(UInt8(ascii: "\n"))
                    if buffer.readableBytes >= Self.chunkBytes {
                        try await writer.write(buffer)
                        buffer.clear()
                    }
                }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
            }
        } catch {
            throw failure(error)
        }
        lock.withLock { appended += batch.count }
    }

    func finish() async throws -> Int {
        lock.withLock { isFinished = true }
        owner.appenderFinished(self)
        return lock.withLock { appended }
    }

    /// Ends the appender when its borrow ends unfinished; every COPY is already complete.
    func abort() async {
        lock.withLock { isFinished = true }
    }

    /// The error that ended a COPY, as a load error naming the table.
    private func failure(_ error: any Error) -> any Error {
        let translated = PostgresErrors.statementFailure(error, sql: copySQL, configuration: owner.configuration)
        guard var warehouseError = translated as? WarehouseError else { return translated }
        warehouseError.kind = .load
        warehouseError.message = "loading \(relation) failed: " + warehouseError.message
        return warehouseError
    }

    private static func kindName(_ values: BatchColumn.Values) -> String {
        switch values {
        case .bool: return "BOOLEAN"
        case .int32: return "INTEGER"
        case .int64: return "BIGINT"
        case .double: return "DOUBLE"
        case .text: return "text"
        case .date: return "DATE"
        case .timestamp: return "TIMESTAMP"
        case .timestampTZ: return "TIMESTAMPTZ"
        }
    }
}

/// Writes values in COPY's text format: `\N` for NULL, backslash escapes for tab, newline,
/// carriage return and backslash, ISO dates and timestamps (UTC, `+00`, for TIMESTAMPTZ).
enum CopyTextEncoder {
    static func write(_ column: BatchColumn, row: Int, into buffer: inout ByteBuffer) {
        if column.isNull(row) {
            buffer.writeInteger(UInt8(ascii: "\\"))
            buffer.writeInteger(UInt8(ascii: "N"))
            return
        }
        switch column.values {
        case .bool(let v): buffer.writeInteger(v[row] ? UInt8(ascii: "t") : UInt8(ascii: "f"))
        case .int32(let v): writeDecimal(Int64(v[row]), into: &buffer)
        case .int64(let v): writeDecimal(v[row], into: &buffer)
        case .double(let v): writeDouble(v[row], into: &buffer)
        case .text(let v): writeEscaped(v[row], into: &buffer)
        case .date(let v): writeDate(CivilDate(daysSinceEpoch: Int(v[row])), into: &buffer)
        case .timestamp(let v): writeTimestamp(v[row], zone: false, into: &buffer)
        case .timestampTZ(let v): writeTimestamp(v[row], zone: true, into: &buffer)
        }
    }

    static func writeDecimal(_ value: Int64, into buffer: inout ByteBuffer) {
        if value == 0 {
            buffer.writeInteger(UInt8(ascii: "0"))
            return
        }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var index = 20
            while magnitude > 0 {
                index -= 1
                digits[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
            if value < 0 { buffer.writeInteger(UInt8(ascii: "-")) }
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(digits)[index..<20]))
        }
    }

    /// Zero-padded to `width` digits (for years, months, clock fields).
    static func writePadded(_ value: Int, width: Int, into buffer: inout ByteBuffer) {
        var digits = 1, limit = 10
        while value >= limit { digits += 1; limit *= 10 }
        for _ in digits..<max(width, digits) { buffer.writeInteger(UInt8(ascii: "0")) }
        writeDecimal(Int64(value), into: &buffer)
    }

    static func writeDouble(_ value: Double, into buffer: inout ByteBuffer) {
        if value.isNaN { buffer.writeStaticString("NaN"); return }
        if value.isInfinite { buffer.writeStaticString(value > 0 ? "Infinity" : "-Infinity"); return }
        if value == 0 && value.sign == .minus { buffer.writeStaticString("-0"); return }
        if value == value.rounded(.towardZero), abs(value) < 1e15 {
            writeDecimal(Int64(value), into: &buffer)
            return
        }
        // Swift prints the shortest text that reads back as the same double, as float8in expects.
        buffer.writeString(value.description)
    }

    static func writeEscaped(_ text: String, into buffer: inout ByteBuffer) {
        var text = text
        text.withUTF8 { bytes in
            guard bytes.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
                buffer.writeBytes(bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case 0x5C: buffer.writeInteger(UInt8(ascii: "\\")); buffer.writeInteger(UInt8(ascii: "\\"))
                case 0x09: buffer.writeInteger(UInt8(ascii: "\\")); buffer.writeInteger(UInt8(ascii: "t"))
                case 0x0A: buffer.writeInteger(UInt8(ascii: "\\")); buffer.writeInteger(UInt8(ascii: "n"))
                case 0x0D: buffer.writeInteger(UInt8(ascii: "\\")); buffer.writeInteger(UInt8(ascii: "r"))
                default: buffer.writeInteger(byte)
                }
            }
        }
    }

    /// ISO `YYYY-MM-DD`; years before 1 are written as PostgreSQL reads them, `YYYY-MM-DD BC`.
    static func writeDate(_ date: CivilDate, into buffer: inout ByteBuffer) {
        let year = date.year > 0 ? date.year : 1 - date.year
        writePadded(year, width: 4, into: &buffer)
        buffer.writeInteger(UInt8(ascii: "-"))
        writePadded(date.month, width: 2, into: &buffer)
        buffer.writeInteger(UInt8(ascii: "-"))
        writePadded(date.day, width: 2, into: &buffer)
        if date.year <= 0 { buffer.writeStaticString(" BC") }
    }

    static func writeTimestamp(_ micros: Int64, zone: Bool, into buffer: inout ByteBuffer) {
        let dayMicros = ((micros % Timestamp.microsPerDay) + Timestamp.microsPerDay) % Timestamp.microsPerDay
        let date = CivilDate(daysSinceEpoch: Int((micros - dayMicros) / Timestamp.microsPerDay))
        let year = date.year > 0 ? date.year : 1 - date.year
        writePadded(year, width: 4, into: &buffer)
        buffer.writeInteger(UInt8(ascii: "-"))
        writePadded(date.month, width: 2, into: &buffer)
        buffer.writeInteger(UInt8(ascii: "-"))
        writePadded(date.day, width: 2, into: &buffer)
        let seconds = Int(dayMicros / 1_000_000), fraction = Int(dayMicros % 1_000_000)
        buffer.writeInteger(UInt8(ascii: " "))
        writePadded(seconds / 3600, width: 2, into: &buffer)
        buffer.writeInteger(UInt8(ascii: ":"))
        writePadded(seconds / 60 % 60, width: 2, into: &buffer)
        buffer.writeInteger(UInt8(ascii: ":"))
        writePadded(seconds % 60, width: 2, into: &buffer)
        if fraction != 0 {
            buffer.writeInteger(UInt8(ascii: "."))
            writePadded(fraction, width: 6, into: &buffer)
        }
        if zone { buffer.writeStaticString("+00") }
        if date.year <= 0 { buffer.writeStaticString(" BC") }
    }
}
