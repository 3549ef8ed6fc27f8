import Foundation
import PostgresNIO
import WarehouseKit

/// One bound parameter in PostgreSQL's wire form: a type OID, a format, and the encoded bytes.
struct PostgresBoundValue: PostgresDynamicTypeEncodable {
    var psqlType: PostgresDataType
    var psqlFormat: PostgresFormat
    var bytes: ByteBuffer

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        var copy = bytes
        byteBuffer.writeBuffer(&copy)
    }
}

/// Converts between `WarehouseValue` and PostgreSQL's binary wire formats.
enum PostgresValueCoding {
    /// 2000-01-01, PostgreSQL's epoch, in days and microseconds after 1970-01-01.
    static let epochDays: Int32 = 10_957
    static let epochMicros: Int64 = 946_684_800_000_000

    static func bindings(for parameters: [WarehouseValue]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: parameters.count)
        for value in parameters {
            if let bound = bound(value) { bindings.append(bound) } else { bindings.appendNull() }
        }
        return bindings
    }

    /// The parameter as PostgreSQL receives it; nil for NULL (sent untyped, so the server infers it).
    static func bound(_ value: WarehouseValue) -> PostgresBoundValue? {
        var buffer = ByteBuffer()
        switch value {
        case .null:
            return nil
        case .bool(let b):
            buffer.writeInteger(b ? 1 : 0, as: UInt8.self)
            return PostgresBoundValue(psqlType: .bool, psqlFormat: .binary, bytes: buffer)
        case .int(let v):
            buffer.writeInteger(v)
            return PostgresBoundValue(psqlType: .int8, psqlFormat: .binary, bytes: buffer)
        case .double(let v):
            buffer.writeInteger(v.bitPattern)
            return PostgresBoundValue(psqlType: .float8, psqlFormat: .binary, bytes: buffer)
        case .decimal(let s):
            // Text format keeps every digit; the server parses it as NUMERIC.
            buffer.writeString(s)
            return PostgresBoundValue(psqlType: .numeric, psqlFormat: .text, bytes: buffer)
        case .text(let s):
            buffer.writeString(s)
            return PostgresBoundValue(psqlType: .text, psqlFormat: .binary, bytes: buffer)
        case .date(let days):
            buffer.writeInteger(days &- epochDays)
            return PostgresBoundValue(psqlType: .date, psqlFormat: .binary, bytes: buffer)
        case .timestamp(let micros):
            buffer.writeInteger(micros &- epochMicros)
            return PostgresBoundValue(psqlType: .timestamp, psqlFormat: .binary, bytes: buffer)
        case .timestampTZ(let micros):
            buffer.writeInteger(micros &- epochMicros)
            return PostgresBoundValue(psqlType: .timestamptz, psqlFormat: .binary, bytes: buffer)
        case .blob(let bytes):
            buffer.writeBytes(bytes)
            return PostgresBoundValue(psqlType: .bytea, psqlFormat: .binary, bytes: buffer)
        }
    }

    // MARK: Reading

    /// The SQL spelling of a result column's type, matching `information_schema` (upper-cased).
    static func typeName(_ type: PostgresDataType) -> String {
        switch type.rawValue {
        case 16: return "BOOLEAN"
        case 17: return "BYTEA"
        case 18: return "\"CHAR\""
        case 19: return "NAME"
        case 20: return "BIGINT"
        case 21: return "SMALLINT"
        case 23: return "INTEGER"
        case 25: return "TEXT"
        case 26: return "OID"
        case 114: return "JSON"
        case 700: return "REAL"
        case 701: return "DOUBLE PRECISION"
        case 1042: return "CHARACTER"
        case 1043: return "CHARACTER VARYING"
        case 1082: return "DATE"
        case 1083: return "TIME"
        case 1114: return "TIMESTAMP"
        case 1184: return "TIMESTAMP WITH TIME ZONE"
        case 1186: return "INTERVAL"
        case 1700: return "NUMERIC"
        case 2950: return "UUID"
        case 3802: return "JSONB"
        default: return type.knownSQLName ?? "OID \(type.rawValue)"
        }
    }

    static func decode(_ cell: PostgresCell) -> WarehouseValue {
        guard var bytes = cell.bytes else { return .null }
        if cell.format == .text {
            return decodeText(bytes.readString(length: bytes.readableBytes) ?? "", type: cell.dataType)
        }
        return decodeBinary(&bytes, type: cell.dataType)
    }

    /// Decodes one binary value, consuming the whole buffer.
    static func decodeBinary(_ bytes: inout ByteBuffer, type: PostgresDataType) -> WarehouseValue {
        switch type.rawValue {
        case 16: return .bool((bytes.readInteger(as: UInt8.self) ?? 0) != 0)
        case 21: return bytes.readInteger(as: Int16.self).map { .int(Int64($0)) } ?? .null
        case 23: return bytes.readInteger(as: Int32.self).map { .int(Int64($0)) } ?? .null
        case 20: return bytes.readInteger(as: Int64.self).map { .int($0) } ?? .null
        case 26: return bytes.readInteger(as: UInt32.self).map { .int(Int64($0)) } ?? .null
        case 700: return bytes.readInteger(as: UInt32.self).map { .double(Double(Float(bitPattern: $0))) } ?? .null
        case 701: return bytes.readInteger(as: UInt64.self).map { .double(Double(bitPattern: $0)) } ?? .null
        case 1700: return numericText(&bytes).map { .decimal($0) } ?? .null
        case 1082:
            guard let days = bytes.readInteger(as: Int32.self) else { return .null }
            if days == Int32.max { return .text("infinity") }
            if days == Int32.min { return .text("-infinity") }
            return .date(days: days &+ epochDays)
        case 1114, 1184:
            guard let micros = bytes.readInteger(as: Int64.self) else { return .null }
            if micros == Int64.max { return .text("infinity") }
            if micros == Int64.min { return .text("-infinity") }
            return type.rawValue == 1114 ? .timestamp(micros: micros &+ epochMicros) : .timestampTZ(micros: micros &+ epochMicros)
        case 17: return .blob(bytes.readBytes(length: bytes.readableBytes) ?? [])
        default: return .text(renderBinary(&bytes, type: type))
        }
    }

    /// PostgreSQL's own text rendering of a binary value, for types a caller receives as `.text`.
    static func renderBinary(_ bytes: inout ByteBuffer, type: PostgresDataType) -> String {
        switch type.rawValue {
        case 16, 20, 21, 23, 26, 700, 701, 1700, 1082, 1114, 1184:
            let value = decodeBinary(&bytes, type: type)
            switch value {
            case .bool(let b): return b ? "t" : "f"
            case .timestampTZ: return value.description
            default: return value.string ?? "NULL"
            }
        case 17:
            return "\\x" + (bytes.readBytes(length: bytes.readableBytes) ?? []).map { String(format: "%02x", $0) }.joined()
        case 2950:
            guard let raw = bytes.readBytes(length: 16) else { return "" }
            let hex = raw.map { String(format: "%02x", $0) }.joined()
            let c = Array(hex)
            return "\(String(c[0..<8]))-\(String(c[8..<12]))-\(String(c[12..<16]))-\(String(c[16..<20]))-\(String(c[20..<32]))"
        case 3802:
            bytes.moveReaderIndex(forwardBy: 1) // jsonb's version byte
            return bytes.readString(length: bytes.readableBytes) ?? ""
        case 1083:
            return timeText(bytes.readInteger(as: Int64.self) ?? 0)
        case 1186:
            let micros = bytes.readInteger(as: Int64.self) ?? 0
            let days = bytes.readInteger(as: Int32.self) ?? 0
            let months = bytes.readInteger(as: Int32.self) ?? 0
            return intervalText(months: months, days: days, micros: micros)
        default:
            if typeName(type).hasSuffix("[]"), let text = arrayText(&bytes) { return text }
            let raw = bytes.readBytes(length: bytes.readableBytes) ?? []
            // Text-like types (enums, citext, xml, json, varchar…) send their text as the binary form.
            if let text = String(validating: raw, as: UTF8.self) { return text }
            return "\\x" + raw.map { String(format: "%02x", $0) }.joined()
        }
    }

    /// Decodes text-format results (not used by the extended protocol, kept for completeness).
    static func decodeText(_ text: String, type: PostgresDataType) -> WarehouseValue {
        switch type.rawValue {
        case 16: return .bool(text == "t")
        case 20, 21, 23: return Int64(text).map { .int($0) } ?? .text(text)
        case 700, 701: return Double(text).map { .double($0) } ?? .text(text)
        case 1700: return .decimal(text)
        case 1082: return CivilDate(iso: text).map { .date(days: Int32($0.daysSinceEpoch)) } ?? .text(text)
        default: return .text(text)
        }
    }

    /// NUMERIC's binary form (base-10000 digits with a weight, a sign and a display scale) as exact text.
    static func numericText(_ bytes: inout ByteBuffer) -> String? {
        guard let count = bytes.readInteger(as: Int16.self), let weight = bytes.readInteger(as: Int16.self),
              let sign = bytes.readInteger(as: UInt16.self), let scale = bytes.readInteger(as: Int16.self)
        else { return nil }
        switch sign {
        case 0xC000: return "NaN"
        case 0xD000: return "Infinity"
        case 0xF000: return "-Infinity"
        default: break
        }
        var digits: [Int] = []
        digits.reserveCapacity(Int(count))
        for _ in 0..<count { digits.append(Int(bytes.readInteger(as: Int16.self) ?? 0)) }
        func digit(_ index: Int) -> Int { index >= 0 && index < digits.count ? digits[index] : 0 }
        var text = sign == 0x4000 ? "-" : ""
        if weight < 0 {
            text += "0"
        } else {
            text += String(digit(0))
            if weight > 0 {
                for index in 1...Int(weight) { text += String(digit(index)).leftPadded(to: 4) }
            }
        }
        if scale > 0 {
            var fraction = ""
            var index = Int(weight) + 1
            while fraction.count < Int(scale) {
                fraction += String(digit(index)).leftPadded(to: 4)
                index += 1
            }
            text += "." + fraction.prefix(Int(scale))
        }
        return text
    }

    /// A one-dimensional or nested array in PostgreSQL's `{a,b,"c d",NULL}` notation.
    static func arrayText(_ bytes: inout ByteBuffer) -> String? {
        guard let dimensions = bytes.readInteger(as: Int32.self), bytes.readInteger(as: Int32.self) != nil,
              let elementOID = bytes.readInteger(as: UInt32.self), dimensions >= 0, dimensions <= 6
        else { return nil }
        if dimensions == 0 { return "{}" }
        var lengths: [Int] = []
        for _ in 0..<dimensions {
            guard let length = bytes.readInteger(as: Int32.self), bytes.readInteger(as: Int32.self) != nil else { return nil }
            lengths.append(Int(length))
        }
        let elementType = PostgresDataType(elementOID)
        func element() -> String {
            guard let length = bytes.readInteger(as: Int32.self), length >= 0,
                  var slice = bytes.readSlice(length: Int(length)) else { return "NULL" }
            let text = renderBinary(&slice, type: elementType)
            let needsQuotes = text.isEmpty || text.uppercased() == "NULL"
                || text.contains(where: { " ,{}\"\\\t\n".contains($0) })
            if !needsQuotes { return text }
            return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        func level(_ depth: Int) -> String {
            let items = (0..<lengths[depth]).map { _ in depth + 1 < lengths.count ? level(depth + 1) : element() }
            return "{" + items.joined(separator: ",") + "}"
        }
        return level(0)
    }

    static func timeText(_ micros: Int64) -> String { Timestamp.timeOfDayText(micros: micros) }

    /// PostgreSQL's default (`postgres`) interval style: `1 year 2 mons 3 days 04:05:06`.
    static func intervalText(months: Int32, days: Int32, micros: Int64) -> String {
        var parts: [String] = []
        if months / 12 != 0 { parts.append("\(months / 12) year\(abs(months / 12) == 1 ? "" : "s")") }
        if months % 12 != 0 { parts.append("\(months % 12) mon\(abs(months % 12) == 1 ? "" : "s")") }
        if days != 0 { parts.append("\(days) day\(abs(days) == 1 ? "" : "s")") }
        if micros != 0 || parts.isEmpty { parts.append((micros < 0 ? "-" : "") + timeText(abs(micros))) }
        return parts.joined(separator: " ")
    }
}


