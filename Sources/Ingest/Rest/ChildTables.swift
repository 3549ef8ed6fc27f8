import WarehouseKit

/// `nested: tables`: each list field of a REST load's records becomes a child table
/// `<table>__<field>` (DummyJSON's carts → `raw.dummyjson_carts__products`), one row per element:
/// the parent's primary key as `_parent_<key>`, `_position` (the element's place in its list,
/// from 0), then the element's fields (an object's keys as columns, a plain value as `value`),
/// typed as the narrowest type every value fits, as files are. Lists and objects inside an element stay JSON.
///
/// Child rows follow their parent's write disposition: `replace` empties the child tables with
/// their parent; `merge` replaces the child rows of each parent the load brings (a cart whose
/// list shrank loses the rows it no longer has); `append` adds them. Runs inside the load's
/// transaction, after the parent's rows are written from `FileStaging.stage`.
struct ChildTables {
    let connector: RestConnector

    /// The name of the child table of `field`.
    func table(for field: String) -> RelationName {
        RelationName(schema: connector.into.schema, name: "\(connector.into.name)__\(field)")
    }

    /// The staged JSON columns that hold a list in some record: these go to child tables and out
    /// of the parent's row.
    func listColumns(of staged: [ColumnInfo], on db: any WarehouseConnection) async throws -> [String] {
        let json = staged.filter { $0.type == "JSON" }.map(\.name)
        guard !json.isEmpty else { return [] }
        let flags = try await db.query(SQL(unsafeRaw: "select " + json.map {
            "coalesce(bool_or(json_type(\(SQL.quoteIdentifier($0))) = 'ARRAY'), false)"
        }.joined(separator: ", ") + " from \(FileStaging.stage)")).rows.first ?? []
        return json.indices.filter { flags[$0].bool == true }.map { json[$0] }
    }

    /// Writes the child table of each list column; returns the rows written per table.
    func write(_ fields: [String], loadID: String, on db: any WarehouseConnection) async throws -> [(RelationName, Int)] {
        let keys = connector.primaryKey.map(SQL.quoteIdentifier)
        // The parent's key as `_parent_<key>`: an element may have fields of the same names (a
        // cart line's product `id`), which are its own.
        let links = connector.primaryKey.map { SQL.quoteIdentifier(Self.link($0)) }
        let keysAsLinks = zip(keys, links).map { "\($0) as \($1)" }.joined(separator: ", ")
        // A record repeated in the load (a page served twice) counts once: its last copy.
        let parents = "(select * from \(FileStaging.stage) qualify row_number() over (partition by \(keys.joined(separator: ", ")) order by __row desc) = 1)"
        var written: [(RelationName, Int)] = []
        for field in fields {
            let child = table(for: field)
            let quotedField = SQL.quoteIdentifier(field)
            try await db.execute("drop table if exists temp.__ingest_elements")
            try await db.execute(SQL(unsafeRaw: """
                create temp table __ingest_elements as
                select \(links.joined(separator: ", ")), generate_subscripts(items, 1) - 1 as _position, unnest(items) as element
                from (select \(keysAsLinks), cast(\(quotedField) as JSON[]) as items
                      from \(parents) where json_type(\(quotedField)) = 'ARRAY')
                """))
            let objects = try await db.query("select coalesce(bool_and(json_type(element) = 'OBJECT'), false) from temp.__ingest_elements").scalar?.bool
            var fieldColumns: [(name: String, expression: String)] = []
            if objects == true {
                let names = try await db.query("""
                    select key from (select unnest(json_keys(element)) as key, row_number() over () as seen from temp.__ingest_elements)
                    group by key order by min(seen)
                    """).rows.compactMap { $0[0].string }
                let nested = try await nestedKeys(names, on: db)
                let reserved = Set(connector.primaryKey.map(Self.link) + ["_position", "_ingest_load_id"])
                fieldColumns = names.filter { !reserved.contains($0) }.map { name in
                    let path = SQL.quoteLiteral("$.\"" + name.replacingOccurrences(of: "\"", with: "\\\"") + "\"")
                    return (name, nested.contains(name) ? "element -> \(path)" : "element ->> \(path)")
                }
            } else {
                fieldColumns = [("value", "case when json_type(element) = 'VARCHAR' then element ->> '$' else cast(element as varchar) end")]
            }
            try await db.execute("drop table if exists temp.__ingest_children")
            try await db.execute(SQL(unsafeRaw: "create temp table __ingest_children as select \(links.joined(separator: ", ")), _position"
                + fieldColumns.map { ", \($0.expression) as \(SQL.quoteIdentifier($0.name))" }.joined() + " from temp.__ingest_elements"))
            let textColumns = try await db.columns(ofTemp: "__ingest_children").filter { $0.type == "VARCHAR" }.map(\.name)
            let sampled = try await FileStaging.sampleCandidates(of: textColumns, in: "temp.__ingest_children", on: db)
            var columns: [ColumnInfo] = []
            var select: [String] = []
            for column in try await db.columns(ofTemp: "__ingest_children") {
                let quoted = SQL.quoteIdentifier(column.name)
                if let candidate = sampled.remaining[column.name]?.first, sampled.hasValues[column.name] == true {
                    let type = FileStaging.typeCandidates[candidate].type
                    columns.append(ColumnInfo(name: column.name, type: type))
                    select.append("cast(trim(\(quoted)) as \(type)) as \(quoted)")
                } else {
                    columns.append(column)
                    select.append(quoted)
                }
            }
            try await TableWriter.ensureTable(child, columns: columns, lineage: ["_ingest_load_id"], on: db)
            if connector.disposition == .merge, try await db.relationKind(child) != nil {
                let matches = links.map { "\(child.quoted).\($0) = __ingest_parent_keys.\($0)" }.joined(separator: " and ")
                try await db.execute("drop table if exists temp.__ingest_parent_keys")
                try await db.execute(SQL(unsafeRaw: "create temp table __ingest_parent_keys as select distinct \(keysAsLinks) from \(FileStaging.stage)"))
                try await db.execute(SQL(unsafeRaw: "delete from \(child.quoted) using temp.__ingest_parent_keys where \(matches)"))
            }
            let rows = try await db.execute(SQL(unsafeRaw: """
                insert into \(child.quoted) by name
                select \(select.joined(separator: ", ")), \(SQL.quoteLiteral(loadID)) as _ingest_load_id from temp.__ingest_children
                """))
            written.append((child, rows))
        }
        return written
    }

    /// The child's column holding the parent's key column `key`.
    static func link(_ key: String) -> String { "_parent_" + key }

    /// Empties the child tables of a `replace` load (their parent is emptied too): the tables
    /// named `<table>__…` that have the child columns, not another table that shares the prefix.
    func clear(on db: any WarehouseConnection) async throws {
        let prefix = connector.into.name + "__"
        let childColumns = Set(connector.primaryKey.map(Self.link) + ["_position", "_ingest_load_id"])
        for relation in try await db.relations(in: connector.into.schema) where relation.kind == .table && relation.name.name.hasPrefix(prefix) {
            let names = Set(try await db.columns(of: relation.name).map(\.name))
            guard childColumns.isSubset(of: names) else { continue }
            try await db.execute(SQL(unsafeRaw: "delete from \(relation.name.quoted)"))
        }
    }

    private func nestedKeys(_ names: [String], on db: any WarehouseConnection) async throws -> Set<String> {
        guard !names.isEmpty else { return [] }
        let paths = names.map { SQL.quoteLiteral("$.\"" + $0.replacingOccurrences(of: "\"", with: "\\\"") + "\"") }
        let flags = try await db.query(SQL(unsafeRaw: "select " + paths.map {
            "coalesce(bool_or(json_type(element, \($0)) in ('OBJECT', 'ARRAY')), false)"
        }.joined(separator: ", ") + " from temp.__ingest_elements")).rows.first ?? []
        return Set(names.indices.filter { flags[$0].bool == true }.map { names[$0] })
    }
}
