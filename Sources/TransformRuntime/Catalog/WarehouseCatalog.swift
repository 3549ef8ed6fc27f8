import Foundation
import WarehouseKit

/// One relation as the warehouse describes it: what `catalog.json` records for a node.
public struct CatalogRelation: Sendable, Equatable {
    public var database: String
    public var schema: String
    public var name: String
    /// `BASE TABLE` or `VIEW`, as information_schema spells it.
    public var type: String
    public var comment: String?
    public var columns: [CatalogColumn]
    /// Estimated rows and bytes where the engine keeps them cheaply (nil for views).
    public var rowCount: Int64?
    public var bytes: Int64?

    public init(database: String, schema: String, name: String, type: String, comment: String? = nil,
                columns: [CatalogColumn] = [], rowCount: Int64? = nil, bytes: Int64? = nil) {
        self.database = database
        self.schema = schema
        self.name = name
        self.type = type
        self.comment = comment
        self.columns = columns
        self.rowCount = rowCount
        self.bytes = bytes
    }

    /// The key a manifest node's relation is matched by: schema and name, case-folded as the
    /// engines fold unquoted names.
    var key: String { (schema + "." + name).lowercased() }
}

public struct CatalogColumn: Sendable, Equatable {
    public var name: String
    public var type: String
    /// 1-based position in the relation.
    public var index: Int
    public var comment: String?

    public init(name: String, type: String, index: Int, comment: String? = nil) {
        self.name = name
        self.type = type
        self.index = index
        self.comment = comment
    }
}

/// Reads the relations of some schemas, with their columns, in two queries (however many
/// relations there are): one over information_schema, one for the engine's size estimates.
public enum WarehouseCatalog {
    public static func relations(in schemas: Set<String>, of warehouse: any Warehouse) async throws -> [CatalogRelation] {
        guard !schemas.isEmpty else { return [] }
        let dialect = warehouse.dialect
        return try await warehouse.read { connection in
            let list = schemas.sorted().map(SQL.quoteLiteral).joined(separator: ", ")
            let columns = try await connection.query(SQL(unsafeRaw: """
                select t.table_catalog, t.table_schema, t.table_name, t.table_type, c.column_name, c.data_type, c.ordinal_position
                from information_schema.tables t
                join information_schema.columns c
                  on c.table_catalog = t.table_catalog and c.table_schema = t.table_schema and c.table_name = t.table_name
                where t.table_catalog = current_database() and lower(t.table_schema) in (\(list.lowercased()))
                order by t.table_schema, t.table_name, c.ordinal_position
                """))
            var relations: [CatalogRelation] = []
            for row in columns.rows {
                let schema = row[1].string ?? "", name = row[2].string ?? ""
                if relations.last?.schema != schema || relations.last?.name != name {
                    relations.append(CatalogRelation(database: row[0].string ?? "", schema: schema, name: name,
                                                     type: (row[3].string ?? "").uppercased().contains("VIEW") ? "VIEW" : "BASE TABLE"))
                }
                relations[relations.count - 1].columns.append(
                    CatalogColumn(name: row[4].string ?? "", type: (row[5].string ?? "").uppercased(), index: Int(row[6].int64 ?? 0)))
            }
            let sizes = try await connection.query(SQL(unsafeRaw: sizeQuery(dialect, schemas: list.lowercased())))
            var byKey: [String: (rows: Int64?, bytes: Int64?, comment: String?)] = [:]
            for row in sizes.rows {
                byKey[((row[0].string ?? "") + "." + (row[1].string ?? "")).lowercased()] = (row[2].int64, row[3].int64, row[4].string)
            }
            for index in relations.indices where relations[index].type != "VIEW" {
                let size = byKey[relations[index].key]
                relations[index].rowCount = size?.rows
                relations[index].bytes = size?.bytes
                relations[index].comment = size?.comment
            }
            return relations
        }
    }

    /// schema, name, estimated rows, bytes and the table's comment, per table.
    static func sizeQuery(_ dialect: SQLDialect, schemas: String) -> String {
        // The statistics live in each engine's own catalog; information_schema has none.
        switch dialect.name {
        case SQLDialect.postgres.name:
            return """
                select n.nspname, c.relname, greatest(c.reltuples, 0)::bigint, pg_total_relation_size(c.oid), obj_description(c.oid, 'pg_class')
                from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where c.relkind in ('r', 'p', 'm') and lower(n.nspname) in (\(schemas))
                """
        default:
            // DuckDB keeps an exact row count per table; the file's blocks are shared, so no
            // per-table byte size.
            return """
                select schema_name, table_name, estimated_size, null::bigint, comment from duckdb_tables()
                where database_name = current_database() and lower(schema_name) in (\(schemas))
                """
        }
    }
}
