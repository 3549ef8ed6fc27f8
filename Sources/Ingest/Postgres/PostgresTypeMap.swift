import WarehouseKit

/// How a PostgreSQL column travels: numbers, booleans, dates, timestamps and text in PostgreSQL's
/// binary form straight into a typed column; every other type as text (lossless). Into DuckDB the
/// text is cast to the nearest DuckDB type; into PostgreSQL every column keeps its own type (the
/// text is that type's own input syntax, as in `pg_dump`).
public struct PostgresColumn: Sendable, Hashable {
    public var name: String
    /// `format_type()`: `numeric(12,2)`, `timestamp with time zone`, `integer[]`, `jsonb`.
    public var formattedType: String
    /// `pg_type.typname`: `numeric`, `timestamptz`, `_int4`, `jsonb`.
    public var typeName: String
    /// For an array, its element's `typname` (`int4`); nil otherwise.
    public var elementTypeName: String?
    /// The type is PostgreSQL's own (schema `pg_catalog`), so another PostgreSQL database has it
    /// too; enums, domains and other types a database defines itself are not.
    public var isBuiltIn: Bool

    public init(name: String, formattedType: String, typeName: String, elementTypeName: String? = nil, isBuiltIn: Bool = true) {
        self.name = name
        self.formattedType = formattedType
        self.typeName = typeName
        self.elementTypeName = elementTypeName
        self.isBuiltIn = isBuiltIn
    }

    /// The columns of a table (`qualified`, quoted) in order, read from the catalog: name,
    /// `format_type`, `typname`, the element's `typname` for an array, and whether the type is built in.
    static func catalogQuery(of qualified: String) -> SQL {
        """
        select a.attname, format_type(a.atttypid, a.atttypmod), t.typname, e.typname,
               t.typnamespace = 'pg_catalog'::regnamespace
        from pg_attribute a
        join pg_type t on t.oid = a.atttypid
        left join pg_type e on e.oid = t.typelem and t.typcategory = 'A'
        where a.attrelid = \(qualified)::regclass and a.attnum > 0 and not a.attisdropped
        order by a.attnum
        """
    }

    init(catalogRow row: [WarehouseValue]) {
        self.init(name: row[0].string ?? "", formattedType: row[1].string ?? "", typeName: row[2].string ?? "",
                  elementTypeName: row[3].string, isBuiltIn: row[4].bool ?? false)
    }
}

public enum PostgresTypeMap {
    /// The engine a column lands in.
    public enum Engine: Sendable {
        /// DuckDB: the nearest DuckDB type (`warehouseType(of:)`).
        case duckdb
        /// PostgreSQL: the column's own type; a type the source database defined itself (an enum,
        /// a domain) as text, since the warehouse does not have it.
        case postgres

        public init(_ dialect: SQLDialect) {
            self = dialect.name == SQLDialect.postgres.name ? .postgres : .duckdb
        }
    }

    /// The type a column lands as in `engine`.
    public static func warehouseType(of column: PostgresColumn, in engine: Engine) -> String {
        switch engine {
        case .duckdb: warehouseType(of: column)
        case .postgres: column.isBuiltIn ? column.formattedType : "text"
        }
    }

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
    /// Into PostgreSQL every other column travels as its own text form, which reads back exactly.
    public static func selectExpression(of column: PostgresColumn, for engine: Engine = .duckdb) -> String {
        let quoted = "\"" + column.name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        if stagedType(of: column) != nil { return quoted }
        if engine == .postgres { return "\(quoted)::text" }
        if column.elementTypeName != nil { return "array_to_json(\(quoted))::text" }
        if column.typeName == "bytea" { return "encode(\(quoted), 'hex')" }
        return "\(quoted)::text"
    }

    /// Whether the column arrives already in its warehouse type (no cast after staging).
    public static func arrivesTyped(_ column: PostgresColumn, in engine: Engine = .duckdb) -> Bool {
        guard stagedType(of: column) != nil else { return false }
        // Into DuckDB int2 arrives as INTEGER and float4 as DOUBLE: both narrow back exactly, by a
        // cast. PostgreSQL's COPY writes them into smallint and real itself.
        return engine == .postgres || !["SMALLINT", "FLOAT"].contains(warehouseType(of: column))
    }

    /// The staging column's type: the decoded type's spelling in DuckDB; in PostgreSQL the
    /// column's own type for one decoded in binary, text for the others.
    static func stagingType(of column: PostgresColumn, in engine: Engine, dialect: SQLDialect) -> String {
        switch engine {
        case .duckdb: dialect.typeName(for: stagedType(of: column) ?? .text)
        case .postgres: stagedType(of: column) != nil ? column.formattedType : dialect.typeName(for: .text)
        }
    }

    /// The expression turning the staged value back into the column's type.
    public static func castExpression(of column: PostgresColumn, staged: String, in engine: Engine = .duckdb) -> String {
        if engine == .postgres {
            return arrivesTyped(column, in: .postgres) || !column.isBuiltIn ? staged : "cast(\(staged) as \(column.formattedType))"
        }
        let type = warehouseType(of: column)
        if stagedType(of: column) != nil {
            return arrivesTyped(column) ? staged : "cast(\(staged) as \(type))"
        }
        if column.typeName == "bytea" { return "from_hex(\(staged))" }
        if column.elementTypeName != nil, type != "JSON" { return "cast(cast(\(staged) as JSON) as \(type))" }
        return type == "VARCHAR" ? staged : "cast(\(staged) as \(type))"
    }
}
