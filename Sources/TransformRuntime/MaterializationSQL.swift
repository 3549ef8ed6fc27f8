import WarehouseKit

/// SQL for each materialization, per dialect. Pure: statements in, no I/O. The runner executes
/// them inside one transaction so a failed or killed build leaves the previous relation in place.
public struct MaterializationSQL: Sendable {
    public var dialect: SQLDialect

    public init(dialect: SQLDialect) { self.dialect = dialect }

    /// The temporary name a table is built under before it is swapped in.
    public static func buildingName(_ relation: RelationName) -> RelationName {
        RelationName(schema: relation.schema, name: relation.name + "__storehouse_tmp")
    }

    public static func backupName(_ relation: RelationName) -> RelationName {
        RelationName(schema: relation.schema, name: relation.name + "__storehouse_backup")
    }

    public func createSchema(_ schema: String) -> String {
        "create schema if not exists \(SQL.quoteIdentifier(schema))"
    }

    public func drop(_ relation: RelationName, kind: RelationKind) -> String {
        "drop \(kind == .view ? "view" : "table") if exists \(relation.quoted)\(dialect.needsCascadeOnDrop ? " cascade" : "")"
    }

    /// A view, replacing whatever relation (table or view) had the name.
    public func view(_ relation: RelationName, sql: String, existing: RelationKind?) -> [String] {
        if dialect.supportsCreateOrReplaceView && existing != .table {
            return ["create or replace view \(relation.quoted) as (\n\(sql)\n)"]
        }
        var statements: [String] = []
        if let existing { statements.append(drop(relation, kind: existing)) }
        statements.append("create view \(relation.quoted) as (\n\(sql)\n)")
        return statements
    }

    /// A table replacing the old relation in one step: where the engine has `create or replace
    /// table` (DuckDB), that one statement, atomic like any other (readers see the old table until it
    /// commits, and a failure or a kill leaves it); elsewhere built under a temporary name and
    /// swapped in (run both in one transaction).
    /// `leftover` says a relation may hold the temporary name (a killed build's), to drop first;
    /// `partitionBy` names partition columns where the engine has partitioned tables (ignored
    /// elsewhere, as dbt-duckdb and dbt-postgres ignore it).
    public func table(_ relation: RelationName, sql: String, existing: RelationKind?, leftover: Bool = true, partitionBy: [String] = []) -> [String] {
        if dialect.supportsCreateOrReplaceTable && existing != .view {
            return ["create or replace table \(relation.quoted) as (\n\(sql)\n)"]
        }
        let building = MaterializationSQL.buildingName(relation)
        var statements = leftover ? [drop(building, kind: .table)] : []
        let partitioned = dialect.supportsPartitionedTables && !partitionBy.isEmpty
            ? " partitioned by (\(partitionBy.map(SQL.quoteIdentifier).joined(separator: ", ")))" : ""
        statements.append("create table \(building.quoted)\(partitioned) as (\n\(sql)\n)")
        if let existing { statements.append(drop(relation, kind: existing)) }
        statements.append("alter table \(building.quoted) rename to \(SQL.quoteIdentifier(relation.name))")
        // Spark's in-memory catalog moves a renamed table's folder but keeps its partitions at the
        // old one, so the renamed table reads empty; re-reading the partitions from the folder
        // mends it (found by IncrementalOnSparkTests).
        if !partitioned.isEmpty { statements.append("msck repair table \(relation.quoted) sync partitions") }
        return statements
    }

    /// The staging table an incremental run fills before changing the target.
    public func incrementalStaging(_ relation: RelationName, sql: String) -> (name: RelationName, statements: [String]) {
        let staging = MaterializationSQL.buildingName(relation)
        return (staging, [drop(staging, kind: .table), "create table \(staging.quoted) as (\n\(sql)\n)"])
    }

    /// Moves staged rows into the target with the given strategy; `columns` are the target's
    /// columns that the staged rows also have, `keys` the unique key columns.
    public func incrementalApply(strategy: IncrementalStrategy, target: RelationName, staging: RelationName,
                                 columns: [String], keys: [String], targetColumns: [String] = []) -> [String]
    {
        if strategy == .insertOverwrite {
            // In the target's column order (a partitioned table keeps its partition columns
            // last); dynamic mode replaces only the partitions the staged rows fall in, and a
            // table without partitions whole, as dbt-spark does.
            let all = targetColumns.isEmpty ? columns : targetColumns
            let select = all.map { columns.contains($0) ? SQL.quoteIdentifier($0) : "null as \(SQL.quoteIdentifier($0))" }.joined(separator: ", ")
            return [
                "set spark.sql.sources.partitionOverwriteMode=dynamic",
                "insert overwrite table \(target.quoted)\nselect \(select) from \(staging.quoted)",
            ]
        }
        if !dialect.supportsDelete, !keys.isEmpty, strategy != .append {
            return rewrite(target: target, staging: staging, columns: columns, keys: keys, targetColumns: targetColumns)
        }
        let list = columns.map(SQL.quoteIdentifier).joined(separator: ", ")
        let insert = "insert into \(target.quoted) (\(list))\nselect \(list) from \(staging.quoted)"
        let matches = keys.map { "\(target.quoted).\(SQL.quoteIdentifier($0)) = \"storehouse_source\".\(SQL.quoteIdentifier($0))" }
            .joined(separator: " and ")
        switch strategy {
        case .append:
            return [insert]
        case .deleteInsert where !keys.isEmpty, .merge where !keys.isEmpty && !dialect.supportsMerge:
            return [
                "delete from \(target.quoted)\nwhere exists (select 1 from \(staging.quoted) as \"storehouse_source\" where \(matches))",
                insert,
            ]
        case .merge where !keys.isEmpty:
            let updates = columns.filter { !keys.contains($0) }
                .map { "\(SQL.quoteIdentifier($0)) = \"storehouse_source\".\(SQL.quoteIdentifier($0))" }
            let on = keys.map { "\"storehouse_target\".\(SQL.quoteIdentifier($0)) = \"storehouse_source\".\(SQL.quoteIdentifier($0))" }
                .joined(separator: " and ")
            var merge = "merge into \(target.quoted) as \"storehouse_target\"\nusing \(staging.quoted) as \"storehouse_source\"\non \(on)\n"
            if !updates.isEmpty { merge += "when matched then update set \(updates.joined(separator: ", "))\n" }
            merge += "when not matched then insert (\(list)) values (\(columns.map { "\"storehouse_source\".\(SQL.quoteIdentifier($0))" }.joined(separator: ", ")))"
            return [merge]
        default:
            // delete+insert or merge without a unique key behave as append, as in dbt.
            return [insert]
        }
    }

    /// merge and delete+insert where the engine can neither delete nor merge (Spark's parquet
    /// tables): the target is written anew as its rows whose keys the new rows do not have, plus
    /// the new rows, under a temporary name, and swapped in. The same rows as a delete+insert, at
    /// the cost of rewriting the table.
    func rewrite(target: RelationName, staging: RelationName, columns: [String], keys: [String], targetColumns: [String]) -> [String] {
        let rewritten = RelationName(schema: target.schema, name: target.name + "__storehouse_rewrite")
        let all = targetColumns.isEmpty ? columns : targetColumns
        let kept = all.map { "\"storehouse_target\".\(SQL.quoteIdentifier($0))" }.joined(separator: ", ")
        let staged = all.map { columns.contains($0) ? "\"storehouse_source\".\(SQL.quoteIdentifier($0))" : "null as \(SQL.quoteIdentifier($0))" }
            .joined(separator: ", ")
        let matches = keys.map { "\"storehouse_target\".\(SQL.quoteIdentifier($0)) = \"storehouse_source\".\(SQL.quoteIdentifier($0))" }
            .joined(separator: " and ")
        return [
            drop(rewritten, kind: .table),
            """
            create table \(rewritten.quoted) as (
            select \(kept) from \(target.quoted) as "storehouse_target"
            where not exists (select 1 from \(staging.quoted) as "storehouse_source" where \(matches))
            union all
            select \(staged) from \(staging.quoted) as "storehouse_source"
            )
            """,
            drop(target, kind: .table),
            "alter table \(rewritten.quoted) rename to \(SQL.quoteIdentifier(target.name))",
        ]
    }

    /// Test wrapper, as dbt's: failures counted by the test's `fail_calc` (`count(*)` unless the
    /// test says otherwise, e.g. `sum(diff_count)`), conditions for warn and error evaluated in SQL.
    public func testQuery(_ compiled: String, failCalc: String = "count(*)", warnIf: String, errorIf: String, limit: Int?) -> String {
        """
        select coalesce(cast(\(failCalc) as bigint), 0) as failures,
               case when \(failCalc) \(warnIf) then 1 else 0 end as should_warn,
               case when \(failCalc) \(errorIf) then 1 else 0 end as should_error
        from (
        \(compiled)
        \(limit.map { "limit \($0)" } ?? "")
        ) dbt_internal_test
        """
    }
}

extension MaterializationSQL {
    /// Several tests' queries (each `testQuery`, one row) as one query: a row per test, numbered
    /// by `storehouse_test` in the order given (rows of a union come back in any order).
    public func testBatchQuery(_ testQueries: [String]) -> String {
        testQueries.enumerated().map { index, query in
            "select \(index) as storehouse_test, failures, should_warn, should_error from (\n\(query)\n) storehouse_test_\(index)"
        }.joined(separator: "\nunion all\n")
    }
}

/// How an incremental model changes its target.
public enum IncrementalStrategy: String, Sendable, CaseIterable {
    case append
    case merge
    case deleteInsert = "delete+insert"
    /// Replaces the partitions the new rows fall in (engines with partitioned tables: Spark).
    case insertOverwrite = "insert_overwrite"
}

/// What an incremental model does when its columns change.
public enum SchemaChangePolicy: String, Sendable, CaseIterable {
    case ignore
    case fail
    case appendNewColumns = "append_new_columns"
    case syncAllColumns = "sync_all_columns"
}
