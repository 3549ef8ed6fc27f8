// Decoding of the flatbuffer Schema / Field / type tables (format/Schema.fbs).

/// Dictionary encoding of a field: the field's type is the dictionary's value
/// type; the record batch carries integer indices.
struct DictionaryInfo: Sendable {
    let id: Int64
    let indexBitWidth: Int
    let indexSigned: Bool
}

/// A schema field plus what the public `ArrowField` does not carry.
struct FieldDesc: Sendable {
    var field: ArrowField
    var dictionary: DictionaryInfo?
    var children: [FieldDesc]
}

/// Union discriminants of `Type` in Schema.fbs.
enum TypeID {
    static let names = [
        "NONE", "Null", "Int", "FloatingPoint", "Binary", "Utf8", "Bool", "Decimal", "Date", "Time",
        "Timestamp", "Interval", "List", "Struct", "Union", "FixedSizeBinary", "FixedSizeList", "Map",
        "Duration", "LargeBinary", "LargeUtf8", "LargeList", "RunEndEncoded", "BinaryView", "Utf8View",
        "ListView", "LargeListView",
    ]
    static func name(_ id: UInt8) -> String {
        Int(id) < names.count ? names[Int(id)] : "type #\(id)"
    }
}

func timeUnit(_ raw: Int16, _ what: String) throws -> TimeUnit {
    switch raw {
    case 0: return .second
    case 1: return .millisecond
    case 2: return .microsecond
    case 3: return .nanosecond
    default: throw ArrowError("\(what): unknown time unit \(raw)")
    }
}

enum SchemaDecoder {
    /// Decodes a Schema table (Schema.fbs: endianness 0, fields 1, custom_metadata 2, features 3).
    static func decode(_ schema: FBTable) throws -> [FieldDesc] {
        do {
            if try schema.i16(0) != 0 {
                throw ArrowError("Arrow stream: schema: big-endian data is not supported")
            }
            return try schema.tables(1).map { try decodeField($0, path: nil) }
        } catch let e as FlatBufferError {
            throw ArrowError("Arrow stream: schema: malformed metadata: \(e.message)")
        }
    }

    /// Field: name 0, nullable 1, type_type 2, type 3, dictionary 4, children 5, custom_metadata 6.
    static func decodeField(_ t: FBTable, path: String?) throws -> FieldDesc {
        let name = try t.string(0) ?? ""
        let fullPath = path.map { "\($0).\(name)" } ?? name
        let nullable = try t.bool(1)
        let typeID = try t.u8(2)
        let children = try t.tables(5).map { try decodeField($0, path: fullPath) }
        let where_ = "Arrow stream: schema field '\(fullPath)'"
        func unsupported(_ detail: String = "") -> ArrowError {
            ArrowError("\(where_): unsupported type \(TypeID.name(typeID))\(detail)")
        }
        func child(_ n: Int) throws -> ArrowField {
            guard children.count == n else {
                throw ArrowError("\(where_): type \(TypeID.name(typeID)) needs \(n) child field(s), found \(children.count)")
            }
            return children[0].field
        }
        let typeTable = try t.table(3)
        func param() throws -> FBTable {
            guard let tt = typeTable else {
                throw ArrowError("\(where_): type \(TypeID.name(typeID)) has no parameters table")
            }
            return tt
        }
        let type: ArrowType
        switch typeID {
        case 1: type = .null
        case 2:
            let p = try param()
            let w = Int(try p.i32(0))
            guard [8, 16, 32, 64].contains(w) else { throw unsupported(" with bit width \(w)") }
            type = .int(bitWidth: w, signed: try p.bool(1))
        case 3:
            switch try param().i16(0) {
            case 0: type = .floatingPoint(bitWidth: 16)
            case 1: type = .floatingPoint(bitWidth: 32)
            case 2: type = .floatingPoint(bitWidth: 64)
            case let x: throw unsupported(" with precision \(x)")
            }
        case 4: type = .binary
        case 5: type = .utf8
        case 6: type = .bool
        case 7:
            let p = try param()
            let w = Int(try p.i32(2, default: 128))
            guard w == 128 || w == 256 else { throw unsupported(" with bit width \(w)") }
            type = .decimal(precision: Int(try p.i32(0)), scale: Int(try p.i32(1)), bitWidth: w)
        case 8:
            switch try typeTable?.i16(0, default: 1) ?? 1 {
            case 0: type = .date(unit: .day)
            case 1: type = .date(unit: .millisecond)
            case let x: throw unsupported(" with unit \(x)")
            }
        case 9:
            let unit = try timeUnit(try typeTable?.i16(0, default: 1) ?? 1, where_)
            let w = Int(try typeTable?.i32(1, default: 32) ?? 32)
            guard (w == 32 && (unit == .second || unit == .millisecond)) || (w == 64 && (unit == .microsecond || unit == .nanosecond)) else {
                throw unsupported(" time\(w)[\(unit)]")
            }
            type = .time(unit: unit, bitWidth: w)
        case 10:
            let unit = try timeUnit(try typeTable?.i16(0) ?? 0, where_)
            type = .timestamp(unit: unit, timezone: try typeTable?.string(1))
        case 12: type = .list(try child(1))
        case 13: type = .structType(children.map(\.field))
        case 16:
            let n = Int(try param().i32(0))
            guard n >= 0 else { throw ArrowError("\(where_): negative fixed list size \(n)") }
            type = .fixedSizeList(try child(1), size: n)
        case 17:
            let entries = try child(1)
            guard case let .structType(kv) = entries.type, kv.count == 2 else {
                throw ArrowError("\(where_): map entries must be a struct of key and value, found \(entries.type)")
            }
            type = .map(entries: entries, keysSorted: try typeTable?.bool(0) ?? false)
        case 19: type = .largeBinary
        case 20: type = .largeUtf8
        case 21: type = .largeList(try child(1))
        default: throw unsupported()
        }
        var dictionary: DictionaryInfo?
        if let d = try t.table(4) {
            var width = 32, signed = true
            if let it = try d.table(1) {
                width = Int(try it.i32(0))
                signed = try it.bool(1)
            }
            guard [8, 16, 32, 64].contains(width) else {
                throw ArrowError("\(where_): unsupported dictionary index bit width \(width)")
            }
            dictionary = DictionaryInfo(id: try d.i64(0), indexBitWidth: width, indexSigned: signed)
        }
        return FieldDesc(field: ArrowField(name: name, type: type, nullable: nullable), dictionary: dictionary, children: children)
    }

    /// Finds the field that declares dictionary `id`.
    static func dictionaryField(_ id: Int64, in fields: [FieldDesc]) -> FieldDesc? {
        for f in fields {
            if let d = f.dictionary, d.id == id { return f }
            if let found = dictionaryField(id, in: f.children) { return found }
        }
        return nil
    }
}
