import Foundation
import WarehouseKit

/// Writes column batches as RFC 4180 CSV with a header row.
///
/// NULL is an empty unquoted field; an empty string is `""`, so the two stay distinct. Fields with
/// a comma, quote, CR or LF are quoted with inner quotes doubled. Timestamps are
/// `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC), the form DuckDB and PostgreSQL read back unchanged.
public final class CSVTableWriter {
    public let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private let flushThreshold = 1 << 20

    public init(path: String, header: [String]) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path)
        else { throw SyntheticDataError.fileWrite(path: path, message: "the file cannot be created") }
        self.handle = handle
        buffer.reserveCapacity(flushThreshold + 4096)
        for (index, name) in header.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            appendText(name)
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Appends every row of the batch.
    public func write(_ batch: ColumnBatch) throws {
        let columns = batch.columns
        for row in 0..<batch.count {
            for (index, column) in columns.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                if column.isNull(row) { continue }
                switch column.values {
                case .bool(let v): appendASCII(v[row] ? "true" : "false")
                case .int32(let v): appendInteger(Int64(v[row]))
                case .int64(let v): appendInteger(v[row])
                case .double(let v): appendASCII(WarehouseValue.format(double: v[row]))
                case .text(let v): appendText(v[row])
                case .date(let v): appendASCII(CivilDate(daysSinceEpoch: Int(v[row])).description)
                case .timestamp(let v), .timestampTZ(let v): appendTimestamp(v[row])
                }
            }
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= flushThreshold { try flush() }
        }
    }

    /// Flushes and closes the file.
    public func close() throws {
        try flush()
        try handle.close()
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw SyntheticDataError.fileWrite(path: path, message: "\(error)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func appendASCII(_ text: String) { buffer.append(contentsOf: text.utf8) }

    private func appendText(_ text: String) {
        var needsQuotes = text.isEmpty
        for byte in text.utf8 where byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 10 || byte == 13 {
            needsQuotes = true
            break
        }
        guard needsQuotes else {
            buffer.append(contentsOf: text.utf8)
            return
        }
        buffer.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") { buffer.append(byte) }
            buffer.append(byte)
        }
        buffer.append(UInt8(ascii: "\""))
    }

    private func appendInteger(_ value: Int64) {
        if value < 0 {
            buffer.append(UInt8(ascii: "-"))
            if value == Int64.min {
                appendASCII(String(value).dropFirst().description)
                return
            }
        }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                raw[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for i in stride(from: count - 1, through: 0, by: -1) { buffer.append(raw[i]) }
        }
    }

    private func appendPadded(_ value: Int, width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(v / divisor % 10))
            v %= divisor
            divisor /= 10
        }
    }

    private func appendTimestamp(_ micros: Int64) {
        let day = micros >= 0 ? micros / Timestamp.microsPerDay : (micros - Timestamp.microsPerDay + 1) / Timestamp.microsPerDay
        let within = micros - day * Timestamp.microsPerDay
        let date = CivilDate(daysSinceEpoch: Int(day))
        appendPadded(date.year, width: 4)
        buffer.append(UInt8(ascii: "-"))
        appendPadded(date.month, width: 2)
        buffer.append(UInt8(ascii: "-"))
        appendPadded(date.day, width: 2)
        buffer.append(UInt8(ascii: " "))
        let seconds = Int(within / Timestamp.microsPerSecond)
        appendPadded(seconds / 3600, width: 2)
        buffer.append(UInt8(ascii: ":"))
        appendPadded(seconds / 60 % 60, width: 2)
        buffer.append(UInt8(ascii: ":"))
        appendPadded(seconds % 60, width: 2)
        let fraction = Int(within % Timestamp.microsPerSecond)
        if fraction != 0 {
            buffer.append(UInt8(ascii: "."))
            appendPadded(fraction, width: 6)
        }
    }
}
