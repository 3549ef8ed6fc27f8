import Foundation
import WarehouseKit

/// Reads one file into the temporary table `__ingest_stage`: its columns with their final types
/// and `__row` (the row's number in the file, see `QuarantinedRow.rowNumber`). Rows that cannot
/// be read — a ragged CSV line, a line that is not a JSON object, a value that does not convert
/// to its column's declared type, a merge row without its key — are set aside, not loaded.
///
/// A column's type is, in order: the connector's declaration, the target table's type when the
/// table exists, Parquet's own type, or the narrowest type every value of the file converts to
/// (BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP, TIMESTAMPTZ, else VARCHAR; JSON for nested values).
/// Inferred types never quarantine: a column whose values disagree stays text. Numbers with a
/// leading zero (`01234`, postcodes and account numbers) stay text too.
struct FileStaging {
    let connector: FileConnector
    /// The target table's columns, when it exists (the `_ingest_…` columns left out).
    let existing: [ColumnInfo]
    /// For NDJSON whose lines are API pages: where each page's records are (empty: the page is
    /// the list). Row numbers then count records across the file. Nil: each line is a record.
    var recordPath: [String]? = nil

    struct Staged {
        var columns: [ColumnInfo]
        var quarantined: [QuarantinedRow]
    }

    static let stage = "__ingest_stage"
    static let raw = "__ingest_raw"

    func stage(_ file: LandingFile, format: FileFormat, on db: any WarehouseConnection) async throws -> Staged {
        for table in [Self.stage, Self.raw, "__ingest_docs", "__ingest_lines", "__ingest_rejects", "__ingest_rejects_scan", "__ingest_records"] {
            try await db.execute(SQL(unsafeRaw: "drop table if exists temp.\(table)"))
        }
        var quarantined: [QuarantinedRow] = []
        var nested: Set<String> = []
        var csvLines: CSVLineMap?
        switch format {
        case .csv: csvLines = try await stageCSV(file, quarantined: &quarantined, on: db)
        case .ndjson, .json: nested = try await stageJSON(file, format: format, quarantined: &quarantined, on: db)
        case .parquet:
            try await db.execute(SQL(unsafeRaw: """
                create temp table \(Self.raw) as
                select * exclude (file_row_number), file_row_number + 1 as __row
                from read_parquet(\(SQL.quoteLiteral(file.path)), file_row_number = true)
                """))
        }
        let rawColumns = try await db.columns(ofTemp: Self.raw).filter { $0.name != "__row" }
        let declared = Dictionary(connector.columns.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        let existingTypes = Dictionary(existing.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        let toInfer = rawColumns.filter { declared[$0.name] == nil && existingTypes[$0.name] == nil && $0.type == "VARCHAR" && format != .parquet }
        let inferred = try await inferTypes(of: toInfer.map(\.name), on: db)

        var finals: [(column: ColumnInfo, expression: String)] = []
        var byRow: [Int: QuarantinedRow] = [:]
        for column in rawColumns {
            let quoted = SQL.quoteIdentifier(column.name)
            let rawType = nested.contains(column.name) ? "JSON" : column.type
            if let wanted = declared[column.name] ?? existingTypes[column.name], !Self.sameType(wanted, rawType) {
                for bad in try await failures(of: column.name, as: wanted, on: db) where byRow[bad.rowNumber] == nil {
                    byRow[bad.rowNumber] = bad
                }
                let source = rawType == "VARCHAR" ? "trim(\(quoted))" : quoted
                finals.append((ColumnInfo(name: column.name, type: wanted), "cast(\(source) as \(wanted))"))
            } else if let type = inferred[column.name], type != "VARCHAR" {
                finals.append((ColumnInfo(name: column.name, type: type), "cast(trim(\(quoted)) as \(type))"))
            } else {
                finals.append((ColumnInfo(name: column.name, type: rawType), quoted))
            }
        }
        for column in connector.columns where !rawColumns.contains(where: { $0.name == column.name }) {
            finals.append((ColumnInfo(name: column.name, type: column.type), "cast(null as \(column.type))"))
        }
        if connector.disposition == .merge {
            for key in connector.primaryKey {
                guard rawColumns.contains(where: { $0.name == key }) else {
                    throw IngestError("the primary key column \(key) is not in \(file.name) (it has \(rawColumns.map(\.name).joined(separator: ", ")))",
                                      hint: "fix primary_key in connectors.yml or the file's header")
                }
                let rows = try await db.query(SQL(unsafeRaw: "select __row from \(Self.raw) where \(SQL.quoteIdentifier(key)) is null order by __row"))
                for row in rows.rows.compactMap({ $0[0].int64.map(Int.init) }) where byRow[row] == nil {
                    byRow[row] = QuarantinedRow(rowNumber: row, column: key, reason: "the primary key \(key) is NULL", raw: nil)
                }
            }
        }
        let typeFailures = byRow.values.sorted { $0.rowNumber < $1.rowNumber }
        try await db.execute(SQL(unsafeRaw: "create temp table __ingest_skipped (__row BIGINT)"))
        for start in stride(from: 0, to: typeFailures.count, by: 10_000) {
            let numbers = typeFailures[start..<min(start + 10_000, typeFailures.count)].map { String($0.rowNumber) }
            try await db.execute(SQL(unsafeRaw: "insert into __ingest_skipped select unnest([\(numbers.joined(separator: ","))])"))
        }
        let select = finals.map { "\($0.expression) as \(SQL.quoteIdentifier($0.column.name))" } + ["__row"]
        try await db.execute(SQL(unsafeRaw: """
            create temp table \(Self.stage) as
            select \(select.joined(separator: ", ")) from \(Self.raw)
            where __row not in (select __row from __ingest_skipped)
            """))
        try await db.execute("drop table temp.__ingest_skipped")
        let placed = typeFailures.map { failure in
            var row = failure
            if let csvLines { row.rowNumber = csvLines.line(ofRecord: failure.rowNumber) }
            return row
        }
        quarantined = (quarantined + placed).sorted { ($0.rowNumber, $0.column ?? "") < ($1.rowNumber, $1.column ?? "") }
        return Staged(columns: finals.map(\.column), quarantined: quarantined)
    }

    // MARK: CSV

    /// Reads every column as text (types are checked afterwards, the same way for every format);
    /// lines DuckDB's reader cannot split into the header's columns are quarantined with its reason.
    private func stageCSV(_ file: LandingFile, quarantined: inout [QuarantinedRow], on db: any WarehouseConnection) async throws -> CSVLineMap {
        try await db.execute(SQL(unsafeRaw: """
            create temp table \(Self.raw) as
            select * from read_csv(\(SQL.quoteLiteral(file.path)), \(csvOptions(rejects: true).joined(separator: ", ")))
            """))
        // A fresh table's rowids follow the order its rows were inserted: the file's order.
        try await db.execute(SQL(unsafeRaw: "alter table \(Self.raw) add column __row BIGINT"))
        try await db.execute(SQL(unsafeRaw: "update \(Self.raw) set __row = rowid - (select min(rowid) from \(Self.raw)) + 1"))
        let rejects = try await csvRejects(on: db)
        quarantined += rejects.rows
        let columns = try await db.columns(ofTemp: Self.raw).map(\.name).filter { $0 != "__row" }
        return CSVLineMap(headerLines: Self.headerless(columns, connector.csv) ? 0 : 1, rejectedLines: rejects.lines)
    }

    /// read_csv's options for the connector's layout, every column as text; with `rejects`, lines
    /// that do not split into the header's columns go to `temp.__ingest_rejects`.
    func csvOptions(rejects: Bool) -> [String] {
        let layout = connector.csv
        var options = ["all_varchar = true", "encoding = \(SQL.quoteLiteral(layout.encoding.rawValue))"]
        if rejects {
            options += ["store_rejects = true", "rejects_table = '__ingest_rejects'", "rejects_scan = '__ingest_rejects_scan'"]
        }
        if let delimiter = layout.delimiter { options.append("delim = \(SQL.quoteLiteral(delimiter))") }
        if let header = layout.header { options.append("header = \(header)") }
        if let quote = layout.quote { options.append("quote = \(SQL.quoteLiteral(quote))") }
        if let escape = layout.escape { options.append("escape = \(SQL.quoteLiteral(escape))") }
        if !layout.nullStrings.isEmpty {
            options.append("nullstr = [\(([""] + layout.nullStrings).map(SQL.quoteLiteral).joined(separator: ", "))]")
        }
        return options
    }

    /// The lines DuckDB's reader rejected on the last read, as quarantined rows, and their numbers.
    func csvRejects(on db: any WarehouseConnection) async throws -> (rows: [QuarantinedRow], lines: [Int]) {
        let rejects = try await db.query("""
            select line, column_name, cast(error_type as varchar), csv_line, error_message
            from temp.__ingest_rejects order by line, column_idx
            """)
        var quarantined: [QuarantinedRow] = []
        var rejectedLines: [Int] = []
        for row in rejects.rows {
            let line = Int(row[0].int64 ?? 0)
            // A short line is reported once per missing column; it is one bad row.
            if rejectedLines.last == line { continue }
            let kind = row[2].string ?? ""
            let column = ["TOO MANY COLUMNS", "MISSING COLUMNS"].contains(kind) ? nil : row[1].string
            quarantined.append(QuarantinedRow(rowNumber: line, column: column, reason: csvReason(kind, message: row[4].string ?? kind), raw: row[3].string))
            rejectedLines.append(line)
        }
        return (quarantined, rejectedLines)
    }

    /// Whether the reader found no header: it names the columns column0, column1, …
    static func headerless(_ columns: [String], _ layout: CSVLayout) -> Bool {
        layout.header == false || (layout.header == nil && columns.enumerated().allSatisfy { $0.element == "column\($0.offset)" })
    }

    func csvReason(_ kind: String, message: String) -> String {
        switch kind {
        case "MISSING COLUMNS", "TOO MANY COLUMNS":
            // "Expected Number of Columns: 3 Found: 2"
            let numbers = message.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            if numbers.count >= 2 { return "the line has \(numbers[1]) fields; the header has \(numbers[0])" }
            return message
        case "UNQUOTED VALUE": return "a quote inside an unquoted field: \(message)"
        case "INVALID ENCODING": return "the line is not valid \(connector.csv.encoding.rawValue) text"
        default: return message
        }
    }

    // MARK: JSON

    /// NDJSON is split into lines here (not by DuckDB's reader, which drops a broken line without
    /// saying which), so each bad line is quarantined with its number; a JSON document must
    /// parse as a whole and holds an array of records or one record. Returns the columns that
    /// hold objects or arrays (kept as JSON).
    private func stageJSON(_ file: LandingFile, format: FileFormat, quarantined: inout [QuarantinedRow],
                           on db: any WarehouseConnection) async throws -> Set<String>
    {
        let path = SQL.quoteLiteral(file.path)
        let text = "regexp_replace(content, '^\\x{FEFF}', '')"
        if format == .ndjson {
            try await db.execute(SQL(unsafeRaw: """
                create temp table __ingest_lines as
                select unnest(range(1, len(l) + 1)) as __row, unnest(l) as text
                from (select string_split(replace(\(text), chr(13), ''), chr(10)) as l from read_text(\(path)))
                """))
        } else {
            let kind = try await db.query(SQL(unsafeRaw: "select case when json_valid(\(text)) then json_type(\(text)) end from read_text(\(path))")).scalar?.string
            switch kind {
            case "ARRAY":
                try await db.execute(SQL(unsafeRaw: """
                    create temp table __ingest_lines as
                    select unnest(range(1, len(a) + 1)) as __row, unnest(a)::varchar as text
                    from (select from_json(\(text), '["JSON"]') as a from read_text(\(path)))
                    """))
            case "OBJECT":
                try await db.execute(SQL(unsafeRaw: "create temp table __ingest_lines as select 1 as __row, \(text) as text from read_text(\(path))"))
            case nil:
                throw IngestError("\(file.name) is not valid JSON", hint: "a .json file holds one JSON array of records; for one record per line name it .ndjson or set format: ndjson")
            case let other?:
                throw IngestError("\(file.name) holds a JSON \(Self.jsonKind(other)), not an array of records")
            }
        }
        if let recordPath {
            let list = recordPath.isEmpty ? "text" : "json_extract(text, \(SQL.quoteLiteral("$" + recordPath.map { ".\"" + $0.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }.joined())))"
            try await db.execute(SQL(unsafeRaw: """
                create temp table __ingest_records as
                select row_number() over (order by page, position) as __row, text from (
                    select __row as page, unnest(range(len(records))) as position, unnest(records)::varchar as text
                    from (select __row, from_json(\(list), '["JSON"]') as records from temp.__ingest_lines where trim(text) <> ''))
                """))
            try await db.execute("drop table temp.__ingest_lines")
            try await db.execute("alter table temp.__ingest_records rename to __ingest_lines")
        }
        let bad = try await db.query("""
            select __row, text, case when json_valid(text) then json_type(text) end from temp.__ingest_lines
            where trim(text) <> '' and coalesce(case when json_valid(text) then json_type(text) end, '') <> 'OBJECT'
            order by __row
            """)
        for row in bad.rows {
            let reason = row[2].string.map { "a JSON \(Self.jsonKind($0)), not an object" } ?? "not valid JSON"
            quarantined.append(QuarantinedRow(rowNumber: Int(row[0].int64 ?? 0), column: nil, reason: reason, raw: row[1].string))
        }
        try await db.execute("""
            create temp table __ingest_docs as
            select __row, text::JSON as j from temp.__ingest_lines
            where trim(text) <> '' and case when json_valid(text) then json_type(text) end = 'OBJECT'
            """)
        let keys = try await db.query("""
            select key from (
                select __row, unnest(range(len(json_keys(j)))) as position, unnest(json_keys(j)) as key from temp.__ingest_docs)
            group by key order by min(__row), min(position)
            """).rows.compactMap { $0[0].string }
        guard !keys.isEmpty else {
            try await db.execute(SQL(unsafeRaw: "create temp table \(Self.raw) as select __row from temp.__ingest_docs"))
            return []
        }
        let paths = keys.map { SQL.quoteLiteral("$.\"" + $0.replacingOccurrences(of: "\"", with: "\\\"") + "\"") }
        let flags = try await db.query(SQL(unsafeRaw: "select " + paths.map {
            "coalesce(bool_or(json_type(j, \($0)) in ('OBJECT', 'ARRAY')), false)"
        }.joined(separator: ", ") + " from temp.__ingest_docs"))
        var nested: Set<String> = []
        for (index, key) in keys.enumerated() where flags.rows.first?[index].bool == true { nested.insert(key) }
        let select = zip(keys, paths).map { key, path in
            (nested.contains(key) ? "j -> \(path)" : "j ->> \(path)") + " as " + SQL.quoteIdentifier(key)
        }
        try await db.execute(SQL(unsafeRaw: "create temp table \(Self.raw) as select __row, \(select.joined(separator: ", ")) from temp.__ingest_docs"))
        return nested
    }

    /// JSON's own word for DuckDB's `json_type`.
    static func jsonKind(_ type: String) -> String {
        switch type {
        case "BIGINT", "UBIGINT", "DOUBLE": return "number"
        case "VARCHAR": return "string"
        default: return type.lowercased()
        }
    }

    // MARK: Types

    /// The type tests, narrowest first. DuckDB's casts are lenient (`'1.5'` casts to BIGINT 2,
    /// `'01234'` to 1234), so each test also matches the text's shape.
    static let typeCandidates: [(type: String, test: @Sendable (String) -> String)] = [
        ("BIGINT", { "regexp_full_match(\($0), '[-+]?(0|[1-9][0-9]*)') and try_cast(\($0) as BIGINT) is not null" }),
        ("DOUBLE", { "regexp_full_match(\($0), '[-+]?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?') and try_cast(\($0) as DOUBLE) is not null" }),
        ("BOOLEAN", { "lower(\($0)) in ('true', 'false')" }),
        ("DATE", { "regexp_full_match(\($0), '[0-9]{4}-[0-9]{2}-[0-9]{2}') and try_cast(\($0) as DATE) is not null" }),
        ("TIMESTAMP", { "regexp_full_match(\($0), '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?') and try_cast(\($0) as TIMESTAMP) is not null" }),
        ("TIMESTAMPTZ", { "regexp_full_match(\($0), '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[-+][0-9]{2}(:?[0-9]{2})?)') and try_cast(\($0) as TIMESTAMPTZ) is not null" }),
    ]

    /// Rows read first to rule candidates out cheaply.
    static let inferenceSampleRows = 20_000

    /// The narrowest type each text column's values all convert to.
    ///
    /// Every test on every value made this the slowest step of a large load (six tests on each of
    /// nine columns: 206 s of a 42M-row REES46 file). A type a value of the first rows refuses
    /// cannot hold the whole column, so those rows rule candidates out at no cost; then one scan
    /// checks each column's narrowest remaining candidate, and only a column whose candidate a
    /// later value refuses is checked again with its next one. Text columns need no full scan.
    private func inferTypes(of columns: [String], on db: any WarehouseConnection) async throws -> [String: String] {
        guard !columns.isEmpty else { return [:] }
        let candidates = Self.typeCandidates
        let sampled = try await Self.sampleCandidates(of: columns, in: "(select * from \(Self.raw) limit \(Self.inferenceSampleRows))", on: db)
        var remaining = sampled.remaining
        let sampledValues = sampled.hasValues
        var types: [String: String] = [:]
        var counted = false
        while true {
            let open = columns.filter { !(remaining[$0] ?? []).isEmpty }
            guard !open.isEmpty else { break }
            // A column whose sampled rows are all empty is counted once over every row: no
            // value at all leaves it text.
            let needsCount = counted ? [] : open.filter { sampledValues[$0] != true }
            counted = true
            let row = try await db.query(SQL(unsafeRaw: "select " + (open.map { Self.fits($0, remaining[$0]![0]) }
                + needsCount.map { "count(\(SQL.quoteIdentifier($0)))" }).joined(separator: ", ") + " from \(Self.raw)")).rows.first ?? []
            for (index, column) in needsCount.enumerated() where (row[open.count + index].int64 ?? 0) == 0 {
                remaining[column] = []
            }
            for (index, column) in open.enumerated() where !(remaining[column] ?? []).isEmpty {
                if row[index].bool == true {
                    types[column] = candidates[remaining[column]![0]].type
                    remaining[column] = []
                } else {
                    remaining[column]!.removeFirst()
                }
            }
        }
        for column in columns where types[column] == nil { types[column] = "VARCHAR" }
        return types
    }

    /// Whether every (trimmed) value of `column` passes candidate `candidate`'s test, as an aggregate.
    static func fits(_ column: String, _ candidate: Int) -> String {
        let value = "trim(\(SQL.quoteIdentifier(column)))"
        return "coalesce(bool_and(\(value) is null or (\(typeCandidates[candidate].test(value)))), true)"
    }

    /// For each column, the candidates (indices into `typeCandidates`, narrowest first) every
    /// value of `rows` converts to, and whether `rows` holds a value of it at all.
    static func sampleCandidates(of columns: [String], in rows: String, on db: any WarehouseConnection) async throws
        -> (remaining: [String: [Int]], hasValues: [String: Bool])
    {
        guard !columns.isEmpty else { return ([:], [:]) }
        let candidates = typeCandidates
        let sample = try await db.query(SQL(unsafeRaw: "select " + columns.flatMap { column in
            ["count(\(SQL.quoteIdentifier(column)))"] + candidates.indices.map { fits(column, $0) }
        }.joined(separator: ", ") + " from \(rows)")).rows.first ?? []
        let width = candidates.count + 1
        var remaining: [String: [Int]] = [:]
        var hasValues: [String: Bool] = [:]
        for (index, column) in columns.enumerated() where index * width < sample.count {
            remaining[column] = candidates.indices.filter { sample[index * width + 1 + $0].bool == true }
            hasValues[column] = (sample[index * width].int64 ?? 0) > 0
        }
        return (remaining, hasValues)
    }

    /// The condition under which `text` (a non-NULL text expression) converts to `type`, as a
    /// declared or existing column's value must. Whole numbers are matched strictly: DuckDB's
    /// cast would round `1.5` into an integer column.
    static func converts(_ text: String, to type: String) -> String {
        var ok = "try_cast(\(text) as \(type)) is not null"
        if ["INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT"].contains(type) {
            ok += " and regexp_full_match(\(text), '[-+]?[0-9]+')"
        }
        return ok
    }

    /// Rows whose value of `column` does not convert to `type`. Whole numbers are checked
    /// strictly: DuckDB's cast would round `1.5` into an integer column.
    private func failures(of column: String, as type: String, on db: any WarehouseConnection) async throws -> [QuarantinedRow] {
        let quoted = SQL.quoteIdentifier(column)
        let text = "trim(cast(\(quoted) as varchar))"
        let broken = "not (\(Self.converts(text, to: type)))"
        let rows = try await db.query(SQL(unsafeRaw: """
            select __row, cast(\(quoted) as varchar) from \(Self.raw)
            where \(quoted) is not null and (\(broken)) order by __row
            """))
        return rows.rows.map { row in
            let value = row[1].string ?? ""
            let shown = value.count > 60 ? String(value.prefix(57)) + "..." : value
            return QuarantinedRow(rowNumber: Int(row[0].int64 ?? 0), column: column,
                                  reason: "'\(shown)' is not a valid \(type)", raw: value)
        }
    }

    static func sameType(_ a: String, _ b: String) -> Bool {
        a.uppercased().replacingOccurrences(of: " ", with: "") == b.uppercased().replacingOccurrences(of: " ", with: "")
    }
}

/// Where a CSV record's line is: the header's lines, then one line per record, the lines DuckDB
/// rejected skipped. (A record whose quoted field spans lines shifts the lines after it.)
struct CSVLineMap {
    var headerLines: Int
    var rejectedLines: [Int]

    func line(ofRecord record: Int) -> Int {
        var line = headerLines + record
        for rejected in rejectedLines where rejected <= line { line += 1 }
        return line
    }
}

extension WarehouseConnection {
    /// Columns of a temporary table, in order (`columns(of:)` reads the main catalog only).
    func columns(ofTemp table: String) async throws -> [ColumnInfo] {
        let result = try await query(SQL(unsafeRaw: "describe temp.\(SQL.quoteIdentifier(table))"))
        return result.rows.map { ColumnInfo(name: $0[0].string ?? "", type: ($0[1].string ?? "").uppercased()) }
    }
}
