import WarehouseKit

/// SQL for dbt-style snapshots (slowly changing dimensions, type 2), per dialect.
///
/// Each snapshot row carries `dbt_scd_id` (hash of key and version time), `dbt_updated_at`,
/// `dbt_valid_from` and `dbt_valid_to` (NULL for the current version), as dbt writes them.
public struct SnapshotSQL: Sendable {
    public enum Strategy: Sendable, Equatable {
        /// A row changed when its `updatedAt` column moved forward.
        case timestamp(updatedAt: String)
        /// A row changed when any of these columns differ; nil means every column.
        case check(columns: [String]?)
    }

    public var target: RelationName
    public var sourceSQL: String
    public var uniqueKey: [String]
    public var strategy: Strategy
    public var invalidateHardDeletes: Bool
    public var dialect: SQLDialect

    public init(target: RelationName, sourceSQL: String, uniqueKey: [String], strategy: Strategy,
                invalidateHardDeletes: Bool, dialect: SQLDialect)
    {
        self.target = target
        self.sourceSQL = sourceSQL
        self.uniqueKey = uniqueKey
        self.strategy = strategy
        self.invalidateHardDeletes = invalidateHardDeletes
        self.dialect = dialect
    }

    private var text: String { dialect.typeName(for: .text) }

    /// The key as one expression (composite keys joined with '|').
    private func key(_ alias: String?) -> String {
        let prefix = alias.map { "\($0)." } ?? ""
        if uniqueKey.count == 1 { return prefix + SQL.quoteIdentifier(uniqueKey[0]) }
        return uniqueKey.map { "coalesce(cast(\(prefix)\(SQL.quoteIdentifier($0)) as \(text)), '')" }.joined(separator: " || '|' || ")
    }

    /// When this version of a row became valid: its updated_at, or the snapshot's run time.
    private func versionTime(_ alias: String?, now: String) -> String {
        switch strategy {
        case .timestamp(let column): return (alias.map { "\($0)." } ?? "") + SQL.quoteIdentifier(column)
        case .check: return now
        }
    }

    private func scdID(_ alias: String?, now: String) -> String {
        "md5(coalesce(cast(\(key(alias)) as \(text)), '') || '|' || coalesce(cast(\(versionTime(alias, now: now)) as \(text)), ''))"
    }

    /// The snapshot's run time, as a timestamp without time zone (dbt's `snapshot_get_time`).
    public var now: String { "cast(current_timestamp as timestamp)" }

    /// First run: every source row becomes its current version.
    public func create() -> [String] {
        let time = versionTime("source", now: now)
        return [
            """
            create table \(target.quoted) as (
            select source.*, \(scdID("source", now: now)) as dbt_scd_id,
                   \(time) as dbt_updated_at, \(time) as dbt_valid_from,
                   nullif(\(time), \(time)) as dbt_valid_to
            from (
            \(sourceSQL)
            ) as source
            )
            """,
        ]
    }

    /// Later runs: close versions that changed (and, optionally, vanished), insert new versions.
    /// `sourceColumns` are the source query's columns (the snapshot table has them plus dbt's four).
    public func update(sourceColumns: [String]) -> [String] {
        let staging = RelationName(schema: target.schema, name: target.name + "__storehouse_changes")
        let changed: String
        switch strategy {
        case .timestamp(let column):
            changed = "source.\(SQL.quoteIdentifier(column)) > current_version.dbt_updated_at"
        case .check(let columns):
            let compared = (columns ?? sourceColumns).filter { !uniqueKey.contains($0) }
            changed = compared.isEmpty ? "false" : compared.map {
                "source.\(SQL.quoteIdentifier($0)) is distinct from current_version.\(SQL.quoteIdentifier($0))"
            }.joined(separator: " or ")
        }
        let time = versionTime("source", now: now)
        let columns = sourceColumns.map { "source.\(SQL.quoteIdentifier($0))" }.joined(separator: ", ")
        let targetColumns = (sourceColumns.map(SQL.quoteIdentifier) + ["dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to"])
            .joined(separator: ", ")
        var statements = [
            "drop table if exists \(staging.quoted)",
            """
            create table \(staging.quoted) as (
            with source as (
            \(sourceSQL)
            ),
            current_version as (select * from \(target.quoted) where dbt_valid_to is null)
            select \(columns), \(scdID("source", now: now)) as dbt_scd_id, \(time) as dbt_updated_at,
                   \(time) as dbt_valid_from, nullif(\(time), \(time)) as dbt_valid_to,
                   current_version.dbt_scd_id as replaces_scd_id
            from source
            left join current_version on \(key("source")) = \(key("current_version"))
            where current_version.dbt_scd_id is null or (\(changed))
            )
            """,
        ]
        if !dialect.supportsDelete {
            return statements + rewrite(staging: staging, sourceColumns: sourceColumns)
        }
        statements.append("""
            update \(target.quoted) set dbt_valid_to = changes.dbt_valid_from
            from \(staging.quoted) as changes
            where changes.replaces_scd_id = \(target.quoted).dbt_scd_id
            """)
        if invalidateHardDeletes {
            statements.append("""
                update \(target.quoted) set dbt_valid_to = \(now)
                where dbt_valid_to is null
                  and not exists (
                    select 1 from (
                    \(sourceSQL)
                    ) as source where \(key("source")) = \(key(target.quoted)))
                """)
        }
        statements.append("""
            insert into \(target.quoted) (\(targetColumns))
            select \(sourceColumns.map(SQL.quoteIdentifier).joined(separator: ", ")), dbt_scd_id, dbt_updated_at, dbt_valid_from, dbt_valid_to
            from \(staging.quoted)
            """)
        statements.append("drop table if exists \(staging.quoted)")
        return statements
    }

    /// Where the engine has no UPDATE (Spark's parquet tables): the snapshot written anew under a
    /// temporary name, each closed version's dbt_valid_to set as the updates would set it, the new
    /// versions added, then swapped in.
    func rewrite(staging: RelationName, sourceColumns: [String]) -> [String] {
        let rewritten = RelationName(schema: target.schema, name: target.name + "__storehouse_rewrite")
        var validTo = "when changes.replaces_scd_id is not null then changes.dbt_valid_from\n"
        if invalidateHardDeletes {
            validTo += """
                when kept.dbt_valid_to is null and not exists (
                    select 1 from (
                    \(sourceSQL)
                    ) as source where \(key("source")) = \(key("kept"))) then \(now)

                """
        }
        let kept = sourceColumns.map { "kept.\(SQL.quoteIdentifier($0))" }.joined(separator: ", ")
        let added = sourceColumns.map(SQL.quoteIdentifier).joined(separator: ", ")
        return [
            "drop table if exists \(rewritten.quoted)",
            """
            create table \(rewritten.quoted) as (
            select \(kept), kept.dbt_scd_id, kept.dbt_updated_at, kept.dbt_valid_from,
                   case \(validTo)else kept.dbt_valid_to end as dbt_valid_to
            from \(target.quoted) as kept
            left join \(staging.quoted) as changes on changes.replaces_scd_id = kept.dbt_scd_id
            union all
            select \(added), dbt_scd_id, dbt_updated_at, dbt_valid_from, dbt_valid_to from \(staging.quoted)
            )
            """,
            "drop table \(target.quoted)",
            "alter table \(rewritten.quoted) rename to \(SQL.quoteIdentifier(target.name))",
            "drop table if exists \(staging.quoted)",
        ]
    }
}
