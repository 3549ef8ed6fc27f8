import WarehouseKit

/// How a PostgreSQL column travels: numbers, booleans, dates, timestamps and text in PostgreSQL's
/// binary form straight into a typed staging column; every other type as text (lossless), cast
/// to the warehouse type in DuckDB.
public struct PostgresColumn: Sendable, Hashable {
    public var name: String
    /// `format_type()`: `numeric(12,2)`, `timestamp with time zone`, `integer[]`, `jsonb`.
    public var formattedType: String
    /// `pg_type.typname`: `numeric`, `timestamptz`, `_int4`, `jsonb`.
    public var typeName: String
    /// For an array, its element's `typname` (`int4`); nil otherwise.
    public var elementTypeName: String?

    public init(name: String, formattedType: String, typeName: String, elementTypeName: String? = nil) {
        self.name = name
        self.formattedType = formattedType
        self.typeName = typeName
        self.elementTypeName = elementTypeName
    }
}

public enum PostgresTypeMap {
    /// The DuckDB type a PostgreSQL column lands as. Unconstrained `numeric` becomes
    /// DECIMAL(38,9) as in dlt (DuckDB's widest decimal); a declared precision above 38 stays text
    /// so no digit is lost.
    public static func warehouseType(of column: PostgresColumn) -> String {
        if let element = column.elementTypeName {
            let inner = scalarType(typeName: element, formatted: String(column.formattedType.dropLast(2)))
            return inner == "JSON" ? "JSON" : inner + "[]"
        }
        return scalarType(typeName: column.typeName, formatted: column.formattedType)
    }

    static func scalarType(typeName: String, formatted: String) -> String {
        switch typeName {
        case "int2": return "SMALLINT"
        case "int4": return "INTEGER"
        case "int8": return "BIGINT"
        case "float4": return "FLOAT"
        case "float8": return "DOUBLE"
        case "bool": return "BOOLEAN"
        case "date": return "DATE"
        case "timestamp": return "TIMESTAMP"
        case "timestamptz": return "TIMESTAMPTZ"
        case "time": return "TIME"
        case "interval": return "INTERVAL"
        case "uuid": return "UUID"
        case "json", "jsonb": return "JSON"
        case "bytea": return "BLOB"
        case "numeric":
            // numeric(p,s) → DECIMAL(p,s) while p ≤ 38.
            let digits = formatted.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            if digits.count == 2, digits[0] <= 38 { return "DECIMAL(\(digits[0]),\(digits[1]))" }
            if digits.count == 1, digits[0] <= 38 { return "DECIMAL(\(digits[0]),0)" }
            if digits.isEmpty { return "DECIMAL(38,9)" }
            return "VARCHAR"
        default: return "VARCHAR"
        }
    }

    /// The staging column's type for a column sent in binary; nil for one sent as text.
    public static func stagedType(of column: PostgresColumn) -> ColumnType? {
        guard column.elementTypeName == nil else { return nil }
        switch column.typeName {
        case "int2", "int4": return .integer
        case "int8": return .bigint
        case "float4", "float8": return .double
        case "bool": return .boolean
        case "date": return .date
        case "timestamp": return .timestamp
        case "timestamptz": return .timestampTZ
        case "text", "varchar", "bpchar", "name": return .text
        default: return nil
        }
    }

    /// What the server sends for the column: the column itself when it has a staged type,
    /// otherwise text, with arrays as JSON (`[1,2]`, which DuckDB casts to a list) and bytea as hex.
    public static func selectExpression(of column: PostgresColumn) -> String {
        let quoted = "\"" + column.name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        if stagedType(of: column) != nil { return quoted }
        if column.elementTypeName != nil { return "array_to_json(\(quoted))::text" }
        if column.typeName == "bytea" { return "encode(\(quoted), 'hex')" }
        return "\(quoted)::text"
    }

    /// Whether the column arrives already in its warehouse type (no cast after staging).
    public static func arrivesTyped(_ column: PostgresColumn) -> Bool {
        // int2 arrives as INTEGER and float4 as DOUBLE: both narrow back exactly, by a cast.
        stagedType(of: column) != nil && !["SMALLINT", "FLOAT"].contains(warehouseType(of: column))
    }

    /// The DuckDB expression turning the staged text back into the column's type.
    public static func castExpression(of column: PostgresColumn, staged: String) -> String {
        let type = warehouseType(of: column)
        if stagedType(of: column) != nil {
            return arrivesTyped(column) ? staged : "cast(\(staged) as \(type))"
        }
        if column.typeName == "bytea" { return "from_hex(\(staged))" }
        if column.elementTypeName != nil, type != "JSON" { return "cast(cast(\(staged) as JSON) as \(type))" }
        return type == "VARCHAR" ? staged : "cast(\(staged) as \(type))"
    }
}
