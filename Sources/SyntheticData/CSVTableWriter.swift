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
            CSVTableWriter.appendText(name, &buffer)
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Appends every row of the batch.
    ///
    /// Renders column by column first (one type switch per column, not per value), then
    /// interleaves the rendered fields row by row.
    public func write(_ batch: ColumnBatch) throws {
        let rendered = batch.columns.map(CSVTableWriter.render)
        var out = buffer
        buffer = []
        defer { buffer = out }
        for row in 0..<batch.count {
            for index in rendered.indices {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                let ends = rendered[index].ends
                let start = row == 0 ? 0 : ends[row - 1]
                rendered[index].bytes.withUnsafeBufferPointer { out.append(contentsOf: $0[start..<ends[row]]) }
            }
            out.append(UInt8(ascii: "\n"))
            if out.count >= flushThreshold {
                try write(bytes: out)
                out.removeAll(keepingCapacity: true)
            }
        }
    }

    private struct RenderedColumn {
        var bytes: [UInt8] = []
        var ends: [Int] = []
    }

    private static func render(_ column: BatchColumn) -> RenderedColumn {
        var out: [UInt8] = []
        out.reserveCapacity(column.count * 12)
        var ends: [Int] = []
        ends.reserveCapacity(column.count)
        let nulls = column.nulls
        func isNull(_ row: Int) -> Bool { nulls?[row] ?? false }
        switch column.values {
        case .bool(let v): for row in v.indices { if !isNull(row) { appendASCII(v[row] ? "true" : "false", &out) }; ends.append(out.count) }
        case .int32(let v): for row in v.indices { if !isNull(row) { appendInteger(Int64(v[row]), &out) }; ends.append(out.count) }
        case .int64(let v): for row in v.indices { if !isNull(row) { appendInteger(v[row], &out) }; ends.append(out.count) }
        case .double(let v): for row in v.indices { if !isNull(row) { appendASCII(WarehouseValue.format(double: v[row]), &out) }; ends.append(out.count) }
        case .text(let v): for row in v.indices { if !isNull(row) { appendText(v[row], &out) }; ends.append(out.count) }
        case .date(let v):
            for row in v.indices { if !isNull(row) { appendASCII(CivilDate(daysSinceEpoch: Int(v[row])).description, &out) }; ends.append(out.count) }
        case .timestamp(let v), .timestampTZ(let v):
            for row in v.indices { if !isNull(row) { appendTimestamp(v[row], &out) }; ends.append(out.count) }
        }
        return RenderedColumn(bytes: out, ends: ends)
    }

    /// Flushes and closes the file.
    public func close() throws {
        try flush()
        try handle.close()
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try write(bytes: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func write(bytes: [UInt8]) throws {
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw SyntheticDataError.fileWrite(path: path, message: "\(error)")
        }
    }

    private static func appendASCII(_ text: String, _ buffer: inout [UInt8]) { buffer.append(contentsOf: text.utf8) }

    private static func appendText(_ text: String, _ buffer: inout [UInt8]) {
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

    private static func appendInteger(_ value: Int64, _ buffer: inout [UInt8]) {
        if value < 0 {
            buffer.append(UInt8(ascii: "-"))
            if value == Int64.min {
                appendASCII(String(value).dropFirst().description, &buffer)
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

    private static func appendPadded(_ value: Int, width: Int, _ buffer: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(v / divisor % 10))
            v %= divisor
            divisor /= 10
        }
    }

    private static func appendTimestamp(_ micros: Int64, _ buffer: inout [UInt8]) {
        let day = micros >= 0 ? micros / Timestamp.microsPerDay : (micros - Timestamp.microsPerDay + 1) / Timestamp.microsPerDay
        let within = micros - day * Timestamp.microsPerDay
        let date = CivilDate(daysSinceEpoch: Int(day))
        appendPadded(date.year, width: 4, &buffer)
        buffer.append(UInt8(ascii: "-"))
        appendPadded(date.month, width: 2, &buffer)
        buffer.append(UInt8(ascii: "-"))
        appendPadded(date.day, width: 2, &buffer)
        buffer.append(UInt8(ascii: " "))
        let seconds = Int(within / Timestamp.microsPerSecond)
        appendPadded(seconds / 3600, width: 2, &buffer)
        buffer.append(UInt8(ascii: ":"))
        appendPadded(seconds / 60 % 60, width: 2, &buffer)
        buffer.append(UInt8(ascii: ":"))
        appendPadded(seconds % 60, width: 2, &buffer)
        let fraction = Int(within % Timestamp.microsPerSecond)
        if fraction != 0 {
            buffer.append(UInt8(ascii: "."))
            appendPadded(fraction, width: 6, &buffer)
        }
    }
}
