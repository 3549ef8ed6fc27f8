import PostgresNIO
import WarehouseKit

extension PostgresWarehouseConnection {
    /// Rows decoded from PostgreSQL's binary form straight into typed column arrays: no boxed
    /// `WarehouseValue` per cell and no array per row (the PostgreSQL source reads millions of
    /// rows through this). `smallint`/`integer` arrive as `int32`, `bigint` as `int64`, `real`,
    /// `double precision` and `numeric` as `double`, `oid` as `int64`, booleans, dates and timestamps as themselves,
    /// and every other type as its text. A date or timestamp column holding `infinity` arrives as
    /// text, as the row path gives it, so a caller can say which value its column cannot hold.
    func queryColumns(_ sql: SQL) async throws -> ColumnarResult {
        let result = try await run(sql.text, sql.parameters)
        guard let first = result.rows.first else {
            let columns = await describeEmptyResult(sql.text, sql.parameters, metadata: result.metadata)
            return ColumnarResult(columns: columns, values: columns.map { _ in BatchColumn(.text([])) }, rowCount: 0)
        }
        let infos = first.map { ColumnInfo(name: $0.columnName, type: PostgresValueCoding.typeName($0.dataType)) }
        var builders = first.map { PostgresColumnBuilder(type: $0.dataType, format: $0.format, capacity: result.rows.count) }
        for row in result.rows {
            var index = 0
            for cell in row {
                builders[index].append(cell.bytes)
                index += 1
            }
        }
        return ColumnarResult(columns: infos, values: builders.map { $0.column() }, rowCount: result.rows.count)
    }
}

/// One result column being decoded from PostgreSQL's binary form into the array its type has here.
struct PostgresColumnBuilder {
    private enum Kind { case bool, int16, int32, int64, oid, float4, float8, numeric, date, timestamp, timestampTZ, text, rendered }

    private let type: PostgresDataType
    private let kind: Kind
    private var values: BatchColumnBuilder
    /// Rows holding `infinity` or `-infinity` in a date or timestamp column.
    private var infinities: [Int: String] = [:]

    init(type: PostgresDataType, format: PostgresFormat, capacity: Int) {
        self.type = type
        switch (format, type.rawValue) {
        case (.binary, 16): kind = .bool
        case (.binary, 21): kind = .int16
        case (.binary, 23): kind = .int32
        case (.binary, 20): kind = .int64
        case (.binary, 26): kind = .oid
        case (.binary, 700): kind = .float4
        case (.binary, 701): kind = .float8
        case (.binary, 1700): kind = .numeric
        case (.binary, 1082): kind = .date
        case (.binary, 1114): kind = .timestamp
        case (.binary, 1184): kind = .timestampTZ
        // Text types' binary form is their UTF-8 text, as is any value sent in text format.
        case (.text, _), (.binary, 25), (.binary, 1043), (.binary, 1042), (.binary, 19), (.binary, 114): kind = .text
        default: kind = .rendered
        }
        let stored: ColumnType = switch kind {
        case .bool: .boolean
        case .int16, .int32: .integer
        case .date: .date
        case .int64, .oid: .bigint
        case .timestamp: .timestamp
        case .timestampTZ: .timestampTZ
        case .float4, .float8, .numeric: .double
        case .text, .rendered: .text
        }
        values = BatchColumnBuilder(stored, capacity: capacity)
    }

    mutating func append(_ cell: ByteBuffer?) {
        guard var bytes = cell else {
            values.nulls.append(true)
            switch kind {
            case .bool: values.bools.append(false)
            case .int16, .int32, .date: values.int32s.append(0)
            case .int64, .oid, .timestamp, .timestampTZ: values.int64s.append(0)
            case .float4, .float8, .numeric: values.doubles.append(0)
            case .text, .rendered: values.texts.append("")
            }
            return
        }
        values.nulls.append(false)
        switch kind {
        case .bool: values.bools.append((bytes.readInteger(as: UInt8.self) ?? 0) != 0)
        case .int16: values.int32s.append(Int32(bytes.readInteger(as: Int16.self) ?? 0))
        case .int32: values.int32s.append(bytes.readInteger(as: Int32.self) ?? 0)
        case .int64: values.int64s.append(bytes.readInteger(as: Int64.self) ?? 0)
        case .oid: values.int64s.append(Int64(bytes.readInteger(as: UInt32.self) ?? 0))
        case .float4: values.doubles.append(Double(Float(bitPattern: bytes.readInteger(as: UInt32.self) ?? 0)))
        case .float8: values.doubles.append(Double(bitPattern: bytes.readInteger(as: UInt64.self) ?? 0))
        case .numeric: values.doubles.append(PostgresValueCoding.numericText(&bytes).flatMap { Double($0) } ?? .nan)
        case .date:
            let days = bytes.readInteger(as: Int32.self) ?? 0
            if days == .max || days == .min { infinities[values.nulls.count - 1] = days == .max ? "infinity" : "-infinity" }
            values.int32s.append(days &+ PostgresValueCoding.epochDays)
        case .timestamp, .timestampTZ:
            let micros = bytes.readInteger(as: Int64.self) ?? 0
            if micros == .max || micros == .min { infinities[values.nulls.count - 1] = micros == .max ? "infinity" : "-infinity" }
            values.int64s.append(micros &+ PostgresValueCoding.epochMicros)
        case .text: values.texts.append(bytes.readString(length: bytes.readableBytes) ?? "")
        case .rendered:
            // As the row path renders it (bytea as \\xHEX, arrays, uuid, interval, jsonb…).
            let value = PostgresValueCoding.decodeBinary(&bytes, type: type)
            values.texts.append(value.string ?? value.description)
        }
    }

    func column() -> BatchColumn {
        infinities.isEmpty ? values.column : infiniteAsText()
    }

    /// A date or timestamp column that met `infinity` has no typed form: every value as text.
    private func infiniteAsText() -> BatchColumn {
        let nulls = values.nulls
        let rendered = nulls.indices.map { row -> String in
            if nulls[row] { return "" }
            if let infinity = infinities[row] { return infinity }
            let value: WarehouseValue = switch kind {
            case .date: .date(days: values.int32s[row])
            case .timestamp: .timestamp(micros: values.int64s[row])
            default: .timestampTZ(micros: values.int64s[row])
            }
            return value.string ?? value.description
        }
        return BatchColumn(.text(rendered), nulls: nulls.contains(true) ? nulls : nil)
    }
}
