/// What differs between engines, as data: type spellings and capabilities. Code asks a dialect
/// what it can do instead of checking which engine it talks to.
public struct SQLDialect: Sendable, Hashable {
    public var name: String
    /// `create or replace table … as` exists (DuckDB) or needs drop + create (PostgreSQL).
    public var supportsCreateOrReplaceTable: Bool
    /// `create or replace view` replaces a view whatever its new columns (DuckDB, Spark);
    /// PostgreSQL's keeps the old columns, so a changed view is dropped and created there.
    public var supportsCreateOrReplaceView = false
    /// DDL takes part in transactions, so a swap of two relations is atomic.
    public var supportsTransactionalDDL: Bool
    /// `merge into` is available.
    public var supportsMerge: Bool
    /// `drop … cascade` is needed to drop a relation other views depend on.
    public var needsCascadeOnDrop: Bool
    /// How the engine spells a double and a string column.
    public var doubleTypeName: String
    public var textTypeName: String
    /// The engine reads CSV, JSON and Parquet files itself (`read_csv`, `read_json`,
    /// `read_parquet`) and writes Parquet (`COPY … (format parquet)`), so loading files and
    /// exporting tables happen inside it.
    public var readsDataFiles = false
    /// `BEGIN … COMMIT` groups statements so they apply together or not at all. Spark has no
    /// transactions: `transaction {}` refuses to start there instead of pretending.
    public var supportsTransactions = true
    /// `information_schema.tables` and `.columns` exist (Spark answers SHOW and DESCRIBE instead).
    public var hasInformationSchema = true
    /// `delete from` works on the engine's tables (Spark's parquet tables take neither DELETE nor
    /// MERGE: incremental merges rewrite the table there).
    public var supportsDelete = true
    /// A `NOT NULL` column refuses nulls and is listed as not nullable. Spark's data source tables
    /// (parquet) accept the words and keep neither.
    public var enforcesNotNull = true
    /// Tables can be partitioned by columns (`partitioned by` in create table), and `insert
    /// overwrite` replaces just the partitions its rows fall in (Spark, in dynamic mode).
    public var supportsPartitionedTables = false
    /// Each statement has a fixed cost large enough to dominate a data test (Spark plans and
    /// schedules a job per statement: 0.1–0.3 s on a local server, more on a cluster), so the
    /// tests of one model are checked in one query rather than one query each.
    public var checksTestsInOneQuery = false
    /// How the engine spells a timestamp without and with a time zone.
    public var timestampTypeName = "TIMESTAMP"
    public var timestampTZTypeName = "TIMESTAMPTZ"

    public init(name: String, supportsCreateOrReplaceTable: Bool, supportsTransactionalDDL: Bool,
                supportsMerge: Bool, needsCascadeOnDrop: Bool, doubleTypeName: String, textTypeName: String)
    {
        self.name = name
        self.supportsCreateOrReplaceTable = supportsCreateOrReplaceTable
        self.supportsTransactionalDDL = supportsTransactionalDDL
        self.supportsMerge = supportsMerge
        self.needsCascadeOnDrop = needsCascadeOnDrop
        self.doubleTypeName = doubleTypeName
        self.textTypeName = textTypeName
    }

    public static let duckdb: SQLDialect = {
        var dialect = SQLDialect(
            name: "duckdb", supportsCreateOrReplaceTable: true, supportsTransactionalDDL: true,
            supportsMerge: true, needsCascadeOnDrop: false, doubleTypeName: "DOUBLE", textTypeName: "VARCHAR")
        dialect.readsDataFiles = true
        dialect.supportsCreateOrReplaceView = true
        return dialect
    }()

    public static let postgres = SQLDialect(
        name: "postgres", supportsCreateOrReplaceTable: false, supportsTransactionalDDL: true,
        supportsMerge: true, needsCascadeOnDrop: true, doubleTypeName: "DOUBLE PRECISION", textTypeName: "TEXT")

    /// Apache Spark through Spark Connect, with ANSI mode and double-quoted identifiers on (the
    /// adapter sets both per session), so the SQL Storehouse writes for the others reads the same.
    /// Tables are Spark's default data source tables: no transactions, no `create or replace`.
    public static let spark: SQLDialect = {
        var dialect = SQLDialect(
            name: "spark", supportsCreateOrReplaceTable: false, supportsTransactionalDDL: false,
            supportsMerge: false, needsCascadeOnDrop: false, doubleTypeName: "DOUBLE", textTypeName: "STRING")
        dialect.supportsTransactions = false
        dialect.enforcesNotNull = false
        dialect.supportsDelete = false
        dialect.hasInformationSchema = false
        dialect.checksTestsInOneQuery = true
        dialect.supportsCreateOrReplaceView = true
        dialect.supportsPartitionedTables = true
        dialect.timestampTypeName = "TIMESTAMP_NTZ"
        dialect.timestampTZTypeName = "TIMESTAMP"
        return dialect
    }()

    public func typeName(for type: ColumnType) -> String {
        switch type {
        case .boolean: return "BOOLEAN"
        case .integer: return "INTEGER"
        case .bigint: return "BIGINT"
        case .double: return doubleTypeName
        case .text: return textTypeName
        case .date: return "DATE"
        case .timestamp: return timestampTypeName
        case .timestampTZ: return timestampTZTypeName
        case .decimal(let p, let s): return "DECIMAL(\(p),\(s))"
        }
    }

    /// `create table` DDL for a column list.
    public func createTable(_ relation: RelationName, columns: [ColumnDefinition], ifNotExists: Bool = false) -> SQL {
        let body = columns.map {
            SQL.quoteIdentifier($0.name) + " " + typeName(for: $0.type) + ($0.isNullable ? "" : " NOT NULL")
        }.joined(separator: ", ")
        return SQL(unsafeRaw: "CREATE TABLE \(ifNotExists ? "IF NOT EXISTS " : "")\(relation.quoted) (\(body))")
    }
}
