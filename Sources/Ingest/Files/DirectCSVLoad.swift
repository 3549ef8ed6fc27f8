import WarehouseKit

/// The one-pass load of a CSV file: read, checked and converted on the way into the table, with
/// no staged copy.
///
/// `FileStaging` reads a file into a text table, works out each column's type over every value,
/// then copies the rows out converted. On a 42M-row REES46 export those three passes over a
/// copy larger than memory took 101 s under a 3 GB memory limit, where DuckDB reads the file
/// in 20 s. Here the types come from the first rows (a type one of them refuses cannot hold the
/// column) and every value is checked as it is converted: a value its type refuses stops the
/// statement, the transaction rolls back, and the caller loads the file the staged way, which
/// quarantines or widens exactly as before. So a file loads the same either way; this way only
/// when every value converts to the narrowest type the first rows allow.
///
/// Not for merge loads (the last row of a key wins, which needs the rows' order), nor for a
/// column empty in the first rows (the staged way counts its values over the file).
struct DirectCSVLoad {
    let connector: FileConnector
    /// The target table's columns, when it exists (the `_ingest_…` columns left out).
    let existing: [ColumnInfo]

    /// What the load will write: each column with its type and the expression that converts it.
    struct Plan {
        var columns: [ColumnInfo]
        /// `select … from read_csv(…)`: the converted rows.
        var select: String
    }

    /// The marker of the error a refused value raises, so the caller knows to stage the file.
    static let refusal = "storehouse: value refused by the one-pass load"

    static func applies(to connector: FileConnector, format: FileFormat) -> Bool {
        format == .csv && connector.disposition != .merge
    }

    /// The plan for `file`, or nil when it must be staged (a column without a value in the first rows).
    func plan(_ file: LandingFile, on db: any WarehouseConnection) async throws -> Plan? {
        let staging = FileStaging(connector: connector, existing: existing)
        let read = "read_csv(\(SQL.quoteLiteral(file.path)), \(staging.csvOptions(rejects: false).joined(separator: ", ")))"
        let first = "(select * from \(read) limit \(FileStaging.inferenceSampleRows))"
        let names = try await db.query(SQL(unsafeRaw: "describe select * from \(first)")).rows.compactMap { $0[0].string }
        let declared = Dictionary(connector.columns.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        let existingTypes = Dictionary(existing.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        let toInfer = names.filter { declared[$0] == nil && existingTypes[$0] == nil }
        let sampled = try await FileStaging.sampleCandidates(of: toInfer, in: first, on: db)
        if toInfer.contains(where: { sampled.hasValues[$0] != true }) { return nil }

        var columns: [ColumnInfo] = []
        var expressions: [String] = []
        for name in names {
            let quoted = SQL.quoteIdentifier(name)
            let refuse = "error(\(SQL.quoteLiteral("\(Self.refusal): \(name)")))"
            // Most values have no spaces around them: they are tested and cast as they are, and
            // only the others trimmed first (trimming every value was 14% of a load's CPU).
            func converted(_ type: String, test: (String) -> String) -> String {
                let text = "trim(\(quoted))"
                return "case when \(quoted) is null then null when \(test(quoted)) then cast(\(quoted) as \(type)) "
                    + "when \(test(text)) then cast(\(text) as \(type)) else \(refuse) end"
            }
            if let wanted = declared[name] ?? existingTypes[name] {
                columns.append(ColumnInfo(name: name, type: wanted))
                expressions.append(FileStaging.sameType(wanted, "VARCHAR") ? quoted
                    : converted(wanted) { FileStaging.converts($0, to: wanted) })
            } else if let candidate = sampled.remaining[name]?.first {
                let type = FileStaging.typeCandidates[candidate].type
                columns.append(ColumnInfo(name: name, type: type))
                expressions.append(converted(type) { text in
                    Self.quickTest(type, text).map { "(\($0)) or (\(FileStaging.typeCandidates[candidate].test(text)))" }
                        ?? FileStaging.typeCandidates[candidate].test(text)
                })
            } else {
                columns.append(ColumnInfo(name: name, type: "VARCHAR"))
                expressions.append(quoted)
            }
        }
        for column in connector.columns where !names.contains(column.name) {
            columns.append(ColumnInfo(name: column.name, type: column.type))
            expressions.append("cast(null as \(column.type))")
        }
        let select = zip(columns, expressions).map { "\($1) as \(SQL.quoteIdentifier($0.name))" }
        return Plan(columns: columns,
                    select: "select \(select.joined(separator: ", ")) from read_csv(\(SQL.quoteLiteral(file.path)), \(staging.csvOptions(rejects: true).joined(separator: ", ")))")
    }

    /// A cheaper test that accepts most values of `type` and none its full test refuses: a whole
    /// number that prints back as itself (no sign, no leading zero, no space) is a BIGINT. The
    /// full test runs only on the values this one does not accept. (A regular expression of up to
    /// 19 digits instead measured no faster.)
    static func quickTest(_ type: String, _ text: String) -> String? {
        type == "BIGINT" ? "cast(try_cast(\(text) as BIGINT) as VARCHAR) = \(text)" : nil
    }
}
